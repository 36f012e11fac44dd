"""Sources fetched from the web: where and when each page was read.

A new table only: the source table keeps its columns, so every existing chain entry still verifies.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 19:00:00
"""

import sqlalchemy as sa
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'source_fetch',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(), nullable=False),
        sa.Column('fetched_at', sa.String(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['source_id'], ['source.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_source_fetch_source_id', 'source_fetch', ['source_id'])


def downgrade() -> None:
    op.drop_table('source_fetch')
