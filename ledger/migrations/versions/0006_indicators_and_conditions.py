"""Scenario tracking: conditional questions, indicators with their likelihoods, and sightings.

New tables only: no existing record changes, so every existing chain entry still verifies.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 18:40:00
"""

import sqlalchemy as sa
from alembic import op



revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'question_condition',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('condition_id', sa.Integer(), nullable=False),
        sa.Column('condition_outcome', sa.String(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['question_id'], ['question.id']),
        sa.ForeignKeyConstraint(['condition_id'], ['question.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('question_id'),
    )
    op.create_index('ix_question_condition_condition_id', 'question_condition', ['condition_id'])
    op.create_table(
        'indicator',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scenario_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.String(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['scenario_id'], ['scenario.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_indicator_scenario_id', 'indicator', ['scenario_id'])
    op.create_table(
        'indicator_likelihood',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('indicator_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('likelihood', sa.Float(), nullable=False),
        sa.Column('rating', sa.String(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id']),
        sa.ForeignKeyConstraint(['question_id'], ['question.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('indicator_id', 'question_id'),
    )
    op.create_index('ix_indicator_likelihood_indicator_id', 'indicator_likelihood', ['indicator_id'])
    op.create_table(
        'sighting',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('indicator_id', sa.Integer(), nullable=False),
        sa.Column('seen', sa.Boolean(), nullable=False),
        sa.Column('observed_on', sa.Date(), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=True),
        sa.Column('quote', sa.String(), nullable=True),
        sa.Column('note', sa.String(), nullable=True),
        sa.Column('amends_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id']),
        sa.ForeignKeyConstraint(['source_id'], ['source.id']),
        sa.ForeignKeyConstraint(['amends_id'], ['sighting.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_sighting_indicator_id', 'sighting', ['indicator_id'])


def downgrade() -> None:
    for table in ('sighting', 'indicator_likelihood', 'indicator', 'question_condition'):
        op.drop_table(table)
