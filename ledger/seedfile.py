"""Loading a hand-written seed file (TOML, as seeds/forecasts.toml) into the ledger, all or nothing.

The layout: `[[source]]` tables (key, file, title, outlet, published, url), then
`[[question]]` tables (statement, by, criteria, tags, open_note — kept at the
end of the criteria, since a question is never edited) each with
`[[question.forecast]]` (who, says or prob, stated, source key, quote) and
optional `[[question.resolution]]` (outcome, on, note, evidence; a second one
amends the first); and `[[scenario]]` tables (name, ordered, by, stated,
criteria, tags, outcomes) with `[[scenario.forecast]]` (outcome number with
says/prob, or probs for every outcome), `[[scenario.ruled_out]]` (an outcome
resolved no: outcome, on, note, evidence) and an optional `[scenario.resolution]`
(the outcome that happened). Loading the same file again adds nothing: a question
or scenario is matched by its statement or name, a forecast by question,
forecaster, date, number and quote, a resolution by question, outcome, date and note.
"""

import os
import tomllib
from datetime import date
from typing import Any

from sqlalchemy import select

from ledger import dates, records
from ledger.errors import LedgerError
from ledger.records import FORECAST, FORECASTER, QUESTION, RESOLUTION
from ledger.store import Ledger, Recorder


def _read_toml(path: str) -> dict:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise LedgerError(f"no such file {path!r}: give a seed file such as seeds/forecasts.toml") from None
    except tomllib.TOMLDecodeError as error:
        raise LedgerError(f"{path} is not valid TOML ({error}): see seeds/forecasts.toml for the layout") from None


def _article_path(seed_path: str, file_name: str) -> str:
    folder = os.path.dirname(os.path.abspath(seed_path))
    for candidate in (file_name, os.path.join(folder, file_name), os.path.join(folder, os.path.basename(file_name))):
        if os.path.isfile(candidate):
            return candidate
    raise LedgerError(f"{seed_path}: source file {file_name!r} not found, relative to here or to the seed file")


def _existing_question(recorder: Recorder, statement: str) -> dict | None:
    row = recorder.connection.execute(
        select(QUESTION).where(QUESTION.c.statement == " ".join(statement.split()))
    ).mappings().first()
    return dict(row) if row else None


def _has_forecast(recorder: Recorder, question_id: int, entry: dict, stated_on: date) -> bool:
    reading = records.read_probability(entry.get("prob"), entry.get("says"), entry.get("scale", "icd203"))
    query = (
        select(FORECAST.c.id)
        .join(FORECASTER, FORECASTER.c.id == FORECAST.c.forecaster_id)
        .where(
            FORECAST.c.question_id == question_id,
            FORECASTER.c.name_key == records.forecaster_key(entry.get("who", "")),
            FORECAST.c.stated_on == stated_on,
            FORECAST.c.probability == reading["probability"],
        )
    )
    quote = entry.get("quote")
    quote = quote.strip() if quote and quote.strip() else None
    query = query.where(FORECAST.c.quote == quote) if quote else query.where(FORECAST.c.quote.is_(None))
    return recorder.connection.execute(query).first() is not None


def _has_resolution(recorder: Recorder, question_id: int, entry: dict) -> bool:
    note = entry.get("note")
    query = select(RESOLUTION.c.id).where(
        RESOLUTION.c.question_id == question_id,
        RESOLUTION.c.outcome == str(entry.get("outcome", "")).strip().lower(),
        RESOLUTION.c.resolved_on == records.read_date(entry.get("on"), date.min),
    )
    query = query.where(RESOLUTION.c.note == note.strip()) if note and note.strip() else query
    return recorder.connection.execute(query).first() is not None


def load_seed_file(ledger: Ledger, path: str, *, today: date) -> dict[str, Any]:
    """Record everything in the seed file that the ledger does not hold yet; return what was added."""
    document = _read_toml(path)

    def work(recorder: Recorder) -> dict[str, int]:
        added = {"sources": 0, "questions": 0, "scenarios": 0, "forecasts": 0, "resolutions": 0, "already_present": 0}
        sources: dict[str, str] = {}
        for number, entry in enumerate(document.get("source", []), start=1):
            where = f"{path}, source {number}"
            try:
                before = len(recorder.written)
                row = records.register_file(
                    recorder,
                    _article_path(path, entry["file"]),
                    title=entry.get("title"),
                    outlet=entry.get("outlet") or None,
                    published_on=records.read_date(entry.get("published"), None),
                    url=entry.get("url") or None,
                )
            except KeyError as missing:
                raise LedgerError(f"{where}: missing key {missing}; a source needs key and file") from None
            except LedgerError as error:
                raise LedgerError(f"{where}: {error}") from None
            sources[entry.get("key", str(number))] = str(row["id"])
            added["sources" if len(recorder.written) > before else "already_present"] += 1
        for kind, label, load in (("question", "statement", _load_question), ("scenario", "name", _load_scenario)):
            for number, entry in enumerate(document.get(kind, []), start=1):
                where = f"{path}, {kind} {number} ({entry.get(label, '')[:40]!r})"
                try:
                    load(recorder, entry, sources, added, today)
                except LedgerError as error:
                    raise LedgerError(f"{where}: {error}") from None
                except KeyError as missing:
                    raise LedgerError(f"{where}: missing key {missing}; see seeds/forecasts.toml for the layout") from None
        return added

    return ledger.record(work)


def _source_of(forecast: dict, sources: dict[str, str]) -> str | None:
    key = forecast.get("source")
    if key is None:
        return None
    if key not in sources:
        raise LedgerError(f"unknown source key {key!r}: declare it in a [[source]] table")
    return sources[key]


def _stated_of(recorder: Recorder, forecast: dict, sources: dict[str, str], today: date) -> date:
    source_id = _source_of(forecast, sources)
    published = None
    if source_id:
        published = recorder.connection.execute(
            select(records.SOURCE.c.published_on).where(records.SOURCE.c.id == int(source_id))
        ).scalar()
    return records.read_date(forecast.get("stated"), published or today)


def _add_forecast_once(recorder: Recorder, question: dict, forecast: dict, sources: dict[str, str], added: dict, today: date) -> None:
    stated_on = _stated_of(recorder, forecast, sources, today)
    if _has_forecast(recorder, question["id"], forecast, stated_on):
        added["already_present"] += 1
        return
    records.record_forecast(
        recorder, question, who=forecast.get("who", ""), probability=forecast.get("prob"),
        says=forecast.get("says"), stated=stated_on, source=_source_of(forecast, sources),
        quote=forecast.get("quote"), scale=forecast.get("scale", "icd203"), today=today,
    )
    added["forecasts"] += 1


def _load_question(recorder: Recorder, entry: dict, sources: dict[str, str], added: dict, today: date) -> None:
    forecasts = entry.get("forecast", [])
    if not forecasts:
        raise LedgerError("a question needs at least one [[question.forecast]]")

    question = _existing_question(recorder, entry["statement"])
    if question is None:
        criteria = entry.get("criteria") or ""
        if entry.get("open_note"):
            criteria = f"{criteria}\n\nLeft open when seeded: {entry['open_note']}".strip()
        question = records.record_question(
            recorder, entry["statement"], by=entry["by"], said_on=_stated_of(recorder, forecasts[0], sources, today),
            tags=entry.get("tags", ()), criteria=criteria,
        )
        added["questions"] += 1
    else:
        added["already_present"] += 1
    for forecast in forecasts:
        _add_forecast_once(recorder, question, forecast, sources, added, today)
    for resolution in entry.get("resolution", []):
        if _has_resolution(recorder, question["id"], resolution):
            added["already_present"] += 1
            continue
        already_resolved = records.current_outcome(recorder.connection, question["id"]) is not None
        records.record_resolution(
            recorder, question["id"], str(resolution.get("outcome", "")), today=today, on=resolution.get("on"),
            note=resolution.get("note"), evidence=resolution.get("evidence"), amend=already_resolved,
        )
        added["resolutions"] += 1


def _load_scenario(recorder: Recorder, entry: dict, sources: dict[str, str], added: dict, today: date) -> None:
    from ledger import scenarios

    connection = recorder.connection
    name = " ".join(entry["name"].split())
    existing = connection.execute(select(scenarios.SCENARIO).where(scenarios.SCENARIO.c.name == name)).mappings().first()
    if existing is None:
        said_on = records.read_date(entry.get("stated"), today)
        by = entry["by"]
        resolve_by = by if isinstance(by, date) else dates.resolve_deadline(str(by), said_on)
        scenario_id = scenarios.record_scenario(
            recorder, name, entry["outcomes"], resolve_by=resolve_by, said_on=said_on,
            ordered=bool(entry.get("ordered", False)), criteria=entry.get("criteria"), tags=entry.get("tags", ()),
        )
        added["scenarios"] += 1
        scenario = {"id": scenario_id, "name": name}
    else:
        added["already_present"] += 1
        scenario = dict(existing)
    outcomes = scenarios.outcome_rows(connection, scenario["id"])
    for forecast in entry.get("forecast", []):
        if "probs" in forecast:
            stated_on = _stated_of(recorder, forecast, sources, today)
            if scenarios.has_vector(connection, scenario["id"], forecast.get("who", ""), stated_on):
                added["already_present"] += 1
                continue
            vector = scenarios.read_vector(forecast["probs"], len(outcomes), bool(forecast.get("normalize", False)))
            scenarios.record_vector(recorder, scenario, outcomes, vector, who=forecast.get("who", ""), today=today,
                                    stated=stated_on, source=_source_of(forecast, sources), quote=forecast.get("quote"))
            added["forecasts"] += len(outcomes)
        else:
            chosen = scenarios.pick_outcome(outcomes, str(forecast["outcome"]))
            _add_forecast_once(recorder, chosen, forecast, sources, added, today)
    for ruled_out in entry.get("ruled_out", []):
        chosen = scenarios.pick_outcome(outcomes, str(ruled_out["outcome"]))
        resolution = {**ruled_out, "outcome": "no"}
        if _has_resolution(recorder, chosen["id"], resolution):
            added["already_present"] += 1
            continue
        records.record_resolution(recorder, chosen["id"], "no", today=today, on=ruled_out.get("on"),
                                  note=ruled_out.get("note"), evidence=ruled_out.get("evidence"))
        added["resolutions"] += 1
