"""Issue 15: scores nobody can game by timing. One test per defect, through the CLI, with the expected scores worked by hand."""

import math
from datetime import date

import pytest

from ledger.standings import score_question

LN = math.log


def baseline(p):
    return 100 * math.log2(2 * p)


def by_group(rows):
    return {row["group"]: row for row in rows}


def days(start: str, end: str) -> int:
    """Days from start to end, both included."""
    return (date.fromisoformat(end) - date.fromisoformat(start)).days + 1


# 1. Late entry wins --------------------------------------------------------------------------------

# A 30-day question that resolves yes on its deadline: Early says 70 % and Crowd 50 % on the first
# day; Late says 99 % the day before it resolves. Forecasting ends on the event's day (Jan 30).
WINDOW = days("2024-01-01", "2024-01-30")


@pytest.fixture
def late_entry(cli):
    cli.ok("add", "Talks held in January", "--by", "2024-01-30", "--who", "Early", "--prob", "70%", "--stated", "2024-01-01")
    cli.ok("forecast", "1", "--who", "Crowd", "--prob", "50%", "--stated", "2024-01-01")
    cli.ok("forecast", "1", "--who", "Late", "--prob", "99%", "--stated", "2024-01-29")
    cli.ok("resolve", "1", "yes", "--on", "2024-01-30")
    return cli


def test_speaking_last_no_longer_wins(late_entry):
    rows = late_entry.json("report")
    early, late = by_group(rows)["Early"], by_group(rows)["Late"]
    # Last-forecast scores, as the headline used to be: Late has the best Brier and peer score.
    assert late["last_brier"] == pytest.approx(0.01**2) and early["last_brier"] == pytest.approx(0.09)
    assert late["last_peer_score"] > early["last_peer_score"]
    # Time-averaged: 28 days Early vs Crowd, 1 day all three, the event's day scores 0.
    early_peer = (28 * 100 * LN(0.7 / 0.5) + 100 * (LN(0.7) - (LN(0.5) + LN(0.99)) / 2)) / WINDOW
    late_peer = 100 * (LN(0.99) - (LN(0.7) + LN(0.5)) / 2) / WINDOW
    assert early["peer_score"] == pytest.approx(early_peer)
    assert late["peer_score"] == pytest.approx(late_peer)
    # Before Late spoke, Late's days take the median Brier of those standing (0.09 and 0.25 → 0.17).
    assert late["time_averaged_brier"] == pytest.approx((28 * 0.17 + 0.0001 + 0.25) / WINDOW)
    assert early["time_averaged_brier"] == pytest.approx((29 * 0.09 + 0.25) / WINDOW)
    assert late["coverage"] == pytest.approx(1 / WINDOW) and early["coverage"] == pytest.approx(29 / WINDOW)
    # The ranking follows the time-averaged peer score: the honest early forecast first.
    assert [row["group"] for row in rows] == ["Early", "Late", "Crowd"]


def test_without_peers_the_time_averaged_brier_ranks(cli):
    cli.ok("add", "A", "--by", "2024-01-30", "--who", "Early", "--prob", "70%", "--stated", "2024-01-01")
    cli.ok("add", "B", "--by", "2024-01-30", "--who", "Late", "--prob", "99%", "--stated", "2024-01-01")
    cli.ok("forecast", "2", "--who", "Late", "--prob", "50%", "--stated", "2024-01-01")
    cli.ok("add", "C", "--by", "2024-01-30", "--who", "Late", "--prob", "99%", "--stated", "2024-01-29")
    for question in ("1", "2", "3"):
        cli.ok("resolve", question, "yes", "--on", "2024-01-30")
    rows = cli.json("report")
    assert all(row["peer_score"] is None and row["compared"] == 0 for row in rows)
    # Late: question 2 at 50 % (the later of two on one day); question 3 opened with Late's own
    # forecast, so its window is Jan 29 … Jan 30: one day at 99 %, then the event's day at even odds.
    late = by_group(rows)["Late"]
    assert late["time_averaged_brier"] == pytest.approx(((29 * 0.25 + 0.25) / WINDOW + (0.0001 + 0.25) / 2) / 2)
    assert [row["group"] for row in rows] == ["Early", "Late"]


# 2. Early resolution ------------------------------------------------------------------------------


def test_an_early_resolution_ends_forecasting_but_not_the_window(cli):
    cli.ok("add", "Summit by the end of the year", "--by", "2019-12-31", "--who", "Sure", "--prob", "100%", "--stated", "2019-01-01")
    cli.ok("resolve", "1", "yes", "--on", "2019-07-01")
    (sure,) = cli.json("report")
    window, held = days("2019-01-01", "2019-12-31"), days("2019-01-01", "2019-06-30")
    # Right from the first day, and still only half the window: the rest scores even odds (Metaculus's truncation).
    assert sure["time_averaged_brier"] == pytest.approx((held * 0.0 + (window - held) * 0.25) / window)
    assert sure["baseline_score"] == pytest.approx(held * baseline(0.999) / window)
    assert sure["coverage"] == pytest.approx(held / window)
    assert sure["last_brier"] == 0.0


# 3. The window never runs past the resolve-by date -------------------------------------------------


def test_a_resolution_typed_late_does_not_stretch_the_window(cli):
    cli.ok("add", "Envoy named in January", "--by", "2024-01-30", "--who", "First", "--prob", "30%", "--stated", "2024-01-01")
    cli.ok("forecast", "1", "--who", "Last", "--prob", "10%", "--stated", "2024-01-30")
    cli.ok("resolve", "1", "no", "--on", "2024-11-30")  # typed ten months late
    rows = by_group(cli.json("report"))
    assert rows["Last"]["coverage"] == pytest.approx(1 / WINDOW)
    assert rows["First"]["coverage"] == pytest.approx(1.0)
    # A "no" dated on or after the deadline: forecasting ran through the resolve-by day itself.
    assert rows["Last"]["time_averaged_brier"] == pytest.approx((29 * 0.09 + 0.01) / WINDOW)


def test_resolving_no_past_the_deadline_without_on_takes_the_resolve_by_date(cli):
    cli.ok("add", "Envoy named in January", "--by", "2024-01-30", "--who", "First", "--prob", "30%", "--stated", "2024-01-01")
    record = cli.json("resolve", "1", "no")  # typed on 2026-11-23, long after the deadline
    assert record["resolved_on"] == "2024-01-30"
    (row,) = cli.json("report", "--period", "year")
    assert row["period"] == "2024" and row["coverage"] == 1.0


# 4. An amendment does not move the cut-off -----------------------------------------------------------


@pytest.fixture
def amended(cli):
    cli.ok("add", "Talks held in January", "--by", "2024-01-30", "--who", "Ann", "--prob", "60%", "--stated", "2024-01-02")
    cli.ok("resolve", "1", "yes", "--on", "2024-01-10")
    return cli


def test_an_amendment_without_on_keeps_the_event_date(amended):
    amended.ok("resolve", "1", "no", "--amend", "--note", "It was a phone call")
    (resolution,) = [r for r in amended.json("show", "1")["resolutions"] if r["amends"]]
    assert resolution["resolved_on"] == "2024-01-10"
    refused = amended("forecast", "1", "--who", "Bob", "--prob", "10%", "--stated", "2024-01-20")
    assert refused.exit_code == 2
    assert [row["period"] for row in amended.json("report", "--period", "year")] == ["2024"]


def test_an_amendment_with_its_own_date_moves_the_event_date_and_the_period(amended):
    amended.ok("resolve", "1", "no", "--amend", "--on", "2025-02-01", "--note", "The January meeting did not count")
    (row,) = amended.json("report", "--period", "year")
    assert row["period"] == "2025"  # periods follow the event's date of the resolution in force
    # The window still ends at the resolve-by date: Ann's 60 % covers Jan 2 … Jan 30.
    assert row["coverage"] == pytest.approx(1.0)
    assert row["time_averaged_brier"] == pytest.approx(0.36)


# 5. The world's order wins: a forecast stated on or after the event's date never counts -----------------


def rows_for(question):
    """score_question's rows (standings.COLUMNS) for a question: (forecaster, id, probability, stated_on)."""
    outcome, resolved_on, resolve_by, forecasts = question
    return [
        (1, forecaster, forecast_id, probability, None, stated_on, outcome, resolved_on, resolve_by)
        for forecaster, forecast_id, probability, stated_on in sorted(forecasts)
    ]


def test_a_forecast_stated_after_the_event_never_counts():
    # The event happened on Mar 1; Bob's 99 % of Mar 5 was typed in before the resolution was.
    scores = score_question(rows_for(("yes", "2024-03-01", "2024-12-31", [
        (1, 1, 0.6, "2024-01-01"), (2, 2, 0.3, "2024-02-01"), (2, 3, 0.99, "2024-03-05"), (3, 4, 0.9, "2024-03-01"),
    ])))
    # Stated on the event's day or after: not counted.
    assert [scores.counts(stated) for stated in ("2024-01-01", "2024-02-29", "2024-03-01", "2024-03-05")] == [True, True, False, False]
    standings = {standing.forecaster_id: standing for standing in scores.standings}
    assert set(standings) == {1, 2}
    assert standings[2].forecast_id == 2 and standings[2].last_brier == pytest.approx(0.49)
    assert scores.ends_on == date(2024, 3, 1) and scores.closes_on == date(2024, 12, 31)


def test_a_resolution_may_be_dated_before_a_forecast_which_then_does_not_count(cli):
    cli.ok("add", "Summit held", "--by", "2024-12-31", "--who", "Ann", "--prob", "60%", "--stated", "2024-01-01")
    cli.ok("forecast", "1", "--who", "Bob", "--prob", "99%", "--stated", "2024-03-05")
    record = cli.json("resolve", "1", "yes", "--on", "2024-03-01")
    scores = {score["forecaster"]: score for score in record["scores"]}
    assert scores["Bob"]["counts"] is False and scores["Bob"]["brier"] is None and scores["Bob"]["latest"] is False
    assert scores["Ann"]["counts"] is True and scores["Ann"]["latest"] is True
    assert set(by_group(cli.json("report"))) == {"Ann"}


def test_resolve_output_flags_what_counts(cli):
    cli.ok("add", "Summit held", "--by", "2024-12-31", "--who", "Ann", "--prob", "60%", "--stated", "2024-01-01")
    cli.ok("forecast", "1", "--who", "Bob", "--prob", "30%", "--stated", "2024-03-01")
    record = cli.json("resolve", "1", "yes", "--on", "2024-03-01")  # Bob spoke on the event's day
    scores = {score["forecaster"]: score for score in record["scores"]}
    assert scores["Bob"]["counts"] is False and scores["Bob"]["brier"] is None
    assert scores["Ann"]["counts"] is True and scores["Ann"]["peer_score"] is None  # alone once Bob is left out
    table = cli.ok("resolve", "1", "no", "--amend", "--on", "2024-03-01", "--note", "recount").stdout
    assert "Forecast 2 was stated after forecasting ended" in table and "never counted" in table


# 6–8. Scenarios -------------------------------------------------------------------------------------

from test_scenarios import BINS, SUMMIT, scenario  # noqa: E402,F401 - the same four-bin scenario


def test_a_vector_with_zeros_on_ruled_out_outcomes_is_accepted_and_scored(scenario):
    scenario.ok("resolve", "1", "no", "--on", "2020-01-01", "--note", "No summit in 2019")
    scenario.ok("scenario", "forecast", SUMMIT, "--who", "Hong Min", "--probs", "0,0.5,0.3,0.2", "--stated", "2024-11-22")
    scenario.ok("scenario", "resolve", SUMMIT, "4", "--on", "2026-11-01", "--note", "test")
    (vector,) = scenario.json("scenario", "show", SUMMIT)["forecasts"]
    assert vector["probabilities"] == [0.0, 0.5, 0.3, 0.2]
    assert vector["brier"] == pytest.approx(0.5**2 + 0.3**2 + 0.8**2)
    assert vector["log_score"] == pytest.approx(LN(0.2))
    (row,) = scenario.json("report", "--by", "scenario")
    assert row["forecaster"] == "Hong Min" and row["brier"] == pytest.approx(vector["brier"])


def test_the_scenario_report_as_of_a_day_reads_the_resolutions_of_that_day(scenario):
    scenario.ok("scenario", "forecast", SUMMIT, "--who", "Analyst", "--probs", "0.4,0.3,0.2,0.1", "--stated", "2019-04-14")
    scenario.ok("scenario", "resolve", SUMMIT, "2", "--on", "2026-01-10", "--note", "the Busan meeting")
    scenario.ok("scenario", "resolve", SUMMIT, "3", "--amend", "--on", "2026-06-01", "--note", "Busan was not a summit")
    before = scenario.json("report", "--by", "scenario", "--as-of", "2026-03-01")
    assert [row["happened"] for row in before] == [BINS[1]]
    assert before[0]["brier"] == pytest.approx(0.4**2 + 0.7**2 + 0.2**2 + 0.1**2)
    # The binary report scores the same outcome that day.
    assert scenario.json("report", "--by", "question", "--as-of", "2026-03-01")
    (after,) = scenario.json("report", "--by", "scenario")
    assert after["happened"] == BINS[2]


def test_the_scenario_report_scores_each_forecasters_standing_vector(scenario):
    scenario.ok("scenario", "forecast", SUMMIT, "--who", "Analyst", "--probs", "0.4,0.3,0.2,0.1", "--stated", "2019-04-14")
    scenario.ok("scenario", "forecast", SUMMIT, "--who", "Analyst", "--probs", "0.1,0.6,0.2,0.1", "--stated", "2019-10-01")
    scenario.ok("scenario", "resolve", SUMMIT, "2", "--on", "2026-01-10", "--note", "test")
    (row,) = scenario.json("report", "--by", "scenario")
    # One standing, the last vector: not the mean of both.
    assert row["n"] == 1
    assert row["brier"] == pytest.approx(0.1**2 + 0.4**2 + 0.2**2 + 0.1**2)
    assert row["log_score"] == pytest.approx(LN(0.6))


# 9. Calibration bins on the decimal the user typed --------------------------------------------------------


def test_calibration_bins_on_the_typed_decimal(cli):
    for question, probability in enumerate(("0.145", "0.095", "0.29"), start=1):
        cli.ok("add", f"Event {question}", "--by", "2022-12-31", "--who", "Ann", "--prob", probability, "--stated", "2022-01-01")
        cli.ok("resolve", str(question), "no", "--on", "2022-12-31")
    ten = cli.json("calibration")
    assert [row["n"] for row in ten[:3]] == [1, 1, 1]  # 9.5 % in 0–10 %, 14.5 % in 10–20 %, 29 % in 20–30 %
    hundred = cli.json("calibration", "--bins", "100")
    assert {index for index, row in enumerate(hundred) if row["n"]} == {9, 14, 29}
    for row in ten + hundred:
        if row["n"]:
            assert row["lower"] <= row["mean_probability"] < row["upper"]


# The common case: a pundit's single quote ----------------------------------------------------------------


def test_a_single_quote_is_scored_from_its_date_to_the_close(cli):
    cli.ok("add", "Talks resume by 2026-01-20", "--by", "2026-01-20", "--who", "Randall Schriver", "--prob", "60%", "--stated", "2024-11-21")
    cli.ok("forecast", "1", "--who", "Hong Min", "--prob", "45%", "--stated", "2024-11-22")
    cli.ok("resolve", "1", "no", "--on", "2026-01-20")
    rows = by_group(cli.json("report"))
    window = days("2024-11-21", "2026-01-20")
    hong, schriver = rows["Hong Min"], rows["Randall Schriver"]
    assert hong["coverage"] == pytest.approx((window - 1) / window) and schriver["coverage"] == 1.0
    assert hong["peer_score"] == pytest.approx((window - 1) * 100 * LN(0.55 / 0.4) / window) == -schriver["peer_score"]
    # Hong Min's first day is scored as Schriver's forecast that day (GJO): speaking a day later costs a day of his Brier.
    assert hong["time_averaged_brier"] == pytest.approx((0.36 + (window - 1) * 0.45**2) / window)
    assert hong["n"] == schriver["n"] == 1 and hong["last_brier"] == pytest.approx(0.45**2)
