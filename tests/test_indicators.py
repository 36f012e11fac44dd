"""Indicators, sightings and the consensus: the Bayes update and the aggregates worked by hand, then through the CLI."""

import math
from datetime import date

import pytest

from ledger import consensus, indicators


def test_a_sighting_moves_a_uniform_prior_by_bayes_rule():
    # P(outcome | seen) ∝ P(outcome) × P(seen | outcome): 1/3 × (0.9, 0.5, 0.1) = (0.3, 0.1667, 0.0333), total 0.5
    assert indicators.update([1 / 3] * 3, [0.9, 0.5, 0.1], seen=True) == pytest.approx([0.6, 1 / 3, 1 / 15])
    # not seen: × (0.1, 0.5, 0.9) = (0.0333, 0.1667, 0.3), total 0.5
    assert indicators.update([1 / 3] * 3, [0.9, 0.5, 0.1], seen=False) == pytest.approx([1 / 15, 1 / 3, 0.6])


def test_the_implied_path_applies_sightings_and_ruled_out_outcomes_in_date_order():
    events = [
        ("ruled_out", date(2020, 1, 1), 0, "ruled out: soon"),
        ("sighting", date(2019, 10, 5), [0.9, 0.5, 0.1], True, "seen: talks"),
        ("sighting", date(2019, 11, 1), [0.5, 0.5, 0.5], False, "not seen: a neutral sign"),
    ]
    path = indicators.implied_path(indicators.uniform(3), events)
    assert [row["on"] for row in path] == [date(2019, 10, 5), date(2019, 11, 1), date(2020, 1, 1)]
    assert path[0]["probabilities"] == pytest.approx([0.6, 1 / 3, 1 / 15])
    assert path[1]["probabilities"] == pytest.approx([0.6, 1 / 3, 1 / 15])  # equal likelihoods teach nothing
    assert path[2]["probabilities"] == pytest.approx([0.0, (1 / 3) / 0.4, (1 / 15) / 0.4])
    assert indicators.standing(path, date(2019, 10, 4), indicators.uniform(3)) == pytest.approx([1 / 3] * 3)


def test_an_indicator_consistent_with_every_outcome_is_not_diagnostic():
    assert not indicators.is_diagnostic([0.7, 0.7, 0.65])
    assert indicators.is_diagnostic([0.7, 0.3, 0.5])
    assert indicators.read_likelihood("CC") == (0.9, "very consistent")
    assert indicators.read_likelihood("35%") == (0.35, None)
    for bad in ("1", "0", "likely-ish"):
        with pytest.raises(Exception):
            indicators.read_likelihood(bad)


def test_the_consensus_is_the_geometric_mean_of_odds_or_the_median():
    # odds 0.25 and 4: geometric mean 1, so 0.5; odds 1 and 9: 3, so 0.75
    assert consensus.aggregate([0.2, 0.8]) == pytest.approx(0.5)
    assert consensus.aggregate([0.5, 0.9]) == pytest.approx(0.75)
    assert consensus.aggregate([0.1, 0.2, 0.9], "median") == 0.2
    # vectors: geometric mean per outcome, normalised: sqrt(0.5*0.2)=0.316, sqrt(0.5*0.8)=0.632
    assert consensus.aggregate_vector([[0.5, 0.5], [0.2, 0.8]]) == pytest.approx([1 / 3, 2 / 3])


def test_the_consensus_path_holds_each_forecasters_latest_forecast():
    points = [(date(2026, 1, 1), "A", 0.2), (date(2026, 1, 5), "B", 0.8), (date(2026, 1, 5), "C", 0.5), (date(2026, 2, 1), "A", 0.5)]
    path = consensus.path(points, "median")
    assert [(row["on"], row["consensus"], row["forecasters"]) for row in path] == [
        (date(2026, 1, 1), 0.2, 1), (date(2026, 1, 5), 0.5, 3), (date(2026, 2, 1), 0.5, 3)]
    assert consensus.on_day(path, date(2026, 1, 4)) == 0.2 and consensus.on_day(path, date(2025, 12, 31)) is None


@pytest.fixture
def scenario(cli):
    cli.ok("scenario", "add", "Next summit", "--outcome", "In 2026", "--outcome", "In 2027", "--outcome", "Later",
           "--by", "2030-12-31", "--stated", "2026-01-01")
    cli.ok("scenario", "forecast", "Next summit", "--who", "Hong Min", "--probs", "0.5,0.3,0.2", "--stated", "2026-01-02")
    cli.ok("scenario", "forecast", "Next summit", "--who", "Randall Schriver", "--probs", "0.2,0.3,0.5", "--stated", "2026-01-03")
    return cli


def test_indicators_and_sightings_through_the_cli(scenario):
    added = scenario.json("indicator", "add", "Next summit", "Working-level talks are held",
                          "-l", "1=0.9", "-l", "2=neutral", "-l", "Later=0.1")
    assert added["likelihoods"] == [0.9, 0.5, 0.1] and added["diagnostic"] is True
    flat = scenario.ok("indicator", "add", "Next summit", "Both sides say they are open to talks", "-l", "1=c", "-l", "2=c", "-l", "3=c")
    assert "Not diagnostic" in flat.stdout
    scenario.ok("indicator", "seen", "1", "--on", "2026-02-01", "--quote", "Working-level talks opened in Stockholm")
    shown = scenario.json("indicator", "list", "Next summit", "--prior", "uniform")
    assert shown["implied"]["path"][0]["probabilities"] == pytest.approx([0.6, 1 / 3, 1 / 15])
    # the default prior: the forecasters' consensus on the day of the first sighting, then the same update
    prior = consensus.aggregate_vector([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]])
    shown = scenario.json("indicator", "list", "Next summit")
    assert shown["implied"]["prior_vector"] == pytest.approx(prior)
    assert shown["implied"]["path"][0]["probabilities"] == pytest.approx(indicators.update(prior, [0.9, 0.5, 0.1], True))
    table = scenario.ok("scenario", "show", "Next summit").stdout
    assert "Indicators × outcomes" in table and "Implied by the sightings" in table and "Consensus" in table


def test_a_corrected_sighting_stops_counting_and_bad_input_is_refused(scenario):
    scenario.ok("indicator", "add", "Next summit", "Talks are held", "-l", "1=0.9", "-l", "2=0.5", "-l", "3=0.1")
    scenario.ok("indicator", "seen", "1", "--on", "2026-02-01")
    refused = scenario("indicator", "seen", "1", "--on", "2026-02-02", "--amend", "1")
    assert refused.exit_code == 2 and "--note" in refused.stderr
    scenario.ok("indicator", "seen", "1", "--on", "2026-02-01", "--not-seen", "--amend", "1", "--note", "The talks were cancelled")
    path = scenario.json("indicator", "list", "Next summit", "--prior", "uniform")["implied"]["path"]
    assert len(path) == 1 and path[0]["probabilities"] == pytest.approx([1 / 15, 1 / 3, 0.6])
    for args, hint in [
        (["indicator", "add", "Next summit", "X", "-l", "1=0.9", "-l", "2=0.5"], "missing outcome 3"),
        (["indicator", "add", "Next summit", "X", "-l", "1=0.9", "-l", "2=0.5", "-l", "3=1"], "strictly between"),
        (["indicator", "add", "Nowhere", "X", "-l", "1=0.9"], "no scenario"),
        (["indicator", "seen", "99"], "no indicator"),
        (["indicator", "seen", "1", "--on", "2027-01-01"], "after today"),
    ]:
        result = scenario(*args)
        assert result.exit_code == 2 and hint in result.stderr, (args, result.stderr)


def conditional(cli):
    cli.ok("add", "US-North Korea talks resume", "--by", "2027-12-31", "--who", "Hong Min", "--prob", "0.5", "--stated", "2026-01-02")
    return cli.json("add", "The US seeks a broader deal", "--by", "2029-01-20", "--who", "Randall Schriver", "--says", "believes … will",
                    "--stated", "2026-01-02", "--if", "1=yes")


def test_a_conditional_question_is_annulled_when_its_condition_fails(cli):
    added = conditional(cli)
    assert added["condition"] == {"question_id": 1, "outcome": "yes", "statement": "US-North Korea talks resume"}
    resolved = cli.json("resolve", "1", "no", "--on", "2026-06-01", "--note", "Pyongyang refused")
    assert resolved["annulled"] == [2]
    shown = cli.json("show", "2")
    assert shown["outcome"] == "annulled" and shown["resolved_on"] == "2026-06-01"
    assert "counted only if question 1 resolved yes" in shown["resolutions"][0]["note"]
    assert shown["condition"]["question_id"] == 1


def test_a_conditional_question_whose_condition_holds_is_scored_normally(cli):
    conditional(cli)
    assert cli.json("resolve", "1", "yes", "--on", "2026-06-01")["annulled"] == []
    assert cli.json("show", "2")["outcome"] is None
    cli.ok("resolve", "2", "yes", "--on", "2026-09-01")
    assert [row["group"] for row in cli.json("report", "--by", "forecaster")] == ["Randall Schriver", "Hong Min"]


def test_a_condition_must_be_an_open_question_read_as_written(cli):
    cli.ok("add", "Talks resume", "--by", "2027-12-31", "--who", "A", "--prob", "0.5", "--stated", "2026-01-02")
    for condition, hint in [("9", "no question with id 9"), ("1=maybe", "unreadable condition"), ("one", "unreadable condition")]:
        result = cli("add", "A deal", "--by", "2029-01-20", "--who", "A", "--prob", "0.5", "--stated", "2026-01-02", "--if", condition)
        assert result.exit_code == 2 and hint in result.stderr, result.stderr
    cli.ok("resolve", "1", "no", "--on", "2026-03-01")
    result = cli("add", "A deal", "--by", "2029-01-20", "--who", "A", "--prob", "0.5", "--stated", "2026-01-02", "--if", "1")
    assert result.exit_code == 2 and "resolved already" in result.stderr


def test_the_consensus_is_scored_as_a_forecaster_and_each_forecaster_against_it(cli):
    cli.ok("add", "Talks resume", "--by", "2026-06-30", "--who", "Early", "--prob", "0.2", "--stated", "2026-01-01")
    cli.ok("forecast", "1", "--who", "Follower", "--prob", "0.25", "--stated", "2026-03-01")
    cli.ok("forecast", "1", "--who", "Contrarian", "--prob", "0.9", "--stated", "2026-03-01")
    cli.ok("resolve", "1", "yes", "--on", "2026-06-01")
    rows = {row["group"]: row for row in cli.json("report", "--consensus")}
    assert rows["consensus"]["n"] == 1 and rows["consensus"]["time_averaged_brier"] is not None
    # when the two spoke, the consensus was Early's 0.2 (Brier 0.64): the contrarian beat it, the follower barely did
    assert rows["Contrarian"]["beat_consensus"] == pytest.approx(0.64 - 0.01)
    assert rows["Follower"]["beat_consensus"] == pytest.approx(0.64 - 0.5625)
    assert "beat_consensus" not in rows["Early"]  # nobody had spoken before
    assert "consensus" not in {row["group"] for row in cli.json("report")}


def test_the_indicators_are_scored_as_a_forecaster_of_their_own(cli):
    cli.ok("scenario", "add", "Talks", "--outcome", "Held", "--outcome", "Not held", "--by", "2026-12-31", "--stated", "2026-01-01")
    cli.ok("scenario", "forecast", "Talks", "--who", "Analyst", "--probs", "0.6,0.4", "--stated", "2026-01-02")
    cli.ok("indicator", "add", "Talks", "Envoys meet", "-l", "Held=0.8", "-l", "Not held=0.3")
    cli.ok("indicator", "seen", "1", "--on", "2026-02-01", "--quote", "The envoys met in Geneva")
    cli.ok("indicator", "seen", "1", "--on", "2026-06-01", "--not-seen")  # on the event's day: too late to count
    cli.ok("scenario", "resolve", "Talks", "Held", "--on", "2026-06-01", "--note", "test resolution")
    # Prior: the consensus at the first sighting, Analyst's vector alone: (0.6, 0.4).
    # Seen: × (0.8, 0.3) = (0.48, 0.12), total 0.60, so the implied vector is (0.8, 0.2).
    # "Held" happened: Brier (1 - 0.8)² + (0 - 0.2)² = 0.08, log score ln 0.8.
    # Analyst's (0.6, 0.4): Brier 0.4² + 0.4² = 0.32, log score ln 0.6. Best (lowest Brier) first.
    rows = cli.json("report", "--by", "scenario")
    assert rows == [
        {"group": "Talks", "forecaster": "indicators", "n": 1, "brier": pytest.approx(0.08), "log_score": pytest.approx(math.log(0.8)),
         "ordered_brier": None, "happened": "Held"},
        {"group": "Talks", "forecaster": "Analyst", "n": 1, "brier": pytest.approx(0.32), "log_score": pytest.approx(math.log(0.6)),
         "ordered_brier": None, "happened": "Held"},
    ]
    assert "indicators: the vector the scenario's sightings implied" in cli.ok("report", "--by", "scenario").stdout
    assert cli.json("report", "--by", "scenario", "--as-of", "2026-05-31") == []  # not settled yet then


def test_a_scenario_without_sightings_before_the_event_has_no_indicators_row(cli):
    cli.ok("scenario", "add", "Talks", "--outcome", "Held", "--outcome", "Not held", "--by", "2026-12-31", "--stated", "2026-01-01")
    cli.ok("scenario", "forecast", "Talks", "--who", "Analyst", "--probs", "0.6,0.4", "--stated", "2026-01-02")
    cli.ok("indicator", "add", "Talks", "Envoys meet", "-l", "Held=0.8", "-l", "Not held=0.3")
    cli.ok("scenario", "resolve", "Talks", "Held", "--on", "2026-06-01", "--note", "test resolution")
    cli.ok("indicator", "seen", "1", "--on", "2026-06-02")
    assert [row["forecaster"] for row in cli.json("report", "--by", "scenario")] == ["Analyst"]


def test_the_timeline_carries_the_implied_vector_and_the_sightings(scenario, tmp_path):
    scenario.ok("indicator", "add", "Next summit", "Working-level talks are held", "-l", "1=0.9", "-l", "2=neutral", "-l", "3=0.1")
    scenario.ok("indicator", "seen", "1", "--on", "2026-02-01", "--quote", "Working-level talks opened in Stockholm")
    scenario.ok("indicator", "seen", "1", "--on", "2026-03-01", "--not-seen", "--note", "No second round")
    line = scenario.json("timeline", "Next summit", "--prior", "uniform")
    assert line["implied"]["prior_vector"] == pytest.approx([1 / 3] * 3)
    seen = indicators.update([1 / 3] * 3, [0.9, 0.5, 0.1], True)
    assert [row["on"] for row in line["implied"]["path"]] == ["2026-02-01", "2026-03-01"]
    assert line["implied"]["path"][1]["probabilities"] == pytest.approx(indicators.update(seen, [0.9, 0.5, 0.1], False))
    assert [(s["on"], s["seen"], s["quote"], s["note"]) for s in line["sightings"]] == [
        ("2026-02-01", True, "Working-level talks opened in Stockholm", None), ("2026-03-01", False, None, "No second round")]
    assert len(line["points"]) == 6  # the two vectors' parts, as before
    table = scenario.ok("timeline", "Next summit").stdout
    assert "Implied by the indicators" in table and "prior (consensus)" in table and "Sightings" in table
    for target in ("Next summit", "1"):
        refused = scenario("timeline", target, "--prior", "flat")
        assert refused.exit_code == 2 and "use consensus or uniform" in refused.stderr
    pytest.importorskip("matplotlib")
    chart = tmp_path / "timeline.png"
    scenario.ok("timeline", "Next summit", "--png", str(chart))
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
