"""Streaming export of forecasts to CSV or JSON, and validated, all-or-nothing import (ours and Fatebook's CSV).

One row per forecast, in the columns of `COLUMNS`; docs/transfer.md describes them,
how imported rows are matched to what the ledger already holds, and the Fatebook mapping.
"""

import csv
import functools
import hashlib
import json
import os
import pickle
import tempfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import IO, Any, Callable, Iterable, Iterator, Optional

from sqlalchemy import Boolean, Date, Float, func, insert, select, text
from sqlalchemy.engine import Connection

from ledger import chain, dates, likelihood, records, scoring
from ledger.errors import LedgerError
from ledger.model import Scenario
from ledger.output import CSV, JSON, restore_cell, write_csv_tuples, write_json_list
from ledger.records import FORECAST, FORECASTER, QUESTION, RESOLUTION, SOURCE, TAG
from ledger.store import Ledger, as_stored

SCENARIO = Scenario.__table__

COLUMNS = (
    "question_id", "statement", "criteria", "resolve_by", "tags", "scenario",
    "forecast_id", "forecaster", "probability", "cue", "scale", "range_low", "range_high",
    "stated_on", "source", "source_url", "source_published_on", "quote",
    "outcome", "resolved_on", "note", "evidence", "brier", "log_score",
)
NUMBER_COLUMNS = ("question_id", "forecast_id", "probability", "range_low", "range_high", "brier", "log_score")
TEXT_COLUMNS = tuple(name for name in COLUMNS if name not in NUMBER_COLUMNS)
REQUIRED_COLUMNS = ("statement", "resolve_by", "forecaster")
DATE_COLUMNS = ("resolve_by", "stated_on", "source_published_on", "resolved_on")
# Only free text can start like a formula: numbers and dates never need neutralising.
NEUTRALISED_AT = tuple(COLUMNS.index(name) for name in TEXT_COLUMNS if name not in DATE_COLUMNS)
TAG_SEPARATOR = "; "
EXPORT_FORMATS = (CSV, JSON)

# Rows go to the database in chunks of this many records: large enough that executemany
# dominates, small enough that memory stays flat.
CHUNK_ROWS = 5000
PROGRESS_EVERY = 10_000
SQLITE_CACHE_KIB = 256 * 1024
ERRORS_SHOWN = 3

Progress = Optional[Callable[[int], None]]


# ---- export -----------------------------------------------------------------------------------


def _tags_by_question(dialect: str):
    if dialect == "sqlite":
        # SQLite before 3.44 has no ORDER BY inside an aggregate; group_concat keeps the order rows arrive in.
        ordered = select(TAG.c.question_id, TAG.c.tag).order_by(TAG.c.question_id, TAG.c.id).subquery()
        tags = func.aggregate_strings(ordered.c.tag, TAG_SEPARATOR)
        return select(ordered.c.question_id, tags.label("tags")).group_by(ordered.c.question_id).subquery()
    tags = func.aggregate_strings(TAG.c.tag, TAG_SEPARATOR).aggregate_order_by(TAG.c.id)
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
        .select_from(FORECAST)
        .join(QUESTION, QUESTION.c.id == FORECAST.c.question_id)
        .join(FORECASTER, FORECASTER.c.id == FORECAST.c.forecaster_id)
        .outerjoin(SOURCE, SOURCE.c.id == FORECAST.c.source_id)
        .outerjoin(SCENARIO, SCENARIO.c.id == QUESTION.c.scenario_id)
        .outerjoin(tags, tags.c.question_id == QUESTION.c.id)
        .outerjoin(current, current.c.question_id == QUESTION.c.id)
        .outerjoin(resolution, resolution.c.id == current.c.id)
    )
    query = query.where(*records.question_conditions(current, status=status, tag=tag, today=today))
    if who is not None:
        query = query.where(FORECASTER.c.name_key == records.forecaster_key(who))
    if source is not None:
        query = query.where(FORECAST.c.source_id == source)
    return query


def _export_record(row: tuple) -> tuple:
    """A fetched row (`COLUMNS` but for the scores) with its Brier and log score added."""
    outcome = row[OUTCOME_AT]
    if outcome == "yes" or outcome == "no":
        return (*row, *_scores_of(row[PROBABILITY_AT], outcome == "yes"))
    return (*row, None, None)


@functools.lru_cache(maxsize=1 << 14)
def _scores_of(probability: float, happened: bool) -> tuple[float, float]:
    # A big ledger repeats the same probabilities (the scales' words, round numbers) many times.
    return scoring.brier(probability, happened), scoring.log_score(probability, happened)


OUTCOME_AT = COLUMNS.index("outcome")
PROBABILITY_AT = COLUMNS.index("probability")


def count_forecasts(ledger: Ledger, *, today: date, status: str = "all", who=None, tag=None, source=None) -> int:
    """How many rows `export_rows` will give for these filters (for a progress bar)."""
    query = _export_query(ledger.dialect, today=today, status=status, who=who, tag=tag, source=source)
    with ledger.reading() as connection:
        return connection.execute(select(func.count()).select_from(query.subquery())).scalar_one()


def export_tuples(ledger: Ledger, *, today: date, status: str = "all", who=None, tag=None, source=None) -> Iterator[tuple]:
    """One tuple per forecast in `COLUMNS` order, streamed from the database: memory stays flat.

    --status and --tag select questions as `ledger list` does; --who and --source select forecasts.
    Dates are ISO text on SQLite (as stored) and `date` objects elsewhere.
    """
    query = _export_query(ledger.dialect, today=today, status=status, who=who, tag=tag, source=source)
    return _streamed(ledger, query.order_by(QUESTION.c.id, FORECAST.c.id))


def export_rows(ledger: Ledger, **filters: Any) -> Iterator[dict]:
    """One dict per forecast in `COLUMNS` order (see `export_tuples`)."""
    return (dict(zip(COLUMNS, row)) for row in export_tuples(ledger, **filters))


def _streamed(ledger: Ledger, query) -> Iterator[tuple]:
    with ledger.reading() as connection:
        yield from map(_export_record, _fetched(connection, query))


def _fetched(connection: Connection, query) -> Iterator[tuple]:
    if connection.dialect.name == "sqlite":
        # The driver's cursor gives plain tuples, dates as their stored ISO text: no per-cell result processing.
        cursor = connection.execute(query).cursor
        while batch := cursor.fetchmany(CHUNK_ROWS):
            yield from batch
        return
    for partition in connection.execute(query, execution_options={"yield_per": CHUNK_ROWS}).partitions():
        yield from map(tuple, partition)


def _counted(rows: Iterable, progress: Progress) -> Iterator:
    done = 0
    for done, row in enumerate(rows, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(done)
        yield row
    if progress:
        progress(done)


def write_export(rows: Iterable[tuple], fmt: str, out: IO[str], progress: Progress = None) -> None:
    """Write export tuples (`export_tuples`) as CSV (cells neutralised against formula injection) or as a JSON list."""
    if fmt == CSV:
        write_csv_tuples(_counted(rows, progress), COLUMNS, out, NEUTRALISED_AT)
    elif fmt == JSON:
        write_json_list((dict(zip(COLUMNS, row)) for row in _counted(rows, progress)), out)
    else:
        raise LedgerError(f"export writes csv or json, not {fmt!r}: use --format csv or --format json")


def export_format(fmt: Optional[str], output: Optional[str]) -> str:
    """The asked format; without one, the output file's extension decides (.json), else CSV."""
    if fmt is None:
        return JSON if output and output.lower().endswith(".json") else CSV
    if fmt not in EXPORT_FORMATS:
        raise LedgerError(f"export writes csv or json, not {fmt!r}: use --format csv or --format json")
    return fmt


@contextmanager
def atomic_file(path: str) -> Iterator[IO[str]]:
    """A file that appears whole at `path` when the block ends, or not at all if it fails."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise LedgerError(f"cannot write {path}: folder {folder} does not exist")
    if os.path.isdir(path):
        raise LedgerError(f"cannot write {path}: it is a folder; give a file name such as forecasts.csv")
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".ledger-export-", suffix=".part")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            yield handle
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; the export is an ordinary file
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


# ---- reading files to import -------------------------------------------------------------------


def _open_text(path: str) -> IO[str]:
    try:
        return open(path, encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise LedgerError(f"no such file {path!r}: give a CSV or JSON export, or a seed file (.toml)") from None
    except IsADirectoryError:
        raise LedgerError(f"{path} is a folder: give a CSV or JSON file") from None


def _check_header(path: str, header: list[str], known: Iterable[str], required: Iterable[str]) -> None:
    known = list(known)
    unknown = [name for name in header if name not in known]
    if unknown:
        raise LedgerError(f"{path}: unknown column {unknown[0]!r}: the columns are {', '.join(known)}")
    missing = [name for name in required if name not in header]
    if missing:
        raise LedgerError(f"{path}: missing column {missing[0]!r}: a file to import needs {', '.join(required)}")


def _csv_rows(path: str, known=COLUMNS, required=REQUIRED_COLUMNS) -> Iterator[tuple[int, dict]]:
    """(line number where the row starts, {column: cell}) for each row of a CSV file with a header."""
    with _open_text(path) as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                raise LedgerError(f"{path} is empty: a file to import starts with a header row ({', '.join(required)}, ...)")
            header = [name.strip() for name in header]
            _check_header(path, header, known, required)
            line = reader.line_num + 1
            for cells in reader:
                if "".join(cells).strip():  # a row of empty or blank cells is skipped
                    yield line, dict(zip(header, cells)) if len(cells) == len(header) else {None: cells}
                line = reader.line_num + 1
        except UnicodeDecodeError:
            raise LedgerError(f"{path} is not UTF-8 text: save it as UTF-8 CSV") from None
        except csv.Error as error:
            raise LedgerError(f"{path}, line {reader.line_num}: unreadable CSV ({error})") from None


def _json_rows(path: str) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each element of a JSON list, decoded one element at a time."""
    decoder = json.JSONDecoder()
    with _open_text(path) as handle:
        buffer, position, line, count = "", 0, 1, 0

        def refill() -> bool:
            nonlocal buffer, position
            try:
                chunk = handle.read(1 << 20)
            except UnicodeDecodeError:
                raise LedgerError(f"{path} is not UTF-8 text: save it as UTF-8 JSON") from None
            buffer, position = buffer[position:] + chunk, 0
            return bool(chunk)

        def skip_space() -> str:
            nonlocal position, line
            while True:
                while position < len(buffer) and buffer[position] in " \t\r\n":
                    line += buffer[position] == "\n"
                    position += 1
                if position < len(buffer) or not refill():
                    return buffer[position] if position < len(buffer) else ""

        def refuse(reason: str) -> LedgerError:
            return LedgerError(f"{path}, line {line}: {reason}: a JSON import is a list of objects, as 'ledger export --format json' writes")

        if skip_space() != "[":
            raise refuse("not a JSON list")
        position += 1
        while True:
            mark = skip_space()
            if mark == "]":
                position += 1
                if skip_space():
                    raise refuse("text after the end of the list")
                return
            if not mark:
                raise refuse("the list is not closed")
            if count:
                if mark != ",":
                    raise refuse("expected ',' or ']' between elements")
                position += 1
                mark = skip_space()
            if mark != "{":
                raise refuse("an element is not an object" if mark else "the list is not closed")
            while True:
                try:
                    element, end = decoder.raw_decode(buffer, position)
                    break
                except json.JSONDecodeError as error:
                    if not refill():
                        raise refuse(f"unreadable JSON ({error.msg})") from None
            start_line = line
            line += buffer.count("\n", position, end)
            position = end
            count += 1
            unknown = [name for name in element if name not in COLUMNS]
            if unknown:
                raise LedgerError(f"{path}, line {start_line}: unknown key {unknown[0]!r}: the keys are {', '.join(COLUMNS)}")
            yield start_line, element


# Fatebook's CSV export: its column → ours. One row per forecast.
FATEBOOK_COLUMNS = {
    "Question title": "statement",
    "Forecast created by": "forecaster",
    "Forecast (scale = 0-1)": "probability",
    "Forecast created at": "stated_on",
    "Question created at": None,  # when the question was typed in; used only when a forecast has no date
    "Question resolve by": "resolve_by",
    "Resolution": "outcome",
    "Resolved at": "resolved_on",
    "Question notes": "criteria",
    "tags": "tags",
}
FATEBOOK_RESOLUTIONS = {"yes": "yes", "no": "no", "ambiguous": "ambiguous"}
FATEBOOK_SOURCE = "Fatebook"
FATEBOOK_URL = "https://fatebook.io"


def _fatebook_rows(path: str) -> Iterator[tuple[int, dict]]:
    """Fatebook's rows in our layout; a question is its title and resolve-by date."""
    required = ("Question title", "Forecast created by", "Forecast (scale = 0-1)", "Question resolve by")
    for line, cells in _csv_rows(path, known=FATEBOOK_COLUMNS, required=required):
        if None in cells:
            yield line, cells
            continue
        row = {ours: cells.get(theirs, "") for theirs, ours in FATEBOOK_COLUMNS.items() if ours}
        if not row["stated_on"].strip():
            row["stated_on"] = cells.get("Question created at", "")
        word = row["outcome"].strip()
        if word and word.lower() not in FATEBOOK_RESOLUTIONS:
            # Fatebook's own importer would quietly file this as AMBIGUOUS; a wrong score is worse than a refusal.
            row["outcome"] = _Unknown(word)
        row.update(question_id=None, source=FATEBOOK_SOURCE, source_url=FATEBOOK_URL)
        yield line, row


@dataclass(frozen=True)
class _Unknown:
    """A Fatebook resolution word we do not know."""

    word: str


FATEBOOK_NAMES = {ours: theirs for theirs, ours in FATEBOOK_COLUMNS.items() if ours}


# ---- validating one row ----------------------------------------------------------------------


class _BadCell(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column


def _checked(column: str, read: Callable, *args: Any) -> Any:
    """The CLI's own reading of a value; its refusal is pinned to the column."""
    try:
        return read(*args)
    except LedgerError as error:
        raise _BadCell(column, str(error)) from None


# The same rules as the CLI's, remembered: a big file repeats the same dates and numbers many times.
_parse_date = functools.lru_cache(maxsize=1 << 16)(dates.parse_date)
_parse_probability = functools.lru_cache(maxsize=1 << 12)(likelihood.parse_probability)


@functools.lru_cache(maxsize=1 << 12)
def _tags(cell: str) -> tuple:
    return tuple(records.normalised_tags(cell.split(";")))


def _text(value: Any, restore: bool) -> Optional[str]:
    if value is None:
        return None
    if type(value) is not str:
        value = TAG_SEPARATOR.join(str(item) for item in value) if isinstance(value, list) else str(value)
    if restore and value[:1] == "'":
        value = restore_cell(value)
    return value if value and not value.isspace() else None


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
        raise _BadCell(column, f"{value!r} is not a number")
    if isinstance(value, (int, float)):
        return float(value)
    return _checked(column, _parse_probability, value)


@dataclass
class _Row:
    """One validated row: the question it belongs to, the forecast, and the question's resolution."""

    group: tuple
    question: tuple  # statement, criteria, resolve_by, tags, scenario
    resolution: tuple  # outcome, resolved_on, note, evidence
    forecaster: str
    source: Optional[tuple]  # title, url, published_on
    forecast: dict = field(default_factory=dict)


QUESTION_FIELDS = ("statement", "criteria", "resolve_by", "tags", "scenario")
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
            cells[name] = _text(value, restore)

    statement = " ".join((cells["statement"] or "").split())
    if not statement:
        raise _BadCell("statement", "empty: give the claim to be resolved")
    resolve_by = _date(cells, "resolve_by")
    if resolve_by is None:
        raise _BadCell("resolve_by", "empty: give the question's resolve-by date as YYYY-MM-DD")
    tags = _tags(cells["tags"] or "")
    scenario = " ".join(cells["scenario"].split()) if cells["scenario"] else None

    forecaster = " ".join((cells["forecaster"] or "").split())
    if not forecaster:
        raise _BadCell("forecaster", "empty: give the forecaster's name, or a group such as 'observers'")

    source_title = " ".join(cells["source"].split()) if cells["source"] else None
    published_on = _date(cells, "source_published_on")
    source = (source_title, cells["source_url"].strip() if cells["source_url"] else None, published_on) if source_title else None

    probability = _number(raw, "probability")
    cue = cells["cue"].strip() if cells["cue"] else None
    scale = cells["scale"].strip() if cells["scale"] else None
    if probability is None:
        if cue is None:
            raise _BadCell("probability", "empty, and no cue either: give a number from 0 to 1, or the words used in cue")
        reading = _checked("cue", records.read_probability, None, cue, scale or "icd203")
    else:
        reading = _checked("probability", records.read_probability, probability, None)
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
    if stated_on > today:
        raise _BadCell("stated_on", f"{stated_on} is after today ({today}): a forecast is recorded once it is made")
    if stated_on > resolve_by:
        raise _BadCell("stated_on", f"{stated_on} is after the resolve-by date {resolve_by}: a forecast must be made before its deadline")

    outcome_cell = raw.get("outcome")
    if isinstance(outcome_cell, _Unknown):
        raise _BadCell("outcome", f"unknown resolution {outcome_cell.word!r}: Fatebook's are YES, NO, AMBIGUOUS, or empty while unresolved")
    outcome = None
    resolved_on = note = evidence = None
    if cells["outcome"]:
        outcome = _checked("outcome", records.read_outcome, cells["outcome"])
        resolved_on = _date(cells, "resolved_on", today)
        if resolved_on > today:
            raise _BadCell("resolved_on", f"{resolved_on} is after today ({today}): resolve a question once its outcome is known")
        if resolved_on < stated_on:
            raise _BadCell("resolved_on", f"{resolved_on} is before the forecast's stated date {stated_on}: a forecast cannot be made after its question was settled")
        note = cells["note"].strip() if cells["note"] else None
        evidence = cells["evidence"].strip() if cells["evidence"] else None
    else:
        for column in ("resolved_on", "note", "evidence"):
            if cells[column]:
                raise _BadCell(column, "given without an outcome: give outcome (yes, no, ambiguous or annulled) too, or leave it empty")

    question_id = raw.get("question_id")
    group = ("id", str(question_id).strip()) if question_id is not None and str(question_id).strip() else ("text", statement, resolve_by)
    quote = cells["quote"].strip() if cells["quote"] and cells["quote"].strip() else None
    return _Row(
        group=group,
        question=(statement, cells["criteria"].strip() if cells["criteria"] else None, resolve_by, tags, scenario),
        resolution=(outcome, resolved_on, note, evidence),
        forecaster=forecaster,
        source=source,
        forecast={**reading, "stated_on": stated_on, "quote": quote},
    )


# ---- import ---------------------------------------------------------------------------------


@dataclass
class _Group:
    """What the file says about one question, from its first row."""

    line: int
    question: tuple
    resolution: tuple
    latest_stated: date
    question_id: Optional[int] = None
    existing: bool = False


def _refusal(path: str, bad_rows: int, errors: list[tuple[int, str, str]]) -> LedgerError:
    shown = "; ".join(f"line {line}, {column}: {message}" for line, column, message in errors[:ERRORS_SHOWN])
    more = f"; and {bad_rows - ERRORS_SHOWN} more" if bad_rows > ERRORS_SHOWN else ""
    rows = "row" if bad_rows == 1 else "rows"
    return LedgerError(f"{os.path.basename(path)} has {bad_rows} bad {rows}, nothing imported: {shown}{more}")


def _validated(path: str, rows: Iterable[tuple[int, dict]], names: dict, today: date, restore: bool, spool: IO[bytes], progress: Progress):
    """First pass: every row checked, nothing written; returns the questions the file holds.

    Each checked row goes to `spool` (pickled in batches), so the second pass neither
    parses nor checks again and memory stays flat however long the file is.
    """
    groups: dict[tuple, _Group] = {}
    errors: list[tuple[int, str, str]] = []
    batch: list[tuple] = []
    bad_rows = total = 0
    for line, raw in rows:
        total += 1
        if progress and total % PROGRESS_EVERY == 0:
            progress(total)
        try:
            row = _read_row(raw, today=today, restore=restore)
            group = groups.get(row.group)
            if group is None:
                groups[row.group] = _Group(line, row.question, row.resolution, row.forecast["stated_on"])
            else:
                for fields, ours, theirs in ((QUESTION_FIELDS, row.question, group.question), (RESOLUTION_FIELDS, row.resolution, group.resolution)):
                    for name, mine, first in zip(fields, ours, theirs):
                        if mine != first:
                            raise _BadCell(name, f"differs from line {group.line}, which starts the same question: rows of one question must agree")
                group.latest_stated = max(group.latest_stated, row.forecast["stated_on"])
        except _BadCell as error:
            bad_rows += 1
            if len(errors) < ERRORS_SHOWN:
                errors.append((line, names.get(error.column, error.column), str(error)))
            continue
        if not bad_rows:
            batch.append((line, row.group, row.forecaster, row.source, row.forecast))
            if len(batch) >= CHUNK_ROWS:
                pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
                batch = []
    if bad_rows:
        raise _refusal(path, bad_rows, errors)
    if total == 0:
        raise LedgerError(f"{path} holds no rows: nothing to import")
    pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
    spool.seek(0)
    return groups


def _spooled(spool: IO[bytes]) -> Iterator[tuple]:
    while True:
        try:
            batch = pickle.load(spool)
        except EOFError:
            return
        yield from batch


def _forecast_key(question_id: int, forecaster_id: int, stated_on: date, probability: float, cue, quote) -> bytes:
    return hashlib.blake2b(repr((question_id, forecaster_id, stated_on.isoformat(), float(probability), cue, quote)).encode(), digest_size=16).digest()


class _BulkWriter:
    """Inserts records in chunks with ids assigned here, and appends each chunk to the hash chain."""

    ORDER = (SOURCE, records.FORECASTER, SCENARIO, QUESTION, TAG, FORECAST, RESOLUTION)

    def __init__(self, connection: Connection):
        self.connection = connection
        self.recorded_at = datetime.now(timezone.utc)
        # Ids are assigned here, under the write lock, so that the chain can be written alongside.
        self.next_id = {table.name: (connection.execute(select(func.max(table.c.id))).scalar() or 0) + 1 for table in self.ORDER}
        self.first_id = dict(self.next_id)
        self.pending: dict[str, list[dict]] = {table.name: [] for table in self.ORDER}
        self.columns = {table.name: [column.name for column in table.columns] for table in self.ORDER}
        # Values the database gives back as another type (floats, booleans) are chained as it gives them.
        self.converted = {table.name: [column for column in table.columns if isinstance(column.type, (Float, Boolean))] for table in self.ORDER}
        self.waiting = 0
        self.head = chain.last_hash(connection)
        self.sqlite = connection.dialect.name == "sqlite"
        self.sqlite_cache = None
        if self.sqlite:
            # A larger page cache keeps the indexes (the chain's hash index above all) in memory while a big file goes in.
            self.sqlite_cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
            connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
            # Rows go to the driver as tuples of what SQLAlchemy would have stored: dates as ISO text,
            # recorded_at in its DateTime format for SQLite (UTC, without the offset).
            self.recorded_text = self.recorded_at.strftime("%Y-%m-%d %H:%M:%S.%f")
            self.dates_at = {
                table.name: [at for at, column in enumerate(table.columns) if isinstance(column.type, Date)]
                for table in self.ORDER
            }

    def add(self, table, **values: Any) -> int:
        record_id = self.next_id[table.name]
        self.next_id[table.name] += 1
        record = {name: values.get(name) for name in self.columns[table.name]}
        for column in self.converted[table.name]:
            record[column.name] = as_stored(column, record[column.name])
        record["id"] = record_id
        record["recorded_at"] = self.recorded_at
        self.pending[table.name].append(record)
        self.waiting += 1
        if self.waiting >= CHUNK_ROWS:
            self.flush()
        return record_id

    def flush(self) -> None:
        written = []
        for table in self.ORDER:
            rows = self.pending[table.name]
            if rows:
                if self.sqlite:
                    self._insert_sqlite(table, rows)
                else:
                    self.connection.execute(insert(table), rows)
                name = str(table.name)  # a plain str: the driver asks SQLAlchemy's quoted_name for an adapter on every row
                written.extend((name, row) for row in rows)
                self.pending[table.name] = []
        if self.sqlite:
            self._chain_sqlite(written)
        else:
            self.head = chain.append(self.connection, written, self.head)
        self.waiting = 0

    def _insert_sqlite(self, table, rows: list[dict]) -> None:
        """The rows as tuples straight to the driver: SQLAlchemy's per-row parameter processing was most of an insert's cost."""
        names = self.columns[table.name]
        dates_at = self.dates_at[table.name]
        recorded_at = names.index("recorded_at")
        values = []
        for row in rows:
            cells = [row[name] for name in names]
            for at in dates_at:
                if cells[at] is not None:
                    cells[at] = cells[at].isoformat()
            cells[recorded_at] = self.recorded_text
            values.append(tuple(cells))
        statement = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        self.connection.exec_driver_sql(statement, values)

    def _chain_sqlite(self, written: list[tuple[str, dict]]) -> None:
        """What `chain.append` writes, handed to the driver as tuples."""
        chained = chain.links(written, self.head)
        if chained:
            self.connection.exec_driver_sql(
                "INSERT INTO chain_entry (table_name, record_id, previous_hash, entry_hash, recorded_at) VALUES (?, ?, ?, ?, ?)",
                [link + (self.recorded_text,) for link in chained],
            )
            self.head = chained[-1][3]

    def finish(self) -> None:
        self.flush()
        if self.sqlite_cache is not None:
            self.connection.exec_driver_sql(f"PRAGMA cache_size = {int(self.sqlite_cache)}")
        if self.connection.dialect.name == "postgresql":
            # Rows inserted with explicit ids leave the id sequences behind; move them on.
            for table in self.ORDER:
                if self.next_id[table.name] != self.first_id[table.name]:
                    self.connection.execute(
                        text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
                        {"table": table.name, "last": self.next_id[table.name] - 1},
                    )

    def added(self, table) -> int:
        return self.next_id[table.name] - self.first_id[table.name]


class _Importer:
    """Second pass, inside one write transaction: match rows to what the ledger holds, insert the rest."""

    def __init__(self, connection: Connection, groups: dict[tuple, _Group]):
        self.connection = connection
        self.groups = groups
        self.writer = _BulkWriter(connection)
        self.forecasters = {row.name_key: row.id for row in connection.execute(select(FORECASTER.c.name_key, FORECASTER.c.id))}
        self.sources: dict[str, int] = {}
        for row in connection.execute(select(SOURCE.c.id, SOURCE.c.title).order_by(SOURCE.c.id)):
            self.sources.setdefault(row.title.lower(), row.id)
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
        self.resolutions: set[tuple] = set()
        self.latest_stated: dict[int, date] = {}
        self.errors: list[tuple[int, str, str]] = []
        self.bad_rows = 0
        self.already_present = 0
        self._match_questions()

    def _match_questions(self) -> None:
        wanted: dict[tuple, list[_Group]] = {}
        for group in self.groups.values():
            wanted.setdefault(group.question[0:1] + group.question[2:3], []).append(group)
        matched: dict[int, _Group] = {}
        query = select(QUESTION.c.id, QUESTION.c.statement, QUESTION.c.resolve_by).order_by(QUESTION.c.id)
        for row in self.connection.execute(query, execution_options={"yield_per": CHUNK_ROWS}):
            waiting = wanted.get((row.statement, row.resolve_by))
            if waiting:
                group = waiting.pop(0)
                group.question_id, group.existing = row.id, True
                matched[row.id] = group
        if not matched:
            return
        for row in self.connection.execute(
            select(RESOLUTION.c.question_id, RESOLUTION.c.outcome, RESOLUTION.c.resolved_on).order_by(RESOLUTION.c.id)
        ):
            if row.question_id in matched:
                self.resolutions.add((row.question_id, row.outcome, row.resolved_on))
                self.current[row.question_id] = (row.outcome, row.resolved_on)
        query = select(
            FORECAST.c.question_id, FORECAST.c.forecaster_id, FORECAST.c.stated_on, FORECAST.c.probability, FORECAST.c.cue, FORECAST.c.quote
        )
        for row in self.connection.execute(query, execution_options={"yield_per": CHUNK_ROWS}):
            if row.question_id in matched:
                self.existing_forecasts[_forecast_key(*row)] += 1
                if row.stated_on > self.latest_stated.get(row.question_id, date.min):
                    self.latest_stated[row.question_id] = row.stated_on

    def _refuse(self, line: int, column: str, message: str) -> None:
        self.bad_rows += 1
        if len(self.errors) < ERRORS_SHOWN:
            self.errors.append((line, column, message))

    def _question_id(self, group: _Group) -> int:
        if group.question_id is None:
            statement, criteria, resolve_by, tags, scenario = group.question
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
            for tag in tags:
                self.writer.add(TAG, question_id=group.question_id, tag=tag)
        return group.question_id

    def _forecaster_id(self, name: str) -> int:
        key = records.forecaster_key(name)
        if key not in self.forecasters:
            self.forecasters[key] = self.writer.add(FORECASTER, name=name, name_key=key)
        return self.forecasters[key]

    def _source_id(self, source: Optional[tuple]) -> Optional[int]:
        if source is None:
            return None
        title, url, published_on = source
        if title.lower() not in self.sources:
            self.sources[title.lower()] = self.writer.add(SOURCE, title=title, url=url, published_on=published_on)
        return self.sources[title.lower()]

    def add_row(self, line: int, group_key: tuple, forecaster: str, source: Optional[tuple], forecast: dict) -> None:
        group = self.groups[group_key]
        question_id = self._question_id(group)
        forecaster_id = self._forecaster_id(forecaster)
        if group.existing:
            key = _forecast_key(question_id, forecaster_id, forecast["stated_on"], forecast["probability"], forecast["cue"], forecast["quote"])
            if self.existing_forecasts[key] > 0:
                self.existing_forecasts[key] -= 1
                self.already_present += 1
                return
            current = self.current.get(question_id)
            if current and forecast["stated_on"] > current[1]:
                self._refuse(line, "stated_on", f"question {question_id} in the ledger was resolved {current[0]} on {current[1]}; a forecast stated on {forecast['stated_on']}, after that, cannot be scored")
                return
        self.writer.add(FORECAST, question_id=question_id, forecaster_id=forecaster_id, source_id=self._source_id(source), **forecast)

    def add_resolutions(self) -> None:
        for group in self.groups.values():
            outcome, resolved_on, note, evidence = group.resolution
            if outcome is None:
                continue
            if (group.question_id, outcome, resolved_on) in self.resolutions:
                self.already_present += 1
                continue
            current = self.current.get(group.question_id)
            if current:
                self._refuse(group.line, "outcome", f"question {group.question_id} in the ledger is already resolved {current[0]} on {current[1]}, the file says {outcome} on {resolved_on}: correct it with 'ledger resolve {group.question_id} {outcome} --amend --note REASON'")
                continue
            latest = self.latest_stated.get(group.question_id)
            if latest and resolved_on < latest:
                self._refuse(group.line, "resolved_on", f"{resolved_on} is before question {group.question_id}'s latest forecast in the ledger ({latest}): a forecast cannot be made after its question was settled")
                continue
            self.writer.add(RESOLUTION, question_id=group.question_id, outcome=outcome, resolved_on=resolved_on, note=note, evidence=evidence)


def import_rows(
    ledger: Ledger,
    path: str,
    rows: Iterable[tuple[int, dict]],
    *,
    today: date,
    names: Optional[dict] = None,
    restore: bool = False,
    progress: Progress = None,
) -> dict[str, int]:
    """Check every (line, cells) row, then write what the ledger lacks in one transaction; returns the counts added.

    Rows the ledger holds already are matched (see docs/transfer.md) and skipped; a row
    that contradicts the ledger refuses the whole file and the transaction is rolled back.
    """
    with tempfile.TemporaryFile() as spool:
        groups = _validated(path, rows, names or {}, today, restore, spool, progress)
        with ledger.writing() as connection:
            importer = _Importer(connection, groups)
            done = 0
            for row in _spooled(spool):
                importer.add_row(*row)
                done += 1
                if progress and done % PROGRESS_EVERY == 0:
                    progress(done)
            importer.add_resolutions()
            if importer.bad_rows:
                raise _refusal(path, importer.bad_rows, importer.errors)  # rolls the transaction back
            importer.writer.finish()
    writer = importer.writer
    return {
        "rows": done,
        "sources": writer.added(SOURCE),
        "forecasters": writer.added(FORECASTER),
        "questions": writer.added(QUESTION),
        "forecasts": writer.added(FORECAST),
        "resolutions": writer.added(RESOLUTION),
        "already_present": importer.already_present,
    }


def import_file(ledger: Ledger, path: str, *, today: date, layout: str = "ledger", progress: Progress = None) -> dict[str, Any]:
    """Import a file: our CSV or JSON export, the seed file (.toml), or Fatebook's CSV export (layout='fatebook')."""
    if layout == "fatebook":
        return import_rows(ledger, path, _fatebook_rows(path), today=today, names=FATEBOOK_NAMES, progress=progress)
    if layout != "ledger":
        raise LedgerError(f"unknown --from {layout!r}: use ledger (our CSV, JSON or seed file) or fatebook")
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".toml":
        from ledger import seedfile

        return seedfile.load_seed_file(ledger, path, today=today)
    if suffix == ".json":
        return import_rows(ledger, path, _json_rows(path), today=today, progress=progress)
    return import_rows(ledger, path, _csv_rows(path), today=today, restore=True, progress=progress)
