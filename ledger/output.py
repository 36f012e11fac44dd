"""The one place rows and documents become text: tables (any tabulate format), CSV, JSON and HTML.

A command builds a `Document` (a title, one record, sections of rows, notes) and `render`s it;
nothing else decides how output looks.
"""

import csv
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any, Iterable, Iterator, Mapping, Optional, Sequence

from ledger.errors import LedgerError

TABLE = "table"
WRAP_AT = 60  # table cells wrap at this width; csv and json are never wrapped
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
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_csv_cell(row.get(name)) for name in columns] for row in rows)


def write_csv_tuples(rows: Iterable[Sequence[Any]], columns: Sequence[str], out: IO[str], text_at: Sequence[int], line_end: str = "\n") -> None:
    """Rows as tuples of plain values (str, int, float, None, dates); only the cells at `text_at` can need neutralising.

    The csv module quotes a cell holding a character of `line_end` only: "\r\n" quotes a bare carriage return too.
    """
    writer = csv.writer(out, lineterminator=line_end)
    writer.writerow(columns)
    writer.writerows(_neutralised(rows, text_at))


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
    from tabulate import tabulate

    table = [[_cell_text(row.get(name)) for name in names] for row in rows]
    style = "simple" if fmt == TABLE else fmt
    out.write(tabulate(table, headers=names, tablefmt=style, floatfmt=floatfmt, maxcolwidths=WRAP_AT) + "\n")


def print_record(record: Mapping[str, Any], fmt: str = TABLE, out: Optional[IO[str]] = None, floatfmt: str = ".3f") -> None:
    """One record: a JSON object, a one-row CSV, or a two-column field/value table."""
    out = out or sys.stdout
    if fmt == JSON:
        out.write(json.dumps(dict(record), default=json_default, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == CSV:
        write_csv([record], list(record), out)
        return
    from tabulate import tabulate

    pairs = [[name, _cell_text(value)] for name, value in record.items() if value not in (None, "", [])]
    style = "plain" if fmt == TABLE else fmt
    out.write(tabulate(pairs, tablefmt=style, floatfmt=floatfmt, maxcolwidths=[None, 2 * WRAP_AT]) + "\n")


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
        if isinstance(data, list):
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
        out.write(f"<h2>{_html_escape(section.title)}</h2>\n" if html else section.title + "\n")
        print_rows(section.rows, fmt, columns=section.columns, out=out, floatfmt=section.floatfmt, empty=section.empty)
        parts_written += 1
    if document.notes:
        separate()
    for note in document.notes:
        out.write(f"<p>{_html_escape(note)}</p>\n" if html else note + "\n")


def _html_escape(text: str) -> str:
    import html

    return html.escape(str(text))
