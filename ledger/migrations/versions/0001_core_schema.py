"""Core schema: sources, forecasters, questions, tags, forecasts, resolutions, scenarios, hash chain.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 09:06:46.060383
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('chain_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('table_name', sa.String(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('previous_hash', sa.String(), nullable=False),
    sa.Column('entry_hash', sa.String(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('table_name', 'record_id')
    )
    op.create_table('forecaster',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('name_key', sa.String(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name_key')
    )
    op.create_table('scenario',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('ordered', sa.Boolean(), nullable=False),
    sa.Column('resolve_by', sa.Date(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('outlet', sa.String(), nullable=True),
    sa.Column('url', sa.String(), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('path', sa.String(), nullable=True),
    sa.Column('sha256', sa.String(), nullable=True),
    sa.Column('text', sa.String(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_sha256'), ['sha256'], unique=False)

    op.create_table('question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement', sa.String(), nullable=False),
    sa.Column('criteria', sa.String(), nullable=True),
    sa.Column('resolve_by', sa.Date(), nullable=False),
    sa.Column('scenario_id', sa.Integer(), nullable=True),
    sa.Column('scenario_position', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenario.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_resolve_by'), ['resolve_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_scenario_id'), ['scenario_id'], unique=False)

    op.create_table('scenario_forecast',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.Integer(), nullable=False),
    sa.Column('forecaster_id', sa.Integer(), nullable=False),
    sa.Column('stated_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['forecaster_id'], ['forecaster.id'], ),
    sa.ForeignKeyConstraint(['scenario_id'], ['scenario.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('scenario_forecast', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scenario_forecast_scenario_id'), ['scenario_id'], unique=False)

    op.create_table('forecast',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('forecaster_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('scenario_forecast_id', sa.Integer(), nullable=True),
    sa.Column('probability', sa.Float(), nullable=False),
    sa.Column('cue', sa.String(), nullable=True),
    sa.Column('scale', sa.String(), nullable=False),
    sa.Column('range_low', sa.Float(), nullable=False),
    sa.Column('range_high', sa.Float(), nullable=False),
    sa.Column('stated_on', sa.Date(), nullable=False),
    sa.Column('quote', sa.String(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['forecaster_id'], ['forecaster.id'], ),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], ),
    sa.ForeignKeyConstraint(['scenario_forecast_id'], ['scenario_forecast.id'], ),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('forecast', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forecast_forecaster_id'), ['forecaster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forecast_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forecast_source_id'), ['source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forecast_stated_on'), ['stated_on'], unique=False)

    op.create_table('question_tag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('question_id', 'tag')
    )
    with op.batch_alter_table('question_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_tag_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_tag_tag'), ['tag'], unique=False)

    op.create_table('resolution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(), nullable=False),
    sa.Column('resolved_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(), nullable=True),
    sa.Column('evidence', sa.String(), nullable=True),
    sa.Column('amends_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['amends_id'], ['resolution.id'], ),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('resolution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resolution_question_id'), ['question_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('resolution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resolution_question_id'))

    op.drop_table('resolution')
    with op.batch_alter_table('question_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_tag_tag'))
        batch_op.drop_index(batch_op.f('ix_question_tag_question_id'))

    op.drop_table('question_tag')
    with op.batch_alter_table('forecast', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forecast_stated_on'))
        batch_op.drop_index(batch_op.f('ix_forecast_source_id'))
        batch_op.drop_index(batch_op.f('ix_forecast_question_id'))
        batch_op.drop_index(batch_op.f('ix_forecast_forecaster_id'))

    op.drop_table('forecast')
    with op.batch_alter_table('scenario_forecast', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scenario_forecast_scenario_id'))

    op.drop_table('scenario_forecast')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_scenario_id'))
        batch_op.drop_index(batch_op.f('ix_question_resolve_by'))

    op.drop_table('question')
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_source_sha256'))

    op.drop_table('source')
    op.drop_table('scenario')
    op.drop_table('forecaster')
    op.drop_table('chain_entry')
