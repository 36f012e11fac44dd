"""The readers of what users type and files hold raise the ledger's own error or succeed, never anything else.

Hypothesis feeds the date, deadline, probability and import-row readers text and values from
everywhere, including the edges of the calendar; in CI the examples are derandomized (conftest.py),
so a run is repeatable.
"""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import dates, likelihood, rules
from ledger.errors import LedgerError

EDGE_DAYS = st.sampled_from([date.min, date(1, 1, 31), date(2024, 2, 29), date(9999, 12, 1), date.max]) | st.dates()
PHRASE_WORDS = st.sampled_from([
    "within", "in", "by", "before", "the", "end", "of", "next", "this", "year", "years", "month", "months", "quarter",
    "first", "half", "mid", "Q3", "December", "summer", "100000", "0000", "0001-01-01", "9999-12-31", "6", "six", "days",
    "weeks", "-", "to", "and", "over", "earlier", "than", "year-end", "today", "Monday", "late", "early",
])
PHRASES = st.lists(PHRASE_WORDS, min_size=1, max_size=6).map(" ".join) | st.text(max_size=40)


def refused_or_read(read, *args):
    try:
        return read(*args)
    except LedgerError:
        return None


@settings(max_examples=600)
@given(PHRASES, EDGE_DAYS)
def test_deadline_phrases_read_or_refuse(phrase, said_on):
    deadline = refused_or_read(dates.resolve_deadline, phrase, said_on)
    assert deadline is None or isinstance(deadline, date)


@settings(max_examples=600)
@given(PHRASES | st.text(alphabet="0123456789-/. ", max_size=12))
def test_dates_read_or_refuse(text):
    assert refused_or_read(dates.parse_date, text) is None or isinstance(dates.parse_date(text), date)


@settings(max_examples=600)
@given(st.text(max_size=20) | st.floats().map(repr) | st.integers().map(str) | st.sampled_from(["1e-5", "-0.1", "150%", "nan", "inf", "1e400"]))
def test_probabilities_read_or_refuse(text):
    reading = refused_or_read(rules.read_probability, text)
    assert reading is None or 0.0 <= reading["probability"] <= 1.0
    value = refused_or_read(likelihood.parse_probability, text)
    assert value is None or 0.0 <= value <= 1.0


CELL = st.none() | st.text(max_size=30) | st.integers() | st.floats() | st.booleans() | st.lists(st.integers(), max_size=3) | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)
COLUMN_VALUES = {
    "statement": CELL | st.just("A summit is held"),
    "resolve_by": CELL | st.sampled_from(["2027-01-01", "0000-01-01", "9999-12-31"]),
    "forecaster": CELL | st.just("Hong Min"),
    "probability": CELL | st.sampled_from(["0.3", "1e-05", "30%"]),
    "cue": CELL | st.sampled_from(["may", "might not"]),
    "stated_on": CELL | st.sampled_from(["2026-01-01", "0001-01-01"]),
    "outcome": CELL | st.sampled_from(["yes", "no", "maybe"]),
    "resolved_on": CELL,
    "tags": CELL,
    "quote": CELL,
}


@settings(max_examples=800)
@given(st.fixed_dictionaries({}, optional=COLUMN_VALUES))
def test_import_rows_are_read_or_refused_naming_a_column(row):
    from ledger.io import importer

    try:
        importer._read_row(row, today=date(2026, 11, 23), restore=False)
    except importer._BadCell as refused:
        assert str(refused)
    except LedgerError:
        pass


@pytest.mark.parametrize("phrase, said_on", [
    ("within 100000 years", date(2026, 1, 1)),
    ("before 0001-01-01", date(2026, 1, 1)),
    ("0000", date(2026, 1, 1)),
    ("next month", date(9999, 12, 31)),
    ("end of next year", date(9999, 6, 1)),
])
def test_the_edges_of_the_calendar_are_refused_with_the_ledgers_error(phrase, said_on):
    with pytest.raises(LedgerError):
        dates.resolve_deadline(phrase, said_on)



TEXT_CELLS = st.none() | st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(',"\r\n;\' =-'), max_size=12)
VALUE_CELLS = st.none() | st.integers() | st.floats() | st.booleans() | st.dates()


@settings(max_examples=400)
@given(st.lists(st.tuples(TEXT_CELLS, TEXT_CELLS, VALUE_CELLS), max_size=5), st.sampled_from(["\n", "\r\n"]))
def test_csv_is_written_as_the_csv_module_writes_it(rows, line_end):
    """output's CSV writer joins cells by hand for speed; what it writes is RFC 4180 as the csv module writes it."""
    import csv
    import io

    from ledger.output import _csv_cell, _neutralised, write_csv, write_csv_tuples

    columns = ["a", "b,c", 'd"']
    theirs = io.StringIO()
    writer = csv.writer(theirs, lineterminator=line_end)
    writer.writerow(columns)
    writer.writerows(_neutralised(rows, (0, 1)))  # formula-like text is neutralised first (test_bad_input), for both
    ours = io.StringIO()
    write_csv_tuples(rows, columns, ours, text_at=(0, 1), line_end=line_end)
    assert ours.getvalue() == theirs.getvalue()
    if line_end == "\n":  # the reports' CSV: rows as mappings, each cell made a CSV cell (_csv_cell), every cell looked at
        theirs = io.StringIO()
        writer = csv.writer(theirs, lineterminator=line_end)
        writer.writerow(columns)
        writer.writerows([_csv_cell(value) for value in row] for row in rows)
        ours = io.StringIO()
        write_csv([dict(zip(columns, row)) for row in rows], columns, ours)
        assert ours.getvalue() == theirs.getvalue()
