"""Schema migrations: the head agrees with Alembic and the model, old ledgers upgrade whole, newer ones are refused."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, inspect, select, text

from conftest import SEEDS, snapshot
from ledger import chain, store
from ledger.model import CHAIN, METADATA

FIRST_SCHEMA_LEDGER = Path(__file__).parent / "data" / "ledger_schema_0001.db"
LEDGER_TABLES = [table for table in METADATA.sorted_tables]


def test_schema_head_is_alembics_head():
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(store._alembic_config())
    assert scripts.get_heads() == [store.SCHEMA_HEAD]
    assert store.known_revisions()[0] == "0001" and store.known_revisions()[-1] == store.SCHEMA_HEAD


def test_a_new_ledger_migrated_to_head_matches_the_model(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    ledger = store.open_ledger(db_url)
    try:
        store.upgrade(ledger)
        with ledger.engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), METADATA) == []
    finally:
        ledger.close()


def rows_by_table(url: str) -> dict:
    """Every ledger row as plain values, read without ledger.store (which would upgrade the ledger); tables
    a later migration adds are missing from an old ledger and empty after its upgrade, so only tables with rows count."""
    engine = create_engine(store.database_url(url))
    try:
        with engine.connect() as connection:
            present = set(inspect(connection).get_table_names())
            tables = {
                table.name: [dict(row) for row in connection.execute(select(table).order_by(table.c.id)).mappings()]
                for table in LEDGER_TABLES if table.name in present
            }
            return {name: rows for name, rows in tables.items() if rows}
    finally:
        engine.dispose()


def assert_chain_intact(url: str) -> int:
    """Recompute every chain entry from the rows it covers (what `ledger verify` does); returns its length."""
    tables = {table.name: table for table in LEDGER_TABLES}
    ledger = store.open_ledger(url)
    try:
        with ledger.reading() as connection:
            previous = chain.GENESIS_HASH
            entries = list(connection.execute(select(CHAIN).order_by(CHAIN.c.id)))
            for entry in entries:
                table = tables[entry.table_name]
                record = connection.execute(select(table).where(table.c.id == entry.record_id)).mappings().one()
                assert entry.previous_hash == previous
                assert entry.entry_hash == chain.entry_hash(previous, entry.table_name, dict(record))
                previous = entry.entry_hash
            recorded = sum(connection.execute(select(text("count(*)")).select_from(table)).scalar() for table in LEDGER_TABLES
                           if table.name != "chain_entry")
            assert recorded == len(entries)
    finally:
        ledger.close()
    return len(entries)


def copy_first_schema_ledger_to(url: str) -> None:
    """Put the committed first-schema ledger's rows into an empty PostgreSQL database at revision 0001."""
    old = rows_by_table(str(FIRST_SCHEMA_LEDGER))
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            store._migrate(connection, "0001")
            for table in LEDGER_TABLES:
                if old.get(table.name):
                    connection.execute(insert(table), old[table.name])
                    connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                            f"(SELECT max(id) FROM {table.name}))"))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def first_schema_ledger(request, tmp_path) -> str:
    """A ledger written with schema 0001 (questions, forecasts, a resolution and its amendment)."""
    if request.param == "sqlite":
        path = tmp_path / "old.db"
        shutil.copy(FIRST_SCHEMA_LEDGER, path)
        return str(path)
    server = request.getfixturevalue("postgres_server")
    name = server.create_database(template="template0")
    request.addfinalizer(lambda: server.drop_database(name))
    url = server.database_url(name)
    copy_first_schema_ledger_to(url)
    return url


def test_a_first_schema_ledger_upgrades_on_open_without_losing_a_row(first_schema_ledger):
    from conftest import LedgerCLI

    before = rows_by_table(first_schema_ledger)
    assert len(before["question"]) == 3 and len(before["forecast"]) == 6 and len(before["resolution"]) == 3
    cli = LedgerCLI(first_schema_ledger)
    assert cli.json("db", "version")["schema"] == "0001"

    questions = cli.json("list")  # any command upgrades the ledger first
    assert cli.json("db", "version") == {
        "database": store.redacted(first_schema_ledger), "dialect": "postgresql" if "://" in first_schema_ledger else "sqlite",
        "schema": store.SCHEMA_HEAD, "program_schema": store.SCHEMA_HEAD, "up_to_date": True,
    }
    assert rows_by_table(first_schema_ledger) == before
    assert [q["outcome"] for q in questions] == ["no", None, "no"]
    assert assert_chain_intact(first_schema_ledger) == 19

    # and it is a working ledger at the new schema: writes extend the same chain
    cli.ok("forecast", "2", "--who", "Hong Min", "--prob", "0.35", "--stated", "2025-01-10")
    assert assert_chain_intact(first_schema_ledger) == 20
    assert [f["probability"] for f in cli.json("show", "2")["forecasts"]] == [before["forecast"][3]["probability"], 0.4, 0.35]


def test_db_upgrade_upgrades_explicitly_and_once(first_schema_ledger):
    from conftest import LedgerCLI

    cli = LedgerCLI(first_schema_ledger)
    first = cli.json("db", "upgrade")
    assert (first["upgraded_from"], first["schema"], first["upgraded"]) == ("0001", store.SCHEMA_HEAD, True)
    again = cli.json("db", "upgrade")
    assert (again["upgraded_from"], again["upgraded"]) == (store.SCHEMA_HEAD, False)


def test_a_ledger_from_a_newer_version_is_refused(cli, db_url):
    cli.ok("add", "A claim", "--by", "2027-01-01", "--who", "A", "--prob", "0.5")
    engine = create_engine(store.database_url(db_url))
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    before = rows_by_table(db_url)
    for command in (["list"], ["forecast", "1", "--who", "B", "--prob", "0.2"], ["db", "upgrade"], ["db", "version"]):
        result = cli(*command)
        assert result.exit_code == 2, command
        assert "schema 9999, newer than this program knows" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert rows_by_table(db_url) == before
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
    engine.dispose()


def test_db_version_does_not_create_the_ledger(db_path):
    from conftest import LedgerCLI

    status = LedgerCLI(db_path).json("db", "version")
    assert (status["schema"], status["program_schema"], status["up_to_date"]) == (None, store.SCHEMA_HEAD, False)


def test_a_new_ledger_is_at_the_head_and_upgrade_is_a_no_op(cli, db_url):
    cli.ok("source", "add", str(SEEDS / "000_5f386b38834cbe8f.txt"), "--title", "Kim's deadline")
    assert cli.json("db", "version")["schema"] == store.SCHEMA_HEAD
    before = snapshot(db_url)
    assert cli.json("db", "upgrade")["upgraded"] is False
    assert snapshot(db_url) == before


def test_a_database_that_is_not_a_ledger_is_refused(db_path):
    import sqlite3

    with sqlite3.connect(db_path) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    from conftest import LedgerCLI

    for command in (["list"], ["db", "version"], ["db", "upgrade"]):
        result = LedgerCLI(db_path)(*command)
        assert result.exit_code == 2 and "is not a ledger" in result.stderr


def test_an_upgraded_ledger_records_roles_in_their_own_table_and_the_old_chain_still_verifies(first_schema_ledger):
    from conftest import LedgerCLI

    before = rows_by_table(first_schema_ledger)
    cli = LedgerCLI(first_schema_ledger)
    cli.ok("forecast", "2", "--who", "Hong Min", "--prob", "0.35", "--stated", "2025-01-10", "--role", "senior researcher at KINU")
    after = rows_by_table(first_schema_ledger)
    assert [row["role"] for row in after["forecast_role"]] == ["senior researcher at KINU"]
    assert after["forecast"][:len(before["forecast"])] == before["forecast"]
    assert set(after["forecast"][-1]) == set(before["forecast"][0])  # the forecast table has the columns it had
    assert assert_chain_intact(first_schema_ledger) == 21
