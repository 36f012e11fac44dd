"""`ledger digest`: what came due, is due soon, was resolved or forecast, and which consensus moved, since the last digest."""

import json
from datetime import date

import pytest

from ledger import consensus

from ledger import digest
from tests.conftest import snapshot


def test_the_seed_ledger_as_of_the_end_of_2019(seeded):
    result = seeded.json("digest", "--since", "2019-12-01", today="2020-01-05")
    assert (result["since"], result["today"]) == ("2019-12-01", "2020-01-05")
    came_due = {row["question_id"] for row in result["came_due"]}
    unresolved = {row["question_id"] for row in seeded.json("list", "--status", "due", today="2020-01-05")}
    # Everything that came due in the window and is unresolved as of the day, nothing else.
    resolved_by_then = {row["question_id"] for row in seeded.json("list", today="2020-01-05")
                        if row["resolved_on"] and row["resolved_on"] <= "2020-01-05"}
    for question in seeded.json("list"):
        in_window = "2019-12-01" <= question["resolve_by"] < "2020-01-05"
        assert (question["question_id"] in came_due) == (in_window and question["question_id"] not in resolved_by_then)
    assert came_due <= unresolved | resolved_by_then
    assert all("2019-12-01" <= row["resolved_on"] <= "2020-01-05" for row in result["resolutions"])


def test_several_dates_on_the_seed_ledger(seeded):
    for today, since in (("2019-04-20", "2019-04-01"), ("2019-07-05", "2019-06-01"), ("2024-12-01", "2024-11-01"),
                         ("2026-02-01", "2026-01-01")):
        result = seeded.json("digest", "--since", since, today=today)
        forecasts = result["forecasts"]
        assert all(since <= row["stated_on"] <= today for row in forecasts), today
        assert all(since <= row["resolved_on"] <= today for row in result["resolutions"]), today
        assert all(today <= row["resolve_by"] for row in result["due_soon"]), today
    # The 2024 article's forecasts, stated on 2024-11-21 and 22: all of them, and nothing else.
    november = seeded.json("digest", "--since", "2024-11-01", today="2024-12-01")
    stated = sorted(row["forecast_id"] for row in seeded.json("export") if row["stated_on"] and "2024-11-01" <= row["stated_on"] <= "2024-12-01")
    assert len(stated) == 13 and sorted(row["forecast_id"] for row in november["forecasts"]) == stated
    # Resolutions of 2019-06-30 (Panmunjom) show in the July digest.
    july = seeded.json("digest", "--since", "2019-06-01", today="2019-07-05")
    assert {row["resolved_on"] for row in july["resolutions"]} == {"2019-06-30"}


def test_it_remembers_its_last_run_and_starts_there(seeded):
    first = seeded.json("digest", today="2020-01-05")
    assert (first["since"], first["previous_digest"]) == ("2019-12-29", None)  # a first digest looks back a week
    second = seeded.json("digest", today="2020-01-20")
    assert (second["since"], second["previous_digest"]) == ("2020-01-05", "2020-01-05")
    before = snapshot(seeded.db)
    replay = seeded.json("digest", "--since", "2019-01-01", today="2020-02-01")
    assert replay["since"] == "2019-01-01"
    assert snapshot(seeded.db) == before, "a digest with --since writes nothing"
    third = seeded.json("digest", today="2020-02-01")
    assert third["since"] == "2020-01-20"
    seeded.ok("verify")  # the runs are chained records


def test_a_forecast_typed_in_this_week_about_an_old_date_is_new(cli):
    from datetime import timedelta

    today = date.today()  # recorded_at is the real clock: the digest must speak for the real day
    cli.ok("add", "Old claim", "--by", "2030-01-01", "--who", "A", "--prob", "0.5", "--stated", "2020-01-01", today=today.isoformat())
    since = (today - timedelta(days=7)).isoformat()
    result = cli.json("digest", "--since", since, today=today.isoformat())
    assert [(row["statement"], row["stated_on"]) for row in result["forecasts"]] == [("Old claim", "2020-01-01")]
    # Replayed as of a day before it was typed in, it is not there.
    assert cli.json("digest", "--since", "2020-01-02", today="2020-02-01")["forecasts"] == []


def test_consensus_moves_past_the_threshold(cli):
    cli.ok("add", "A summit is held", "--by", "2027-06-30", "--who", "A", "--prob", "0.2", "--stated", "2026-01-01")
    cli.ok("forecast", "1", "--who", "B", "--prob", "0.3", "--stated", "2026-01-02")
    cli.ok("forecast", "1", "--who", "C", "--prob", "0.4", "--stated", "2026-01-03")
    cli.ok("add", "Talks resume", "--by", "2027-06-30", "--who", "A", "--prob", "0.5", "--stated", "2026-01-01")
    cli.ok("forecast", "2", "--who", "A", "--prob", "0.55", "--stated", "2026-11-20")
    cli.ok("forecast", "1", "--who", "A", "--prob", "0.9", "--stated", "2026-11-18")
    cli.ok("forecast", "1", "--who", "B", "--prob", "0.8", "--stated", "2026-11-19")
    result = cli.json("digest", "--since", "2026-11-16")
    before, after = consensus.aggregate([0.2, 0.3, 0.4]), consensus.aggregate([0.9, 0.8, 0.4])  # geometric mean of odds
    assert [(row["question_id"], row["before"], row["after"]) for row in result["moves"]] == [(1, pytest.approx(before), pytest.approx(after))]
    assert result["moves"][0]["move"] == pytest.approx(after - before)
    smaller = cli.json("digest", "--since", "2026-11-16", "--threshold", "0.05")
    assert [row["question_id"] for row in smaller["moves"]] == [1, 2]


def test_scenario_outcomes_move_with_their_scenario_named(cli):
    cli.ok("scenario", "add", "Next summit", "--outcome", "in 2026", "--outcome", "later", "--outcome", "never", "--by", "2030-01-01",
           "--stated", "2026-01-01")
    cli.ok("scenario", "forecast", "Next summit", "--who", "A", "--probs", "0.2,0.5,0.3", "--stated", "2026-01-02")
    cli.ok("scenario", "forecast", "Next summit", "--who", "A", "--probs", "0.6,0.3,0.1", "--stated", "2026-11-20")
    moves = cli.json("digest", "--since", "2026-11-16")["moves"]
    assert {row["statement"]: round(row["move"], 6) for row in moves} == {
        "Next summit: in 2026": 0.4, "Next summit: later": -0.2, "Next summit: never": -0.2}
    assert {row["scenario"] for row in moves} == {"Next summit"}


@pytest.mark.parametrize("fmt, expected", [("text", "Due in the next 30 days"), ("markdown", "## Due in the next 30 days"),
                                           ("html", "<h2>Due in the next 30 days</h2>")])
def test_formats(seeded, fmt, expected):
    out = seeded.ok("digest", "--since", "2019-12-01", "--format", fmt, today="2019-12-20").stdout
    assert expected in out
    if fmt == "markdown":
        assert out.startswith("# Ledger digest, 2019-12-01 to 2019-12-20")
        assert "|---" not in out.splitlines()[1]  # the summary table has its header row


def test_bad_input_is_one_line_and_writes_nothing(seeded):
    before = snapshot(seeded.db)
    cases = {
        ("--within", "soon"): "--within 'soon' is not a length of time",
        ("--threshold", "0"): "--threshold 0.0 is out of range",
        ("--format", "pdf"): "unknown digest format 'pdf'",
        ("--since", "2030-01-01"): "--since 2030-01-01 is after today",
        ("--since", "whenever"): "unreadable date",
    }
    for arguments, message in cases.items():
        result = seeded("digest", *arguments)
        assert result.exit_code == 2, arguments
        assert message in result.stderr, (arguments, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot(seeded.db) == before


def test_a_last_run_after_today_asks_for_since(seeded):
    seeded.ok("digest", today="2026-11-23")
    result = seeded("digest", today="2019-06-30")
    assert result.exit_code == 2
    assert "the last digest ran for 2026-11-23, after today (2019-06-30): give --since DATE" in result.stderr


def test_read_within():
    assert [digest.read_within(text) for text in ("30d", "30", "2w", " 10 days ")] == [30, 30, 14, 10]
    with pytest.raises(Exception):
        digest.read_within("a month")


def test_json_is_one_value(seeded):
    out = seeded.ok("digest", "--since", "2019-12-01", "--format", "json", today="2020-01-05").stdout
    value = json.loads(out)
    assert set(value) >= {"came_due", "due_soon", "resolutions", "forecasts", "moves", "since", "today"}
