"""The benchmark harness: the generator's file obeys the import layout, and bench/run works at a tiny size."""

import csv
import importlib.util
import io
import re
import shutil
import subprocess
import sys
from datetime import date

import pytest

from conftest import REPO, TODAY

BENCH = REPO / "bench"
SECTIONS = ["## Machine", "## Data", "## Import", "## Report", "## Export", "## Verify", "## Start-up", "## Peak memory", "## Commands"]


def load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generated(count: int, seed: int = 1) -> str:
    out = io.StringIO(newline="")
    load_generator().generate(count, out, seed)
    return out.getvalue()


def test_generator_writes_the_import_layout_and_obeys_its_rules():
    generator = load_generator()
    rows = list(csv.DictReader(io.StringIO(generated(3000))))
    assert list(rows[0]) == generator.COLUMNS
    assert len(rows) == 3000
    assert [int(row["forecast_id"]) for row in rows] == list(range(1, 3001))
    questions: dict[str, list[dict]] = {}
    for row in rows:
        questions.setdefault(row["question_id"], []).append(row)
    assert len(questions) == 300
    today = date.fromisoformat(TODAY)
    for question_rows in questions.values():
        first = question_rows[0]
        for column in ("statement", "criteria", "resolve_by", "tags", "outcome", "resolved_on", "note", "evidence"):
            assert {row[column] for row in question_rows} == {first[column]}, column
        names = [row["forecaster"] for row in question_rows]
        assert len(set(names)) == len(names), "a question's forecasts come from different forecasters"
        resolve_by = date.fromisoformat(first["resolve_by"])
        resolved_on = date.fromisoformat(first["resolved_on"]) if first["resolved_on"] else None
        assert first["outcome"] in ("", "yes", "no", "ambiguous", "annulled")
        assert bool(first["outcome"]) == (resolved_on is not None)
        if resolved_on:
            assert resolved_on <= today
        for row in question_rows:
            stated_on = date.fromisoformat(row["stated_on"])
            assert stated_on <= resolve_by and stated_on <= today
            assert resolved_on is None or stated_on <= resolved_on
            probability, low, high = float(row["probability"]), float(row["range_low"]), float(row["range_high"])
            assert 0 <= low <= probability <= high <= 1
            if row["scale"] == "number":
                assert row["cue"] == "" and low == high == probability
            else:
                assert row["scale"] == "icd203" and row["cue"]
            assert row["source_published_on"] in ("", row["stated_on"])
            assert row["brier"] == row["log_score"] == ""


def test_generator_is_realistic_in_proportion():
    rows = list(csv.DictReader(io.StringIO(generated(20_000))))
    questions = {row["question_id"]: row["outcome"] for row in rows}
    resolved = sum(1 for outcome in questions.values() if outcome) / len(questions)
    assert 0.65 < resolved < 0.75
    assert {"yes", "no", "ambiguous", "annulled"} <= set(questions.values())
    assert len({row["forecaster"] for row in rows}) == 1000
    assert any(not row["forecaster"].isascii() for row in rows)
    assert any("," in row["quote"] and '"' in row["quote"] for row in rows)
    assert any("\n" in row["quote"] for row in rows)
    assert any("; " in row["tags"] for row in rows)
    assert 0 < sum(1 for row in rows if row["source"]) < len(rows)


def test_generator_is_deterministic_for_a_seed():
    assert generated(500, seed=7) == generated(500, seed=7)
    assert generated(500, seed=7) != generated(500, seed=8)


def test_generator_command_line(tmp_path):
    target = tmp_path / "forecasts.csv"
    subprocess.run([sys.executable, str(BENCH / "generate.py"), "50", str(target), "--seed", "3"], check=True)
    assert target.read_text(encoding="utf-8") == generated(50, seed=3)
    refused = subprocess.run([sys.executable, str(BENCH / "generate.py"), "0", str(target)], capture_output=True, text=True)
    assert refused.returncode == 2 and "at least 1" in refused.stderr


def test_bench_run_writes_every_section_at_a_tiny_size(tmp_path):
    for program in ("sqlite3", "sqlite-utils", "ledger"):
        if shutil.which(program) is None:
            pytest.skip(f"bench/run needs the {program} command, which is not installed here")
    results = tmp_path / "RESULTS.md"
    finished = subprocess.run(
        [sys.executable, str(BENCH / "run"), "--sizes", "200", "--quick", "--data", str(tmp_path / "data"), "--results", str(results)],
        capture_output=True, text=True, cwd=REPO,
    )
    assert results.exists(), finished.stderr
    text = results.read_text(encoding="utf-8")
    assert finished.returncode == 0, f"a command failed:\n{finished.stderr}"
    for heading in SECTIONS:
        assert heading in text, heading
    assert "FAILED" not in text
    for section in ("## Import", "## Report", "## Export"):
        body = text.split(section, 1)[1].split("\n## ", 1)[0]
        assert re.search(r"\| 200 \| [\d.]+ \| [\d.]+ \| [\d.]+× \|", body), section
    startup = text.split("## Start-up", 1)[1].split("\n## ", 1)[0]
    for command in ("`ledger --help`", "`ledger list --status due`", "`ledger add`"):
        assert re.search(re.escape(command) + r" \| [\d.]+ \|", startup), command
    memory = text.split("## Peak memory", 1)[1].split("\n## ", 1)[0]
    for command in ("import", "export", "report"):
        assert re.search(rf"`ledger {command}` \| \d+ \|", memory), command
    assert "CPU:" in text and "SQLite:" in text and "Python:" in text
    assert "ledger --db" in text.split("## Commands", 1)[1]
