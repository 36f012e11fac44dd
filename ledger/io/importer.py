"""Import: read every row of a file (any layout of ledger.io), check every row, then write what the ledger lacks.

All or nothing: a bad row refuses the whole file, naming the row and the column, before anything
is written; rows the ledger holds already are matched (write.py's one definition) and skipped.
"""

import functools
import os
import pickle
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any, Callable, Iterable, Iterator, Optional, Sequence

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ledger import dates, indicators, likelihood, rules, scenarios, signposts, write
from ledger.errors import LedgerError
from ledger.io import choices as choices_module
from ledger.io import ours
from ledger.io.scratch import Groups, Scratch, SourceIds
from ledger.io.ours import INDICATOR_KEYS, INDICATORS_KEY, LIKELIHOOD_KEYS, PROGRESS_EVERY, SIGHTING_KEYS, TEXT_COLUMNS, Progress, Refused
from ledger.io.sites import ChoiceQuestion
from ledger.model import CONDITION, FORECAST, FORECAST_ROLE, FORECASTER, LIKELIHOOD, QUESTION, RESOLUTION, SCENARIO, SIGHTING, SOURCE, TAG
from ledger.output import restore_cell
from ledger.store import Ledger

ERRORS_SHOWN = 3

# ---- validating one row ----------------------------------------------------------------------


class _BadCell(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column


def _checked(column: str, read: Callable, *args: Any, **options: Any) -> Any:
    """The CLI's own reading of a value (a rule of rules.py); its refusal is pinned to the column."""
    try:
        return read(*args, **options)
    except LedgerError as error:
        raise _BadCell(column, str(error)) from None


# The same rules as the CLI's, remembered: a big file repeats the same dates and numbers many times.
_parse_date = functools.lru_cache(maxsize=1 << 16)(dates.parse_date)


@functools.lru_cache(maxsize=1 << 12)
def _parse_probability(text: str) -> float:
    return rules.read_probability(text)["probability"]


# Names, statements and titles repeat on row after row: the rows of one question, a forecaster's forecasts.
_one_line = functools.lru_cache(maxsize=1 << 12)(rules.one_line)
_forecaster_key = functools.lru_cache(maxsize=1 << 12)(rules.forecaster_key)


@functools.lru_cache(maxsize=1 << 12)
def _tags(cell: str) -> tuple:
    return tuple(rules.tags(ours.split_tags(cell)))


def _text(column: str, value: Any, restore: bool) -> Optional[str]:
    if value is None:
        return None
    if type(value) is not str:
        if type(value) is Refused:
            raise _BadCell(column, value.message)
        if column == "tags" and isinstance(value, list) and all(type(item) is str for item in value):
            return ours.join_tags(value) or None
        # A JSON object or number where text belongs is a mistake in the file, not text to store as "{'a': 1}".
        raise _BadCell(column, f"a JSON {_JSON_KINDS.get(type(value), type(value).__name__)} where text belongs: give a string")
    if restore and value[:1] == "'":
        value = restore_cell(value)
    return value if value and not value.isspace() else None


_JSON_KINDS = {dict: "object", list: "list", int: "number", float: "number", bool: "true/false"}


def _date(cells: dict, column: str, default: Optional[date] = None) -> Optional[date]:
    value = cells.get(column)
    if value is None:
        return default
    try:
        return _parse_date(value)
    except LedgerError as error:
        raise _BadCell(column, str(error)) from None


def _number(raw: dict, column: str) -> Optional[float]:
    value = raw.get(column)
    if type(value) is str:  # what a CSV file gives
        if not value or value.isspace():
            return None
        try:
            return _parse_probability(value)
        except LedgerError as error:
            raise _BadCell(column, str(error)) from None
    if value is None:
        return None
    if isinstance(value, bool):
        raise _BadCell(column, f"{value!r} is not a number: give a number from 0 to 1")
    if isinstance(value, (int, float)):
        return float(value)
    raise _BadCell(column, f"a {type(value).__name__} is not a number: give a number from 0 to 1")


def _storable(column: str, value: str) -> None:
    """Text every database keeps as given: PostgreSQL refuses NUL, and no database stores half a surrogate pair."""
    if "\x00" in value:
        raise _BadCell(column, "holds a NUL character (\\0): remove it; text cannot contain one")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise _BadCell(column, "holds a lone surrogate (an unpaired \\ud800-\\udfff escape): give the character itself, or a valid pair") from None


@dataclass
class _Row:
    """One validated row: the question it belongs to, the forecast, and the question's resolution."""

    group: tuple
    question: tuple  # statement, criteria, resolve_by, tags, scenario, condition
    resolution: tuple  # outcome, resolved_on, note, evidence
    forecaster: Optional[str]  # None, with forecast None, for a question without forecasts
    source: Optional[tuple]  # title, url, published_on
    forecast: Optional[dict] = field(default_factory=dict)


FORECAST_TEXT = ("forecaster", "cue", "scale", "stated_on", "source", "source_url", "source_published_on", "quote")
FORECAST_NUMBERS = ("forecast_id", "probability", "range_low", "range_high")
QUESTION_FIELDS = ("statement", "criteria", "resolve_by", "tags", "scenario", "condition_statement")
RESOLUTION_FIELDS = ("outcome", "resolved_on", "note", "evidence")


def _read_row(raw: dict, *, today: date, restore: bool) -> _Row:
    """Check one row with the rules the CLI applies to add/forecast/resolve; raises _BadCell."""
    if None in raw:
        raise _BadCell("row", f"{len(raw[None])} cells where the header has a different number")
    cells = {}
    for name in TEXT_COLUMNS:
        value = raw.get(name)
        if type(value) is str and not (restore and value[:1] == "'"):  # what a CSV file gives, without the detours of _text
            cells[name] = value if value and not value.isspace() else None
        else:
            cells[name] = _text(name, value, restore)
    given = "".join(filter(None, cells.values()))
    if "\x00" in given or not given.isascii():  # then find the cell that cannot be stored
        for name, value in cells.items():
            if value is not None:
                _storable(name, value)

    statement = _one_line(cells["statement"])
    if not statement:
        raise _BadCell("statement", "empty: give the claim to be resolved")
    resolve_by = _date(cells, "resolve_by")
    if resolve_by is None:
        raise _BadCell("resolve_by", "empty: give the question's resolve-by date as YYYY-MM-DD")
    tags = _tags(cells["tags"] or "")
    scenario = _one_line(cells["scenario"]) or None

    question_id = raw.get("question_id")
    group = ("id", str(question_id).strip()) if question_id is not None and str(question_id).strip() else ("text", statement, resolve_by)
    condition = _read_condition(raw, restore) if "condition_statement" in raw or "condition_resolve_by" in raw or "condition_outcome" in raw else None
    question = (statement, cells["criteria"].strip() if cells["criteria"] else None, resolve_by, tags, scenario, condition)
    if all(cells[name] is None for name in FORECAST_TEXT) and all(raw.get(name) in (None, "") for name in FORECAST_NUMBERS):
        # A question without forecasts (a scenario's outcome nobody has forecast yet): the export writes it so.
        return _Row(group=group, question=question, resolution=_resolution(cells, today), forecaster=None, source=None, forecast=None)

    forecaster = _one_line(cells["forecaster"])
    if not forecaster:
        raise _BadCell("forecaster", "empty: give the forecaster's name, or a group such as 'observers'")

    source_title = _one_line(cells["source"]) or None
    published_on = _date(cells, "source_published_on")
    source = (source_title, cells["source_url"].strip() if cells["source_url"] else None, published_on) if source_title else None

    probability = _number(raw, "probability")
    cue = cells["cue"].strip() if cells["cue"] else None
    scale = cells["scale"].strip() if cells["scale"] else None
    if probability is None:
        if cue is None:
            raise _BadCell("probability", "empty, and no cue either: give a number from 0 to 1, or the words used in cue")
        reading = _checked("cue", rules.read_probability, None, cue, scale or "icd203")
    else:
        reading = _checked("probability", rules.read_probability, probability, None)
        scale = scale or ("number" if cue is None else "icd203")
        if scale != "number" and scale not in likelihood.SCALES:
            raise _BadCell("scale", f"unknown scale {scale!r}: use number, {', '.join(likelihood.SCALES)}")
        reading.update(cue=cue, scale=scale)
        low, high = _number(raw, "range_low"), _number(raw, "range_high")
        if low is not None or high is not None:
            low = probability if low is None else low
            high = probability if high is None else high
            if not 0.0 <= low <= probability <= high <= 1.0:
                raise _BadCell("range_low", f"range {low}–{high} must hold the probability {probability} within [0, 1]")
            reading.update(range_low=low, range_high=high)

    stated_on = _date(cells, "stated_on", published_on or today)
    _checked("stated_on", rules.stated_on, stated_on, today=today, deadline=resolve_by)

    quote = cells["quote"].strip() if cells["quote"] and cells["quote"].strip() else None
    return _Row(
        group=group,
        question=question,
        resolution=_resolution(cells, today),
        forecaster=forecaster,
        source=source,
        forecast={**reading, "stated_on": stated_on, "quote": quote, "role": _checked("role", rules.role, cells.get("role"))},
    )


def _read_condition(raw: dict, restore: bool) -> Optional[tuple]:
    """(statement, resolve_by, outcome) of the question a row's question counts under, or None: CONDITION_COLUMNS."""
    if all(raw.get(name) in (None, "") for name in ours.CONDITION_COLUMNS):
        return None
    cells = {name: _text(name, raw.get(name), restore) for name in ours.CONDITION_COLUMNS}
    if all(value is None for value in cells.values()):
        return None
    if cells["condition_statement"] is None:
        raise _BadCell("condition_statement", "empty, though the condition's other columns are given: give the statement of the question this one counts under, or leave all three empty")
    _storable("condition_statement", cells["condition_statement"])
    resolve_by = _date(cells, "condition_resolve_by")
    if resolve_by is None:
        raise _BadCell("condition_resolve_by", "empty: give the resolve-by date (YYYY-MM-DD) of the question this one counts under")
    outcome = (cells["condition_outcome"] or "yes").strip().lower()
    if outcome not in ("yes", "no"):
        raise _BadCell("condition_outcome", f"unknown condition outcome {cells['condition_outcome']!r}: use yes or no (empty means yes)")
    return (rules.one_line(cells["condition_statement"]), resolve_by, outcome)


def _resolution(cells: dict, today: date) -> tuple:
    """(outcome, resolved_on, note, evidence) of a row's question, or Nones while unresolved."""
    if not cells["outcome"]:
        for column in ("resolved_on", "note", "evidence"):
            if cells[column]:
                raise _BadCell(column, "given without an outcome: give outcome (yes, no, ambiguous or annulled) too, or leave it empty")
        return (None, None, None, None)
    outcome = _checked("outcome", rules.read_outcome, cells["outcome"])
    resolved_on = _date(cells, "resolved_on", today)
    _checked("resolved_on", rules.resolved_on, resolved_on, today=today)
    note = cells["note"].strip() if cells["note"] else None
    evidence = cells["evidence"].strip() if cells["evidence"] else None
    return (outcome, resolved_on, note, evidence)


@dataclass
class _Indicator:
    """One checked indicator of a JSON file's `indicators` (ours.INDICATOR_KEYS), on a row of its scenario."""

    line: int
    scenario: str
    text: str
    likelihoods: dict  # outcome statement -> (likelihood, rating or None)
    sightings: list  # dicts: observed_on, seen, source (title, url, published_on) or None, quote, note, amends (number from 1) or None


def _forecast_rows(rows: Iterable[tuple[int, dict]], indicator_cells: list) -> Iterator[tuple[int, dict]]:
    """The rows, with the `indicators` a JSON row may carry taken out to `indicator_cells` as (line, scenario cell, value)."""
    for line, raw in rows:
        if INDICATORS_KEY in raw:
            indicator_cells.append((line, raw.get("scenario"), raw.pop(INDICATORS_KEY)))
        yield line, raw


def _one_text(column: str, value: Any, *, required: bool = False) -> Optional[str]:
    text = _text(column, value, False)
    if text is not None:
        _storable(column, text)
    elif required:
        raise _BadCell(column, "empty: give it as text")
    return text


def _objects(column: str, value: Any, keys: tuple) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise _BadCell(column, f"not a list of objects: give a list of objects with the keys {', '.join(keys)}")
    for item in value:
        unknown = [key for key in item if key not in keys]
        if unknown:
            raise _BadCell(column, f"unknown key {unknown[0]!r}: the keys are {', '.join(keys)}")
    return value


def _read_likelihood(column: str, item: dict) -> tuple[float, Optional[str]]:
    """(likelihood, rating) as 'indicator add --likelihood' reads them: a number, a rating, or both if they agree."""
    value, rating = item.get("likelihood"), _one_text(f"{column}, rating", item.get("rating"))
    if isinstance(value, bool) or not isinstance(value, (int, float, str, type(None))):
        raise _BadCell(f"{column}, likelihood", f"{value!r} is not a likelihood: give a number strictly between 0 and 1")
    try:
        given = indicators.read_likelihood(str(value)) if value is not None else None
        rated = indicators.read_likelihood(rating) if rating is not None else None
    except LedgerError as error:
        raise _BadCell(f"{column}, likelihood", str(error)) from None
    if given is None and rated is None:
        raise _BadCell(f"{column}, likelihood", "empty: give a number strictly between 0 and 1, or a rating (consistent, neutral, inconsistent...)")
    if rated is not None and rated[1] is None:
        raise _BadCell(f"{column}, rating", f"{rating!r} is not a rating: give a number as likelihood, a word such as consistent as rating")
    if given is None:
        return rated
    number = given[0] if isinstance(value, str) else float(value)
    if rated is not None and number != rated[0]:
        raise _BadCell(f"{column}, likelihood", f"{value} disagrees with the rating {rating!r} ({rated[0]}): give one, or both alike")
    return number, rated[1] if rated is not None else given[1]


def _read_indicator(line: int, scenario: str, raw: dict, today: date, where: str) -> _Indicator:
    """Check one indicator with the rules of 'ledger indicator add' and 'indicator seen'; raises _BadCell (columns start with `where`)."""
    text = rules.one_line(_one_text(f"{where}, indicator", raw.get("indicator"), required=True))
    likelihoods: dict = {}
    for number, item in enumerate(_objects(f"{where}, likelihoods", raw.get("likelihoods"), LIKELIHOOD_KEYS), start=1):
        column = f"{where}, likelihoods {number}"
        outcome = rules.one_line(_one_text(f"{column}, outcome", item.get("outcome"), required=True))
        if outcome in likelihoods:
            raise _BadCell(f"{column}, outcome", f"outcome {outcome!r} given twice: give each outcome once")
        likelihoods[outcome] = _read_likelihood(column, item)
    if not likelihoods:
        raise _BadCell(f"{where}, likelihoods", "empty: give the indicator's likelihood under every outcome of its scenario")
    sightings = []
    for number, item in enumerate(_objects(f"{where}, sightings", raw.get("sightings"), SIGHTING_KEYS), start=1):
        column = f"{where}, sightings {number}"
        cells = {name: _one_text(f"{column}, {name}", item.get(name)) for name in ("observed_on", "source", "source_url", "source_published_on", "quote", "note")}
        observed_on = _date(cells, "observed_on")
        if observed_on is None or observed_on > today:
            raise _BadCell(f"{column}, observed_on", f"{'empty' if observed_on is None else f'{observed_on} is after today ({today})'}: give the day it was seen (YYYY-MM-DD), on or before today")
        seen = item.get("seen", True)
        if type(seen) is not bool:
            raise _BadCell(f"{column}, seen", f"{seen!r}: give true (seen) or false (not seen by then)")
        amends = item.get("amends")
        if amends is not None and (type(amends) is not int or not 1 <= amends < number):
            raise _BadCell(f"{column}, amends", f"{amends!r}: give the number (from 1) of an earlier sighting of this list that this one corrects")
        if amends is not None and cells["note"] is None:
            raise _BadCell(f"{column}, note", "empty: a corrected sighting needs a note saying why the earlier one was wrong")
        title = rules.one_line(cells["source"]) or None
        source = (title, cells["source_url"], _date(cells, "source_published_on")) if title else None
        sightings.append({"observed_on": observed_on, "seen": seen, "source": source, "quote": cells["quote"], "note": cells["note"], "amends": amends})
    return _Indicator(line, scenario, text, likelihoods, sightings)


def _checked_indicators(path: str, cells: list[tuple[int, Any, Any]], names: dict, today: date) -> list[_Indicator]:
    """Every row's `indicators` checked (before anything is written); a bad one refuses the file."""
    checked, errors, bad = [], [], 0
    for line, scenario, value in cells:
        try:
            if value is None:
                continue
            scenario = rules.one_line(scenario) if type(scenario) is str else None
            if not scenario:
                raise _BadCell(INDICATORS_KEY, "on a row without a scenario: a scenario's indicators go on a row of one of its outcomes")
            for number, item in enumerate(_objects(INDICATORS_KEY, value, INDICATOR_KEYS), start=1):
                checked.append(_read_indicator(line, scenario, item, today, f"indicators {number}"))
        except _BadCell as error:
            bad += 1
            if len(errors) < ERRORS_SHOWN:
                errors.append((line, names.get(error.column, error.column), str(error)))
    if bad:
        raise _refusal(path, bad, errors)
    return checked


# ---- import ---------------------------------------------------------------------------------


@dataclass
class _Group:
    """What the file says about one question, from its first row; kept in scratch.Groups, saved there when changed."""

    key: tuple  # _Row.group
    line: int
    question: tuple
    resolution: tuple
    question_id: Optional[int] = None
    existing: bool = False
    condition: Any = None  # what a new conditional question counts under: the key of a group earlier in the file, or a ledger question's id


def _refusal(path: str, bad_rows: int, errors: list[tuple[int, str, str]]) -> LedgerError:
    shown = "; ".join(f"line {line}, {column}: {message}" for line, column, message in errors[:ERRORS_SHOWN])
    more = f"; and {bad_rows - ERRORS_SHOWN} more" if bad_rows > ERRORS_SHOWN else ""
    rows = "row" if bad_rows == 1 else "rows"
    return LedgerError(f"{os.path.basename(path)} has {bad_rows} bad {rows}, nothing imported: {shown}{more}")


def _validated(path: str, rows: Iterable[tuple[int, dict]], names: dict, today: date, restore: bool, spool: IO[bytes], groups: Groups,
               progress: Progress, allow_empty: bool = False, prior: Sequence[tuple[int, str, str]] = ()) -> int:
    """First pass: every row checked, nothing written; the questions the file holds go to `groups`; returns the rows read.

    `prior`: refusals found already (a site's multiple-choice questions), reported with the rows'.

    Each checked row goes to `spool` (pickled in batches), so the second pass neither
    parses nor checks again and memory stays flat however long the file is.
    """
    errors = [(line, names.get(column, column), message) for line, column, message in prior[:ERRORS_SHOWN]]
    batch: list[tuple] = []
    bad_rows, total = len(prior), 0
    for line, raw in rows:
        total += 1
        if progress and total % PROGRESS_EVERY == 0:
            progress(total)
        try:
            row = _read_row(raw, today=today, restore=restore)
            group = groups.get(row.group)
            if group is None:
                groups.add(_Group(row.group, line, row.question, row.resolution))
            else:
                for fields, given, theirs in ((QUESTION_FIELDS, row.question, group.question), (RESOLUTION_FIELDS, row.resolution, group.resolution)):
                    for name, mine, first in zip(fields, given, theirs):
                        if mine != first:
                            raise _BadCell(name, f"differs from line {group.line}, which starts the same question: rows of one question must agree")
        except _BadCell as error:
            bad_rows += 1
            if len(errors) < ERRORS_SHOWN:
                errors.append((line, names.get(error.column, error.column), str(error)))
            continue
        if not bad_rows:
            batch.append((line, row.group, row.forecaster, row.source, row.forecast))
            if len(batch) >= write.BATCH_ROWS:
                pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
                batch = []
    if bad_rows:
        raise _refusal(path, bad_rows, errors)
    if progress:
        progress(total, 2 * total)  # checked; writing them is the other half of the work
    if total == 0 and not allow_empty:
        raise LedgerError(f"{path} holds no rows: nothing to import")
    pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
    spool.seek(0)
    return total


def _spooled(spool: IO[bytes]) -> Iterator[tuple]:
    while True:
        try:
            batch = pickle.load(spool)
        except EOFError:
            return
        yield from batch


class _Importer:
    """Second pass, inside one write transaction: match rows to what the ledger holds, insert the rest."""

    def __init__(self, connection: Connection, groups: Groups, sources: SourceIds, rows: int):
        self.connection = connection
        self.groups = groups
        self.writer = write.Writer(connection, bulk=True, expected_rows=rows)
        self.forecasters = {row.name_key: row.id for row in connection.execute(select(FORECASTER.c.name_key, FORECASTER.c.id))}
        self.sources = sources
        query = select(SOURCE.c.id, SOURCE.c.title).order_by(SOURCE.c.id)
        sources.hold(tuple(row) for row in connection.execute(query, execution_options={"yield_per": write.BATCH_ROWS}))
        self.scenarios = {row.name: row.id for row in connection.execute(select(SCENARIO.c.name, SCENARIO.c.id))}
        self.next_position = {
            row.scenario_id: (row.last or 0) + 1
            for row in connection.execute(
                select(QUESTION.c.scenario_id, func.max(QUESTION.c.scenario_position).label("last"))
                .where(QUESTION.c.scenario_id.is_not(None)).group_by(QUESTION.c.scenario_id)
            )
        }
        self.existing_forecasts: Counter = Counter()
        self.current: dict[int, tuple] = {}  # question id -> (outcome, resolved_on) of its current resolution
        self.history: dict[int, list[tuple]] = {}  # question id -> its (outcome, resolved_on), oldest first
        self.errors: list[tuple[int, str, str]] = []
        self.bad_rows = 0
        self.already_present = 0
        self._match_questions()
        self._find_conditions()
        self.conditions_added = self.indicators_added = self.sightings_added = 0

    def _match_questions(self) -> None:
        """Each ledger question, oldest first, matches the first group of the file with its statement and date not matched yet."""
        matched: set[int] = set()
        if not self.groups:
            return
        query = select(QUESTION.c.id, QUESTION.c.statement, QUESTION.c.resolve_by).order_by(QUESTION.c.id)
        for row in self.connection.execute(query, execution_options={"yield_per": write.BATCH_ROWS}):
            group = self.groups.first_unmatched(row.statement, row.resolve_by)
            if group is not None:
                group.question_id, group.existing = row.id, True
                self.groups.save(group)
                matched.add(row.id)
        if not matched:
            return
        for row in self.connection.execute(
            select(RESOLUTION.c.question_id, RESOLUTION.c.outcome, RESOLUTION.c.resolved_on).order_by(RESOLUTION.c.id)
        ):
            if row.question_id in matched:
                self.history.setdefault(row.question_id, []).append((row.outcome, row.resolved_on))
                self.current[row.question_id] = (row.outcome, row.resolved_on)
        query = select(FORECAST.c.question_id, FORECAST.c.forecaster_id, FORECAST.c.stated_on, FORECAST.c.probability, FORECAST.c.quote)
        for row in self.connection.execute(query, execution_options={"yield_per": write.BATCH_ROWS}):
            if row.question_id in matched:
                self.existing_forecasts[write.forecast_key(*row)] += 1

    def _find_conditions(self) -> None:
        """What each new conditional question of the file counts under: a question earlier in the file, or in the ledger.

        Looked up before anything is written, in one query: a condition must be there already, as 'add --if' wants it.
        """
        missing: dict[tuple, list[_Group]] = {}
        for group in self.groups:
            condition = group.question[5]
            if condition is not None and not group.existing:  # a matched question is not changed: its condition stays as it is
                found = self.groups.first_before(condition[0], condition[1], group.line)
                if found is not None:
                    group.condition = found.key
                    self.groups.save(group)
                else:
                    missing.setdefault(condition[:2], []).append(group)
        if missing:
            statements = sorted({statement for statement, _ in missing})
            query = select(QUESTION.c.id, QUESTION.c.statement, QUESTION.c.resolve_by).where(QUESTION.c.statement.in_(statements)).order_by(QUESTION.c.id)
            for row in self.connection.execute(query):
                for group in missing.pop((row.statement, row.resolve_by), []):
                    group.condition = row.id
                    self.groups.save(group)
            for (statement, resolve_by), groups in missing.items():
                for group in groups:
                    self._refuse(group.line, "condition_statement", f"names a question that is neither earlier in the file nor in the ledger: {statement!r} by {resolve_by}; import the file that holds it first")

    def _refuse(self, line: int, column: str, message: str) -> None:
        self.bad_rows += 1
        if len(self.errors) < ERRORS_SHOWN:
            self.errors.append((line, column, message))

    def _question_id(self, group: _Group) -> int:
        if group.question_id is None:
            statement, criteria, resolve_by, tags, scenario = group.question[:5]
            scenario_id = position = None
            if scenario is not None:
                scenario_id = self.scenarios.get(scenario)
                if scenario_id is None:
                    scenario_id = self.scenarios[scenario] = self.writer.add(SCENARIO, name=scenario, ordered=False)
                position = self.next_position.get(scenario_id, 0)
                self.next_position[scenario_id] = position + 1
            group.question_id = self.writer.add(
                QUESTION, statement=statement, criteria=criteria, resolve_by=resolve_by,
                scenario_id=scenario_id, scenario_position=position,
            )
            self.groups.save(group)
            for tag in tags:
                self.writer.add(TAG, question_id=group.question_id, tag=tag)
        return group.question_id

    def _forecaster_id(self, name: str) -> int:
        key = _forecaster_key(name)
        if key not in self.forecasters:
            self.forecasters[key] = self.writer.add(FORECASTER, name=name, name_key=key)
        return self.forecasters[key]

    def _source_id(self, source: Optional[tuple]) -> Optional[int]:
        if source is None:
            return None
        title, url, published_on = source
        key = title.lower()
        source_id = self.sources.get(key)
        if source_id is None:
            source_id = self.writer.add(SOURCE, title=title, url=url, published_on=published_on)
            self.sources.add(key, source_id)
        return source_id

    def add_row(self, line: int, group_key: tuple, forecaster: Optional[str], source: Optional[tuple], forecast: Optional[dict]) -> None:
        group = self.groups.get(group_key)
        question_id = self._question_id(group)
        if forecast is None:
            return  # a question without forecasts
        forecaster_id = self._forecaster_id(forecaster)
        if group.existing:
            key = write.forecast_key(question_id, forecaster_id, forecast["stated_on"], forecast["probability"], forecast["quote"])
            if self.existing_forecasts[key] > 0:
                self.existing_forecasts[key] -= 1
                self.already_present += 1
                return
            current = self.current.get(question_id)
            if current and forecast["stated_on"] >= current[1]:
                self._refuse(line, "stated_on", f"question {question_id} in the ledger was resolved {current[0]} on {current[1]}; a forecast stated on {forecast['stated_on']}, on or after that, cannot be scored")
                return
        forecast_id = self.writer.add(FORECAST, question_id=question_id, forecaster_id=forecaster_id, source_id=self._source_id(source), **forecast)
        if forecast["role"] is not None:
            self.writer.add(FORECAST_ROLE, forecast_id=forecast_id, role=forecast["role"])

    def add_resolutions(self) -> None:
        for group in self.groups:
            outcome, resolved_on, note, evidence = group.resolution
            if outcome is None:
                continue
            stated = [{"outcome": outcome, "resolved_on": resolved_on, "note": note, "evidence": evidence}]
            missing = write.missing_resolutions(self.history.get(group.question_id, []), stated)
            if missing is None:
                current = self.current[group.question_id]
                self._refuse(group.line, "outcome", f"question {group.question_id} in the ledger is already resolved {current[0]} on {current[1]}, the file says {outcome} on {resolved_on}: correct it with 'ledger resolve {group.question_id} {outcome} --amend --note REASON'")
            elif not missing:
                self.already_present += 1
            else:
                self.writer.add(RESOLUTION, question_id=group.question_id, outcome=outcome, resolved_on=resolved_on, note=note, evidence=evidence)

    def add_conditions(self) -> None:
        """The condition of every new conditional question; one whose condition is resolved already is history, and allowed."""
        for group in self.groups:
            if group.condition is not None:
                condition_id = self.groups.get(group.condition).question_id if isinstance(group.condition, tuple) else group.condition
                self.writer.add(CONDITION, question_id=group.question_id, condition_id=condition_id, condition_outcome=group.question[5][2])
                self.conditions_added += 1

    def annul_failed_conditions(self, today: date) -> None:
        """Annul, as 'ledger resolve' does, the open questions whose condition now stands resolved the other way."""
        if not self.groups:
            return
        connection = self.writer.connection
        conditions = {row[0] for row in connection.execute(select(CONDITION.c.condition_id).distinct())}
        if not conditions:
            return
        in_file = {question_id for question_id in conditions if self.groups.holds_question(question_id)}
        in_file.update(group.condition for group in self.groups if isinstance(group.condition, int))
        for question_id in sorted(conditions & in_file):
            current = write.current_resolution(connection, question_id)
            if current is not None:
                write.annul_failed_conditions(self.writer, question_id, current["outcome"], current["resolved_on"], today)

    def add_indicators(self, entries: Sequence[_Indicator]) -> None:
        """Indicators by scenario and text (signposts.indicator_id), their likelihoods, and the sightings the ledger lacks."""
        outcomes_of: dict[int, list[dict]] = {}
        for entry in entries:
            scenario_id = self.scenarios.get(entry.scenario)
            if scenario_id is None:
                self._refuse(entry.line, "scenario", f"no scenario {entry.scenario!r} in the file or the ledger: an indicator belongs to a scenario's outcomes")
                continue
            if scenario_id not in outcomes_of:
                outcomes_of[scenario_id] = scenarios.outcome_rows(self.writer.connection, scenario_id)
            outcomes = outcomes_of[scenario_id]
            statements = [outcome["statement"] for outcome in outcomes]
            unknown = [statement for statement in entry.likelihoods if statement not in statements]
            missing = [statement for statement in statements if statement not in entry.likelihoods]
            if unknown or missing:
                self._refuse(entry.line, f"indicator {entry.text!r}, likelihoods", f"outcome {(unknown or missing)[0]!r} {'is not an outcome of' if unknown else 'of'} scenario {entry.scenario!r}{'' if unknown else ' has no likelihood'}: give one likelihood for each of its outcomes")
                continue
            found = signposts.indicator_id(self.writer.connection, scenario_id, entry.text)
            held: list = []
            if found is None:
                scenario = {"id": scenario_id, "name": entry.scenario}
                found = signposts.record_indicator(self.writer, scenario, outcomes, entry.text, [entry.likelihoods[statement] for statement in statements])["indicator_id"]
                self.indicators_added += 1
            else:
                differing = self._differing_likelihood(found, entry)
                if differing is not None:
                    self._refuse(entry.line, f"indicator {entry.text!r}, likelihoods", differing)
                    continue
                self.already_present += 1
                held = [tuple(row) for row in self.writer.connection.execute(
                    select(SIGHTING.c.id, SIGHTING.c.observed_on, SIGHTING.c.seen, SIGHTING.c.quote, SIGHTING.c.note, SIGHTING.c.amends_id)
                    .where(SIGHTING.c.indicator_id == found).order_by(SIGHTING.c.id))]
            self._add_sightings(found, entry.sightings, held)

    def _differing_likelihood(self, indicator_id: int, entry: _Indicator) -> Optional[str]:
        """Why the file's likelihoods cannot be the ledger's for an indicator it holds already, or None if they are the same."""
        query = (
            select(QUESTION.c.statement, LIKELIHOOD.c.likelihood, LIKELIHOOD.c.rating)
            .join(QUESTION, QUESTION.c.id == LIKELIHOOD.c.question_id).where(LIKELIHOOD.c.indicator_id == indicator_id)
        )
        for statement, value, rating in self.writer.connection.execute(query):
            given = entry.likelihoods[statement][0]  # a rating only names a number: the numbers must agree
            if given != value:
                return (f"the ledger holds this indicator with likelihood {value}{f' ({rating})' if rating else ''} under {statement!r}, "
                        f"the file says {given}: an import does not change an indicator's likelihoods; give the ledger's, "
                        "or give the indicator a new text")
        return None

    def _add_sightings(self, indicator_id: int, sightings: list[dict], held: list[tuple]) -> None:
        """A sighting is already there when the indicator has one with the same day, seen, quote, note and amended sighting (one for one)."""
        ids: list[int] = []
        for sighting in sightings:
            amends = ids[sighting["amends"] - 1] if sighting["amends"] is not None else None
            key = (sighting["observed_on"], sighting["seen"], rules.text(sighting["quote"]), rules.text(sighting["note"]), amends)
            match = next((row for row in held if row[1:] == key), None)
            if match is not None:
                held.remove(match)
                ids.append(match[0])
                self.already_present += 1
                continue
            source_id = self._source_id(sighting["source"])
            written = signposts.write_sighting(self.writer, indicator_id, observed_on=sighting["observed_on"], seen=sighting["seen"],
                                               source=None if source_id is None else str(source_id), quote=sighting["quote"],
                                               note=sighting["note"], amend=amends)
            ids.append(written["sighting_id"])
            self.sightings_added += 1


def import_rows(
    ledger: Ledger,
    path: str,
    rows: Iterable[tuple[int, dict]],
    *,
    today: date,
    names: Optional[dict] = None,
    restore: bool = False,
    progress: Progress = None,
    choices: Sequence[ChoiceQuestion] = (),
) -> dict[str, int]:
    """Check every (line, cells) row, then write what the ledger lacks in one transaction; returns the counts added.

    Rows the ledger holds already are matched (see docs/transfer.md) and skipped; a row
    that contradicts the ledger refuses the whole file and the transaction is rolled back.
    """
    checked, choice_errors = choices_module.check(list(choices), today)
    indicator_cells: list[tuple[int, Any, Any]] = []
    with tempfile.TemporaryFile() as spool, Scratch() as scratch:
        groups = Groups(scratch)
        checked_rows = _validated(path, _forecast_rows(rows, indicator_cells), names or {}, today, restore, spool, groups, progress,
                                  allow_empty=bool(checked), prior=choice_errors)
        indicator_entries = _checked_indicators(path, indicator_cells, names or {}, today)
        with ledger.writing() as connection:
            importer = _Importer(connection, groups, SourceIds(scratch), checked_rows)
            done = 0
            for row in _spooled(spool):
                importer.add_row(*row)
                done += 1
                if progress and done % PROGRESS_EVERY == 0:
                    progress(checked_rows + done, 2 * checked_rows)
            importer.add_resolutions()
            importer.add_conditions()
            importer.add_indicators(indicator_entries)
            importer.annul_failed_conditions(today)
            present, errors = choices_module.write_all(importer.writer, checked, today, importer._source_id)
            importer.already_present += present
            for error in errors:
                importer._refuse(*error)
            if importer.bad_rows:
                raise _refusal(path, importer.bad_rows, importer.errors)  # rolls the transaction back
            importer.writer.finish()
            if progress:
                progress(2 * checked_rows, 2 * checked_rows)
    writer = importer.writer
    return {
        "rows": done,
        "sources": writer.added(SOURCE),
        "forecasters": writer.added(FORECASTER),
        "questions": writer.added(QUESTION),
        "forecasts": writer.added(FORECAST),
        "resolutions": writer.added(RESOLUTION),
        "scenarios": writer.added(SCENARIO),
        "conditions": importer.conditions_added,
        "indicators": importer.indicators_added,
        "sightings": importer.sightings_added,
        "already_present": importer.already_present,
    }
