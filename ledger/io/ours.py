"""Our own file layout: one row per forecast in the columns of `COLUMNS`, as CSV or a JSON list.

Readers give (line number, {column: cell}) rows, nothing checked yet; writers take export
tuples in `COLUMNS` order. In JSON (and JSON Lines) the last row of a scenario's outcomes also has
the key `indicators`. docs/transfer.md describes the columns and the keys.
"""

import csv
import json
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Callable, Iterable, Iterator, Optional

from ledger.errors import LedgerError
from ledger.output import CSV, JSON, json_default, write_csv_tuples, write_json_list

COLUMNS = (
    "question_id", "statement", "criteria", "resolve_by", "tags", "scenario",
    "forecast_id", "forecaster", "probability", "cue", "scale", "range_low", "range_high",
    "stated_on", "source", "source_url", "source_published_on", "quote",
    "outcome", "resolved_on", "note", "evidence", "brier", "log_score", "scored",
    "condition_statement", "condition_resolve_by", "condition_outcome", "role",
)
# The question a conditional question counts under (by its statement and resolve-by date: ids change on import),
# and how it must resolve. Read apart from the other text columns (importer._read_condition): most rows have none.
CONDITION_COLUMNS = ("condition_statement", "condition_resolve_by", "condition_outcome")
NUMBER_COLUMNS = ("question_id", "forecast_id", "probability", "range_low", "range_high", "brier", "log_score")
# Worked out by the export, never read back: the scores, and whether the report scores this forecast.
DERIVED_COLUMNS = ("brier", "log_score", "scored")
TEXT_COLUMNS = tuple(name for name in COLUMNS if name not in NUMBER_COLUMNS + DERIVED_COLUMNS + CONDITION_COLUMNS)
REQUIRED_COLUMNS = ("statement", "resolve_by", "forecaster")
DATE_COLUMNS = ("resolve_by", "stated_on", "source_published_on", "resolved_on", "condition_resolve_by")
# Only free text can start like a formula: numbers, dates and yes/no never need neutralising.
NEUTRALISED_AT = tuple(COLUMNS.index(name) for name in (*TEXT_COLUMNS, "condition_statement") if name not in DATE_COLUMNS)
# JSON only: the key of a scenario's last row that holds the scenario's indicators, each an object with its
# text, its likelihood under each outcome (named by its statement), and its sightings (`amends`: the number,
# from 1, of the sighting of the same list it corrects). CSV carries no indicators.
INDICATORS_KEY = "indicators"
JSON_KEYS = (*COLUMNS, INDICATORS_KEY)
INDICATOR_KEYS = ("indicator", "likelihoods", "sightings")
LIKELIHOOD_KEYS = ("outcome", "likelihood", "rating")
SIGHTING_KEYS = ("observed_on", "seen", "source", "source_url", "source_published_on", "quote", "note", "amends")
TAG_SEPARATOR = "; "
# RFC 4180's line end; with "\n" alone the csv module would leave a carriage return in a cell unquoted.
CSV_LINE_END = "\r\n"
JSONL = "jsonl"
EXPORT_FORMATS = (CSV, JSON, JSONL)


@dataclass(frozen=True)
class Refused:
    """A cell a layout's reader cannot map (an unknown resolution word, say): the import refuses its row with `message`."""

    message: str


def escape_tag(tag: str) -> str:
    """A tag as written in a tags cell: a ';' inside it (and so a backslash) escaped with a backslash."""
    return tag.replace("\\", "\\\\").replace(";", "\\;")


def join_tags(tags: Iterable[str]) -> str:
    return TAG_SEPARATOR.join(map(escape_tag, tags))


def split_tags(cell: str) -> list[str]:
    """The tags of a tags cell: split at each ';' that is not escaped, escapes undone."""
    if "\\" not in cell:
        return cell.split(";")
    tags, current, characters = [], [], iter(cell)
    for character in characters:
        if character == "\\":
            current.append(next(characters, "\\"))
        elif character == ";":
            tags.append("".join(current))
            current = []
        else:
            current.append(character)
    tags.append("".join(current))
    return tags

# The csv module refuses cells over 131,072 characters by default; a quote the ledger stores can be longer.
CSV_CELL_LIMIT = 2**31 - 1
PROGRESS_EVERY = 10_000
# Called with the work done so far and, once it is known, the whole of it (for an import: each row checked, then written).
Progress = Optional[Callable[..., None]]


def estimate_rows(path: str) -> Optional[int]:
    """About how many rows a file to import holds (its lines, less a CSV header), read quickly: for a progress bar's total."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in (".csv", ".json", ".jsonl", ".ndjson") or not os.path.isfile(path):
        return None
    lines = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            lines += block.count(b"\n")
    return max(lines - (1 if suffix in (".csv", ".json") else 0), 0)


def counted(rows: Iterable, progress: Progress) -> Iterator:
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
        write_csv_tuples(counted(rows, progress), COLUMNS, out, NEUTRALISED_AT, CSV_LINE_END)
    elif fmt == JSON:
        write_json_list(_json_objects(counted(rows, progress)), out)
    elif fmt == JSONL:
        write_json_lines(_json_objects(counted(rows, progress)), out)
    else:
        raise LedgerError(f"export writes {', '.join(EXPORT_FORMATS)}, not {fmt!r}: use --format csv, json or jsonl")


def _json_objects(rows: Iterable[tuple]) -> Iterator[dict]:
    width = len(COLUMNS)
    for row in rows:
        element = dict(zip(COLUMNS, row))
        if len(row) > width:  # the row that completes a scenario carries its indicators
            element[INDICATORS_KEY] = row[width]
        yield element


def write_json_lines(rows: Iterable[dict], out: IO[str]) -> None:
    """One JSON object a line (JSON Lines): the form that streams, and that sqlite-utils and the data tools read."""
    for row in rows:
        out.write(json.dumps(row, default=json_default, ensure_ascii=False) + "\n")


def export_format(fmt: Optional[str], output: Optional[str]) -> str:
    """The asked format; without one, the output file's extension decides (.json, .jsonl), else CSV."""
    if fmt is None:
        suffix = os.path.splitext(output or "")[1].lower()
        return {".json": JSON, ".jsonl": JSONL, ".ndjson": JSONL}.get(suffix, CSV)
    if fmt not in EXPORT_FORMATS:
        raise LedgerError(f"export writes {', '.join(EXPORT_FORMATS)}, not {fmt!r}: use --format csv, json or jsonl")
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



# ---- reading -------------------------------------------------------------------


def open_text(path: str) -> IO[str]:
    try:
        return open(path, encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise LedgerError(f"no such file {path!r}: give a CSV or JSON export, or a seed file (.toml)") from None
    except IsADirectoryError:
        raise LedgerError(f"{path} is a folder: give a CSV or JSON file") from None


def check_header(path: str, header: list[str], known: Optional[Iterable[str]], required: Iterable[str]) -> None:
    """Refuse a missing column, and (unless `known` is None: a layout whose columns grow) an unknown one."""
    known = None if known is None else list(known)
    unknown = [] if known is None else [name for name in header if name not in known]
    if unknown:
        raise LedgerError(f"{path}: unknown column {unknown[0]!r}: the columns are {', '.join(known)}")
    missing = [name for name in required if name not in header]
    if missing:
        raise LedgerError(f"{path}: missing column {missing[0]!r}: a file to import needs {', '.join(required)}")


def csv_rows(path: str, known=COLUMNS, required=REQUIRED_COLUMNS) -> Iterator[tuple[int, dict]]:
    """(line number where the row starts, {column: cell}) for each row of a CSV file with a header."""
    csv.field_size_limit(CSV_CELL_LIMIT)
    with open_text(path) as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                raise LedgerError(f"{path} is empty: a file to import starts with a header row ({', '.join(required)}, ...)")
            header = [name.strip() for name in header]
            check_header(path, header, known, required)
            line = reader.line_num + 1
            for cells in reader:
                if "".join(cells).strip():  # a row of empty or blank cells is skipped
                    yield line, dict(zip(header, cells)) if len(cells) == len(header) else {None: cells}
                line = reader.line_num + 1
        except UnicodeDecodeError:
            raise LedgerError(f"{path} is not UTF-8 text: save it as UTF-8 CSV") from None
        except csv.Error as error:
            raise LedgerError(f"{path}, line {reader.line_num}: unreadable CSV ({error})") from None


def json_rows(path: str, known: Optional[Iterable[str]] = COLUMNS) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each element of a JSON list, decoded one element at a time; keys checked against `known`."""
    known = None if known is None else list(JSON_KEYS if known is COLUMNS else known)
    decoder = json.JSONDecoder()
    with open_text(path) as handle:
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
                except RecursionError:
                    raise refuse("a value nested too deeply (lists or objects inside each other thousands of times)") from None
            start_line = line
            line += buffer.count("\n", position, end)
            position = end
            count += 1
            _check_keys(path, start_line, element, known)
            yield start_line, element


def _check_keys(path: str, line: int, element: dict, known: Optional[list]) -> None:
    if known is not None:
        unknown = [name for name in element if name not in known]
        if unknown:
            raise LedgerError(f"{path}, line {line}: unknown key {unknown[0]!r}: the keys are {', '.join(known)}")


def jsonl_rows(path: str) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each line of a JSON Lines file (one object a line; blank lines skipped)."""
    with open_text(path) as handle:
        try:
            for line, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                try:
                    element = json.loads(text)
                except json.JSONDecodeError as error:
                    raise LedgerError(f"{path}, line {line}: unreadable JSON ({error.msg}): a JSON Lines file holds one object a line") from None
                except RecursionError:
                    raise LedgerError(f"{path}, line {line}: a value nested too deeply (lists or objects inside each other thousands of times)") from None
                if not isinstance(element, dict):
                    raise LedgerError(f"{path}, line {line}: not a JSON object: a JSON Lines file holds one object a line, as 'ledger export --format jsonl' writes")
                _check_keys(path, line, element, list(JSON_KEYS))
                yield line, element
        except UnicodeDecodeError:
            raise LedgerError(f"{path} is not UTF-8 text: save it as UTF-8") from None
