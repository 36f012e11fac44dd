"""The history of writes, newest first: what `ledger log` shows, read from the hash chain's entries."""

from datetime import date, datetime, time, timezone
from typing import TYPE_CHECKING, Iterator, Optional

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ledger.chain import record_label
from ledger.errors import LedgerError
from ledger.model import (
    ALIAS, CHAIN, CONDITION, FORECAST, FORECAST_ROLE, FORECASTER, INDICATOR, KIND, LIKELIHOOD, MERGE, QUESTION, RESOLUTION, SCENARIO,
    SCENARIO_FORECAST, SIGHTING, SOURCE, TAG,
)

if TYPE_CHECKING:
    from ledger.store import Ledger

LOG_PAGE = 500


def _percent(probability: float) -> str:
    return f"{round(probability * 100, 1):g}%"


def _shortened(text: Optional[str], width: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _in(table, ids: list[int]):
    return table.c.id.in_(ids)


def _forecasts(connection: Connection, ids: list[int]) -> dict[int, str]:
    query = select(FORECAST.c.id, FORECASTER.c.name, FORECAST.c.probability, FORECAST.c.cue, FORECAST.c.question_id, FORECAST.c.stated_on)
    query = query.outerjoin(FORECASTER, FORECASTER.c.id == FORECAST.c.forecaster_id).where(_in(FORECAST, ids))
    return {
        row.id: f"{row.name} {_percent(row.probability)}{f' ({row.cue!r})' if row.cue else ''} "
        f"on question {row.question_id}, stated {row.stated_on}"
        for row in connection.execute(query)
    }


def _resolutions(connection: Connection, ids: list[int]) -> dict[int, str]:
    query = select(RESOLUTION.c.id, RESOLUTION.c.question_id, RESOLUTION.c.outcome, RESOLUTION.c.resolved_on, RESOLUTION.c.amends_id)
    return {
        row.id: f"question {row.question_id} resolved {row.outcome} on {row.resolved_on}"
        + (f" (amends resolution {row.amends_id})" if row.amends_id else "")
        for row in connection.execute(query.where(_in(RESOLUTION, ids)))
    }


def _questions(connection: Connection, ids: list[int]) -> dict[int, str]:
    query = select(QUESTION.c.id, QUESTION.c.statement, QUESTION.c.resolve_by, QUESTION.c.scenario_id)
    return {
        row.id: f"{_shortened(row.statement)!r}, resolve by {row.resolve_by}"
        + (f", an outcome of scenario {row.scenario_id}" if row.scenario_id else "")
        for row in connection.execute(query.where(_in(QUESTION, ids)))
    }


def _sources(connection: Connection, ids: list[int]) -> dict[int, str]:
    query = select(SOURCE.c.id, SOURCE.c.title, SOURCE.c.outlet, SOURCE.c.published_on)
    return {
        row.id: ", ".join(part for part in (repr(_shortened(row.title)), row.outlet, row.published_on and f"published {row.published_on}") if part)
        for row in connection.execute(query.where(_in(SOURCE, ids)))
    }


def _forecasters(connection: Connection, ids: list[int]) -> dict[int, str]:
    return {row.id: row.name for row in connection.execute(select(FORECASTER.c.id, FORECASTER.c.name).where(_in(FORECASTER, ids)))}


def _tags(connection: Connection, ids: list[int]) -> dict[int, str]:
    query = select(TAG.c.id, TAG.c.tag, TAG.c.question_id).where(_in(TAG, ids))
    return {row.id: f"{row.tag!r} on question {row.question_id}" for row in connection.execute(query)}


def _scenarios(connection: Connection, ids: list[int]) -> dict[int, str]:
    query = select(SCENARIO.c.id, SCENARIO.c.name, SCENARIO.c.ordered).where(_in(SCENARIO, ids))
    return {row.id: f"{_shortened(row.name)!r}{' (ordered outcomes)' if row.ordered else ''}" for row in connection.execute(query)}


def _scenario_forecasts(connection: Connection, ids: list[int]) -> dict[int, str]:
    query = select(SCENARIO_FORECAST.c.id, FORECASTER.c.name, SCENARIO_FORECAST.c.scenario_id, SCENARIO_FORECAST.c.stated_on)
    query = query.outerjoin(FORECASTER, FORECASTER.c.id == SCENARIO_FORECAST.c.forecaster_id).where(_in(SCENARIO_FORECAST, ids))
    return {row.id: f"{row.name} on scenario {row.scenario_id}, stated {row.stated_on}" for row in connection.execute(query)}


def _conditions(connection: Connection, ids: list[int]) -> dict[int, str]:
    query = select(CONDITION).where(_in(CONDITION, ids))
    return {row.id: f"question {row.question_id} counts only if question {row.condition_id} resolves {row.condition_outcome}"
            for row in connection.execute(query)}


def _indicators(connection: Connection, ids: list[int]) -> dict[int, str]:
    query = select(INDICATOR.c.id, INDICATOR.c.text, INDICATOR.c.scenario_id).where(_in(INDICATOR, ids))
    return {row.id: f"{_shortened(row.text)!r} for scenario {row.scenario_id}" for row in connection.execute(query)}


def _likelihoods(connection: Connection, ids: list[int]) -> dict[int, str]:
    query = select(LIKELIHOOD).where(_in(LIKELIHOOD, ids))
    return {row.id: f"indicator {row.indicator_id}: {_percent(row.likelihood)} if question {row.question_id} is the future"
            for row in connection.execute(query)}


def _sightings(connection: Connection, ids: list[int]) -> dict[int, str]:
    query = select(SIGHTING).where(_in(SIGHTING, ids))
    return {row.id: f"indicator {row.indicator_id} {'seen' if row.seen else 'not seen'} by {row.observed_on}"
            + (f", correcting sighting {row.amends_id}" if row.amends_id else "") for row in connection.execute(query)}


def _people(connection: Connection, ids: list[int], table, say) -> dict[int, str]:
    return {row.id: say(row) for row in connection.execute(select(table).where(_in(table, ids)))}


# What each record says, in a few words, by table: record id -> description.
DESCRIPTIONS = {
    "question_condition": _conditions,
    "indicator": _indicators,
    "indicator_likelihood": _likelihoods,
    "sighting": _sightings,
    "forecaster_alias": lambda connection, ids: _people(connection, ids, ALIAS, lambda row: f"{row.alias!r} also names forecaster {row.forecaster_id}"),
    "forecaster_merge": lambda connection, ids: _people(connection, ids, MERGE, lambda row: f"forecaster {row.merged_id} counts as forecaster {row.into_id}"),
    "forecaster_kind": lambda connection, ids: _people(connection, ids, KIND, lambda row: f"forecaster {row.forecaster_id} is a {row.kind}"),
    "forecast_role": lambda connection, ids: _people(connection, ids, FORECAST_ROLE, lambda row: f"forecast {row.forecast_id} was made as {_shortened(row.role)!r}"),
    "source": _sources,
    "forecaster": _forecasters,
    "scenario": _scenarios,
    "question": _questions,
    "question_tag": _tags,
    "scenario_forecast": _scenario_forecasts,
    "forecast": _forecasts,
    "resolution": _resolutions,
}


def read_since(since: Optional[str | date]) -> Optional[datetime]:
    if since is None:
        return None
    from ledger.dates import parse_date

    day = since if isinstance(since, date) else parse_date(since)
    return datetime.combine(day, time(), tzinfo=timezone.utc)


def history(ledger: "Ledger", *, since: Optional[str | date] = None, limit: Optional[int] = None) -> Iterator[dict]:
    """The writes, newest first: when each record was typed in, and what it says.

    `since` is a day on the ledger's own clock (recorded_at, UTC), not a world date;
    `limit` (None or 0 for all) caps how many entries are listed. Arguments are
    checked before the first row is read.
    """
    starting = read_since(since)
    if limit is not None and limit < 0:
        raise LedgerError(f"--limit {limit} is negative: give how many writes to list, or 0 for all")
    return _history_rows(ledger, starting, limit or None)


def _history_rows(ledger: "Ledger", starting: Optional[datetime], limit: Optional[int]) -> Iterator[dict]:
    listed = 0
    before_entry = None
    with ledger.reading() as connection:
        while limit is None or listed < limit:
            page_size = LOG_PAGE if limit is None else min(LOG_PAGE, limit - listed)
            query = select(CHAIN.c.id, CHAIN.c.recorded_at, CHAIN.c.table_name, CHAIN.c.record_id).order_by(CHAIN.c.id.desc()).limit(page_size)
            if starting is not None:
                query = query.where(CHAIN.c.recorded_at >= starting)
            if before_entry is not None:
                query = query.where(CHAIN.c.id < before_entry)
            entries = connection.execute(query).all()
            if not entries:
                return
            ids_by_table: dict[str, list[int]] = {}
            for entry in entries:
                ids_by_table.setdefault(entry.table_name, []).append(entry.record_id)
            descriptions = {name: DESCRIPTIONS[name](connection, ids) if name in DESCRIPTIONS else {} for name, ids in ids_by_table.items()}
            for entry in entries:
                label = record_label(entry.table_name)
                said = descriptions[entry.table_name].get(entry.record_id)
                yield {
                    "entry_id": entry.id,
                    "recorded_at": entry.recorded_at,
                    "table": entry.table_name,
                    "record_id": entry.record_id,
                    "description": f"{label} {entry.record_id}: "
                    + (said if said is not None else "(row missing: run 'ledger verify')"),
                }
            listed += len(entries)
            before_entry = entries[-1].id
