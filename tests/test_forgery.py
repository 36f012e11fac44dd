"""Forgery that a plain chain check used to miss: a forged write time, a cut tail, a date stored as other text."""

import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, text

from conftest import LedgerCLI
from ledger import chain, store
from test_integrity import LEDGER, both_passes, documented_check, entry_of, installed_ledger, refused, tamper, write_some

@pytest.fixture
def written(cli):
    return write_some(cli)


@pytest.fixture
def written_file(db_path):
    return write_some(LedgerCLI(db_path))


def run_sql(db_url, *statements):
    """Edit the ledger with a plain database connection, as someone with the sqlite3 shell or psql would."""
    engine = create_engine(store.database_url(db_url))
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()


# ---- item 4: the write time `ledger log` shows is checked against the hashed record -------------


def test_a_forged_write_time_in_the_chain_is_caught_by_verify(written, db_url):
    entry = written.json("log", "--limit", "0")[-3]  # an older write, not the head
    run_sql(db_url, f"UPDATE chain_entry SET recorded_at = '2019-04-13 00:00:00' WHERE id = {entry['entry_id']}")
    shown = next(row for row in written.json("log", "--limit", "0") if row["entry_id"] == entry["entry_id"])
    assert shown["recorded_at"].startswith("2019-04-13")  # the log shows what is stored...
    message = refused(written("verify"), 1, f"chain entry {entry['entry_id']} says {entry['table'].replace('_', ' ')}",
                      "2019-04-13T00:00:00+00:00", "write time was changed")
    assert entry["recorded_at"] in message  # ...and verify names the record's own, hashed time


@pytest.mark.parametrize("parts_from", [chain.PARALLEL_FROM, 1])
def test_both_passes_catch_a_forged_write_time(written_file, db_path, monkeypatch, parts_from):
    monkeypatch.setattr(chain, "PARALLEL_FROM", parts_from)  # 1: the fast pass checks the chain in parts
    entry = entry_of(db_path, "forecast", 2)
    tamper(db_path, f"UPDATE chain_entry SET recorded_at = '2019-06-01 09:00:00.000000' WHERE id = {entry}")
    with pytest.raises(chain.CheckFailed, match=f"chain entry {entry} says forecast 2 was written at 2019-06-01T09:00:00"):
        both_passes(db_path)  # the fast pass leaves it to the reference pass, which names it
    refused(written_file("verify"), 1, f"chain entry {entry} says forecast 2")


def test_the_documented_check_catches_a_forged_write_time(written_file, db_path, tmp_path):
    script = documented_check(tmp_path)
    entry = entry_of(db_path, "resolution", 1)
    tamper(db_path, f"UPDATE chain_entry SET recorded_at = '2020-01-01 00:00:00.000000' WHERE id = {entry}")
    caught = subprocess.run([sys.executable, str(script), db_path], capture_output=True, text=True, timeout=60)
    assert caught.returncode != 0 and f"chain entry {entry} (resolution 1)" in caught.stderr


def row_counts(db_path) -> dict:
    """How many rows each table holds, read with plain sqlite3 (the ledger refuses to read a tampered file)."""
    with sqlite3.connect(db_path) as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables}


# ---- item 5: a date stored as other text is named, by every command that reads it ----------------

UNREADABLE = [
    ("question", "resolve_by", 1, "'soon'", ["verify", "show 1", "list", "log", "report"]),
    ("forecast", "stated_on", 2, "'June 2019'", ["verify", "show 1", "log"]),
    ("resolution", "resolved_on", 1, "20200101", ["verify", "show 1", "log"]),
    ("forecast", "recorded_at", 1, "'yesterday'", ["verify", "show 1"]),
]


@pytest.mark.parametrize("table, column, record_id, stored, commands", UNREADABLE, ids=[f"{t}.{c}" for t, c, *_ in UNREADABLE])
def test_a_date_stored_as_other_text_is_named_by_every_command_that_reads_it(written_file, db_path, table, column, record_id,
                                                                             stored, commands):
    tamper(db_path, f"UPDATE {table} SET {column} = {stored} WHERE id = {record_id}")
    entry = entry_of(db_path, table, record_id)
    for command in commands:
        message = refused(written_file(*command.split()), 1, f"{table} {record_id} does not match its chain entry {entry}",
                          f"its {column} holds {stored.strip(chr(39))!r}" if stored.startswith("'") else f"holds {stored}")
        assert "isoformat" not in message, command


def test_a_write_that_reads_an_unreadable_date_is_refused_naming_it_and_writes_nothing(written_file, db_path):
    tamper(db_path, "UPDATE question SET resolve_by = 'soon' WHERE id = 1")
    before = row_counts(db_path)
    refused(written_file("forecast", "1", "--who", "Someone", "--prob", "0.5", "--stated", "2019-05-01"), 1,
            "question 1 does not match its chain entry 1", "resolve_by holds 'soon'")
    assert row_counts(db_path) == before


def test_an_unreadable_date_in_a_row_inserted_behind_the_ledgers_back_is_named(written_file, db_path):
    tamper(db_path, "INSERT INTO question (id, statement, resolve_by, recorded_at) VALUES (9, 'Forged', 'never', '2026-11-23 00:00:00.000000')")
    refused(written_file("verify"), 1, "question 9 is not in the chain (inserted behind the ledger's back)", "holds 'never'")
    refused(written_file("list"), 1, "question 9 is not in the chain")


@pytest.mark.skipif(LEDGER is None, reason="the ledger command is not installed (pip install -e .)")
def test_the_installed_command_names_an_unreadable_date_without_a_traceback(written_file, db_path):
    tamper(db_path, "UPDATE forecast SET stated_on = 'June 2019' WHERE id = 2")
    for command in (["verify"], ["show", "1"], ["show", "1", "--format", "json"]):
        result = installed_ledger("--db", db_path, *command)
        assert result.returncode == 1 and result.stdout == "", result
        assert result.stderr.count("\n") == 1 and "forecast 2 does not match its chain entry" in result.stderr, result.stderr
