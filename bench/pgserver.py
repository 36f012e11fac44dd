"""A throwaway PostgreSQL 15 server for bench/run and bench/load, started as tests/conftest.py starts its own."""

import os
import shutil
import socket
import subprocess
import tempfile
from importlib.util import find_spec
from pathlib import Path

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
# The server's own psql, not Debian's pg_wrapper in /usr/bin (a Perl script that picks a version on each call).
PSQL = str(POSTGRES_BIN / "psql")


def unavailable() -> str | None:
    """Why no server can be started here, or None when one can."""
    if not (POSTGRES_BIN / "initdb").exists():
        return f"no PostgreSQL 15 server binaries in {POSTGRES_BIN} (apt-get install postgresql-15)"
    if find_spec("psycopg") is None:
        return "psycopg is not installed (pip install 'forecast-ledger[postgres]')"
    return None


def _as_postgres_user(*command: str) -> list[str]:
    # The server refuses to run as root; as anyone else it runs as that user.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """initdb, start on a loopback port, create databases, stop and remove everything.

    Settings a user's server could have: fsync on, synchronous_commit off (a commit does not
    wait for its WAL to reach the disk, like SQLite's WAL with synchronous=NORMAL, which the
    ledger uses), autovacuum on.
    """

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="ledger-bench-postgres-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.started = False

    def start(self) -> "Server":
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        subprocess.run(
            _as_postgres_user(str(POSTGRES_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"),
            check=True, capture_output=True, timeout=300,
        )
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
                   "-c synchronous_commit=off -c max_connections=100")
        subprocess.run(
            _as_postgres_user(str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"),
                              "-o", options, "-w", "-t", "120", "start"),
            check=True, capture_output=True, timeout=300,
        )
        self.started = True
        return self

    def stop(self) -> None:
        if self.started:
            subprocess.run(_as_postgres_user(str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"),
                           capture_output=True, timeout=300)
            self.started = False
        shutil.rmtree(self.folder, ignore_errors=True)

    def libpq_url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def ledger_url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def psql(self, database: str, *arguments: str) -> list[str]:
        return [PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.libpq_url(database), *arguments]

    def create_database(self, name: str) -> str:
        """A new, empty database (dropped first if a run before left it); returns the ledger's URL for it."""
        for statement in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
            subprocess.run(self.psql("postgres", "-c", statement), check=True, capture_output=True, timeout=300)
        return self.ledger_url(name)

    def version(self) -> str:
        result = subprocess.run(self.psql("postgres", "-At", "-c", "SHOW server_version"), capture_output=True, text=True)
        return result.stdout.strip() or "unknown"

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
