"""What every report reads: the options that narrow it, and the forecasts on resolved questions as plain rows.

One query shape serves the score report, the cue report, calibration and a resolved question's
scores: forecasts joined to the resolution in force as of `--as-of` and to their question's
resolve-by date, ordered by question, forecaster, stated date and id, streamed once.
"""

from dataclasses import dataclass
from datetime import date
from typing import Optional

from sqlalchemy import and_, or_, select
from sqlalchemy.engine import Connection

from ledger import dates, people
from ledger.errors import LedgerError
from ledger.model import FORECAST, QUESTION, SOURCE, TAG
from ledger.records import current_resolutions
from ledger.rules import tags as normalised_tags

GROUPINGS = ("forecaster", "source", "tag", "question", "cue", "scenario", "none")
# Rows fetched per round trip; PostgreSQL then streams through a server-side cursor.
FETCH_ROWS = 10_000


@dataclass(frozen=True)
class ReportFilter:
    """Which resolved questions and forecasts a report reads, in the world's dates."""

    resolved_from: Optional[date] = None  # questions resolved on or after this day
    resolved_to: Optional[date] = None  # ... and on or before this day
    as_of: Optional[date] = None  # the ledger as it stood that day: forecasts stated and resolutions dated by then
    who: Optional[str] = None
    tag: Optional[str] = None


def check_period(period: Optional[str]) -> Optional[str]:
    if period is not None and period not in dates.PERIODS:
        raise LedgerError(f"unknown period {period!r}: use one of {', '.join(dates.PERIODS)}")
    return period


def check_grouping(by: str) -> str:
    if by not in GROUPINGS:
        raise LedgerError(f"unknown grouping --by {by!r}: use one of {', '.join(GROUPINGS)}")
    return by


def check_bins(bins: int) -> int:
    if not 1 <= bins <= 100:
        raise LedgerError(f"--bins {bins} is out of range: give a whole number of bins from 1 to 100")
    return bins


def check_filter(report_filter: ReportFilter) -> ReportFilter:
    start, end = report_filter.resolved_from, report_filter.resolved_to
    if start is not None and end is not None and start > end:
        raise LedgerError(f"--from {start} is after --to {end}: give the earlier date first")
    return report_filter


def forecaster_id(connection: Connection, who: str) -> int:
    found = people.find(connection, who)
    if found is None:
        raise LedgerError(f"no forecaster named {who!r} in the ledger: see 'ledger list' for who forecast what")
    return found


def _tag_name(connection: Connection, tag: str) -> str:
    names = normalised_tags([tag])
    if not names or connection.execute(select(TAG.c.id).where(TAG.c.tag == names[0]).limit(1)).first() is None:
        raise LedgerError(f"no question is tagged {tag!r}: give a tag used with 'ledger add --tag'")
    return names[0]


def resolved_filter(connection: Connection, report_filter: ReportFilter) -> tuple[ReportFilter, Optional[int]]:
    """The filter with its tag normalised, and the --who forecaster's id (both checked against the ledger)."""
    check_filter(report_filter)
    who_id = forecaster_id(connection, report_filter.who) if report_filter.who is not None else None
    if report_filter.tag is not None:
        report_filter = ReportFilter(
            report_filter.resolved_from, report_filter.resolved_to, report_filter.as_of, report_filter.who,
            _tag_name(connection, report_filter.tag),
        )
    return report_filter, who_id


def resolved_query(
    report_filter: ReportFilter, columns, *, question_id: Optional[int] = None, counting_only: bool = True, by_date: bool = False,
    merged: bool = True,
):
    """Forecasts on questions resolved (as of the filter's day), ordered by question, forecaster, date and id
    (by_date: by question, date and id, the order standings.score_question reads).

    counting_only keeps the forecasts that count: stated on or before the resolve-by date, and before
    the event's date unless a "no" is dated on or after the resolve-by date (the rule of
    standings.forecasting_ends, which score_question applies to the rows it is given).
    merged=False: no forecaster was ever merged (people.any_merges), so none needs looking up.
    """
    resolution = current_resolutions(report_filter.as_of)
    named = {"outcome": resolution.c.outcome, "resolved_on": resolution.c.resolved_on, "resolve_by": QUESTION.c.resolve_by}
    named["forecaster_id"] = people.canonical_id(merged=merged).label("forecaster_id")
    query = (
        select(*(named[column] if column in named else FORECAST.c[column] for column in columns))
        .join(resolution, resolution.c.question_id == FORECAST.c.question_id)
    )
    if by_date:
        query = query.order_by(FORECAST.c.question_id, FORECAST.c.stated_on, FORECAST.c.id)
    else:
        query = query.order_by(FORECAST.c.question_id, named["forecaster_id"], FORECAST.c.stated_on, FORECAST.c.id)
    if "resolve_by" in columns or counting_only:
        query = query.join(QUESTION, QUESTION.c.id == FORECAST.c.question_id)
    if counting_only:
        query = query.where(
            FORECAST.c.stated_on <= QUESTION.c.resolve_by,
            or_(FORECAST.c.stated_on < resolution.c.resolved_on,
                and_(resolution.c.outcome == "no", resolution.c.resolved_on >= QUESTION.c.resolve_by)),
        )
    if report_filter.as_of is not None:
        query = query.where(FORECAST.c.stated_on <= report_filter.as_of)
    if report_filter.resolved_from is not None:
        query = query.where(resolution.c.resolved_on >= report_filter.resolved_from)
    if report_filter.resolved_to is not None:
        query = query.where(resolution.c.resolved_on <= report_filter.resolved_to)
    if report_filter.tag is not None:
        query = query.where(FORECAST.c.question_id.in_(select(TAG.c.question_id).where(TAG.c.tag == report_filter.tag)))
    if question_id is not None:
        query = query.where(FORECAST.c.question_id == question_id)
    return query


def names(connection: Connection, table) -> dict:
    """id -> name (or title) of every forecaster or source, read once."""
    column = table.c.title if table is SOURCE else table.c.name
    return dict(connection.execute(select(table.c.id, column)).all())
