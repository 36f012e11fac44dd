"""No command destroys a ledger or keeps nothing with exit 0, and a refused command leaves no file behind.

Run through the installed `ledger` command, as the defects were found: output files over the
ledger under every name it has, in-memory ledgers, and new paths that a refused command must not create.
"""

import hashlib
import os
import shutil
import subprocess

import pytest

from conftest import SEEDS, TODAY

LEDGER = shutil.which("ledger")
pytestmark = pytest.mark.skipif(LEDGER is None, reason="the ledger command is not installed (pip install -e .)")


def run(*args, cwd, db="x.db"):
    return subprocess.run([LEDGER, "--db", db, "--today", TODAY, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def folder(tmp_path):
    """A folder holding the seed ledger x.db, with its write-ahead log checkpointed away."""
    assert run("import", str(SEEDS / "forecasts.toml"), cwd=tmp_path).returncode == 0
    return tmp_path


def output_commands(target: str) -> list[list[str]]:
    return [
        ["export", "--output", target],
        ["export", "--format", "json", "--output", target],
        ["calibration", "--png", target],
        ["timeline", "1", "--png", target],
        ["backup", target, "--force"],
    ]


def test_no_output_file_may_be_the_ledger_by_any_name(folder):
    os.mkdir(folder / "sub")
    os.link(folder / "x.db", folder / "hard.db")
    os.symlink(folder / "x.db", folder / "soft.db")
    before = digest(folder / "x.db")
    for target in ["x.db", "./x.db", "sub/../x.db", str(folder / "x.db"), "hard.db", "soft.db", "x.db-wal", "x.db-shm"]:
        for command in output_commands(target):
            result = run(*command, cwd=folder)
            assert result.returncode == 2, (command, result.stderr)
            assert "is the ledger" in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert digest(folder / "x.db") == before
    assert run("verify", cwd=folder).returncode == 0


def test_the_same_outputs_to_another_file_still_work(folder):
    assert run("export", "--output", "forecasts.csv", cwd=folder).returncode == 0
    assert (folder / "forecasts.csv").read_text(encoding="utf-8").startswith("question_id,")


@pytest.mark.parametrize("db", ["", ":memory:", " ", "sqlite://", "sqlite:///:memory:", "sqlite:///file::memory:?cache=shared"])
def test_an_empty_or_in_memory_ledger_is_refused(tmp_path, db):
    result = run("add", "A claim", "--by", "2027-01-01", "--who", "A", "--prob", "0.5", cwd=tmp_path, db=db)
    assert result.returncode == 2, result.stderr
    assert "in-memory" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert os.listdir(tmp_path) == []


def test_a_refused_command_on_a_new_path_creates_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("statement,resolve_by,forecaster,probability\nX,2027-01-01,A,1.5\n", encoding="utf-8")
    refused = [
        ["import", str(bad)],
        ["add", "A claim", "--by", "2027-01-01", "--who", "A", "--prob", "150%"],
        ["add", "A claim", "--by", "2019-01-01", "--who", "A", "--prob", "0.5", "--stated", "2020-01-01"],
        ["add", "A claim", "--by", "2027-01-01", "--who", "A", "--prob", "0.5", "--source", "7"],
        ["forecast", "1", "--who", "A", "--prob", "0.5"],
        ["resolve", "1", "yes"],
        ["scenario", "forecast", "Nothing", "--who", "A", "--probs", "0.5,0.5"],
        ["import", str(tmp_path / "missing.toml")],
    ]
    for command in refused:
        result = run(*command, cwd=tmp_path, db="new.db")
        assert result.returncode == 2, (command, result.stderr)
        assert sorted(os.listdir(tmp_path)) == ["bad.csv"], command


def test_reading_a_ledger_that_does_not_exist_says_so_and_creates_nothing(tmp_path):
    for command in (["list"], ["report"], ["show", "1"], ["verify"], ["export"], ["log"]):
        result = run(*command, cwd=tmp_path, db="typo.db")
        assert result.returncode == 2, (command, result.stderr)
        assert "no ledger at ./typo.db" in result.stderr, result.stderr
    assert os.listdir(tmp_path) == []


def test_the_first_write_creates_the_ledger(tmp_path):
    result = run("add", "A claim", "--by", "2027-01-01", "--who", "A", "--prob", "0.5", cwd=tmp_path, db="new.db")
    assert result.returncode == 0, result.stderr
    assert run("verify", cwd=tmp_path, db="new.db").returncode == 0
