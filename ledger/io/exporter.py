"""Export: one tuple per forecast in `COLUMNS` order, streamed from the database, with its scores and its question's
condition; for JSON, a scenario's last row also carries the scenario's indicators."""

import functools
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Callable, Iterable, Iterator, Optional

from sqlalchemy import func, null, select

from ledger import records, rules, scoring, store
from ledger.errors import LedgerError
from ledger.io.ours import COLUMNS, CONDITION_COLUMNS, TAG_SEPARATOR, escape_tag, export_format, write_export
from ledger.model import CONDITION, FORECAST, FORECAST_ROLE, FORECASTER, INDICATOR, LIKELIHOOD, QUESTION, RESOLUTION, SCENARIO, SIGHTING, SOURCE, TAG
from ledger.output import CSV
from ledger.store import Ledger


def _export_query(dialect: str, *, today: date, status: str, who: Optional[str], tag: Optional[str], source: Optional[int]):
    """The export's rows in `COLUMNS` order up to the scores, then the role; `tags` empty, filled in from _tags_of.

    Each question's current resolution comes from records.join_current_resolution and its tags from a stream of
    their own: on SQLite nothing is materialised for the whole ledger, so memory stays flat.
    """
    resolution = RESOLUTION.alias("current_resolution")
    query = (
        select(
            QUESTION.c.id.label("question_id"), QUESTION.c.statement, QUESTION.c.criteria, QUESTION.c.resolve_by,
            null().label("tags"), SCENARIO.c.name.label("scenario"), FORECAST.c.id.label("forecast_id"),
            FORECASTER.c.name.label("forecaster"), FORECAST.c.probability, FORECAST.c.cue, FORECAST.c.scale,
            FORECAST.c.range_low, FORECAST.c.range_high, FORECAST.c.stated_on, SOURCE.c.title.label("source"),
            SOURCE.c.url.label("source_url"), SOURCE.c.published_on.label("source_published_on"), FORECAST.c.quote,
            resolution.c.outcome, resolution.c.resolved_on, resolution.c.note, resolution.c.evidence,
            FORECAST_ROLE.c.role,
        )
        # From the questions, so that a question without forecasts (a scenario's outcome, say) is a row too.
        .select_from(QUESTION)
        .outerjoin(FORECAST, QUESTION.c.id == FORECAST.c.question_id)
        .outerjoin(FORECASTER, FORECASTER.c.id == FORECAST.c.forecaster_id)
        .outerjoin(SOURCE, SOURCE.c.id == FORECAST.c.source_id)
        .outerjoin(FORECAST_ROLE, FORECAST_ROLE.c.forecast_id == FORECAST.c.id)
        .outerjoin(SCENARIO, SCENARIO.c.id == QUESTION.c.scenario_id)
    )
    query = records.join_current_resolution(query, resolution, dialect)
    query = query.where(*records.question_conditions(resolution, status=status, tag=tag, today=today))
    if who is not None:
        query = query.where(FORECASTER.c.name_key == rules.forecaster_key(who))
    if source is not None:
        query = query.where(FORECAST.c.source_id == source)
    return query


def _tags_of(connection) -> Callable[[int], Optional[str]]:
    """A question's tags cell (ours.escape_tag, joined), asked for in increasing question id: one pass over the tags."""
    stream = store.plain_rows(connection, select(TAG.c.question_id, TAG.c.tag).order_by(TAG.c.question_id, TAG.c.id))
    pending = next(stream, None)

    def tags(question_id: int) -> Optional[str]:
        nonlocal pending
        while pending is not None and pending[0] < question_id:
            pending = next(stream, None)
        found = []
        while pending is not None and pending[0] == question_id:
            found.append(escape_tag(pending[1]))
            pending = next(stream, None)
        return TAG_SEPARATOR.join(found) if found else None

    return tags


def _export_record(row: tuple, tags: Optional[str], condition: tuple, scored: bool = False) -> tuple:
    """A fetched row (`COLUMNS` up to the scores, then the role) with its question's tags, its Brier and log score
    if it counts, `scored` and its question's condition put in their places."""
    outcome = row[OUTCOME_AT]
    if (outcome == "yes" or outcome == "no") and row[PROBABILITY_AT] is not None and _counts(row):
        scores = _scores_of(row[PROBABILITY_AT], outcome == "yes")
        return (*row[:TAGS_AT], tags, *row[TAGS_AT + 1:ROLE_AT], *scores, scored, *condition, row[ROLE_AT])
    return (*row[:TAGS_AT], tags, *row[TAGS_AT + 1:ROLE_AT], None, None, False, *condition, row[ROLE_AT])


def _counts(row: tuple) -> bool:
    """Stated before forecasting ended (standings.forecasting_ends; ISO dates compare as text)."""
    stated_on, resolved_on, resolve_by = row[STATED_AT], row[RESOLVED_AT], row[RESOLVE_BY_AT]
    return stated_on < resolved_on or resolved_on > resolve_by or (row[OUTCOME_AT] == "no" and resolved_on == resolve_by)


def _question_records(rows: Iterable[tuple], tags: Optional[str], condition: tuple) -> Iterator[tuple]:
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
        yield _export_record(row, tags, condition, row[FORECAST_ID_AT] in chosen)


@functools.lru_cache(maxsize=1 << 14)
def _scores_of(probability: float, happened: bool) -> tuple[float, float]:
    # A big ledger repeats the same probabilities (the scales' words, round numbers) many times.
    return scoring.brier(probability, happened), scoring.log_score(probability, happened)


OUTCOME_AT = COLUMNS.index("outcome")
PROBABILITY_AT = COLUMNS.index("probability")
STATED_AT, RESOLVED_AT, RESOLVE_BY_AT = COLUMNS.index("stated_on"), COLUMNS.index("resolved_on"), COLUMNS.index("resolve_by")
FORECAST_ID_AT, FORECASTER_AT = COLUMNS.index("forecast_id"), COLUMNS.index("forecaster")
ROLE_AT = COLUMNS.index("brier")  # the query gives the role where the export's scores go
TAGS_AT = COLUMNS.index("tags")


def count_forecasts(ledger: Ledger, *, today: date, status: str = "all", who=None, tag=None, source=None) -> int:
    """How many forecasts `export_tuples` will give for these filters (for a progress bar and the closing line)."""
    query = _export_query(ledger.dialect, today=today, status=status, who=who, tag=tag, source=source)
    with ledger.reading() as connection:
        counted = query.subquery()
        return connection.execute(select(func.count(counted.c.forecast_id))).scalar_one()  # questions without forecasts not counted


def export_tuples(ledger: Ledger, *, today: date, status: str = "all", who=None, tag=None, source=None) -> "ExportRows":
    """One tuple per forecast in `COLUMNS` order, streamed from the database: memory stays flat.

    --status and --tag select questions as `ledger list` does; --who and --source select forecasts.
    Dates are ISO text, on every database.
    """
    query = _export_query(ledger.dialect, today=today, status=status, who=who, tag=tag, source=source)
    return ExportRows(ledger, query.order_by(QUESTION.c.id, FORECAST.c.id))


class ExportRows:
    """The export's tuples, iterated once and then closed, as a generator.

    With `carry_indicators` (JSON and JSON Lines), the last row of a scenario's outcomes (the row that completes
    the scenario in the file) has one more element: the scenario's indicators, as ours.INDICATOR_KEYS objects.
    A filter that leaves one of its outcomes out leaves them out. Conditions and indicators are read in one
    query each when the stream starts: a ledger holds few of them.
    """

    def __init__(self, ledger: Ledger, query):
        self.carry_indicators = False
        self._tuples = self._streamed(ledger, query)

    def __iter__(self) -> Iterator[tuple]:
        return self._tuples

    def close(self) -> None:
        self._tuples.close()

    def _streamed(self, ledger: Ledger, query) -> Iterator[tuple]:
        with ledger.reading() as connection:
            conditions = _conditions(connection)
            tags_of = _tags_of(connection)
            indicators, remaining = _indicators(connection) if self.carry_indicators else ({}, {})
            scenario_of = {question_id: scenario_id for scenario_id, outcomes in remaining.items() for question_id in outcomes}
            for question_id, rows in groupby(store.plain_rows(connection, query), key=itemgetter(0)):
                condition = conditions.get(question_id, NO_CONDITION)
                scenario_id = scenario_of.get(question_id)
                if scenario_id is None:
                    yield from _question_records(rows, tags_of(question_id), condition)
                    continue
                records = list(_question_records(rows, tags_of(question_id), condition))
                remaining[scenario_id].discard(question_id)
                if not remaining[scenario_id]:
                    records[-1] += (indicators[scenario_id],)
                yield from records


NO_CONDITION = (None,) * len(CONDITION_COLUMNS)


def _conditions(connection) -> dict[int, tuple]:
    """question id -> (condition's statement, its resolve-by date, the outcome wanted) for every conditional question."""
    condition = QUESTION.alias("condition_question")
    query = (
        select(CONDITION.c.question_id, condition.c.statement, condition.c.resolve_by, CONDITION.c.condition_outcome)
        .join(condition, condition.c.id == CONDITION.c.condition_id)
    )
    return {row[0]: tuple(row[1:]) for row in store.plain_rows(connection, query)}


def _indicators(connection) -> tuple[dict[int, list[dict]], dict[int, set]]:
    """scenario id -> its indicators as JSON objects (ours.INDICATOR_KEYS), in id order; and scenario id -> its outcome ids."""
    indicators: dict[int, dict] = {}
    scenario_of: dict[int, int] = {}
    query = select(INDICATOR.c.id, INDICATOR.c.scenario_id, INDICATOR.c.text).order_by(INDICATOR.c.id)
    for indicator_id, scenario_id, text in store.plain_rows(connection, query):
        indicators[indicator_id] = {"indicator": text, "likelihoods": [], "sightings": []}
        scenario_of[indicator_id] = scenario_id
    if not indicators:
        return {}, {}
    query = (
        select(LIKELIHOOD.c.indicator_id, QUESTION.c.statement, LIKELIHOOD.c.likelihood, LIKELIHOOD.c.rating)
        .join(QUESTION, QUESTION.c.id == LIKELIHOOD.c.question_id).order_by(LIKELIHOOD.c.indicator_id, QUESTION.c.scenario_position)
    )
    for indicator_id, statement, likelihood, rating in store.plain_rows(connection, query):
        indicators[indicator_id]["likelihoods"].append({"outcome": statement, "likelihood": likelihood, "rating": rating})
    query = (
        select(SIGHTING.c.id, SIGHTING.c.indicator_id, SIGHTING.c.observed_on, SIGHTING.c.seen, SOURCE.c.title, SOURCE.c.url,
               SOURCE.c.published_on, SIGHTING.c.quote, SIGHTING.c.note, SIGHTING.c.amends_id)
        .outerjoin(SOURCE, SOURCE.c.id == SIGHTING.c.source_id).order_by(SIGHTING.c.indicator_id, SIGHTING.c.id)
    )
    number_of: dict[int, int] = {}  # sighting id -> its number (from 1) in its indicator's list: ids change on import
    for sighting_id, indicator_id, observed_on, seen, title, url, published_on, quote, note, amends in store.plain_rows(connection, query):
        sightings = indicators[indicator_id]["sightings"]
        sightings.append({"observed_on": observed_on, "seen": bool(seen), "source": title, "source_url": url,
                          "source_published_on": published_on, "quote": quote, "note": note,
                          "amends": number_of.get(amends)})
        number_of[sighting_id] = len(sightings)
    outcomes: dict[int, set] = {scenario_id: set() for scenario_id in scenario_of.values()}
    query = select(QUESTION.c.scenario_id, QUESTION.c.id).where(QUESTION.c.scenario_id.in_(outcomes))
    for scenario_id, question_id in connection.execute(query):
        outcomes[scenario_id].add(question_id)
    by_scenario: dict[int, list[dict]] = {scenario_id: [] for scenario_id in outcomes}
    for indicator_id, record in indicators.items():
        by_scenario[scenario_of[indicator_id]].append(record)
    return by_scenario, outcomes


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
    return lambda rows, out, progress: write_export(rows if chosen == CSV else _with_indicators(rows), chosen, out, progress)


def _with_indicators(rows):
    """JSON and JSON Lines carry the indicators; CSV rows are forecasts only."""
    if isinstance(rows, ExportRows):
        rows.carry_indicators = True
    return rows


def layout_name(layout: str, fmt: Optional[str], output: Optional[str]) -> str:
    return "Fatebook's CSV" if layout == "fatebook" else export_format(fmt, output).upper().replace("JSONL", "JSON Lines")
