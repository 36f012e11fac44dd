"""Export: one tuple per forecast in `COLUMNS` order, streamed from the database, with its scores."""

import functools
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Callable, Iterable, Iterator, Optional

from sqlalchemy import func, select

from ledger import records, rules, scoring, store
from ledger.errors import LedgerError
from ledger.io.ours import COLUMNS, TAG_SEPARATOR, export_format, write_export
from ledger.model import FORECAST, FORECASTER, QUESTION, RESOLUTION, SCENARIO, SOURCE, TAG
from ledger.store import Ledger


def _escaped_tag(tag):
    """ours.escape_tag in SQL, so that a ';' inside a tag survives the joined cell."""
    return func.replace(func.replace(tag, "\\", "\\\\"), ";", "\\;")


def _tags_by_question(dialect: str):
    if dialect == "sqlite":
        # SQLite before 3.44 has no ORDER BY inside an aggregate; group_concat keeps the order rows arrive in.
        ordered = select(TAG.c.question_id, TAG.c.tag).order_by(TAG.c.question_id, TAG.c.id).subquery()
        tags = func.aggregate_strings(_escaped_tag(ordered.c.tag), TAG_SEPARATOR)
        return select(ordered.c.question_id, tags.label("tags")).group_by(ordered.c.question_id).subquery()
    tags = func.aggregate_strings(_escaped_tag(TAG.c.tag), TAG_SEPARATOR).aggregate_order_by(TAG.c.id)
    return select(TAG.c.question_id, tags.label("tags")).group_by(TAG.c.question_id).subquery()


def _export_query(dialect: str, *, today: date, status: str, who: Optional[str], tag: Optional[str], source: Optional[int]):
    current = records.current_resolutions()
    resolution = RESOLUTION.alias("current_resolution")
    tags = _tags_by_question(dialect)
    query = (
        select(
            QUESTION.c.id.label("question_id"), QUESTION.c.statement, QUESTION.c.criteria, QUESTION.c.resolve_by,
            tags.c.tags, SCENARIO.c.name.label("scenario"), FORECAST.c.id.label("forecast_id"),
            FORECASTER.c.name.label("forecaster"), FORECAST.c.probability, FORECAST.c.cue, FORECAST.c.scale,
            FORECAST.c.range_low, FORECAST.c.range_high, FORECAST.c.stated_on, SOURCE.c.title.label("source"),
            SOURCE.c.url.label("source_url"), SOURCE.c.published_on.label("source_published_on"), FORECAST.c.quote,
            resolution.c.outcome, resolution.c.resolved_on, resolution.c.note, resolution.c.evidence,
        )
        # From the questions, so that a question without forecasts (a scenario's outcome, say) is a row too.
        .select_from(QUESTION)
        .outerjoin(FORECAST, QUESTION.c.id == FORECAST.c.question_id)
        .outerjoin(FORECASTER, FORECASTER.c.id == FORECAST.c.forecaster_id)
        .outerjoin(SOURCE, SOURCE.c.id == FORECAST.c.source_id)
        .outerjoin(SCENARIO, SCENARIO.c.id == QUESTION.c.scenario_id)
        .outerjoin(tags, tags.c.question_id == QUESTION.c.id)
        .outerjoin(current, current.c.question_id == QUESTION.c.id)
        .outerjoin(resolution, resolution.c.id == current.c.id)
    )
    query = query.where(*records.question_conditions(current, status=status, tag=tag, today=today))
    if who is not None:
        query = query.where(FORECASTER.c.name_key == rules.forecaster_key(who))
    if source is not None:
        query = query.where(FORECAST.c.source_id == source)
    return query


def _export_record(row: tuple, scored: bool = False) -> tuple:
    """A fetched row (`COLUMNS` but for the scores) with its Brier and log score, if it counts, and `scored` added."""
    outcome = row[OUTCOME_AT]
    if (outcome == "yes" or outcome == "no") and row[PROBABILITY_AT] is not None and _counts(row):
        return (*row, *_scores_of(row[PROBABILITY_AT], outcome == "yes"), scored)
    return (*row, None, None, False)


def _counts(row: tuple) -> bool:
    """Stated before forecasting ended (standings.forecasting_ends; ISO dates compare as text)."""
    stated_on, resolved_on, resolve_by = row[STATED_AT], row[RESOLVED_AT], row[RESOLVE_BY_AT]
    return stated_on < resolved_on or resolved_on > resolve_by or (row[OUTCOME_AT] == "no" and resolved_on == resolve_by)


def _question_records(rows: Iterable[tuple]) -> Iterator[tuple]:
    """Export records of one question's rows: `scored` marks each forecaster's last counting forecast,
    the one the report's last_brier scores (so that df[df.scored].groupby("forecaster").brier.mean() is it)."""
    rows = list(rows)
    latest: dict[str, tuple] = {}
    for row in rows:
        if row[FORECAST_ID_AT] is not None and row[OUTCOME_AT] in ("yes", "no") and _counts(row):
            key = (row[STATED_AT], row[FORECAST_ID_AT])
            if row[FORECASTER_AT] not in latest or key > latest[row[FORECASTER_AT]]:
                latest[row[FORECASTER_AT]] = key
    chosen = {key[1] for key in latest.values()}
    for row in rows:
        yield _export_record(row, row[FORECAST_ID_AT] in chosen)


@functools.lru_cache(maxsize=1 << 14)
def _scores_of(probability: float, happened: bool) -> tuple[float, float]:
    # A big ledger repeats the same probabilities (the scales' words, round numbers) many times.
    return scoring.brier(probability, happened), scoring.log_score(probability, happened)


OUTCOME_AT = COLUMNS.index("outcome")
PROBABILITY_AT = COLUMNS.index("probability")
STATED_AT, RESOLVED_AT, RESOLVE_BY_AT = COLUMNS.index("stated_on"), COLUMNS.index("resolved_on"), COLUMNS.index("resolve_by")
FORECAST_ID_AT, FORECASTER_AT = COLUMNS.index("forecast_id"), COLUMNS.index("forecaster")


def count_forecasts(ledger: Ledger, *, today: date, status: str = "all", who=None, tag=None, source=None) -> int:
    """How many forecasts `export_tuples` will give for these filters (for a progress bar and the closing line)."""
    query = _export_query(ledger.dialect, today=today, status=status, who=who, tag=tag, source=source)
    with ledger.reading() as connection:
        counted = query.subquery()
        return connection.execute(select(func.count(counted.c.forecast_id))).scalar_one()  # questions without forecasts not counted


def export_tuples(ledger: Ledger, *, today: date, status: str = "all", who=None, tag=None, source=None) -> Iterator[tuple]:
    """One tuple per forecast in `COLUMNS` order, streamed from the database: memory stays flat.

    --status and --tag select questions as `ledger list` does; --who and --source select forecasts.
    Dates are ISO text, on every database.
    """
    query = _export_query(ledger.dialect, today=today, status=status, who=who, tag=tag, source=source)
    return _streamed(ledger, query.order_by(QUESTION.c.id, FORECAST.c.id))


def _streamed(ledger: Ledger, query) -> Iterator[tuple]:
    with ledger.reading() as connection:
        for _, rows in groupby(store.plain_rows(connection, query), key=itemgetter(0)):
            yield from _question_records(rows)


EXPORT_LAYOUTS = ("ledger", "fatebook")


def writer_for(layout: str, fmt: Optional[str], output: Optional[str]) -> Callable:
    """The function that writes export tuples in `layout` (ours in csv/json/jsonl, or Fatebook's CSV) to a stream."""
    if layout == "fatebook":
        if fmt not in (None, "csv"):
            raise LedgerError(f"--to fatebook writes Fatebook's CSV, not {fmt!r}: leave --format out")
        from ledger.io import fatebook

        return lambda rows, out, progress: fatebook.write_export(rows, out, progress)
    if layout != "ledger":
        raise LedgerError(f"unknown --to {layout!r}: use {' or '.join(EXPORT_LAYOUTS)}")
    chosen = export_format(fmt, output)
    return lambda rows, out, progress: write_export(rows, chosen, out, progress)


def layout_name(layout: str, fmt: Optional[str], output: Optional[str]) -> str:
    return "Fatebook's CSV" if layout == "fatebook" else export_format(fmt, output).upper().replace("JSONL", "JSON Lines")
