"""When the machine fails rather than the input (a full or read-only disk, a lock held too long, a bad --db, a
password in a URL): one plain line that says what happened and what to do, never a library's boilerplate or a secret."""

import os
import sqlite3
import subprocess

import pytest
from sqlalchemy.exc import OperationalError

from conftest import PASSWORD, PASSWORD_ROLE, SEEDS, LedgerCLI, _free_port, snapshot

BOILERPLATE = ("[SQL", "sqlalche.me", "Background on this error", "Traceback", "unexpected failure")


def one_plain_line(result, status: int, *expected: str) -> str:
    assert result.exit_code == status, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for fragment in BOILERPLATE:
        assert fragment not in lines[0]
    for fragment in expected:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB tmpfs (as root), else skipped: the real full and read-only disks."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; the injected failures below cover the messages")
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(folder) -> None:
    try:  # closing the filler flushes its last buffer, which fails too on a full disk
        with open(folder / "filler", "wb") as handle:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
    except OSError:
        pass


def test_a_full_disk_is_one_plain_line_and_the_ledger_is_unchanged(small_disk):
    ledger = LedgerCLI(str(small_disk / "forecasts.db"))
    ledger.ok("add", "A claim", "--by", "2030-01-01", "--who", "A", "--prob", "0.3")
    before = snapshot(ledger.db)
    fill(small_disk)
    for args in (["import", str(SEEDS / "forecasts.toml")], ["add", "Another", "--by", "2030-01-01", "--who", "A", "--prob", "0.3"]):
        result = ledger(*args)
        assert "full" in one_plain_line(result, result.exit_code, "nothing was written")
    os.remove(small_disk / "filler")
    assert snapshot(ledger.db) == before


def test_a_read_only_disk_is_one_plain_line(small_disk):
    ledger = LedgerCLI(str(small_disk / "forecasts.db"))
    ledger.ok("add", "A claim", "--by", "2030-01-01", "--who", "A", "--prob", "0.3")
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        result = ledger("add", "Another", "--by", "2030-01-01", "--who", "A", "--prob", "0.3")
        one_plain_line(result, result.exit_code, "read-only", "nothing was written")
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)


def database_error(reason: str) -> OperationalError:
    return OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError(reason))


@pytest.mark.parametrize("reason, expected", [
    ("database is locked", "stayed locked by another writer"),
    ("database or disk is full", "is full"),
    ("attempt to write a readonly database", "read-only"),
    ("disk I/O error", "disk I/O error"),
])
def test_database_failures_in_the_middle_of_a_write_are_plain(tmp_path, monkeypatch, reason, expected):
    from ledger import records

    ledger = LedgerCLI(str(tmp_path / "forecasts.db"))
    ledger.ok("add", "A claim", "--by", "2030-01-01", "--who", "A", "--prob", "0.3")

    def fails(*_args, **_kwargs):
        raise database_error(reason)

    monkeypatch.setattr(records, "add_forecast", fails)
    line = one_plain_line(ledger("forecast", "1", "--who", "B", "--prob", "0.4"), 1, expected, str(tmp_path / "forecasts.db"))
    assert "what to do" not in line and ";" in line  # says what happened, then what to do


def test_an_os_error_writing_a_file_is_plain(tmp_path, monkeypatch):
    import errno

    from ledger import records

    ledger = LedgerCLI(str(tmp_path / "forecasts.db"))
    ledger.ok("add", "A claim", "--by", "2030-01-01", "--who", "A", "--prob", "0.3")
    monkeypatch.setattr(records, "list_questions", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device", "out.csv")))
    one_plain_line(ledger("list"), 1, "disk is full", "out.csv")


@pytest.mark.parametrize("db, expected", [
    ("/dev/null", "is not a file"),
    ("postgresql+psycopg://user@[::1", "unreadable --db"),
    ("mysql://user@host/db", "unsupported database"),
])
def test_a_db_that_cannot_be_a_ledger_is_refused_plainly(db, expected):
    one_plain_line(LedgerCLI(db)("db", "upgrade"), 2, expected)
    one_plain_line(LedgerCLI(db)("list"), 2, expected)


@pytest.mark.parametrize("png, expected", [
    ("out.db", "ending in .png"),
    ("chart.pdf", "ending in .png"),
    ("/missing/folder/x.png", "does not exist"),
])
@pytest.mark.parametrize("command", [["timeline", "Next Trump–Kim summit"], ["calibration"]])
def test_a_chart_file_that_cannot_be_written_is_refused_before_drawing(seeded, png, expected, command):
    one_plain_line(seeded(*command, "--png", png), 2, expected)
    assert not os.path.exists(png)


SECRET = "Hunter2-s3cret"


def secret_forms(port: int) -> dict:
    return {
        "query password": f"postgresql+psycopg://bob@127.0.0.1:{port}/ledger?password={SECRET}",
        "query sslpassword": f"postgresql+psycopg://bob@127.0.0.1:{port}/ledger?sslpassword={SECRET}&sslmode=disable",
        "unencoded @": f"postgresql+psycopg://bob:pa@{SECRET}@127.0.0.1:{port}/ledger",
        "where the port goes": f"postgresql+psycopg://bob@127.0.0.1:{SECRET}/ledger",
        "the usual place": f"postgresql+psycopg://bob:{SECRET}@127.0.0.1:{port}/ledger",
        "a slash in it": f"postgresql+psycopg://bob:{SECRET}/x@127.0.0.1:{port}/ledger",
        "percent-encoded": f"postgresql+psycopg://bob:{SECRET.replace('-', '%2D')}@127.0.0.1:{port}/ledger",
    }


@pytest.mark.parametrize("form", sorted(secret_forms(1)))
@pytest.mark.parametrize("command", [["list"], ["db", "version"], ["add", "A claim", "--by", "2030-01-01", "--who", "A", "--prob", "0.3"]])
def test_no_form_of_password_is_ever_shown(form, command, monkeypatch):
    from typer.testing import CliRunner

    from ledger.cli import app

    url = secret_forms(_free_port())[form]
    result = LedgerCLI(url)(*command)
    assert result.exit_code in (1, 2)
    assert "s3cret" not in result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    monkeypatch.setenv("LEDGER_DB", url)  # the same through the environment
    outcome = CliRunner().invoke(app, command)
    assert outcome.exit_code in (1, 2) and "s3cret" not in outcome.stdout + outcome.stderr


def test_db_version_shows_the_database_without_a_query_password(postgres_server):
    if not postgres_server.has_password_role:
        pytest.skip("needs the test server the suite starts itself (LEDGER_TEST_POSTGRES is set)")
    name = postgres_server.create_database()
    try:
        host = postgres_server.url.split("@", 1)[1]
        cli = LedgerCLI(f"postgresql+psycopg://{PASSWORD_ROLE}@{host}/{name}?password={PASSWORD}")
        shown = cli.ok("db", "version")
        assert PASSWORD not in shown.stdout + shown.stderr
        assert cli.json("db", "version")["database"] == f"postgresql+psycopg://{PASSWORD_ROLE}@{host}/{name}?password=***"
    finally:
        postgres_server.drop_database(name)


def test_the_messages_people_asked_for(seeded, tmp_path):
    one_plain_line(seeded("forecast", "1", "--who", "X", "--prob", "-0.1"), 2, "out of range")
    one_plain_line(seeded("forecast", "1", "--who", "X", "--prob", "-5%"), 2, "out of range")
    one_plain_line(seeded("add", "X", "--by", "12/11/2027", "--who", "A", "--prob", "0.3"), 2, "ambiguous", "YYYY-MM-DD")
    one_plain_line(seeded("show", "-1"), 2, "-1 is not an id", "ledger list")
    one_plain_line(seeded("list", today=""), 2, "--today is empty")
