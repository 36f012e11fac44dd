"""The hash chain: verify catches edits made behind the ledger's back; log, backup, crash safety."""

import hashlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, delete, insert, select

from conftest import REPO, TODAY, LedgerCLI, snapshot
from ledger import backup, chain
from ledger.errors import LedgerError
from ledger.model import RECORD_TABLES

LEDGER = shutil.which("ledger")
HEX64 = re.compile(r"^[0-9a-f]{64}$")


def write_some(cli):
    """One of every common write: a source, questions, forecasts, a tag, a resolution and an amendment."""
    cli.ok("add", "A third US-North Korea summit is held", "--by", "end of this year", "--stated", "2019-04-13",
           "--who", "observers", "--says", "is expected to", "--tag", "summit")
    cli.ok("forecast", "1", "--who", "Hong Min", "--prob", "30%", "--stated", "2019-06-01", "--source", "https://example.org/a",
           "--quote", "Talks may resume.")
    cli.ok("add", "Talks resume in 2025", "--by", "2025-12-31", "--stated", "2024-11-22", "--who", "김정은", "--prob", "0.6")
    cli.ok("resolve", "1", "no", "--on", "2020-01-01", "--note", "No summit by year end")
    cli.ok("resolve", "1", "ambiguous", "--on", "2020-01-02", "--note", "Panmunjom disputed", "--amend")
    return cli


@pytest.fixture
def written(cli):
    """Some writes, on each database the suite runs against."""
    return write_some(cli)


@pytest.fixture
def written_file(db_path):
    """Some writes in an SQLite file, for tests that edit the file behind the ledger's back or copy it."""
    return write_some(LedgerCLI(db_path))


def record_count(db_url) -> int:
    rows = snapshot(db_url)
    return sum(len(rows[table.name]) for table in RECORD_TABLES)


def entry_of(db_path, table, record_id) -> int:
    with sqlite3.connect(db_path) as db:
        return db.execute("SELECT id FROM chain_entry WHERE table_name = ? AND record_id = ?", (table, record_id)).fetchone()[0]


def tamper(db_path, *statements):
    """Edit the ledger file with a plain sqlite3 connection, as someone with the sqlite3 shell would."""
    db = sqlite3.connect(db_path)
    with db:
        for statement in statements:
            db.execute(statement)
    db.close()


def refused(result, exit_code, *fragments):
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == exit_code, result.stdout + result.stderr
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


# ---- the encoding -------------------------------------------------------------------------------


def test_canonical_encoding_is_the_documented_bytes():
    record = {"recorded_at": datetime(2026, 11, 23, 9, 17, 31, 423115, tzinfo=timezone.utc), "name_key": "hong min",
              "name": "Hong Min", "id": 2}
    expected = ('{"record":{"id":2,"name":"Hong Min","name_key":"hong min",'
                '"recorded_at":"2026-11-23T09:17:31.423115+00:00"},"table":"forecaster"}')
    assert chain.canonical("forecaster", record) == expected.encode()
    assert expected in (REPO / "docs" / "integrity.md").read_text(encoding="utf-8")
    previous = "ab" * 32
    assert chain.entry_hash(previous, "forecaster", record) == hashlib.sha256(f"{previous}\n{expected}".encode()).hexdigest()
    korean = chain.canonical("forecaster", {"id": 3, "name": "김정은", "ordered": True, "probability": 1.0, "criteria": None})
    assert korean == '{"record":{"criteria":null,"id":3,"name":"김정은","ordered":true,"probability":1.0},"table":"forecaster"}'.encode()


# ---- verify on an honest ledger -----------------------------------------------------------------


def test_an_honest_ledger_verifies_with_a_one_line_summary(written, db_url):
    result = written.ok("verify")
    count = record_count(db_url)
    assert count >= 11  # 2 questions, tag, 3 forecasters, 3 forecasts, source, 2 resolutions
    assert result.stdout.count("\n") == 1
    assert result.stdout.startswith(f"OK: {count:,} records in an unbroken chain; head ")
    report = written.json("verify")
    assert report["ok"] is True and report["records"] == count and HEX64.match(report["head"])
    assert report["head"] in result.stdout


def test_an_empty_ledger_verifies(cli):
    cli.ok("db", "upgrade")  # creates the ledger, with nothing in it
    assert cli.json("verify") == {"ok": True, "records": 0, "head": "0" * 64}


def test_a_published_head_is_found_later_and_counts_the_writes_since(written):
    published = written.json("verify")["head"]
    assert written.json("verify", "--head", published)["entries_since_published"] == 0
    written.ok("forecast", "2", "--who", "Randall Schriver", "--prob", "0.2", "--stated", "2024-11-21")  # a forecaster and a forecast
    report = written.json("verify", "--head", published[:12])
    assert report["head"] != published and report["entries_since_published"] == 2
    assert "2 entries back" in written.ok("verify", "--head", published).stdout


def test_an_unknown_published_head_fails_and_a_malformed_one_is_refused(written):
    refused(written("verify", "--head", "f" * 64), 1, "published head", "not in the chain")
    refused(written("verify", "--head", "xyz"), 2, "--head", "64 hex digits")
    refused(written("verify", "--head", "abc"), 2, "at least")


def test_verify_since_a_head_checks_only_the_records_written_after_it(written):
    head = written.json("verify")["head"]
    since = written.json("verify", "--since", head)
    assert since["records"] == 0 and since["head"] == head
    written.ok("forecast", "2", "--who", "Randall Schriver", "--prob", "0.2", "--stated", "2024-11-21")  # a forecaster and a forecast
    since = written.json("verify", "--since", head[:12])
    assert since["records"] == 2 and since["since"] == head and since["head"] == written.json("verify")["head"]
    assert "OK: 2 records since chain entry" in written.ok("verify", "--since", head).stdout


def test_verify_since_catches_changes_and_insertions_after_the_head_but_trusts_what_came_before(written_file, db_path):
    head = written_file.json("verify")["head"]
    written_file.ok("forecast", "2", "--who", "Randall Schriver", "--prob", "0.2", "--stated", "2024-11-21")
    tamper(db_path, "UPDATE forecast SET probability = 0.9 WHERE id = 4")
    refused(written_file("verify", "--since", head), 1, "forecast 4 does not match")
    tamper(db_path, "UPDATE forecast SET probability = 0.2 WHERE id = 4",
           "INSERT INTO question_tag (question_id, tag, recorded_at) VALUES (2, 'stray', '2026-01-01 00:00:00.000000')")
    refused(written_file("verify", "--since", head), 1, "tag 2 is not in the chain")
    tamper(db_path, "DELETE FROM question_tag WHERE tag = 'stray'", "UPDATE forecast SET probability = 0.9 WHERE id = 1")
    assert written_file.json("verify", "--since", head)["records"] == 2  # before the head: a full verify's job
    refused(written_file("verify"), 1, "forecast 1 does not match")


def test_verify_since_catches_a_rewritten_head_entry(written_file, db_path):
    head = written_file.json("verify")["head"]
    written_file.ok("forecast", "2", "--who", "Randall Schriver", "--prob", "0.2", "--stated", "2024-11-21")
    tamper(db_path, f"UPDATE chain_entry SET entry_hash = '{'e' * 64}' WHERE entry_hash = '{head}'")
    refused(written_file("verify", "--since", head), 1, "does not follow entry")


def test_verify_since_an_unknown_head_fails_and_mixing_it_with_head_is_refused(written):
    head = written.json("verify")["head"]
    refused(written("verify", "--since", "f" * 64), 1, "not in the chain")
    refused(written("verify", "--since", "xyz"), 2, "64 hex digits")
    refused(written("verify", "--since", head, "--head", head), 2, "give one of them")


# ---- verify catches what was done behind the ledger's back (SQLite file edited directly) ------


def test_a_changed_probability_is_caught(written_file, db_path):
    tamper(db_path, "UPDATE forecast SET probability = 0.9 WHERE id = 1")
    message = refused(written_file("verify"), 1, "forecast 1 does not match its chain entry", "changed after it was written")
    assert f"chain entry {entry_of(db_path, 'forecast', 1)} " in message


def test_a_changed_resolution_is_caught(written_file, db_path):
    tamper(db_path, "UPDATE resolution SET outcome = 'yes' WHERE id = 2")
    refused(written_file("verify"), 1, f"resolution 2 does not match its chain entry {entry_of(db_path, 'resolution', 2)}")


def test_a_changed_recording_time_is_caught(written_file, db_path):
    tamper(db_path, "UPDATE question SET recorded_at = '2019-04-13 00:00:00.000000' WHERE id = 2")
    refused(written_file("verify"), 1, "question 2 does not match")


def test_a_deleted_forecast_is_caught(written_file, db_path):
    entry = entry_of(db_path, "forecast", 2)
    tamper(db_path, "DELETE FROM forecast WHERE id = 2")
    refused(written_file("verify"), 1, f"forecast 2 is missing (chain entry {entry})")


def test_an_inserted_forecast_is_caught(written_file, db_path):
    tamper(db_path, "INSERT INTO forecast (question_id, forecaster_id, probability, scale, range_low, range_high, stated_on, "
                    "recorded_at) SELECT question_id, forecaster_id, 0.99, scale, 0.99, 0.99, stated_on, recorded_at "
                    "FROM forecast WHERE id = 1")
    refused(written_file("verify"), 1, "forecast 4 is not in the chain (inserted behind the ledger's back)")


def test_a_renumbered_row_is_caught(written_file, db_path):
    tamper(db_path, "UPDATE forecast SET id = 10 WHERE id = 2", "UPDATE chain_entry SET record_id = 10 "
           "WHERE table_name = 'forecast' AND record_id = 2")
    # Renumbered row and entry together: the row no longer hashes as it did under id 2.
    refused(written_file("verify"), 1, "forecast 10 does not match")


def test_a_removed_chain_entry_breaks_the_links(written_file, db_path):
    entry = entry_of(db_path, "forecast", 2)
    tamper(db_path, "DELETE FROM forecast WHERE id = 2", f"DELETE FROM chain_entry WHERE id = {entry}")
    refused(written_file("verify"), 1, f"chain entry {entry + 1} does not follow entry {entry - 1}")


def test_the_first_problem_in_chain_order_is_named(written_file, db_path):
    tamper(db_path, "UPDATE resolution SET note = 'edited' WHERE id = 1", "UPDATE question SET statement = 'edited' WHERE id = 1")
    refused(written_file("verify"), 1, "question 1 does not match its chain entry 1")


def test_a_consistently_rewritten_chain_passes_alone_but_not_against_a_published_head(written_file, db_path):
    published = written_file.json("verify")["head"]
    tamper(db_path, "UPDATE forecast SET probability = 0.9, range_low = 0.9, range_high = 0.9 WHERE id = 2")
    rechain_everything(db_path)
    assert written_file.json("verify")["head"] != published  # the forger's chain is consistent...
    refused(written_file("verify", "--head", published), 1, "not in the chain")  # ...but has lost the published head


def test_cutting_off_the_newest_entries_is_caught_by_a_published_head(written_file, db_path):
    published = written_file.json("verify")["head"]
    tamper(db_path, "DELETE FROM resolution WHERE id = 2", "DELETE FROM chain_entry WHERE id = (SELECT max(id) FROM chain_entry)")
    assert written_file.json("verify")["records"] == record_count(db_path)
    refused(written_file("verify", "--head", published), 1, "not in the chain")


def rechain_everything(db_path):
    """What a forger with the documented encoding could do: recompute the whole chain from the rows."""
    from ledger.store import open_ledger

    ledger = open_ledger(db_path)
    try:
        with ledger.writing() as connection:
            order = connection.execute(select(chain.CHAIN.c.table_name, chain.CHAIN.c.record_id).order_by(chain.CHAIN.c.id)).all()
            tables = {table.name: table for table in RECORD_TABLES}
            rows = [(name, dict(connection.execute(select(tables[name]).where(tables[name].c.id == record_id)).mappings().one()))
                    for name, record_id in order]
            connection.execute(delete(chain.CHAIN))
            links = chain.links(rows, chain.GENESIS_HASH)
            connection.execute(insert(chain.CHAIN), [
                {"table_name": name, "record_id": record_id, "previous_hash": before, "entry_hash": after, "recorded_at": row["recorded_at"]}
                for (name, record_id, before, after), (_, row) in zip(links, rows)
            ])
    finally:
        ledger.close()


def both_passes(db_path, published_head=None):
    """What the fast SQLite pass and the reference pass each make of the ledger, in one snapshot."""
    from ledger.store import open_ledger

    ledger = open_ledger(db_path)
    try:
        with ledger.reading() as connection:
            return chain._check_plain_sqlite(connection, published_head), chain._check_chain(connection, published_head)
    finally:
        ledger.close()


@pytest.mark.parametrize("parts_from", [chain.PARALLEL_FROM, 1])
def test_the_fast_pass_agrees_with_the_reference_pass_whole_seconds_included(written_file, db_path, monkeypatch, parts_from):
    monkeypatch.setattr(chain, "PARALLEL_FROM", parts_from)  # 1: the chain is checked in parts, in other processes
    # SQLite keeps '.000000' where the canonical time has no fraction of a second at all.
    tamper(db_path, "UPDATE forecast SET recorded_at = substr(recorded_at, 1, 19) || '.000000' WHERE id = 2")
    rechain_everything(db_path)
    published = written_file.json("verify")["head"][:12]
    for head in (None, published):
        fast, reference = both_passes(db_path, head)
        assert fast == reference and reference["entries"] == record_count(db_path)
    tamper(db_path, "UPDATE forecast SET recorded_at = substr(recorded_at, 1, 19) WHERE id = 2")  # the same moment, written otherwise
    fast, reference = both_passes(db_path)
    assert fast is None and reference["entries"] == record_count(db_path)  # the fast pass leaves it to the reference pass


def test_the_fast_pass_since_a_head_agrees_with_the_reference_pass_and_leaves_a_change_to_it(written_file, db_path):
    from ledger.store import open_ledger

    head = written_file.json("verify")["head"]
    written_file.ok("forecast", "2", "--who", "Randall Schriver", "--prob", "0.2", "--stated", "2024-11-21")
    written_file.ok("add", "A later question", "--by", "2030-01-01", "--who", "Ana Ruiz", "--prob", "0.5", "--tag", "later")
    with sqlite3.connect(db_path) as db:
        since = db.execute("SELECT id, entry_hash FROM chain_entry WHERE entry_hash = ?", (head,)).fetchone()

    def both():
        ledger = open_ledger(db_path)
        try:
            with ledger.reading() as connection:
                return chain._check_plain_since(connection, since), chain._check_chain(connection, None, since=since)
        finally:
            ledger.close()

    fast, reference = both()
    assert fast == reference and reference["entries"] == 6
    tamper(db_path, "INSERT INTO question_tag (question_id, tag, recorded_at) VALUES (2, 'stray', '2026-01-01 00:00:00.000000')")
    ledger = open_ledger(db_path)
    with ledger.reading() as connection:
        assert chain._check_plain_since(connection, since) is None  # a row outside the chain: the reference pass names it
    ledger.close()
    refused(written_file("verify", "--since", head), 1, "is not in the chain")


# ---- the documented independent check ------------------------------------------------------------


def documented_check(tmp_path):
    text = (REPO / "docs" / "integrity.md").read_text(encoding="utf-8")
    snippet = re.search(r"<!-- independent-check -->\s*```python\n(.*?)```", text, re.S).group(1)
    script = tmp_path / "check_ledger.py"
    script.write_text(snippet, encoding="utf-8")
    return script


def test_the_snippet_in_the_docs_verifies_a_ledger_independently(written_file, db_path, tmp_path):
    script = documented_check(tmp_path)
    report = written_file.json("verify")
    honest = subprocess.run([sys.executable, str(script), db_path], capture_output=True, text=True, timeout=60)
    assert honest.returncode == 0, honest.stderr
    assert honest.stdout.split() == ["OK", str(report["records"]), "records;", "head", report["head"]]
    tamper(db_path, "UPDATE forecast SET probability = 0.31 WHERE id = 2")
    caught = subprocess.run([sys.executable, str(script), db_path], capture_output=True, text=True, timeout=60)
    assert caught.returncode != 0 and f"chain entry {entry_of(db_path, 'forecast', 2)} (forecast 2)" in caught.stderr


# ---- the log -------------------------------------------------------------------------------------


def test_log_lists_the_writes_newest_first_with_what_they_said(written, db_url):
    entries = written.json("log", "--limit", "0")
    assert len(entries) == record_count(db_url)
    assert [entry["entry_id"] for entry in entries] == sorted((entry["entry_id"] for entry in entries), reverse=True)
    assert entries[0]["description"] == "resolution 2: question 1 resolved ambiguous on 2020-01-02 (amends resolution 1)"
    assert entries[0]["table"] == "resolution" and entries[0]["record_id"] == 2
    descriptions = [entry["description"] for entry in entries]
    assert "forecast 2: Hong Min 30% on question 1, stated 2019-06-01" in descriptions
    assert "forecast 1: observers 70% ('is expected to') on question 1, stated 2019-04-13" in descriptions
    assert "forecaster 3: 김정은" in descriptions
    assert "tag 1: 'summit' on question 1" in descriptions
    assert "question 2: 'Talks resume in 2025', resolve by 2025-12-31" in descriptions
    assert entries[-1]["description"].startswith("question 1: 'A third US-North Korea summit is held'")
    assert [entry["entry_id"] for entry in written.json("log", "--limit", "3")] == [e["entry_id"] for e in entries[:3]]
    table = written.ok("log").stdout
    assert table.index("resolution 2:") < table.index("resolution 1:") < table.index("forecast 2:")


def test_log_since_filters_on_the_ledgers_own_clock(written):
    today_utc = datetime.now(timezone.utc).date()
    everything = written.json("log", "--limit", "0")
    assert written.json("log", "--limit", "0", "--since", str(today_utc - timedelta(days=1))) == everything
    assert written.json("log", "--since", str(today_utc + timedelta(days=1))) == []
    assert "(no writes)" in written.ok("log", "--since", str(today_utc + timedelta(days=1))).stdout
    # World dates do not count: every forecast here was stated in 2019-2024, all were typed in today.
    assert len(written.json("log", "--limit", "0", "--since", "2025-01-01")) == len(everything)


def test_log_since_picks_the_writes_recorded_on_or_after_the_day(written_file, db_path):
    # Pretend the writes were typed in over several days (the log does not check them; verify would name each).
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE chain_entry SET recorded_at = printf('2026-10-%02d 12:00:00.000000', id)")
    later = written_file.json("log", "--limit", "0", "--since", "2026-10-05")
    with sqlite3.connect(db_path) as db:
        expected = [row[0] for row in db.execute("SELECT id FROM chain_entry WHERE id >= 5 ORDER BY id DESC")]
    assert [entry["entry_id"] for entry in later] == expected
    assert later[-1]["recorded_at"] == "2026-10-05T12:00:00+00:00"


# ---- backup --------------------------------------------------------------------------------------


def test_backup_makes_a_copy_that_verifies_and_holds_the_same_records(written_file, db_path, tmp_path):
    copy = str(tmp_path / "copy.db")
    result = written_file.ok("backup", copy)
    head = written_file.json("verify")["head"]
    assert result.stdout.startswith(f"Backed up to {copy}: OK: ") and head in result.stdout
    assert LedgerCLI(copy).json("verify")["head"] == head
    assert snapshot(copy) == snapshot(db_path)
    assert not [name for name in os.listdir(tmp_path) if ".partial-" in name]


def test_backup_refuses_to_overwrite_unless_forced(written_file, tmp_path):
    copy = tmp_path / "copy.db"
    copy.write_text("precious", encoding="utf-8")
    refused(written_file("backup", str(copy)), 2, "already exists", "--force")
    assert copy.read_text(encoding="utf-8") == "precious"
    assert written_file.json("backup", str(copy), "--force")["ok"] is True
    assert LedgerCLI(str(copy)).json("verify")["records"] == written_file.json("verify")["records"]


def test_backup_refuses_the_ledger_itself_and_a_missing_folder(written_file, db_path, tmp_path):
    before = snapshot(db_path)
    refused(written_file("backup", db_path, "--force"), 2, "the ledger itself")
    refused(written_file("backup", str(tmp_path / "no" / "such" / "copy.db")), 2, "does not exist")
    assert snapshot(db_path) == before


def test_backup_while_another_process_writes_is_consistent(written_file, db_path, tmp_path):
    from ledger import records
    from ledger.store import open_ledger

    stop = threading.Event()
    failures = []

    def keep_writing():
        writer = open_ledger(db_path)
        try:
            for number in range(10_000):
                if stop.is_set():
                    break
                records.add_forecast(writer, 2, who=f"Writer {number % 7}", probability=(number % 100) / 100,
                                     stated="2024-11-22", today=datetime(2026, 11, 23).date())
        except Exception as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)
        finally:
            writer.close()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        copies = []
        for number in range(3):
            copy = str(tmp_path / f"copy{number}.db")
            written_file.ok("backup", copy)
            copies.append(copy)
    finally:
        stop.set()
        thread.join()
    assert not failures
    counts = [LedgerCLI(copy).json("verify")["records"] for copy in copies]
    assert counts == sorted(counts) and counts[-1] > counts[0]  # the writer kept going while the copies were made
    assert written_file.json("verify")["records"] >= counts[-1]


def installed_ledger(*args, umask=0o022):
    """The installed command in its own process, under a given umask (a user's shell's setting)."""
    return subprocess.run([LEDGER, "--today", TODAY, *args], capture_output=True, text=True, timeout=120,
                          preexec_fn=lambda: os.umask(umask))


def permissions(path) -> int:
    return os.stat(path).st_mode & 0o777


@pytest.mark.skipif(LEDGER is None, reason="the ledger command is not installed (pip install -e .)")
@pytest.mark.parametrize("ledger_mode, umask, copy_mode", [(0o600, 0o022, 0o600), (0o640, 0o022, 0o640), (0o644, 0o077, 0o600)],
                         ids=["ledger-0600", "ledger-0640", "umask-077"])
def test_a_backup_is_never_readable_by_more_people_than_the_ledger(written_file, db_path, tmp_path, ledger_mode, umask, copy_mode):
    os.chmod(db_path, ledger_mode)
    copy = tmp_path / "copy.db"
    copy.write_text("an older backup, readable by all", encoding="utf-8")
    os.chmod(copy, 0o644)
    result = installed_ledger("--db", db_path, "backup", str(copy), "--force", umask=umask)
    assert result.returncode == 0, result.stderr
    assert permissions(copy) == copy_mode
    for beside in (f"{copy}-wal", f"{copy}-shm", f"{copy}-journal"):
        if os.path.exists(beside):
            assert permissions(beside) & ~copy_mode == 0, beside
    assert LedgerCLI(str(copy)).json("verify")["head"] == written_file.json("verify")["head"]


def test_backup_of_a_postgresql_ledger_says_to_use_pg_dump():
    from ledger.store import Ledger

    not_connected = Ledger(create_engine("postgresql+psycopg://ledger@127.0.0.1:1/ledger"), "postgresql://127.0.0.1:1/ledger")
    with pytest.raises(LedgerError, match="pg_dump"):
        backup.backup(not_connected, "copy.db")


# ---- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, hint",
    [
        (["log", "--limit", "-1"], "0 for all"),
        (["log", "--since", "last week"], "YYYY-MM-DD"),
        (["log", "--format", "xml"], "json"),
        (["verify", "--head", "not-a-hash"], "hex digits"),
    ],
)
def test_bad_input_is_refused_in_one_line_and_nothing_is_written(written, db_url, args, hint):
    before = snapshot(db_url)
    refused(written(*args), 2, hint)
    assert snapshot(db_url) == before


# ---- crash safety ---------------------------------------------------------------------------------


def big_seed_file(path, questions=200, forecasts_each=20):
    """A seed-format file whose import is one long transaction with several megabytes of rows."""
    parts = []
    for question in range(1, questions + 1):
        parts.append(f'[[question]]\nstatement = "Event number {question} happens"\nby = 2027-06-30\n')
        for number in range(forecasts_each):
            quote = f"Forecast {question}-{number}. " * 120  # long quotes fill SQLite's page cache quickly
            parts.append(f'  [[question.forecast]]\n  who = "Expert {number}"\n  prob = {0.05 + number * 0.045:.3f}\n'
                         f'  stated = 2025-01-{number + 1:02d}\n  quote = "{quote}"\n')
    path.write_text("\n".join(parts), encoding="utf-8")
    return questions, questions * forecasts_each


@pytest.mark.skipif(LEDGER is None, reason="the ledger command is not installed (pip install -e .)")
def test_an_import_killed_half_way_leaves_none_of_it_and_the_ledger_verifies(written_file, db_path, tmp_path):
    big = tmp_path / "big.toml"
    questions, forecasts = big_seed_file(big)
    before = snapshot(db_path)
    wal = db_path + "-wal"
    process = subprocess.Popen([LEDGER, "--db", db_path, "--today", TODAY, "import", str(big)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    try:
        # Uncommitted pages reach the write-ahead log once the import's transaction outgrows
        # SQLite's page cache: from then on the import is under way but not committed.
        while not (os.path.exists(wal) and os.path.getsize(wal) > 512 * 1024):
            assert process.poll() is None, f"the import ended before it could be killed: {process.stderr.read()!r}"
            assert time.monotonic() < deadline, "the import never reached the write-ahead log"
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    after = snapshot(db_path)
    added_questions = len(after["question"]) - len(before["question"])
    added_forecasts = len(after["forecast"]) - len(before["forecast"])
    assert (added_questions, added_forecasts) in ((0, 0), (questions, forecasts))
    assert written_file.json("verify")["records"] == record_count(db_path)
    written_file.ok("forecast", "2", "--who", "After the crash", "--prob", "0.5", "--stated", "2024-11-22")
    assert written_file.json("verify")["ok"] is True
