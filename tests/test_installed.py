"""The installed `ledger` executable, run as a separate process the way a user or a script runs it."""

import json
import shutil
import subprocess

import pytest

from conftest import SEEDS, TODAY

LEDGER = shutil.which("ledger")
pytestmark = pytest.mark.skipif(LEDGER is None, reason="the ledger command is not installed (pip install -e .)")


def run(*args, cwd):
    return subprocess.run([LEDGER, "--today", TODAY, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_default_ledger_is_forecasts_db_in_the_working_directory(tmp_path):
    result = run("import", str(SEEDS / "forecasts.toml"), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["questions"] >= 10
    assert (tmp_path / "forecasts.db").exists()
    listed = run("list", "--status", "resolved", "--format", "json", cwd=tmp_path)
    assert listed.returncode == 0 and all(q["outcome"] for q in json.loads(listed.stdout))


def test_ledger_db_environment_variable_and_bad_input_exit_status(tmp_path):
    env_db = tmp_path / "team.db"
    added = subprocess.run(
        [LEDGER, "add", "A claim", "--by", "2030-01-01", "--who", "X", "--prob", "0.4", "--format", "json"],
        cwd=tmp_path, capture_output=True, text=True, env={"LEDGER_DB": str(env_db), "PATH": "/usr/bin:/bin"}, timeout=120,
    )
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["probability"] == 0.4 and env_db.exists()
    refused = run("--db", str(env_db), "forecast", "1", "--who", "X", "--prob", "7", cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and refused.stderr.startswith("Error: ")
    assert refused.stdout == ""


def test_python_dash_m_runs_the_same_command(tmp_path):
    import sys

    result = subprocess.run([sys.executable, "-m", "ledger", "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "forecast" in result.stdout
