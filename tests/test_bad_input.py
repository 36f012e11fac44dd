"""Every kind of bad input: one line on stderr saying what is wrong and what is accepted, exit 2, ledger unchanged."""

import pytest

from conftest import snapshot


@pytest.fixture
def one_question(cli):
    cli.ok("add", "A third US-North Korea summit is held", "--by", "end of this year", "--stated", "2019-04-13",
           "--who", "observers", "--says", "is expected to")
    return cli


BAD_COMMANDS = {
    "probability above one": (["forecast", "1", "--who", "X", "--prob", "1.3"], "0 to 1"),
    "probability below zero": (["forecast", "1", "--who", "X", "--prob", "-0.2"], "0 to 1"),
    "percentage above 100": (["forecast", "1", "--who", "X", "--prob", "130%"], "0 to 1"),
    "probability not a number": (["forecast", "1", "--who", "X", "--prob", "lots"], "30%"),
    "both prob and says": (["forecast", "1", "--who", "X", "--prob", "0.3", "--says", "may"], "not both"),
    "neither prob nor says": (["forecast", "1", "--who", "X"], "--prob"),
    "unknown words": (["forecast", "1", "--who", "X", "--says", "perchance, mayhaps"], "likely"),
    "unreadable stated date": (["forecast", "1", "--who", "X", "--prob", "0.3", "--stated", "the other day"], "YYYY-MM-DD"),
    "unreadable deadline": (["add", "Claim", "--by", "soonish", "--who", "X", "--prob", "0.3"], "end of this year"),
    "deadline before stated date": (["add", "Claim", "--by", "2019-01-01", "--stated", "2019-04-13", "--who", "X", "--prob", "0.3"], "before the stated date"),
    "empty statement": (["add", "   ", "--by", "2030-01-01", "--who", "X", "--prob", "0.3"], "statement is empty"),
    "unknown question id": (["forecast", "99", "--who", "X", "--prob", "0.3"], "ledger list"),
    "show unknown question": (["show", "99"], "ledger list"),
    "resolve unknown question": (["resolve", "99", "yes", "--on", "2019-06-30"], "ledger list"),
    "unknown outcome word": (["resolve", "1", "maybe", "--on", "2019-12-31"], "yes, no, ambiguous or annulled"),
    "resolution in the future": (["resolve", "1", "no", "--on", "2030-01-01"], "after today"),
    "amend without a note": (["resolve", "1", "no", "--amend", "--on", "2020-01-01"], "--note"),
    "amend with nothing to amend": (["resolve", "1", "no", "--amend", "--note", "x", "--on", "2020-01-01"], "without --amend"),
    "unknown format": (["list", "--format", "xml"], "json"),
    "unknown status": (["list", "--status", "late"], "open, due, resolved or all"),
    "unknown source id": (["forecast", "1", "--who", "X", "--prob", "0.3", "--source", "42"], "source list"),
    "forecast stated after the deadline": (["forecast", "1", "--who", "X", "--prob", "0.3", "--stated", "2020-02-01"], "resolve-by"),
    "missing option": (["add", "Claim", "--who", "X", "--prob", "0.3"], "--by"),
    "missing source file": (["source", "add", "no/such/file.txt", "--title", "T"], "no such file"),
    "unknown scale": (["forecast", "1", "--who", "X", "--says", "likely", "--scale", "astrology"], "icd203"),
}


@pytest.mark.parametrize("case", sorted(BAD_COMMANDS))
def test_bad_input_is_refused_in_one_line_and_nothing_is_written(one_question, db_url, case):
    args, hint = BAD_COMMANDS[case]
    before = snapshot(db_url)
    result = one_question(*args)
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert hint.lower() in lines[0].lower()
    assert "Traceback" not in result.stderr
    assert snapshot(db_url) == before


def test_resolving_twice_without_amend_is_refused(one_question, db_url):
    one_question.ok("resolve", "1", "no", "--on", "2020-01-01", "--note", "No summit")
    before = snapshot(db_url)
    result = one_question("resolve", "1", "yes", "--on", "2020-01-02")
    assert result.exit_code == 2
    assert "already resolved" in result.stderr and "--amend" in result.stderr
    assert snapshot(db_url) == before


def test_forecast_after_resolution_is_refused(one_question, db_url):
    one_question.ok("resolve", "1", "no", "--on", "2019-07-01", "--note", "Settled early")
    before = snapshot(db_url)
    result = one_question("forecast", "1", "--who", "Late", "--prob", "0.1", "--stated", "2019-08-01")
    assert result.exit_code == 2 and "resolved" in result.stderr
    assert snapshot(db_url) == before


def test_db_that_is_not_a_ledger_is_refused(tmp_path):
    from conftest import LedgerCLI

    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("these are my notes, not a database\n" * 100)
    result = LedgerCLI(str(not_sqlite))("list")
    assert result.exit_code == 2 and "not a ledger" in result.stderr
    assert not_sqlite.read_text().startswith("these are my notes")

    import sqlite3

    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    result = LedgerCLI(str(other))("list")
    assert result.exit_code == 2 and "not a ledger" in result.stderr
    with sqlite3.connect(other) as connection:
        assert [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["recipes"]


def test_db_in_a_missing_folder_is_refused(tmp_path):
    from conftest import LedgerCLI

    result = LedgerCLI(str(tmp_path / "nowhere" / "forecasts.db"))("list")
    assert result.exit_code == 2 and "does not exist" in result.stderr
