"""Scenarios through the CLI: create, forecast as vectors, resolve in one write, score, and draw."""

import math

import pytest

from conftest import snapshot

SUMMIT = "Next Trump-Kim summit"
BINS = ["by 2019-12-31", "2020 to 2026-01-20", "2026-01-21 to 2029-01-20", "not by 2029-01-20"]


@pytest.fixture
def scenario(cli):
    args = ["scenario", "add", SUMMIT, "--by", "2029-01-20", "--ordered", "--stated", "2019-04-13"]
    for outcome in BINS:
        args += ["--outcome", outcome]
    cli.ok(*args)
    return cli


def test_a_scenario_is_one_question_per_outcome(scenario):
    shown = scenario.json("scenario", "show", SUMMIT)
    assert [o["outcome"] for o in shown["outcomes"]] == BINS
    listed = scenario.json("list")
    assert [q["statement"] for q in listed] == [f"{SUMMIT}: {b}" for b in BINS]
    assert all(q["resolve_by"] == "2029-01-20" for q in listed)


def test_vector_forecast_resolve_and_hand_worked_scores(scenario):
    scenario.ok("scenario", "forecast", SUMMIT, "--who", "Analyst", "--probs", "0.4,0.3,0.2,0.1", "--stated", "2019-04-14")
    scenario.ok("scenario", "forecast", SUMMIT, "--who", "Sceptic", "--probs", "10%,20%,30%,40%", "--stated", "2019-05-01")
    scenario.ok("scenario", "resolve", SUMMIT, "2", "--on", "2026-01-21", "--note", "test resolution")
    shown = scenario.json("scenario", "show", SUMMIT)
    assert shown["happened"] == BINS[1]
    assert [o["resolution"] for o in shown["outcomes"]] == ["no", "yes", "no", "no"]
    analyst, sceptic = shown["forecasts"]
    # Multi-category Brier: sum over outcomes of (p - o)^2.
    assert analyst["brier"] == pytest.approx(0.4**2 + 0.7**2 + 0.2**2 + 0.1**2)  # 0.70
    assert sceptic["brier"] == pytest.approx(0.1**2 + 0.8**2 + 0.3**2 + 0.4**2)  # 0.90
    assert analyst["log_score"] == pytest.approx(math.log(0.3))
    # Ordered Brier: the mean Brier of the cumulative splits "≤ k" for k = 1..3, the outcome being bin 2.
    assert analyst["ordered_brier"] == pytest.approx(((0.4 - 0) ** 2 + (0.7 - 1) ** 2 + (0.9 - 1) ** 2) / 3)
    assert sceptic["ordered_brier"] == pytest.approx(((0.1 - 0) ** 2 + (0.3 - 1) ** 2 + (0.6 - 1) ** 2) / 3)
    for key in ("forecaster", "probabilities", "brier", "log_score"):
        assert key in analyst


def test_single_outcome_forecast_is_a_binary_forecast_on_it(scenario):
    record = scenario.json("scenario", "forecast", SUMMIT, "--who", "Hong Min", "--outcome", "3", "--says", "may", "--stated", "2024-11-22")
    assert record["question_id"] == 3 and record["cue"] == "may"
    scenario.ok("resolve", "1", "no", "--on", "2020-01-01", "--note", "No summit in 2019: ruled out")
    scenario.ok("scenario", "resolve", SUMMIT, "not by 2029-01-20", "--on", "2026-11-01", "--note", "test")
    shown = scenario.json("show", "3")
    assert shown["outcome"] == "no" and shown["forecasts"][0]["forecaster"] == "Hong Min"
    assert scenario.json("scenario", "show", SUMMIT)["outcomes"][0]["resolved_on"] == "2020-01-01"


BAD_VECTORS = {
    "sum too high": (["--probs", "0.5,0.3,0.2,0.1"], "sum to 1.100"),
    "sum too low": (["--probs", "0.5,0.3,0.1,0.05"], "sum to 0.950"),
    "too few values": (["--probs", "0.5,0.5"], "4 outcomes"),
    "a value out of range": (["--probs", "1.2,-0.1,-0.05,-0.05"], "0 to 1"),
    "not a number": (["--probs", "half,0.2,0.2,0.1"], "30%"),
    "no probabilities": ([], "--probs"),
    "unknown outcome": (["--outcome", "sometime", "--prob", "0.3"], "1 = by 2019-12-31"),
}


@pytest.mark.parametrize("case", sorted(BAD_VECTORS))
def test_bad_probability_vectors_are_refused(scenario, db_url, case):
    args, hint = BAD_VECTORS[case]
    before = snapshot(db_url)
    result = scenario("scenario", "forecast", SUMMIT, "--who", "X", *args)
    assert result.exit_code == 2, result.stdout
    assert hint in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert snapshot(db_url) == before


def test_normalize_scales_a_vector_that_does_not_sum_to_one(scenario):
    record = scenario.json("scenario", "forecast", SUMMIT, "--who", "X", "--probs", "0.4,0.2,0.2,0", "--normalize")
    assert record["probabilities"] == pytest.approx([0.5, 0.25, 0.25, 0.0])


def test_a_scenario_outcome_cannot_be_resolved_yes_alone(scenario, db_url):
    before = snapshot(db_url)
    result = scenario("resolve", "2", "yes", "--on", "2026-01-01")
    assert result.exit_code == 2 and "scenario resolve" in result.stderr
    assert snapshot(db_url) == before


def test_scenario_names_are_unique_and_need_two_outcomes(scenario):
    assert scenario("scenario", "add", SUMMIT.upper(), "--outcome", "a", "--outcome", "b", "--by", "2030-01-01").exit_code == 2
    assert scenario("scenario", "add", "Lonely", "--outcome", "a", "--by", "2030-01-01").exit_code == 2


def test_timeline_lists_every_dated_forecast(scenario):
    scenario.ok("scenario", "forecast", SUMMIT, "--who", "Analyst", "--probs", "0.4,0.3,0.2,0.1", "--stated", "2019-04-14")
    scenario.ok("scenario", "forecast", SUMMIT, "--who", "Analyst", "--probs", "0.1,0.3,0.4,0.2", "--stated", "2019-12-01")
    line = scenario.json("timeline", SUMMIT)
    points = line["points"]
    assert len(points) == 8 and points[0]["stated_on"] == "2019-04-14" and points[-1]["stated_on"] == "2019-12-01"
    assert line["outcomes"] == BINS and line["implied"] is None and line["sightings"] == []  # no indicators yet
    assert scenario.json("timeline", "1")["points"][0]["outcome"] == f"{SUMMIT}: {BINS[0]}"


def test_report_by_scenario_scores_the_vectors(scenario):
    scenario.ok("scenario", "forecast", SUMMIT, "--who", "Analyst", "--probs", "0.4,0.3,0.2,0.1", "--stated", "2019-04-14")
    scenario.ok("scenario", "resolve", SUMMIT, "2", "--on", "2026-01-21", "--note", "test resolution")
    rows = scenario.json("report", "--by", "scenario")
    assert rows == [{"group": SUMMIT, "forecaster": "Analyst", "n": 1, "brier": pytest.approx(0.70),
                     "log_score": pytest.approx(math.log(0.3)), "ordered_brier": pytest.approx(0.26 / 3),
                     "happened": BINS[1]}]
    assert scenario.json("report", "--by", "scenario", "--as-of", "2026-01-01") == []


def test_timeline_chart_is_a_png(scenario, tmp_path):
    scenario.ok("scenario", "forecast", SUMMIT, "--who", "Analyst", "--probs", "0.4,0.3,0.2,0.1", "--stated", "2019-04-14")
    scenario.ok("scenario", "forecast", SUMMIT, "--who", "Hong Min", "--outcome", "3", "--says", "may", "--stated", "2024-11-22")
    scenario.ok("resolve", "1", "no", "--on", "2020-01-01", "--note", "ruled out")
    chart = tmp_path / "timeline.png"
    scenario.ok("timeline", SUMMIT, "--png", str(chart))
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
