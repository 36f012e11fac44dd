"""Shared fixtures: a fresh ledger per test, a fixed "today", and a CLI runner that speaks to it."""

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledger.cli import app

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


@pytest.fixture
def db_url(db_path) -> str:
    """The ledger the test runs against."""
    return db_path


@pytest.fixture
def cli(db_url) -> LedgerCLI:
    return LedgerCLI(db_url)


@pytest.fixture
def ledger(db_url):
    from ledger.store import open_ledger

    opened = open_ledger(db_url)
    yield opened
    opened.close()


def snapshot(db_url: str) -> dict:
    """Every row of every ledger table: equal snapshots mean nothing was written."""
    from sqlalchemy import select

    from ledger.model import SQLModel
    from ledger.store import open_ledger

    opened = open_ledger(db_url)
    try:
        with opened.reading() as connection:
            return {
                table.name: [tuple(row) for row in connection.execute(select(table).order_by(*table.primary_key.columns))]
                for table in SQLModel.metadata.sorted_tables
            }
    finally:
        opened.close()


@pytest.fixture
def seeded(cli) -> "LedgerCLI":
    """A ledger holding the seed articles' forecasts."""
    cli.ok("import", str(SEEDS / "forecasts.toml"))
    return cli
