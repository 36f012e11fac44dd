"""Forgery that a plain chain check used to miss: a forged write time, a cut tail, a date stored as other text."""

import json
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


# ---- item 5: a head kept outside the ledger, read back from a file -------------------------------


@pytest.mark.skipif(LEDGER is None, reason="the ledger command is not installed (pip install -e .)")
def test_cutting_off_the_tail_passes_a_plain_verify_but_not_the_head_kept_in_a_file(written_file, db_path, tmp_path):
    kept = tmp_path / "published-heads.txt"
    printed = installed_ledger("--db", db_path, "verify")
    assert printed.returncode == 0
    kept.write_text(printed.stdout, encoding="utf-8")  # ledger verify >> published-heads.txt
    assert installed_ledger("--db", db_path, "verify", "--head-file", str(kept)).returncode == 0
    tamper(db_path, "DELETE FROM resolution WHERE id = 2", "DELETE FROM chain_entry WHERE id = (SELECT max(id) FROM chain_entry)")
    assert installed_ledger("--db", db_path, "verify").returncode == 0  # what is left is a shorter, valid chain
    cut = installed_ledger("--db", db_path, "verify", "--head-file", str(kept))
    assert cut.returncode == 1 and cut.stderr.count("\n") == 1 and "not in the chain" in cut.stderr, cut.stderr


def test_a_head_file_holds_verifys_line_its_json_or_hashes_with_notes_and_the_last_head_counts(written, tmp_path):
    first = written.json("verify")["head"]
    written.ok("forecast", "2", "--who", "Randall Schriver", "--prob", "0.2", "--stated", "2024-11-21")
    second = written.json("verify")["head"]
    kept = tmp_path / "heads"
    kept.write_text(written.ok("verify", "--head", first).stdout, encoding="utf-8")
    assert written.json("verify", "--head-file", str(kept))["entries_since_published"] == 0
    kept.write_text(json.dumps(written.json("verify", "--head", first), indent=2), encoding="utf-8")  # head, then published_head
    assert written.json("verify", "--head-file", str(kept))["published_head"] == second
    kept.write_text(f"{first}  2026-11-01, in the newsletter\n{second[:12]}  2026-11-23, to a colleague\n\n", encoding="utf-8")
    assert written.json("verify", "--head-file", str(kept))["published_head"] == second[:12]
    kept.write_text(f"{second}\n{'f' * 64}  a head this ledger never had\n", encoding="utf-8")
    refused(written("verify", "--head-file", str(kept)), 1, "published head", "not in the chain")


def test_an_unreadable_head_file_is_refused_in_one_line(written, tmp_path):
    refused(written("verify", "--head-file", str(tmp_path / "missing.txt")), 2, "cannot read --head-file", "No such file")
    refused(written("verify", "--head-file", str(tmp_path)), 2, "cannot read --head-file")
    (tmp_path / "notes.txt").write_text("published on Monday\n", encoding="utf-8")
    refused(written("verify", "--head-file", str(tmp_path / "notes.txt")), 2, "holds no head hash", "64 hex digits")
    (tmp_path / "binary").write_bytes(b"\xff\xfe\x00")
    refused(written("verify", "--head-file", str(tmp_path / "binary")), 2, "not UTF-8")
    head = written.json("verify")["head"]
    (tmp_path / "head").write_text(head, encoding="utf-8")
    refused(written("verify", "--head", head, "--head-file", str(tmp_path / "head")), 2, "not both")
