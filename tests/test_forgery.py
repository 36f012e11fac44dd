"""Forgery that a plain chain check used to miss: a forged write time, a cut tail, a date stored as other text."""

import json
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, text

from conftest import LedgerCLI, snapshot
from ledger import chain, store
from test_integrity import both_passes, documented_check, entry_of, installed_ledger, record_count, refused, tamper, write_some

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
