"""Views for people who browse a ledger with sqlite3, psql, Datasette or a BI tool.

- question_status: each question with the resolution in force (after amendments), its status
  (resolved; due: past its resolve-by date and unresolved; open) and its forecasters.
- scored_forecast: each forecaster's last counting forecast on each question resolved yes or no,
  with its Brier score: the forecasts the report's last_brier column scores. A forecast counts
  when it was stated before forecasting ended (the event's date; a "no" dated on or after the
  resolve-by date ends it after the deadline), as ledger/standings.py decides.

A view is derived, never written: the hash chain does not cover it.

Revision ID: 0005
Revises: 0002
Create Date: 2026-12-01 18:30:00
"""

from alembic import op


revision = '0005'
down_revision = '0002'
branch_labels = None
depends_on = None

CURRENT_RESOLUTION = "resolution r ON r.id = (SELECT max(id) FROM resolution WHERE question_id = q.id)"
COUNTS = (
    "(f.stated_on < r.resolved_on OR r.resolved_on > q.resolve_by "
    "OR (r.outcome = 'no' AND r.resolved_on = q.resolve_by))"
)


def _forecasters(dialect: str) -> str:
    if dialect == "postgresql":
        return ("(SELECT string_agg(DISTINCT who.name, '; ') FROM forecast f JOIN forecaster who ON who.id = f.forecaster_id "
                "WHERE f.question_id = q.id)")
    return ("(SELECT group_concat(name, '; ') FROM (SELECT DISTINCT who.name FROM forecast f "
            "JOIN forecaster who ON who.id = f.forecaster_id WHERE f.question_id = q.id))")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute(f"""
        CREATE VIEW question_status AS
        SELECT q.id AS question_id, q.statement, q.criteria, q.resolve_by, q.scenario_id,
               r.outcome, r.resolved_on,
               CASE WHEN r.outcome IS NOT NULL THEN 'resolved'
                    WHEN q.resolve_by < CURRENT_DATE THEN 'due' ELSE 'open' END AS status,
               {_forecasters(dialect)} AS forecasters
        FROM question q LEFT JOIN {CURRENT_RESOLUTION}
    """)
    op.execute(f"""
        CREATE VIEW scored_forecast AS
        SELECT forecast_id, question_id, forecaster, probability, cue, stated_on, outcome, resolved_on,
               (probability - happened) * (probability - happened) AS brier
        FROM (
            SELECT f.id AS forecast_id, f.question_id, who.name AS forecaster, f.probability, f.cue, f.stated_on,
                   r.outcome, r.resolved_on, CASE WHEN r.outcome = 'yes' THEN 1.0 ELSE 0.0 END AS happened,
                   ROW_NUMBER() OVER (PARTITION BY f.question_id, f.forecaster_id ORDER BY f.stated_on DESC, f.id DESC) AS latest
            FROM forecast f
            JOIN forecaster who ON who.id = f.forecaster_id
            JOIN question q ON q.id = f.question_id
            JOIN {CURRENT_RESOLUTION}
            WHERE r.outcome IN ('yes', 'no') AND {COUNTS}
        ) counting
        WHERE latest = 1
    """)


def downgrade() -> None:
    op.execute("DROP VIEW scored_forecast")
    op.execute("DROP VIEW question_status")
