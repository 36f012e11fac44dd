"""The benchmark harness: the generator's file obeys the import layout, and bench/run works at a tiny size."""

import csv
import importlib.machinery
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
SECTIONS = ["## Machine", "## Data", "## Summary", "## Every size", "## Start-up", "## Peak memory", "## Growth", "## Commands"]
SQLITE_FIGURES = ["`ledger import` of its own export into a new ledger", "`ledger report --by forecaster --format csv`",
                  "`ledger export --format csv`", "`ledger list --format csv --limit 0` (every question)"]
POSTGRES_FIGURES = ["`ledger report --by forecaster --format csv` on PostgreSQL", "`ledger export --format csv` on PostgreSQL"]


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


def bench_module(name: str):
    """bench/run or bench/load (scripts without .py) as modules, for their pure functions."""
    loader = importlib.machinery.SourceFileLoader(f"bench_{name}", str(BENCH / name))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


def postgres_unavailable() -> str | None:
    return bench_module("run").pgserver.unavailable()


def test_generator_numbers_questions_from_first_question():
    out = io.StringIO(newline="")
    load_generator().generate(100, out, seed=2, first_question=501)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {int(row["question_id"]) for row in rows} == set(range(501, 511))
    assert all(row["statement"].endswith(f"(#{row['question_id']})") for row in rows)


def section(text: str, heading: str) -> str:
    return text.split(heading, 1)[1].split("\n## ", 1)[0]


def subsection(text: str, heading: str) -> str:
    return text.split(f"### {heading}", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    """One `bench/run --sizes 200,400 --quick` (two sizes, so the growth table has a step), shared by the tests below."""
    for program in ("sqlite3", "ledger"):
        if shutil.which(program) is None:
            pytest.skip(f"bench/run needs the {program} command, which is not installed here")
    folder = tmp_path_factory.mktemp("bench")
    results = folder / "RESULTS.md"
    finished = subprocess.run(
        [sys.executable, str(BENCH / "run"), "--sizes", "200,400", "--quick", "--data", str(folder / "data"), "--results", str(results)],
        capture_output=True, text=True, cwd=REPO,
    )
    assert results.exists(), finished.stderr
    return finished, results.read_text(encoding="utf-8")


def test_bench_run_writes_every_figure_beside_its_floor(quick_run):
    finished, text = quick_run
    assert finished.returncode == 0, f"a command failed:\n{finished.stderr}"
    for heading in SECTIONS:
        assert heading in text, heading
    summary = section(text, "## Summary")
    for figure in SQLITE_FIGURES:
        assert re.search(re.escape(figure) + r" \| [\d.]+ \| .+ \| [\d.]+ \| [\d.]+× \| ≤ [\d.]+× \| (PASS|MISS) \|", summary), figure
        assert re.search(r"\| 400 \| [\d.]+ \| [\d.]+ \| [\d.]+× \|", subsection(text, figure)), figure
    assert re.search(r"`ledger add` \| [\d.]+ \| `python -c` importing its dependencies' modules \| [\d.]+ \| [\d.]+× \| ≤ 1.1× \|", summary)
    assert re.search(r"`ledger verify` \| [\d.]+ \|.*< 10 s \| (PASS|MISS) \|", summary)
    assert re.search(r"`ledger list` \(default limit\).* \| [\d.]+ \|.*< 0.5 s at every size \| (PASS|MISS) \|", summary)
    for command in ("report", "export", "import", "verify"):
        assert re.search(rf"peak memory of `ledger {command}` \(MB at 200 / 400\) \| \d+ / \d+ \|.*< 150 MB", summary), command
    assert "Same rows as the floor: 200 yes, 400 yes" in text
    assert "is the report's last_brier: 200 yes, 400 yes" in subsection(text, "`ledger report --by forecaster --format csv`")
    assert "CPU:" in text and "SQLite:" in text and "Python:" in text and "PostgreSQL:" in text
    assert "ledger --db" in section(text, "## Commands")
    assert "sqlite-utils" not in section(text, "## Commands")


def test_bench_run_times_verify_since(quick_run):
    finished, text = quick_run
    since = subsection(text, "`ledger verify --since HEAD`")
    rows = re.findall(r"^\| 400 \| ([\d,]+) \| ([\d,]+) \| ([^|]+) \|", since, re.MULTILINE)
    assert [row[0] for row in rows] == ["100", "1,000"]
    assert all(int(records.replace(",", "")) > int(forecasts.replace(",", "")) for forecasts, records, _ in rows)
    for _, _, seconds in rows:
        assert re.fullmatch(r"[\d.]+\s*", seconds), seconds
    assert "FAILED (" not in text


def test_bench_run_growth_table_compares_time_per_forecast(quick_run):
    _, text = quick_run
    growth = section(text, "## Growth")
    assert re.search(r"\| ledger report \| [\d.]+ \| [\d.]+ \| [\d.]+× \| (linear|sublinear|superlinear)", growth)
    assert "| 200→400 |" in growth


def test_bench_run_on_postgresql(quick_run):
    _, text = quick_run
    reason = postgres_unavailable()
    if reason:
        assert "not run:" in section(text, "## Summary")
        pytest.skip(f"PostgreSQL figures not measured: {reason}")
    summary = section(text, "## Summary")
    for figure in POSTGRES_FIGURES:
        assert re.search(re.escape(figure) + r" \| [\d.]+ \| `psql --csv` .+ \| [\d.]+ \| [\d.]+× \| ≤ 1.5× \|", summary), figure
    assert re.search(r"\| 400 \| [\d.]+ \| [\d.]+ \| [\d.]+× \| not judged \|",
                     subsection(text, "`ledger import` of the generated file into a new PostgreSQL ledger"))
    assert "is the report's last_brier: 200 yes, 400 yes" in subsection(text, POSTGRES_FIGURES[0])
    assert "psql -X" in section(text, "## Commands")


def test_growth_is_judged_on_time_per_forecast():
    run = bench_module("run")

    def timing(seconds):
        return run.Timing([], seconds, None)

    sizes = [{"count": 100, "f": timing(1.0)}, {"count": 1000, "f": timing(11.0)}, {"count": 3000, "f": timing(31.0)}]
    steps, kind = run.growth(sizes, "f")
    assert steps == ["1.10×", "0.94×"] and kind == "linear"
    sizes[2]["f"] = timing(60.0)
    assert run.growth(sizes, "f")[1] == "superlinear"
    sizes[1]["f"], sizes[2]["f"] = timing(2.0), timing(3.0)
    assert run.growth(sizes, "f")[1].startswith("sublinear")
    sizes[1]["f"] = run.Timing([], 0.0, None, failure="exit 1: boom")
    assert run.growth(sizes, "f")[1] == "—"


def test_memory_is_flat_within_ten_percent_and_under_the_limit():
    run = bench_module("run")
    sizes = [{"m": run.Timing([], 1, 100.0)}, {"m": run.Timing([], 1, 109.0)}]
    assert run.memory_passed(sizes, "m") is True
    sizes[1]["m"] = run.Timing([], 1, 111.0)
    assert run.memory_passed(sizes, "m") is False
    sizes = [{"m": run.Timing([], 1, 149.0)}, {"m": run.Timing([], 1, 151.0)}]
    assert run.memory_passed(sizes, "m") is False


@pytest.fixture(scope="module")
def quick_load(tmp_path_factory):
    if shutil.which("ledger") is None:
        pytest.skip("bench/load needs the ledger command, which is not installed here")
    folder = tmp_path_factory.mktemp("load")
    results = folder / "LOAD.md"
    finished = subprocess.run(
        [sys.executable, str(BENCH / "load"), "--quick", "--data", str(folder / "data"), "--results", str(results)],
        capture_output=True, text=True, cwd=REPO,
    )
    assert results.exists(), finished.stderr
    return finished, results.read_text(encoding="utf-8")


def test_bench_load_keeps_every_write_on_sqlite(quick_load):
    finished, text = quick_load
    assert finished.returncode == 0, finished.stderr
    assert re.search(r"\| SQLite \| [\d.]+ \| 40 \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [1-9]\d* \| [\d.]+ \|", text)
    assert "SQLite: every add exited 0 (40/40): OK; 40/40 questions stored: OK" in text
    assert re.search(r"\| SQLite \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d,]+ \|", text)
    assert "SQLite: every import exited 0 (8/8): OK; 1,600/1,600 forecasts stored" in text
    assert "Every guarantee held." in text


def test_bench_load_on_postgresql(quick_load):
    _, text = quick_load
    reason = postgres_unavailable()
    if reason:
        assert "PostgreSQL: not run:" in text
        pytest.skip(f"PostgreSQL load not measured: {reason}")
    assert "PostgreSQL: every add exited 0 (40/40): OK; 40/40 questions stored: OK" in text
    assert "PostgreSQL: every import exited 0 (8/8): OK; 1,600/1,600 forecasts stored" in text
    assert "`ledger verify` OK: OK" in text.split("PostgreSQL: every import", 1)[1]


def test_bench_load_fails_when_writes_are_lost(tmp_path):
    # A "ledger" that exits 0 and keeps nothing: every add and import seems to succeed, nothing is stored.
    results = tmp_path / "LOAD.md"
    finished = subprocess.run(
        [sys.executable, str(BENCH / "load"), "--quick", "--no-postgres", "--ledger", shutil.which("true"),
         "--data", str(tmp_path / "data"), "--results", str(results)],
        capture_output=True, text=True, cwd=REPO,
    )
    assert finished.returncode == 1
    text = results.read_text(encoding="utf-8")
    assert "0/40 questions stored: FAILED" in text and "0/1,600 forecasts stored (counted in `ledger export`): FAILED" in text
    assert "guarantee failed: SQLite, adds: 0/40 questions stored" in finished.stderr
