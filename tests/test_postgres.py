"""PostgreSQL: same answers as SQLite, passwords never shown, clear errors when the driver or server is missing."""

import json
import subprocess
import sys

import pytest

from conftest import PASSWORD, PASSWORD_ROLE, SEEDS, LedgerCLI

# The read commands whose output must not depend on the database; a command not built yet is left out.
READ_COMMANDS = [
    ["list"],
    ["list", "--status", "due"],
    ["report"],
    ["report", "--by", "forecaster", "--period", "year"],
    ["report", "--by", "cue"],
    ["report", "--as-of", "2020-12-31"],
    ["calibration"],
    ["calibration", "--decomposition"],
    ["timeline", "1"],
    ["export", "--format", "json"],
    ["log"],
]
WRITE_TIMES = {"recorded_at"}  # when a row was typed in differs between the two imports, by design


def without_write_times(value):
    if isinstance(value, dict):
        return {key: without_write_times(item) for key, item in value.items() if key not in WRITE_TIMES}
    if isinstance(value, list):
        return [without_write_times(item) for item in value]
    return value


def output(cli: LedgerCLI, command: list[str]):
    result = cli(*command, "--format", "json") if "--format" not in command else cli(*command)
    if result.exit_code == 2 and "No such command" in result.stderr:
        return None
    assert result.exit_code == 0, f"{command}: {result.stderr}"
    return without_write_times(json.loads(result.stdout))


def test_the_seed_ledger_reads_the_same_on_sqlite_and_postgresql(db_path, postgres_url):
    on_sqlite, on_postgres = LedgerCLI(db_path), LedgerCLI(postgres_url)
    for cli in (on_sqlite, on_postgres):
        cli.ok("import", str(SEEDS / "forecasts.toml"))

    compared = []
    for command in READ_COMMANDS:
        expected = output(on_sqlite, command)
        if expected is None:
            continue
        assert output(on_postgres, command) == expected, command
        compared.append(command[0])
    questions = on_sqlite.json("list")
    for question in questions:
        command = ["show", str(question["question_id"])]
        assert output(on_postgres, command) == output(on_sqlite, command)
    assert len(questions) > 10 and {"list", "report", "calibration"} <= set(compared)
    for cli in (on_sqlite, on_postgres):
        if cli("verify").exit_code != 2:  # exit 2 only if verify is not built yet
            cli.ok("verify")


def test_a_server_that_writes_dates_its_own_way_reads_the_same(db_path, postgres_url):
    """Reports and exports read dates as the server's text (store.plain_rows): a DateStyle of 'SQL, DMY' changes nothing."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    engine = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'ALTER DATABASE "{make_url(postgres_url).database}" SET DateStyle = \'SQL, DMY\'')
        assert connection.exec_driver_sql("SELECT DATE '2026-12-01'::text").scalar() == "2026-12-01"  # this session began before
    engine.dispose()
    on_sqlite, on_postgres = LedgerCLI(db_path), LedgerCLI(postgres_url)
    for cli in (on_sqlite, on_postgres):
        cli.ok("import", str(SEEDS / "forecasts.toml"))
    for command in (["export", "--format", "json"], ["report", "--by", "forecaster"], ["report", "--by", "forecaster", "--period", "year"]):
        assert output(on_postgres, command) == output(on_sqlite, command), command
    assert on_postgres.ok("export").stdout == on_sqlite.ok("export").stdout


def test_case_and_unicode_behave_the_same_as_on_sqlite(cli):
    cli.ok("add", "A claim", "--by", "2027-01-01", "--who", "Hong Min", "--prob", "0.5",
           "--source", "https://Example.org/Article")
    cli.ok("forecast", "1", "--who", "HONG MIN", "--prob", "0.4", "--source", "https://example.org/article")
    cli.ok("forecast", "1", "--who", "Ölçer", "--prob", "0.3", "--source", "Speech At The Forum")
    cli.ok("forecast", "1", "--who", "ölçer", "--prob", "0.2", "--source", "speech at the forum")
    assert cli.json("list")[0]["forecasters"] == ["Hong Min", "Ölçer"]
    assert [source["forecasts"] for source in cli.json("source", "list")] == [2, 2]


def test_a_wrong_password_is_refused_without_showing_it(postgres_server):
    if not postgres_server.has_password_role:
        pytest.skip("needs the test server the suite starts itself (LEDGER_TEST_POSTGRES is set)")
    host = postgres_server.url.split("@", 1)[1]
    wrong = f"postgresql+psycopg://{PASSWORD_ROLE}:Wr0ng-Secret-99@{host}/postgres"
    result = LedgerCLI(wrong)("list")
    assert result.exit_code == 2
    assert "Wr0ng-Secret-99" not in result.stderr + result.stdout
    assert "password authentication failed" in result.stderr and "***" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_right_password_works_and_is_never_printed(postgres_server):
    if not postgres_server.has_password_role:
        pytest.skip("needs the test server the suite starts itself (LEDGER_TEST_POSTGRES is set)")
    name = postgres_server.create_database()
    try:
        host = postgres_server.url.split("@", 1)[1]
        cli = LedgerCLI(f"postgresql+psycopg://{PASSWORD_ROLE}:{PASSWORD}@{host}/{name}")
        printed = [cli.ok("add", "A claim", "--by", "2027-01-01", "--who", "A", "--prob", "0.5"),
                   cli.ok("db", "version"), cli.ok("db", "version", "--format", "json"), cli.ok("list")]
        refused = cli("forecast", "7", "--who", "B", "--prob", "0.5")
        assert refused.exit_code == 2
        for result in [*printed, refused]:
            assert PASSWORD not in result.stdout + result.stderr
        assert cli.json("db", "version")["database"] == f"postgresql+psycopg://{PASSWORD_ROLE}:***@{host}/{name}"
    finally:
        postgres_server.drop_database(name)


def run_ledger_without_psycopg(*args: str) -> subprocess.CompletedProcess:
    """`ledger ARGS` in a Python where psycopg cannot be imported, as after a plain pip install."""
    program = (
        "import sys; sys.modules['psycopg'] = None; sys.modules['psycopg2'] = None\n"
        "from ledger.cli import main; sys.argv = ['ledger', *sys.argv[1:]]; main()"
    )
    return subprocess.run([sys.executable, "-c", program, *args], capture_output=True, text=True, timeout=60)


def test_without_psycopg_a_postgresql_url_says_what_to_install():
    result = run_ledger_without_psycopg("--db", "postgresql+psycopg://team:hunter2@db.example.org/ledger", "list")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Error: a PostgreSQL ledger needs psycopg 3, which is not installed: pip install 'forecast-ledger[postgres]'"
    )
    other_driver = run_ledger_without_psycopg("--db", "postgresql+psycopg2://team:hunter2@db.example.org/ledger", "list")
    assert other_driver.returncode == 2 and "pip install 'forecast-ledger[postgres]'" in other_driver.stderr
    assert "hunter2" not in result.stderr + other_driver.stderr


def test_an_unreachable_server_is_one_line_and_exit_2(tmp_path):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = LedgerCLI(f"postgresql+psycopg://team:hunter2@127.0.0.1:{port}/ledger")("list")
    assert result.exit_code == 2
    assert "cannot be opened" in result.stderr and "hunter2" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
