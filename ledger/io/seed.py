"""Loading a hand-written seed file (TOML, as seeds/forecasts.toml) into the ledger, all or nothing.

The layout: `[[source]]` tables (key, file, title, outlet, published, url), then
`[[question]]` tables (statement, by, criteria, tags, open_note — kept at the
end of the criteria, since a question is never edited) each with
`[[question.forecast]]` (who, says or prob, stated, source key, quote, and role: the
forecaster's affiliation or role as the source gives it), an optional
`if = {statement, by, outcome}` (the question, earlier in the file, it counts under) and
optional `[[question.resolution]]` (outcome, on, note, evidence; a second one
amends the first); and `[[scenario]]` tables (name, ordered, by, stated,
criteria, tags, outcomes) with `[[scenario.forecast]]` (outcome number with
says/prob and an optional role, or probs for every outcome), `[[scenario.ruled_out]]` (an outcome
resolved no: outcome, on, note, evidence) and an optional `[scenario.resolution]`
(the outcome that happened), and `[[scenario.indicator]]` (text, likelihoods: one per
outcome, a number or a rating) with `[[scenario.indicator.sighting]]` (on, seen, quote, note,
evidence, source key). Loading the same file again adds nothing: what is
already in the ledger is decided by write.py, as for every import — a question by its
statement and resolve-by date, a forecast by question, forecaster, date, number and
quote, a question's resolution history by the resolution in force; a scenario by its name.
"""

import os
import tomllib
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from ledger import people, rules, write
from ledger.errors import LedgerError
from ledger.model import FORECAST, QUESTION, RESOLUTION, SCENARIO, SOURCE
from ledger.store import Ledger
from ledger.write import Writer


def _read_toml(path: str) -> dict:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise LedgerError(f"no such file {path!r}: give a seed file such as seeds/forecasts.toml") from None
    except tomllib.TOMLDecodeError as error:
        raise LedgerError(f"{path} is not valid TOML ({error}): see seeds/forecasts.toml for the layout") from None


TEXT_KEYS = {"statement", "criteria", "name", "who", "says", "quote", "note", "evidence", "open_note", "title", "outlet",
             "url", "file", "key", "scale", "source", "outcome", "role"}
DATE_KEYS = {"by", "stated", "on", "published"}
TOML_KINDS = {int: "a number", float: "a number", bool: "true/false", list: "a list", dict: "a table", datetime: "a date-time"}


def _check_values(where: str, table: dict) -> None:
    """TOML's own types where the seed file takes text or a date: refused, never stringified (5 as '5')."""
    for key, value in table.items():
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            for number, item in enumerate(value, start=1):
                _check_values(f"{where}, {key} {number}", item)
            continue
        kind = type(value)
        if key in TEXT_KEYS and kind is not str and not (key == "outcome" and kind is int):
            raise LedgerError(f"{where}: {key} is {TOML_KINDS.get(kind, kind.__name__)}: give text in quotes")
        if kind is str and "\x00" in value:
            raise LedgerError(f"{where}: {key} holds a NUL character (\\0): remove it; text cannot contain one")
        if key in DATE_KEYS and kind is not str and kind is not date:
            raise LedgerError(f"{where}: {key} is {TOML_KINDS.get(kind, kind.__name__)}: give a date (2019-12-31, unquoted, or a phrase in quotes)")


def _article_path(seed_path: str, file_name: str) -> str:
    folder = os.path.dirname(os.path.abspath(seed_path))
    for candidate in (file_name, os.path.join(folder, file_name), os.path.join(folder, os.path.basename(file_name))):
        if os.path.isfile(candidate):
            return candidate
    raise LedgerError(f"{seed_path}: source file {file_name!r} not found, relative to here or to the seed file")


def _forecast_present(writer: Writer, question_id: int, entry: dict, stated_on: date) -> bool:
    reading = rules.read_probability(entry.get("prob"), entry.get("says"), entry.get("scale", "icd203"))
    forecaster_id = people.find_key(writer.connection, rules.forecaster_key(entry.get("who", "")))
    return write.has_forecast(writer.connection, question_id, forecaster_id, stated_on, reading["probability"], rules.text(entry.get("quote")))


def _stated_history(entries: list[dict], question: dict, today: date) -> list[dict]:
    """A question's resolutions as the file states them, oldest first, each with the event date it will be written with."""
    history: list[dict] = []
    for entry in entries:
        outcome = rules.read_outcome(str(entry.get("outcome", "")))
        on = rules.read_date(entry.get("on"), None, "on")
        if on is None:
            on = history[-1]["resolved_on"] if history else rules.event_date(outcome, None, deadline=question["resolve_by"], today=today)
        history.append({"outcome": outcome, "resolved_on": on, "note": entry.get("note"), "evidence": entry.get("evidence")})
    return history


def _add_resolutions(writer: Writer, question: dict, entries: list[dict], added: dict, today: date) -> None:
    """The file's resolution history of a question, less what the ledger holds already (write.missing_resolutions)."""
    stated = _stated_history(entries, question, today)
    held = write.resolution_history(writer.connection, question["id"])
    missing = write.missing_resolutions(held, stated)
    if missing is None:
        outcome, on = held[-1]
        raise LedgerError(
            f"question {question['id']} in the ledger is resolved {outcome} on {on}; the file says "
            + ", then ".join(f"{entry['outcome']} on {entry['resolved_on']}" for entry in stated)
            + f": correct the ledger with 'ledger resolve {question['id']} OUTCOME --amend --note REASON'"
        )
    added["already_present"] += len(stated) - len(missing)
    for entry in missing:
        write.record_resolution(
            writer, question["id"], entry["outcome"], today=today, on=entry["resolved_on"], note=entry["note"],
            evidence=entry["evidence"], amend=bool(held) or entry is not missing[0], scenario_resolution=question["scenario_id"] is not None,
        )
        added["resolutions"] += 1


def load_seed_file(ledger: Ledger, path: str, *, today: date) -> dict[str, Any]:
    """Record everything in the seed file that the ledger does not hold yet; return what was added."""
    document = _read_toml(path)
    for kind in ("source", "question", "scenario"):
        for number, entry in enumerate(document.get(kind, []) if isinstance(document.get(kind), list) else [], start=1):
            if isinstance(entry, dict):
                _check_values(f"{path}, {kind} {number}", entry)

    def work(writer: Writer) -> dict[str, int]:
        added = {"sources": 0, "questions": 0, "scenarios": 0, "forecasts": 0, "resolutions": 0, "already_present": 0}
        sources: dict[str, str] = {}
        for number, entry in enumerate(document.get("source", []), start=1):
            where = f"{path}, source {number}"
            try:
                before = writer.added(SOURCE)
                row = write.register_file(
                    writer,
                    _article_path(path, entry["file"]),
                    title=entry.get("title"),
                    outlet=entry.get("outlet") or None,
                    published_on=rules.read_date(entry.get("published"), None, "published"),
                    url=entry.get("url") or None,
                )
            except KeyError as missing:
                raise LedgerError(f"{where}: missing key {missing}; a source needs key and file") from None
            except LedgerError as error:
                raise LedgerError(f"{where}: {error}") from None
            sources[entry.get("key", str(number))] = str(row["id"])
            added["sources" if writer.added(SOURCE) > before else "already_present"] += 1
        for kind, label, load in (("question", "statement", _load_question), ("scenario", "name", _load_scenario)):
            for number, entry in enumerate(document.get(kind, []), start=1):
                where = f"{path}, {kind} {number} ({entry.get(label, '')[:40]!r})"
                try:
                    load(writer, entry, sources, added, today)
                except LedgerError as error:
                    raise LedgerError(f"{where}: {error}") from None
                except KeyError as missing:
                    raise LedgerError(f"{where}: missing key {missing}; see seeds/forecasts.toml for the layout") from None
        # What the writer added, so that the counts are those `ledger list` shows (a scenario's outcomes are questions too).
        return {**added, **{name: writer.added(table) for name, table in (("sources", SOURCE), ("questions", QUESTION), ("forecasts", FORECAST), ("resolutions", RESOLUTION))}}

    return ledger.record(work)


def _source_of(forecast: dict, sources: dict[str, str]) -> str | None:
    key = forecast.get("source")
    if key is None:
        return None
    if key not in sources:
        raise LedgerError(f"unknown source key {key!r}: declare it in a [[source]] table")
    return sources[key]


def _stated_of(writer: Writer, forecast: dict, sources: dict[str, str], today: date) -> date:
    source_id = _source_of(forecast, sources)
    published = None
    if source_id:
        published = writer.connection.execute(
            select(SOURCE.c.published_on).where(SOURCE.c.id == int(source_id))
        ).scalar()
    return rules.read_date(forecast.get("stated"), published or today, "stated")


def _add_forecast_once(writer: Writer, question: dict, forecast: dict, sources: dict[str, str], added: dict, today: date) -> None:
    stated_on = _stated_of(writer, forecast, sources, today)
    if _forecast_present(writer, question["id"], forecast, stated_on):
        added["already_present"] += 1
        return
    write.record_forecast(
        writer, question, who=forecast.get("who", ""), probability=forecast.get("prob"),
        says=forecast.get("says"), stated=stated_on, source=_source_of(forecast, sources),
        quote=forecast.get("quote"), scale=forecast.get("scale", "icd203"), today=today, role=forecast.get("role"),
    )
    added["forecasts"] += 1


def _condition(writer: Writer, given, said_on: date):
    """`if = {statement, by, outcome}`: the question (earlier in the file, or in the ledger) this one counts under."""
    if given is None:
        return None
    if not isinstance(given, dict) or "statement" not in given or "by" not in given:
        raise LedgerError("'if' needs a table: if = { statement = \"...\", by = DATE, outcome = \"yes\" }, naming a question of the file")
    found = write.same_question(writer.connection, rules.statement(given["statement"]), rules.resolve_by(given["by"], said_on))
    if found is None:
        raise LedgerError(f"'if' names a question that is not in the ledger or earlier in the file: {given['statement']!r}")
    return found["id"], str(given.get("outcome", "yes"))


def _load_indicators(writer: Writer, scenario: dict, outcomes: list[dict], entries: list[dict], sources: dict, added: dict, today: date) -> None:
    """`[[scenario.indicator]]` (text, likelihoods in the outcomes' order) with `[[scenario.indicator.sighting]]`."""
    from ledger import indicators, signposts

    for entry in entries:
        likelihoods = entry.get("likelihoods", [])
        if len(likelihoods) != len(outcomes):
            raise LedgerError(f"indicator {entry.get('text', '')!r} gives {len(likelihoods)} likelihoods for {len(outcomes)} outcomes: give one per outcome, in order")
        found = signposts.indicator_id(writer.connection, scenario["id"], entry["text"])
        if found is None:
            found = signposts.record_indicator(writer, scenario, outcomes, entry["text"], [indicators.read_likelihood(str(value)) for value in likelihoods])["indicator_id"]
            added["indicators"] = added.get("indicators", 0) + 1
        else:
            added["already_present"] += 1
        for sighting in entry.get("sighting", []):
            observed_on = rules.read_date(sighting.get("on"), None, "on")
            if observed_on is None or observed_on > today:
                raise LedgerError(f"a sighting of {entry['text']!r} needs on = DATE, on or before today")
            seen = bool(sighting.get("seen", True))
            if signposts.has_sighting(writer.connection, found, observed_on, seen):
                added["already_present"] += 1
                continue
            # A sighting from the public record names its evidence in the note; one from an article, its source key.
            note = " ".join(part for part in (sighting.get("note"), f"Evidence: {sighting['evidence']}" if sighting.get("evidence") else None) if part)
            signposts.write_sighting(writer, found, observed_on=observed_on, seen=seen, quote=sighting.get("quote"), note=note or None,
                                     source=_source_of(sighting, sources))
            added["sightings"] = added.get("sightings", 0) + 1


def _load_question(writer: Writer, entry: dict, sources: dict[str, str], added: dict, today: date) -> None:
    forecasts = entry.get("forecast", [])
    if not forecasts:
        raise LedgerError("a question needs at least one [[question.forecast]]")
    said_on = _stated_of(writer, forecasts[0], sources, today)
    statement = rules.statement(entry["statement"])
    question = write.same_question(writer.connection, statement, rules.resolve_by(entry["by"], said_on))
    if question is None:
        criteria = entry.get("criteria") or ""
        if entry.get("open_note"):
            criteria = f"{criteria}\n\nLeft open when seeded: {entry['open_note']}".strip()
        question = write.record_question(writer, statement, by=entry["by"], said_on=said_on, tags=entry.get("tags", ()),
                                         criteria=criteria, condition=_condition(writer, entry.get("if"), said_on))
        question["scenario_id"] = None
        added["questions"] += 1
    else:
        added["already_present"] += 1
    for forecast in forecasts:
        _add_forecast_once(writer, question, forecast, sources, added, today)
    _add_resolutions(writer, question, entry.get("resolution", []), added, today)


def _load_scenario(writer: Writer, entry: dict, sources: dict[str, str], added: dict, today: date) -> None:
    from ledger import scenarios

    name = rules.one_line(entry["name"])
    existing = writer.connection.execute(select(SCENARIO).where(SCENARIO.c.name == name)).mappings().first()
    if existing is None:
        said_on = rules.read_date(entry.get("stated"), today, "stated")
        scenario_id = scenarios.record_scenario(
            writer, name, entry["outcomes"], resolve_by=rules.resolve_by(entry["by"], said_on), said_on=said_on,
            ordered=bool(entry.get("ordered", False)), criteria=entry.get("criteria"), tags=entry.get("tags", ()),
        )
        added["scenarios"] += 1
        scenario = {"id": scenario_id, "name": name}
    else:
        added["already_present"] += 1
        scenario = dict(existing)
    outcomes = scenarios.outcome_rows(writer.connection, scenario["id"])
    for ruled_out in entry.get("ruled_out", []):
        chosen = scenarios.pick_outcome(outcomes, str(ruled_out["outcome"]))
        _add_resolutions(writer, {**chosen, "scenario_id": scenario["id"]}, [{**ruled_out, "outcome": "no"}], added, today)
    outcomes = scenarios.outcome_rows(writer.connection, scenario["id"])
    for forecast in entry.get("forecast", []):
        if "probs" in forecast:
            if "role" in forecast:
                raise LedgerError("a probability vector (probs) takes no role: give the role on single-outcome forecasts")
            stated_on = _stated_of(writer, forecast, sources, today)
            if scenarios.has_vector(writer.connection, scenario["id"], forecast.get("who", ""), stated_on):
                added["already_present"] += 1
                continue
            vector = scenarios.read_vector(forecast["probs"], len(outcomes), bool(forecast.get("normalize", False)))
            scenarios.record_vector(writer, scenario, outcomes, vector, who=forecast.get("who", ""), today=today,
                                    stated=stated_on, source=_source_of(forecast, sources), quote=forecast.get("quote"))
            added["forecasts"] += len(outcomes)
        else:
            chosen = scenarios.pick_outcome(outcomes, str(forecast["outcome"]))
            _add_forecast_once(writer, chosen, forecast, sources, added, today)
    _load_indicators(writer, scenario, outcomes, entry.get("indicator", []), sources, added, today)
