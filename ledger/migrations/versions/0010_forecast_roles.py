"""Forecasters' roles: the affiliation or role a forecaster held when they made a forecast, as the source gives it.

A new table only: the forecast table keeps its columns, so every existing chain entry still verifies.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 20:00:00
"""

import sqlalchemy as sa
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'forecast_role',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('forecast_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['forecast_id'], ['forecast.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('forecast_id'),
    )


def downgrade() -> None:
    op.drop_table('forecast_role')
