"""The one place the database is opened: path or URL to engine, SQLite pragmas, transactions, migrations."""

import os
import re
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional, TypeVar

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError

from ledger.errors import LedgerError

if TYPE_CHECKING:
    from ledger.write import Writer

# The newest migration in ledger/migrations/versions; tests check the two agree.
SCHEMA_HEAD = "0010"
SQLITE_BUSY_SECONDS = 60
# Any constant will do: every writer on a PostgreSQL ledger takes this lock so
# that hash-chain entries are appended one at a time.
POSTGRES_WRITE_LOCK = 7_301_112


def database_url(path_or_url: str) -> str:
    """A plain path is an SQLite file; anything with '://' is an SQLAlchemy URL."""
    if "://" in path_or_url:
        return path_or_url
    return f"sqlite:///{path_or_url}"


IN_MEMORY = ("", ":memory:")


def ledger_file(path_or_url: str) -> Optional[str]:
    """The SQLite file a --db value names (None for a server database); an in-memory ledger is refused."""
    if "://" not in path_or_url:
        database = path_or_url
    else:
        try:
            url = make_url(path_or_url)
        except (ArgumentError, ValueError):  # _engine says what is wrong with it
            return None
        if url.get_backend_name() != "sqlite":
            return None
        database = url.database or ""
        if database.startswith("file:") and ("mode=memory" in database or database[5:].startswith(":memory:")):
            database = ":memory:"
        if url.query.get("mode") == "memory":
            database = ":memory:"
    if database.strip() in IN_MEMORY:
        raise LedgerError(
            f"--db {path_or_url!r} is an empty or in-memory database, which keeps nothing: "
            "give a file path (forecasts.db) or a postgresql+psycopg:// URL"
        )
    return database


def refuse_ledger_as_output(path_or_url: str, output: str, what: str = "output") -> None:
    """Refuse to write an output file over the ledger, its -wal/-shm/-journal, or the same file by another name."""
    database = ledger_file(path_or_url)
    if database is None:
        return
    ledger_path = os.path.realpath(database)
    target = os.path.realpath(output)
    for suffix in ("", "-wal", "-shm", "-journal"):
        protected = ledger_path + suffix
        same = target == protected
        if not same and os.path.exists(target) and os.path.exists(protected):
            same = os.path.samefile(target, protected)
        if same:
            raise LedgerError(f"{output} is the ledger{' ' + suffix.lstrip('-') + ' file' if suffix else ''} itself: give another file name for the {what}")


_SECRET_KEY = re.compile(r"(?i)(^|&)([^=&]*pass[^=&]*=)([^&]*)")


def _url_parts(url: str) -> tuple[str, str, str, str, str]:
    """A URL split by hand as scheme, user, password, host[:port]/database, query: a password may hold '@' or ':'.

    The credentials end at the last '@' before the query, so "user:p@ss@host" keeps "p@ss" secret.
    """
    scheme, _, rest = url.partition("://")
    query_at = rest.find("?")
    before_query, query = (rest, "") if query_at < 0 else (rest[:query_at], rest[query_at + 1:])
    at = before_query.rfind("@")
    credentials, location = (before_query[:at], before_query[at + 1:]) if at >= 0 else ("", before_query)
    user, _, password = credentials.partition(":")
    return scheme, user, password, location, query


def _port(location: str) -> str:
    """The port as typed in host:port/database ('' when none); IPv6 hosts are in brackets."""
    host = location.split("/", 1)[0]
    if host.startswith("["):
        host = host[host.find("]") + 1:] if "]" in host else ""
    return host.rpartition(":")[2] if ":" in host else ""


def redacted(path_or_url: str) -> str:
    """The database named for messages: never its password, whether after 'user:', in ?password=, or where the port goes."""
    if "://" not in path_or_url:
        return path_or_url
    scheme, user, password, location, query = _url_parts(path_or_url)
    credentials = f"{user}:***@" if password else (f"{user}@" if user else "")
    port = _port(location)
    if port and not port.isdigit():
        location = location.replace(":" + port, ":***", 1)
    query = _SECRET_KEY.sub(lambda match: match.group(1) + match.group(2) + "***", query)
    return f"{scheme}://{credentials}{location}" + (f"?{query}" if query else "")


def secrets(path_or_url: str) -> list[str]:
    """Every part of a --db value that may be a password, as typed and as decoded, longest first."""
    if "://" not in path_or_url:
        return []
    from urllib.parse import unquote

    _scheme, _user, password, location, query = _url_parts(path_or_url)
    found = [password] + [match.group(3) for match in _SECRET_KEY.finditer(query)]
    port = _port(location)
    if port and not port.isdigit():
        found.append(port)
    found += [unquote(value) for value in found]
    return sorted({value for value in found if value}, key=len, reverse=True)


def without_secrets(message: str, *path_or_urls: str) -> str:
    """A message with every --db password (and the URL holding it) replaced by its redacted form."""
    for path_or_url in path_or_urls:
        if not path_or_url or "://" not in path_or_url:
            continue
        message = message.replace(path_or_url, redacted(path_or_url))
        for secret in secrets(path_or_url):
            message = message.replace(secret, "***")
    return message


Result = TypeVar("Result")


class Ledger:
    """An open ledger: an engine, and transactions for reading and for writing.

    An SQLite ledger whose file does not exist yet is created by its first write, never by a
    read or by a write that is refused: nothing is left behind unless something was written.
    """

    def __init__(self, engine: Engine, name: str, file: Optional[str] = None):
        self.engine = engine
        self.name = name  # for messages; has no password in it
        self.file = file  # the SQLite file, None for a server database
        # A file that did not exist when opened gets its schema from the first write.
        self.schema_unchecked = not self.exists

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def exists(self) -> bool:
        return self.file is None or os.path.exists(self.file)

    def _missing(self) -> LedgerError:
        shown = self.file if os.path.dirname(self.file) else os.path.join(".", self.file)
        return LedgerError(f"no ledger at {shown} (create one with add or import, or point --db at an existing ledger)")

    def record(self, work: Callable[["Writer"], Result]) -> Result:
        """Run `work` (checks, then inserts) as one chained write, all or nothing.

        On a ledger not created yet, `work` first runs against an empty scratch ledger in
        memory, so that input it refuses leaves no file behind.
        """
        if not self.exists:
            scratch = _scratch_ledger()
            try:
                with scratch.recording() as recorder:
                    work(recorder)
            finally:
                scratch.close()
        with self.recording() as recorder:
            return work(recorder)

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One all-or-nothing write; writers queue behind each other rather than fail."""
        with self._write_transaction() as connection:
            if self.schema_unchecked:
                # The first write creates the ledger; under the write lock, so that of several
                # processes creating it at once one migrates and the others find the schema.
                version = _schema_version(connection)
                if version != SCHEMA_HEAD:
                    _refuse_newer(self.name, version)
                    _migrate(connection)
            yield connection
        self.schema_unchecked = False

    @contextmanager
    def _write_transaction(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            connection = connection.execution_options(ledger_write=True)
            with _unreadable_values_named(connection), connection.begin():
                if self.dialect == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRES_WRITE_LOCK})
                yield connection

    @contextmanager
    def recording(self, bulk: bool = False) -> Iterator["Writer"]:
        """A write whose records are inserted and chained together, all or nothing."""
        from ledger.write import Writer

        with self.writing() as connection:
            writer = Writer(connection, bulk=bulk)
            yield writer
            writer.finish()

    @contextmanager
    def reading(self, missing_ok: bool = False) -> Iterator[Connection]:
        """A consistent snapshot to read from; a ledger that does not exist is refused (or, missing_ok, read as empty), never created."""
        if not self.exists:
            if not missing_ok:
                raise self._missing()
            scratch = _scratch_ledger()
            try:
                with scratch.reading() as connection:
                    yield connection
            finally:
                scratch.close()
            return
        with self.engine.connect() as connection:
            if self.dialect == "postgresql":
                # PostgreSQL's default (READ COMMITTED) gives each statement its own snapshot;
                # a report's several queries must all see the same ledger.
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with _unreadable_values_named(connection), connection.begin():
                yield connection

    def close(self) -> None:
        self.engine.dispose()


@contextmanager
def _unreadable_values_named(connection: Connection) -> Iterator[None]:
    """A date changed to other text behind the ledger's back fails a read with a bare ValueError: name the record."""
    try:
        yield
    except (ValueError, TypeError):
        from ledger.chain import unreadable_record

        problem = unreadable_record(connection)
        if problem is None:
            raise
        raise problem from None


def _scratch_ledger() -> Ledger:
    """An empty ledger in memory, for checking a first write before its file is created."""
    from sqlalchemy.pool import StaticPool

    from ledger.model import METADATA

    engine = _sqlite_engine("sqlite://", poolclass=StaticPool)
    METADATA.create_all(engine)
    return Ledger(engine, "(scratch)")


def _sqlite_engine(url: str, **options: Any) -> Engine:
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False}, **options)

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
    _scheme, _user, password, location, _query = _url_parts(url)
    if "@" in password:
        raise LedgerError(
            f"the password in --db {redacted(path_or_url)!r} holds an '@': write it as %40 "
            "(and any ':' or '/' in it as %3A and %2F)"
        )
    port = _port(location)
    if port and not port.isdigit():
        raise LedgerError(
            f"the port in --db {redacted(path_or_url)!r} is not a number: give host:5432, and write a password "
            "as user:password@host, with any @ : / in it as %40 %3A %2F"
        )
    try:
        backend = make_url(url).get_backend_name()
    except (ArgumentError, ValueError):
        raise LedgerError(
            f"unreadable --db {redacted(path_or_url)!r}: give a file path or a URL such as "
            "sqlite:///forecasts.db or postgresql+psycopg://user@host/dbname"
        ) from None
    if backend == "sqlite":
        return _sqlite_engine(url)
    if backend == "postgresql":
        driver = make_url(url).get_driver_name()
        try:
            # Without connect_timeout libpq waits for an unreachable server for ever.
            engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
        except (ImportError, NoSuchModuleError):
            if driver == "psycopg":
                raise LedgerError(
                    "a PostgreSQL ledger needs psycopg 3, which is not installed: pip install 'forecast-ledger[postgres]'"
                ) from None
            raise LedgerError(
                f"the PostgreSQL driver {driver!r} is not installed: use a postgresql+psycopg:// URL "
                "and pip install 'forecast-ledger[postgres]'"
            ) from None

        @event.listens_for(engine, "connect")
        def _iso_dates(dbapi_connection, _record) -> None:
            # psycopg reads the server's text, which a server's DateStyle may make '02/12/2026 …' (SQL, DMY):
            # it cannot read such timestamps, and plain_rows hands dates on as the text.
            dbapi_connection.execute("SET DateStyle TO ISO")
            dbapi_connection.commit()

        return engine
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


def _alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", os.path.join(os.path.dirname(__file__), "migrations"))
    return config


def known_revisions() -> list[str]:
    """Every schema revision this program can read, oldest first."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(_alembic_config())
    return [script.revision for script in reversed(list(scripts.walk_revisions()))]


def _migrate(connection: Connection, revision: str = "head") -> None:
    from alembic import command

    config = _alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def schema_version(ledger: Ledger) -> str | None:
    """The schema revision the ledger records (None: nothing written yet)."""
    if not ledger.exists:
        return None
    try:
        with ledger.reading() as connection:
            return _schema_version(connection)
    except _NotALedger:
        raise LedgerError(_not_a_ledger(ledger.name)) from None


def upgrade(ledger: Ledger) -> tuple[str | None, str]:
    """Bring the ledger to SCHEMA_HEAD in one transaction; returns (revision before, revision after)."""
    try:
        with ledger._write_transaction() as connection:
            # Another process may have migrated while we waited for the write lock.
            before = _schema_version(connection)
            _refuse_newer(ledger.name, before)
            if before != SCHEMA_HEAD:
                _migrate(connection)
    except _NotALedger:
        raise LedgerError(_not_a_ledger(ledger.name)) from None
    return before, SCHEMA_HEAD


def schema_status(ledger: Ledger) -> dict:
    """What `ledger db version` shows: where the ledger is, its schema, and this program's newest."""
    version = schema_version(ledger)
    return {
        "database": ledger.name,
        "dialect": ledger.dialect,
        "schema": version,
        "program_schema": SCHEMA_HEAD,
        "up_to_date": version == SCHEMA_HEAD,
    }


def _refuse_newer(name: str, version: str | None) -> None:
    if version is not None and version != SCHEMA_HEAD and version not in known_revisions():
        raise LedgerError(
            f"ledger {name} has schema {version}, newer than this program knows (up to {SCHEMA_HEAD}): "
            "upgrade the program (pip install -U forecast-ledger) to use this ledger"
        )


def _not_a_ledger(name: str) -> str:
    return f"{name} is not a ledger: it holds tables but no ledger schema; point --db at a ledger file or a new path"


def open_ledger(path_or_url: str, *, migrate: bool = True) -> Ledger:
    """Open (creating it on first use) and upgrade the ledger at a path or URL.

    An older ledger is upgraded to the current schema on open, in one transaction
    (docs/postgres.md says why); a ledger written by a newer version of this
    program is refused rather than misread. With migrate=False the ledger is
    opened as it is, for `ledger db version` and `ledger db upgrade`.
    """
    name = redacted(path_or_url)
    file = ledger_file(path_or_url)
    if file is not None:
        folder = os.path.dirname(os.path.abspath(file))
        if not os.path.isdir(folder):
            raise LedgerError(f"cannot create ledger {name}: folder {folder} does not exist")
        if os.path.exists(file) and not os.path.isfile(file):
            raise LedgerError(f"--db {name} is not a file (a device or a folder): give the path of a ledger file, or a new one")
    ledger = Ledger(_engine(path_or_url), name, file)
    if not ledger.exists:
        return ledger  # created by its first write
    try:
        version = schema_version(ledger)
        _refuse_newer(name, version)
        if migrate and version != SCHEMA_HEAD:
            upgrade(ledger)
    except LedgerError:
        ledger.close()
        raise
    except (DatabaseError, OperationalError) as error:
        ledger.close()
        from ledger.errors import environment_failure

        plain = environment_failure(error, name, connection=False)
        if plain:
            raise LedgerError(plain) from None
        reason = str(error.orig) if getattr(error, "orig", None) else str(error)
        reason = without_secrets(reason.strip().splitlines()[0] if reason.strip() else type(error).__name__, path_or_url)
        raise LedgerError(
            f"{name} is not a ledger or cannot be opened ({reason}); "
            "point --db at a ledger file, a new path, or a reachable database URL"
        ) from None
    return ledger


FETCH_ROWS = 5000


def plain_rows(connection: Connection, query) -> Iterator[tuple]:
    """The rows of a query as plain tuples, streamed, with the same types on every database: dates as ISO text.

    Neither driver's rows go through per-cell result processing: SQLite's come as stored, and
    PostgreSQL's from a server-side cursor whose date columns psycopg leaves as the server's text.
    """
    if connection.dialect.name == "sqlite":
        cursor = connection.execute(query).cursor
        while batch := cursor.fetchmany(FETCH_ROWS):
            yield from batch
        return
    for partition in _dates_as_text(connection, query).partitions():
        yield from map(tuple, partition)


def _dates_as_text(connection: Connection, query):
    """The streamed result of a query on PostgreSQL, its dates loaded as the server's text, in ISO form ('2026-12-01').

    psycopg picks a result's loaders when the query is described (at execute), so the text loader is
    put on the connection only for the execute, and the connection's own is back before any other query runs.
    Every connection writes them in ISO form (see _engine).
    """
    from psycopg.pq import Format
    from psycopg.types.string import TextLoader

    adapters = connection.connection.driver_connection.adapters
    date_oid = adapters.types["date"].oid
    own = adapters.get_loader(date_oid, Format.TEXT)
    adapters.register_loader(date_oid, TextLoader)
    try:
        return connection.execute(query, execution_options={"yield_per": FETCH_ROWS})
    finally:
        adapters.register_loader(date_oid, own)
