"""Many writers at once: every forecast is stored, the hash chain stays one line, and nobody sees "database is locked"."""

import multiprocessing
from datetime import date

import pytest

from sqlalchemy import func, select

from test_migrations import assert_chain_intact
from ledger.model import FORECAST, QUESTION

WRITERS = 8
FORECASTS_EACH = 200


def add_forecasts(db_url: str, writer: int, start, count: int, results) -> None:
    """One writer process: its own ledger, `count` forecasts; returns the errors it met (none expected)."""
    from ledger import records
    from ledger.store import open_ledger

    start.wait()
    errors = []
    ledger = open_ledger(db_url)
    try:
        for number in range(count):
            try:
                records.add_forecast(
                    ledger, 1, who=f"writer {writer}", probability=(number % 99 + 1) / 100,
                    stated="2026-01-01", quote=f"forecast {number}", today=date(2026, 11, 23),
                )
            except Exception as error:  # noqa: BLE001 - the test collects whatever a user would see
                errors.append(f"{type(error).__name__}: {error}")
    finally:
        ledger.close()
        results.put(errors)


def add_question(db_url: str, writer: int, start, count: int, results) -> None:
    """One process that opens a ledger nobody has created yet and adds a question to it."""
    from ledger import records
    from ledger.store import open_ledger

    start.wait()
    errors = []
    try:
        ledger = open_ledger(db_url)
        try:
            records.add_question(ledger, f"Claim {writer}", by="2027-01-01", who="A", probability=0.5, today=date(2026, 11, 23))
        finally:
            ledger.close()
    except Exception as error:  # noqa: BLE001
        errors.append(f"{type(error).__name__}: {error}")
    results.put(errors)


def run_writers(db_url: str, work, count: int) -> list[str]:
    """Start WRITERS processes that wait for each other, then all write at once; the errors they met."""
    # fork: the processes start in milliseconds; each opens its own engine after the fork
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(WRITERS), context.Queue()
    processes = [context.Process(target=work, args=(db_url, writer, start, count, results)) for writer in range(WRITERS)]
    for process in processes:
        process.start()
    errors = [error for _ in processes for error in results.get(timeout=300)]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    return errors


def counts(db_url: str):
    from ledger.store import open_ledger

    ledger = open_ledger(db_url)
    try:
        with ledger.reading() as connection:
            forecasts = connection.execute(
                select(FORECAST.c.quote, func.count()).group_by(FORECAST.c.forecaster_id, FORECAST.c.quote)
            ).all()
            questions = connection.execute(select(func.count()).select_from(QUESTION)).scalar()
    finally:
        ledger.close()
    return forecasts, questions


def test_eight_writers_adding_two_hundred_forecasts_each_all_land(cli, db_url):
    cli.ok("add", "A third US-North Korea summit is held", "--by", "2027-12-31", "--who", "observers", "--prob", "0.5",
           "--stated", "2025-01-01")

    errors = run_writers(db_url, add_forecasts, FORECASTS_EACH)

    assert errors == []
    forecasts, _ = counts(db_url)
    # every (writer, forecast number) once: 1600 new forecasts, none lost, none doubled
    assert sum(count for _, count in forecasts) == 1 + WRITERS * FORECASTS_EACH
    assert all(count == 1 for _, count in forecasts)
    # question, forecaster "observers" and its kind (a group), forecast; + 8 forecasters
    assert assert_chain_intact(db_url) == 4 + WRITERS * (FORECASTS_EACH + 1)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request) -> str:
    """A database with nothing in it, not even the schema."""
    if request.param == "sqlite":
        return request.getfixturevalue("db_path")
    server = request.getfixturevalue("postgres_server")
    name = server.create_database(template="template0")
    request.addfinalizer(lambda: server.drop_database(name))
    return server.database_url(name)


def test_eight_processes_creating_one_ledger_at_once_all_succeed(empty_database):
    db_url = empty_database
    errors = run_writers(db_url, add_question, 1)

    assert errors == []
    _, questions = counts(db_url)
    assert questions == WRITERS
    assert assert_chain_intact(db_url) == WRITERS * 3 - (WRITERS - 1)  # one forecaster "A", shared
