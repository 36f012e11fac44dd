"""Forecasters as people: other spellings of a name, two forecasters merged into one, and what kind each is.

New tables only: no existing record changes, so every existing chain entry still verifies.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 18:50:00
"""

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'forecaster_alias',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('forecaster_id', sa.Integer(), nullable=False),
        sa.Column('alias', sa.String(), nullable=False),
        sa.Column('alias_key', sa.String(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['forecaster_id'], ['forecaster.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('alias_key'),
    )
    op.create_index('ix_forecaster_alias_forecaster_id', 'forecaster_alias', ['forecaster_id'])
    op.create_table(
        'forecaster_merge',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('merged_id', sa.Integer(), nullable=False),
        sa.Column('into_id', sa.Integer(), nullable=False),
        sa.Column('note', sa.String(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['merged_id'], ['forecaster.id']),
        sa.ForeignKeyConstraint(['into_id'], ['forecaster.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_forecaster_merge_merged_id', 'forecaster_merge', ['merged_id'])
    op.create_table(
        'forecaster_kind',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('forecaster_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['forecaster_id'], ['forecaster.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_forecaster_kind_forecaster_id', 'forecaster_kind', ['forecaster_id'])


def downgrade() -> None:
    for table in ('forecaster_kind', 'forecaster_merge', 'forecaster_alias'):
        op.drop_table(table)
