"""Shared fixtures: a fresh ledger per test (on SQLite and on PostgreSQL), a fixed "today", and a CLI runner."""

import itertools
import json
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from ledger.cli import app

# No timing in unit tests: hypothesis's per-example deadline fails at random on a
# busy 2-core machine. In CI the examples are derandomized, so a run is repeatable.
settings.register_profile("ledger", deadline=None, derandomize=bool(os.environ.get("CI")))
settings.load_profile("ledger")

TODAY = "2026-11-23"
REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


class LedgerCLI:
    """Runs `ledger --db <db> --today <TODAY> ...` in-process, as a user would type it."""

    def __init__(self, db: str):
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, today: str = TODAY) -> Result:
        result = self.runner.invoke(app, ["--db", self.db, "--today", today, *map(str, args)], input=input)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str, **kwargs) -> Result:
        result = self(*args, **kwargs)
        assert result.exit_code == 0, f"exit {result.exit_code}: {result.stderr}{result.stdout}"
        return result

    def json(self, *args: str, **kwargs):
        return self.ok(*args, "--format", "json", **kwargs).json()


@pytest.fixture
def db_path(tmp_path) -> str:
    """A real SQLite ledger file, not created yet."""
    return str(tmp_path / "forecasts.db")


# ---- a PostgreSQL 15 server for the session ----------------------------------------------------

# LEDGER_TEST_POSTGRES=postgresql+psycopg://user@host:port uses a server you run (the role must
# be allowed to CREATE DATABASE); otherwise the tests start one from these binaries.
def _postgres_bin() -> Path:
    """LEDGER_TEST_POSTGRES_BIN, else Debian's PostgreSQL 15, else the newest Debian PostgreSQL installed."""
    if os.environ.get("LEDGER_TEST_POSTGRES_BIN"):
        return Path(os.environ["LEDGER_TEST_POSTGRES_BIN"])
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda path: int(path.parts[-3]))
    preferred = Path("/usr/lib/postgresql/15/bin")
    return preferred if (preferred / "initdb").exists() or not installed else installed[-1].parent


POSTGRES_BIN = _postgres_bin()
TEMPLATE_DATABASE = "ledger_template"
PASSWORD_ROLE = "ledger_password_test"  # the one role that must give a password (tests of redaction)
PASSWORD = "s3cret-Pa55word"


@dataclass
class PostgresServer:
    url: str  # postgresql+psycopg://user@host:port, no database
    has_password_role: bool = False  # PASSWORD_ROLE exists and must give PASSWORD
    fresh_names = itertools.count(1)

    def database_url(self, database: str) -> str:
        return f"{self.url}/{database}"

    def admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.database_url("postgres").replace("+psycopg", ""), autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    def create_database(self, template: str = TEMPLATE_DATABASE) -> str:
        name = f"ledger_test_{os.getpid()}_{next(self.fresh_names)}"
        # FILE_COPY clones a small database several times faster than PostgreSQL 15's default.
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_postgres_user(*command: str) -> list[str]:
    # The server refuses to run as root; as anyone else it runs as that user.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


def _start_postgres(folder: Path) -> tuple[str, list[str]]:
    """initdb and start a throwaway server on a loopback port; returns its URL and the stop command."""
    if not (POSTGRES_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL tests need the server binaries in {POSTGRES_BIN} (apt-get install postgresql)")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data = folder / "data"
    subprocess.run(
        _as_postgres_user(str(POSTGRES_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                          "-E", "UTF8", "--no-sync"),
        check=True, capture_output=True, timeout=120,
    )
    hba = data / "pg_hba.conf"
    hba.write_text(f"host all {PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\nhost all all 127.0.0.1/32 trust\n")
    port = _free_port()
    # A test server: durability off (nothing here outlives the session), TCP on loopback only.
    options = (f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c autovacuum=off")
    subprocess.run(
        _as_postgres_user(str(POSTGRES_BIN / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"),
                          "-o", options, "-w", "-t", "60", "start"),
        check=True, capture_output=True, timeout=120,
    )
    stop = _as_postgres_user(str(POSTGRES_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}", stop


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server with a migrated template ledger; skips (with the reason) when there is none."""
    pytest.importorskip("psycopg", reason="PostgreSQL tests need psycopg: pip install 'forecast-ledger[postgres]'")
    folder, stop = None, None
    url = os.environ.get("LEDGER_TEST_POSTGRES")
    try:
        if not url:
            # In memory where there is a tmpfs: each test's CREATE DATABASE copies hundreds of files.
            memory = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
            folder = Path(tempfile.mkdtemp(prefix="ledger-postgres-", dir=memory))
            try:
                url, stop = _start_postgres(folder)
            except (OSError, subprocess.SubprocessError) as error:
                detail = getattr(error, "stderr", b"") or b""
                pytest.skip(f"cannot start PostgreSQL from {POSTGRES_BIN}: {error} {detail.decode(errors='replace')[-300:]}")
        server = PostgresServer(url.rstrip("/"), has_password_role=bool(stop))
        server.admin(
            f'DROP DATABASE IF EXISTS "{TEMPLATE_DATABASE}" WITH (FORCE)',
            f'CREATE DATABASE "{TEMPLATE_DATABASE}"',
        )
        if stop:
            server.admin(f"CREATE ROLE {PASSWORD_ROLE} LOGIN SUPERUSER PASSWORD '{PASSWORD}'")
        from ledger.store import open_ledger

        open_ledger(server.database_url(TEMPLATE_DATABASE)).close()
        yield server
    finally:
        if stop:
            subprocess.run(stop, capture_output=True, timeout=120)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, migrated PostgreSQL ledger of its own for this test."""
    name = postgres_server.create_database()
    yield postgres_server.database_url(name)
    postgres_server.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request) -> str:
    """The ledger the test runs against: every test that uses it runs on SQLite and on PostgreSQL."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return request.getfixturevalue("db_path")


@pytest.fixture
def cli(db_url) -> LedgerCLI:
    return LedgerCLI(db_url)


@pytest.fixture
def other(request, tmp_path, db_url) -> LedgerCLI:
    """A second, empty ledger of the same kind as the test's own."""
    if "://" not in db_url:
        return LedgerCLI(str(tmp_path / "other.db"))
    server = request.getfixturevalue("postgres_server")
    name = server.create_database()
    request.addfinalizer(lambda: server.drop_database(name))
    return LedgerCLI(server.database_url(name))


@pytest.fixture
def ledger(db_url):
    from ledger.store import open_ledger

    opened = open_ledger(db_url)
    yield opened
    opened.close()


NO_LEDGER = {"(no ledger file)": True}


def snapshot(db_url: str) -> dict:
    """Every row of every ledger table (NO_LEDGER while there is no file): equal snapshots mean nothing was written."""
    from sqlalchemy import select

    from ledger.model import METADATA
    from ledger.store import open_ledger

    opened = open_ledger(db_url)
    if not opened.exists:
        return NO_LEDGER
    try:
        with opened.reading() as connection:
            return {
                table.name: [tuple(row) for row in connection.execute(select(table).order_by(*table.primary_key.columns))]
                for table in METADATA.sorted_tables
            }
    finally:
        opened.close()


@pytest.fixture
def seeded(cli) -> "LedgerCLI":
    """A ledger holding the seed articles' forecasts."""
    cli.ok("import", str(SEEDS / "forecasts.toml"))
    return cli
