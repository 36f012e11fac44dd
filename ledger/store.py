"""The one place the database is opened: path or URL to engine, SQLite pragmas, transactions, migrations."""

import os
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Iterator

from sqlalchemy import Boolean, Float, Table, create_engine, event, inspect, insert, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError

from ledger import chain
from ledger.errors import LedgerError

DEFAULT_DB = "forecasts.db"
# The newest migration in ledger/migrations/versions; tests check the two agree.
SCHEMA_HEAD = "0001"
SQLITE_BUSY_SECONDS = 60
# Any constant will do: every writer on a PostgreSQL ledger takes this lock so
# that hash-chain entries are appended one at a time.
POSTGRES_WRITE_LOCK = 7_301_112


def database_url(path_or_url: str) -> str:
    """A plain path is an SQLite file; anything with '://' is an SQLAlchemy URL."""
    if "://" in path_or_url:
        return path_or_url
    return f"sqlite:///{path_or_url}"


def redacted(path_or_url: str) -> str:
    """The database named for messages, never with its password."""
    if "://" not in path_or_url:
        return path_or_url
    try:
        return make_url(path_or_url).render_as_string(hide_password=True)
    except ArgumentError:
        return "the database URL"


class Ledger:
    """An open ledger: an engine, and transactions for reading and for writing."""

    def __init__(self, engine: Engine, name: str):
        self.engine = engine
        self.name = name  # for messages; has no password in it

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One all-or-nothing write; writers queue behind each other rather than fail."""
        with self.engine.connect() as connection:
            connection = connection.execution_options(ledger_write=True)
            with connection.begin():
                if self.dialect == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRES_WRITE_LOCK})
                yield connection

    @contextmanager
    def recording(self) -> Iterator["Recorder"]:
        """A write whose records are inserted and chained together, all or nothing."""
        with self.writing() as connection:
            recorder = Recorder(connection)
            yield recorder
            recorder.chain()

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A consistent snapshot to read from."""
        with self.engine.connect() as connection:
            with connection.begin():
                yield connection

    def close(self) -> None:
        self.engine.dispose()


def _as_stored(column, value: Any) -> Any:
    """The value as the database will give it back, so the chained record matches a re-read row."""
    if value is None:
        return None
    if isinstance(column.type, Float):
        return float(value)
    if isinstance(column.type, Boolean):
        return bool(value)
    return value


class Recorder:
    """Inserts records inside one write transaction and appends them to the hash chain."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.recorded_at = datetime.now(timezone.utc)
        self.written: list[tuple[str, dict[str, Any]]] = []

    def insert(self, table: Table, **values: Any) -> int:
        row = {column.name: _as_stored(column, values.get(column.name)) for column in table.columns if column.name != "id"}
        row["recorded_at"] = self.recorded_at
        record_id = self.connection.execute(insert(table).values(**row).returning(table.c.id)).scalar_one()
        self.written.append((table.name, {"id": record_id, **row}))
        return record_id

    def chain(self) -> None:
        chain.append(self.connection, self.written)
        self.written = []


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def configure(dbapi_connection, _record):
        # pysqlite's own transaction handling cannot take the write lock up front;
        # turn it off and issue BEGIN ourselves (SQLAlchemy's documented recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_SECONDS * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin(connection):
        # IMMEDIATE takes the write lock at the start, so two writers queue on the
        # busy timeout instead of one failing with "database is locked" mid-way.
        mode = "IMMEDIATE" if connection.get_execution_options().get("ledger_write") else "DEFERRED"
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _engine(path_or_url: str) -> Engine:
    url = database_url(path_or_url)
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        raise LedgerError(
            f"unreadable --db {redacted(path_or_url)!r}: give a file path or a URL such as "
            "sqlite:///forecasts.db or postgresql+psycopg://user@host/dbname"
        ) from None
    if backend == "sqlite":
        return _sqlite_engine(url)
    if backend == "postgresql":
        try:
            return create_engine(url, pool_pre_ping=True)
        except (ModuleNotFoundError, NoSuchModuleError):
            raise LedgerError(
                "a PostgreSQL ledger needs psycopg: pip install 'forecast-ledger[postgres]'"
            ) from None
    raise LedgerError(f"unsupported database {backend!r} in --db: use an SQLite file path or a postgresql+psycopg:// URL")


class _NotALedger(Exception):
    pass


def _schema_version(connection: Connection) -> str | None:
    """The ledger's recorded schema revision; None for an empty database."""
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" in tables:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if tables:
        raise _NotALedger()
    return None


def _migrate(connection: Connection) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", os.path.join(os.path.dirname(__file__), "migrations"))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _known_revisions() -> set[str]:
    versions = os.path.join(os.path.dirname(__file__), "migrations", "versions")
    return {name.split("_", 1)[0] for name in os.listdir(versions) if name.endswith(".py")}


def open_ledger(path_or_url: str) -> Ledger:
    """Open (creating it on first use) and upgrade the ledger at a path or URL.

    An older ledger is upgraded to the current schema on open; a ledger written by
    a newer version of this program is refused rather than misread.
    """
    name = redacted(path_or_url)
    if "://" not in path_or_url:
        folder = os.path.dirname(os.path.abspath(path_or_url))
        if not os.path.isdir(folder):
            raise LedgerError(f"cannot create ledger {name}: folder {folder} does not exist")
    ledger = Ledger(_engine(path_or_url), name)
    try:
        with ledger.reading() as connection:
            version = _schema_version(connection)
        if version != SCHEMA_HEAD:
            if version is not None and version not in _known_revisions():
                raise LedgerError(
                    f"ledger {name} has schema {version}, newer than this program knows "
                    f"(up to {SCHEMA_HEAD}): upgrade ledger to use it"
                )
            with ledger.writing() as connection:
                # Another process may have migrated while we waited for the lock.
                if _schema_version(connection) != SCHEMA_HEAD:
                    _migrate(connection)
    except _NotALedger:
        ledger.close()
        raise LedgerError(
            f"{name} is not a ledger: it holds tables but no ledger schema; point --db at a ledger file or a new path"
        ) from None
    except LedgerError:
        ledger.close()
        raise
    except (DatabaseError, OperationalError) as error:
        ledger.close()
        reason = str(error.orig) if getattr(error, "orig", None) else str(error)
        raise LedgerError(
            f"{name} is not a ledger or cannot be opened ({reason.splitlines()[0]}); "
            "point --db at a ledger file, a new path, or a reachable database URL"
        ) from None
    return ledger
