"""The Python API (docs/api.md's example runs as it is) and the SQL views, on SQLite and PostgreSQL."""

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

import ledger
from ledger.errors import LedgerError

API_PAGE = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def test_the_api_pages_example_runs(tmp_path, monkeypatch):
    example = re.search(r"```python\n(.*?)```", API_PAGE.read_text(encoding="utf-8"), re.S).group(1)
    monkeypatch.chdir(tmp_path)
    exec(compile(example, str(API_PAGE), "exec"), {})
    assert (tmp_path / "notebook.db").exists()


def test_the_api_gives_what_the_cli_gives(seeded, db_url):
    with ledger.open(db_url, today=date(2026, 11, 23)) as book:
        assert book.report(by="forecaster") == seeded.json("report", "--by", "forecaster")
        assert [row["question_id"] for row in book.list(status="due")] == [row["question_id"] for row in seeded.json("list", "--status", "due")]
        assert book.show(13)["statement"] == seeded.json("show", "13")["statement"]
        assert len(book.calibration(bins=5)) == 5


def test_the_api_refuses_bad_input_as_the_cli_does(db_url):
    with ledger.open(db_url, today=date(2026, 11, 23)) as book:
        with pytest.raises(LedgerError, match="out of range"):
            book.add("A claim", by="2027-01-01", who="A", prob=1.5)
        record = book.add("A claim", by="2027-01-01", who="A", prob=0.25)
        assert record["question_id"] == 1 and record["probability"] == 0.25


def test_the_views_give_the_status_and_the_scored_forecasts(seeded, ledger):
    listed = {row["question_id"]: row for row in seeded.json("list")}
    report = {row["group"]: row for row in seeded.json("report", "--by", "forecaster")}
    with ledger.reading() as connection:
        status = connection.execute(text("SELECT question_id, outcome, status, forecasters FROM question_status")).all()
        means = connection.execute(text("SELECT forecaster, avg(brier), count(*) FROM scored_forecast GROUP BY forecaster")).all()
    assert len(status) == len(listed)
    for question_id, outcome, status_word, forecasters in status:
        assert outcome == listed[question_id]["outcome"]
        if status_word == "resolved":
            assert listed[question_id]["status"] == "resolved"
        assert sorted(filter(None, (forecasters or "").split("; "))) == sorted(listed[question_id]["forecasters"])
    assert {name for name, _, _ in means} == set(report)
    for name, mean, n in means:
        assert float(mean) == pytest.approx(report[name]["last_brier"]) and n == report[name]["n"]


def test_the_export_marks_the_forecasts_the_report_scores(seeded, tmp_path):
    import pandas as pd

    exported = tmp_path / "forecasts.csv"
    seeded.ok("export", "--output", str(exported))
    frame = pd.read_csv(exported)
    means = frame[frame.scored].groupby("forecaster").brier.mean()
    report = {row["group"]: row["last_brier"] for row in seeded.json("report", "--by", "forecaster")}
    assert set(means.index) == set(report)
    for name, mean in means.items():
        assert mean == pytest.approx(report[name])
