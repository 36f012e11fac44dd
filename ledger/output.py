"""The one place rows and documents become text: tables (any tabulate format), CSV, JSON and HTML.

A command builds a `Document` (a title, one record, sections of rows, notes) and `render`s it;
nothing else decides how output looks.
"""

import csv
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any, Iterable, Iterator, Mapping, Optional, Sequence

from ledger.errors import LedgerError

TABLE = "table"
WRAP_AT = 60  # a width for text laid out by hand outside tables; tables fit the terminal instead
CSV = "csv"
JSON = "json"
FORMAT_HELP = "Output: table (default), csv, json, or any tabulate format (github, plain, grid, ...)."

# OWASP's CSV-injection guidance: a text cell a spreadsheet would read as a formula
# gets a leading apostrophe. Cells that already start with apostrophes before such a
# character get one more, so that `restore_cell` undoes it exactly.
_FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")
_RISKY_FIRST = "'=+-@\t\r"  # a cell can need neutralising only if it starts with one of these


def check_format(name: str) -> str:
    from tabulate import tabulate_formats

    if name in (TABLE, CSV, JSON) or name in tabulate_formats:
        return name
    raise LedgerError(f"unknown format {name!r}: use table, csv, json, or a tabulate format such as github, plain, grid")


def neutralise_cell(value: Any) -> Any:
    if isinstance(value, str) and _FORMULA_START.match(value):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    if _NEUTRALISED.match(value):
        return value[1:]
    return value


def json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


# Control characters (and the Unicode ones that reorder text) in stored text could drive the
# terminal: an imported name holding ESC ] 0 ; ... would retitle the window. Tables and notes
# show them as visible escapes; CSV and JSON keep the text exactly (JSON escapes C0 itself).
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Text safe to print on a terminal: every control character shown as an escape such as \\x1b."""
    return _CONTROL.sub(_escape, text)


def _cell_text(value: Any) -> Any:
    """A value as a table or CSV cell: lists joined, dates ISO, None empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(item) for item in value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _table_cell(value: Any) -> Any:
    """A value as a table cell: as a CSV cell, but timestamps to the second and control characters escaped."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    value = _cell_text(value)
    return visible(value) if isinstance(value, str) else value


def terminal_width(out: IO[str]) -> Optional[int]:
    """The width tables must fit: $COLUMNS if set, else the terminal's; None when the output is not a terminal."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    isatty = getattr(out, "isatty", None)
    if isatty is not None and isatty():
        return shutil.get_terminal_size().columns
    return None


def _display_width(line: str) -> int:
    from wcwidth import wcswidth

    width = wcswidth(line)
    return width if width >= 0 else len(line)


_URL = re.compile(r"\S*(?:://|www\.)\S*")
_AFTER_HYPHEN = re.compile(r"(?<=[^\W\d]-)(?=[^\W\d])")  # north-/korea, not 2024-/11
LONG_WORD = 12
_AFTER_UNDERSCORE = re.compile(r"(?<=_)(?=.)")  # column names wrap after an underscore: resolve_ / by


def _pieces(line: str, heading: bool) -> list[tuple[str, str]]:
    """The parts one line may be wrapped between, each with the text that joins it to the one before.

    Words, and long hyphenated words after a hyphen (never a URL, which people copy whole); headings after '_'.
    """
    pieces: list[tuple[str, str]] = []
    for word in line.split():
        splitter = _AFTER_UNDERSCORE if heading else _AFTER_HYPHEN
        # URLs never break; short hyphenated words (Jong-un, north-korea) neither: only long ones may.
        whole = _URL.fullmatch(word) or (not heading and len(word) <= LONG_WORD)
        parts = [word] if whole else splitter.split(word)
        pieces += [(part, " " if at == 0 and pieces else "") for at, part in enumerate(parts)]
    return pieces


def _wrap(text: str, width: int, heading: bool = False) -> str:
    """Text wrapped to `width` between the pieces `_pieces` allows, so no word or URL is ever cut."""
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for piece, glue in _pieces(paragraph, heading):
            if line and _display_width(line + glue + piece) > width:
                lines.append(line)
                line = piece
            else:
                line += glue + piece if line else piece
        lines.append(line)
    return "\n".join(lines)


def _text_width(text: str) -> int:
    return max((_display_width(line) for line in text.split("\n")), default=0)


UNFITTABLE_WRAP = 30


def fit_table(table: list[list], headers: Sequence[str], width: Optional[int], render_table, floatfmt: str = ".3f") -> str:
    """Render; while a line is wider than `width`, narrow the widest text columns together, wrapping them.

    A column narrows no further than its longest word or URL (or the longest part of its
    heading), so nothing is cut; `render_table(cells, headers)` is the tabulate call, so every
    table format fits alike. Output that is not a terminal (`width` None) is not wrapped.
    """
    headers = list(headers)
    rendered = render_table(table, headers)
    if width is None or not table:
        return rendered
    text_columns = sorted({at for row in table for at, cell in enumerate(row) if isinstance(cell, str)} | set(range(len(headers))))

    def fixed_width(cell: Any) -> int:  # a number, never wrapped
        return len(format(cell, floatfmt)) if isinstance(cell, float) else len(str(cell))

    narrowest = {}
    for at in text_columns:
        pieces = [piece for row in table if isinstance(row[at], str) for piece, _glue in _pieces(row[at], False)]
        heading = [piece for piece, _glue in _pieces(headers[at], True)] if at < len(headers) else []
        narrowest[at] = max(
            [_display_width(piece) for piece in pieces] + [fixed_width(row[at]) for row in table if not isinstance(row[at], str)]
            + [_display_width(piece) for piece in heading] + [1]
        )
    cells, heads = table, headers
    for _ in range(5):
        overflow = max(_display_width(line) for line in rendered.splitlines()) - width
        if overflow <= 0:
            break
        current = {
            at: max([_text_width(row[at]) if isinstance(row[at], str) else fixed_width(row[at]) for row in cells]
                    + ([_text_width(heads[at])] if at < len(heads) else []))
            for at in text_columns
        }
        level = _water_level(current, narrowest, overflow)
        limits = {at: max(narrowest[at], min(current[at], level)) for at in text_columns}
        if 0 < level < 2 * WIDE:
            # Capping every wide column at one level would leave the statement as narrow as a
            # list of names: share the cut among them by how much each can give instead.
            limits = _shrink_by_slack(current, narrowest, overflow) or limits
        if level == 0 and max(narrowest.values()) > width // 2:
            # A URL wider than half the terminal: the table cannot fit. Wrap the text around it to
            # the room there is, and the other columns no narrower than can be read.
            table_width = overflow + width
            limits = {
                at: max(UNFITTABLE_WRAP, min(current[at], width - (table_width - current[at])))
                if narrowest[at] > width // 2 else max(narrowest[at], min(current[at], UNFITTABLE_WRAP))
                for at in text_columns
            }
        if all(limits[at] >= current[at] for at in text_columns):
            break
        cells = [
            [_wrap(cell, limits[at]) if at in limits and isinstance(cell, str) and limits[at] < current[at] else cell
             for at, cell in enumerate(row)]
            for row in table
        ]
        heads = [
            _wrap(name, limits[at], heading=True) if at in limits and limits[at] < current[at] else name
            for at, name in enumerate(headers)
        ]
        rendered = render_table(cells, heads)
    return rendered


WIDE = 16  # a column at least this wide (a statement, a quote, names) is a wide one


def _shrink_by_slack(current: dict, narrowest: dict, overflow: int) -> Optional[dict]:
    """Widths saving `overflow` from the wide columns alone, each giving in proportion to the room it has
    above its narrowest; None when they cannot save that much."""
    wide = [at for at in current if current[at] >= WIDE]
    slack = {at: current[at] - narrowest[at] for at in wide}
    if sum(slack.values()) < overflow:
        return None
    limits = dict(current)
    total = sum(slack.values())
    for at in wide:
        limits[at] = current[at] - -(-overflow * slack[at] // total)  # rounding up, so the cuts add up to at least overflow
    return limits


def _water_level(current: dict, narrowest: dict, overflow: int) -> int:
    """The highest width cap that, applied to every text column (none below its narrowest), saves `overflow`."""
    for level in range(max(current.values()), 0, -1):
        saved = sum(width - max(narrowest[at], min(width, level)) for at, width in current.items())
        if saved >= overflow:
            return level
    return 0


def _tabulate():
    import tabulate as tabulate_module

    # tabulate widens every heading by MIN_PADDING (2) columns; at 80 columns those are the
    # characters a ten-column table needs. tabulate reads the module constant on each call.
    tabulate_module.MIN_PADDING = 0
    return tabulate_module.tabulate


def _columns(rows: Sequence[Mapping[str, Any]], columns: Optional[Sequence[str]]) -> list[str]:
    if columns:
        return list(columns)
    names: list[str] = []
    for row in rows:
        for name in row:
            if name not in names:
                names.append(name)
    return names


def _csv_cell(value: Any) -> Any:
    """A value as a CSV cell, formulas neutralised; the common kinds first, as exports write millions of cells."""
    kind = type(value)
    if kind is str:
        return "'" + value if value[:1] in _RISKY_FIRST and _FORMULA_START.match(value) else value
    if kind is float or kind is int:
        return value
    if value is None:
        return ""
    return neutralise_cell(_cell_text(value))


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], out: IO[str]) -> None:
    _write_csv_lines(([_csv_cell(row.get(name)) for name in columns] for row in rows), columns, out, "\n")


def write_csv_tuples(rows: Iterable[Sequence[Any]], columns: Sequence[str], out: IO[str], text_at: Sequence[int], line_end: str = "\n") -> None:
    """Rows as tuples of plain values (str, int, float, None, dates); only the cells at `text_at` can need neutralising
    or quoting (numbers, dates and booleans never do)."""
    _write_csv_lines(_neutralised(rows, text_at), columns, out, line_end, text_at)


CSV_CHUNK_ROWS = 1000


def _write_csv_lines(rows: Iterable[Sequence[Any]], columns: Sequence[str], out: IO[str], line_end: str,
                     text_at: Optional[Sequence[int]] = None) -> None:
    """The bytes of the csv module's writer (the excel dialect, minimal quoting), a chunk of rows at a time.

    Written by hand as the module writes them, because its per-cell work was most of a million-row export:
    None as an empty cell, every other value as str(); a cell holding a comma, a quote mark or a character of
    `line_end` quoted, its quote marks doubled. (So with "\n" alone a bare carriage return stays unquoted, as
    in the module's output: the ledger's own files end lines with "\r\n".)
    """
    if len(columns) < 2:  # the module's one other case: a row of one empty cell is written ""
        writer = csv.writer(out, lineterminator=line_end)
        writer.writerow(columns)
        writer.writerows(rows)
        return
    quoted = re.compile('[,"' + line_end + "]").search
    lines = [",".join('"' + name.replace('"', '""') + '"' if quoted(name) else name for name in columns)]
    for row in rows:
        cells = ["" if value is None else str(value) for value in row]
        for at in range(len(cells)) if text_at is None else text_at:
            if quoted(cells[at]):
                cells[at] = '"' + cells[at].replace('"', '""') + '"'
        lines.append(",".join(cells))
        if len(lines) >= CSV_CHUNK_ROWS:
            lines.append("")
            out.write(line_end.join(lines))
            lines.clear()
    lines.append("")
    out.write(line_end.join(lines))


def _neutralised(rows: Iterable[Sequence[Any]], text_at: Sequence[int]) -> Iterator[Sequence[Any]]:
    risky = _RISKY_FIRST
    for row in rows:
        for at in text_at:
            value = row[at]
            if value and value[0] in risky and _FORMULA_START.match(value):
                row = [_csv_cell(value) for value in row]
                break
        yield row


def write_json_list(rows: Iterable[Any], out: IO[str]) -> None:
    """A JSON list written one element at a time, so a long stream never sits in memory."""
    out.write("[")
    separator = "\n"
    for row in rows:
        out.write(separator + json.dumps(row, default=json_default, ensure_ascii=False))
        separator = ",\n"
    out.write("\n]\n" if separator != "\n" else "]\n")


def print_rows(
    rows: Iterable[Mapping[str, Any]],
    fmt: str = TABLE,
    columns: Optional[Sequence[str]] = None,
    out: Optional[IO[str]] = None,
    floatfmt: str = ".3f",
    empty: str = "(none)",
) -> None:
    """Render rows (dicts) in the asked format; `columns` picks and orders the keys for table and CSV."""
    out = out or sys.stdout
    if fmt == JSON:
        write_json_list((dict(row) for row in rows), out)
        return
    if fmt == CSV and columns:
        write_csv(rows, columns, out)  # streams
        return
    rows = list(rows)
    names = _columns(rows, columns)
    if fmt == CSV:
        write_csv(rows, names, out)
        return
    if not rows:
        out.write(empty + "\n")
        return
    tabulate = _tabulate()
    table = [[_table_cell(row.get(name)) for name in names] for row in rows]
    style = "simple" if fmt == TABLE else fmt
    headers = [visible(str(name)) for name in names]
    width = None if fmt in HTML_FORMATS else terminal_width(out)
    text = fit_table(table, headers, width, lambda cells, heads: tabulate(cells, headers=heads, tablefmt=style, floatfmt=floatfmt), floatfmt)
    if fmt == TABLE and width is not None and _text_width(text) > width:
        # Too wide even narrowed (a URL longer than the terminal): one block of field/value lines per row.
        blocks = [_record_table(dict(zip(names, row)), style="plain", floatfmt=floatfmt, width=width) for row in table]
        out.write("\n\n".join(blocks) + "\n")
        return
    out.write(text + "\n")


def print_record(record: Mapping[str, Any], fmt: str = TABLE, out: Optional[IO[str]] = None, floatfmt: str = ".3f") -> None:
    """One record: a JSON object, a one-row CSV, or a two-column field/value table."""
    out = out or sys.stdout
    if fmt == JSON:
        out.write(json.dumps(dict(record), default=json_default, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == CSV:
        write_csv([record], list(record), out)
        return
    style = "plain" if fmt == TABLE else fmt
    width = None if fmt in HTML_FORMATS else terminal_width(out)
    out.write(_record_table(record, style, floatfmt, width) + "\n")


def _record_table(record: Mapping[str, Any], style: str, floatfmt: str, width: Optional[int]) -> str:
    """A record as a two-column field/value table, fitted to `width`; empty fields left out."""
    tabulate = _tabulate()
    # One column holds every field, so tabulate cannot format its numbers as a column: do it here.
    pairs = [
        [visible(str(name)), format(value, floatfmt) if isinstance(value, float) else _table_cell(value)]
        for name, value in record.items() if value not in (None, "", [])
    ]
    return fit_table(pairs, (), width, lambda cells, _heads: tabulate(cells, tablefmt=style, floatfmt=floatfmt), floatfmt)


HTML_FORMATS = ("html", "unsafehtml")


@dataclass
class Section:
    """One table of a document: its JSON key, its heading, its rows (dicts) and the columns shown."""

    key: str
    title: str
    rows: list
    columns: Optional[Sequence[str]] = None
    empty: str = "(none)"
    floatfmt: str = ".3f"


@dataclass
class Document:
    """What a command prints: a record (key/value), sections of rows and notes, in that order.

    `main` names the section that is the document's table for CSV (default: the first section,
    or the record when there is none); `data` replaces what JSON prints (default: the record with
    each section's rows under its key, or the one section's rows when there is no record).
    """

    record: Optional[Mapping[str, Any]] = None
    sections: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    main: Optional[str] = None
    data: Any = None

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)


def _json_data(document: Document) -> Any:
    if document.data is not None:
        return document.data
    if document.record is None:
        if len(document.sections) == 1:
            return document.sections[0].rows
        return {section.key: section.rows for section in document.sections}
    return {**document.record, **{section.key: section.rows for section in document.sections}}


def render(document: Document, fmt: str = TABLE, out: Optional[IO[str]] = None) -> None:
    """Write a document in any format: JSON one value; CSV one table; tables and HTML every part with headings."""
    out = out or sys.stdout
    if fmt == JSON:
        data = _json_data(document)
        if isinstance(data, (list, Iterator)):
            write_json_list(data, out)
        else:
            out.write(json.dumps(data, default=json_default, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == CSV:
        if document.main is None and not document.sections:
            print_record(document.record or {}, CSV, out)
            return
        main = document.section(document.main) if document.main else document.sections[0]
        print_rows(main.rows, CSV, columns=main.columns or None, out=out)
        return
    html = fmt in HTML_FORMATS
    parts_written = 0

    def separate() -> None:
        if parts_written:
            out.write("\n")

    if document.record is not None:
        print_record(document.record, fmt, out)
        parts_written += 1
    for section in document.sections:
        separate()
        if section.title:
            out.write(f"<h2>{_html_escape(section.title)}</h2>\n" if html else _terminal_text(section.title, out))
        print_rows(section.rows, fmt, columns=section.columns, out=out, floatfmt=section.floatfmt, empty=section.empty)
        parts_written += 1
    if document.notes:
        separate()
    for note in document.notes:
        out.write(f"<p>{_html_escape(note)}</p>\n" if html else _terminal_text(note, out))


def _terminal_text(text: str, out: IO[str]) -> str:
    """A heading or note as a line for the terminal: control characters escaped, wrapped to its width."""
    width = terminal_width(out)
    return (_wrap(visible(text), width) if width else visible(text)) + "\n"


def _html_escape(text: str) -> str:
    import html

    return html.escape(str(text))
