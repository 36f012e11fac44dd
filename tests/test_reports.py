"""`ledger report` and the scores `ledger resolve` prints, checked by hand and against scikit-learn."""

import math
import random
from datetime import date

import pytest
from properscoring import brier_score
from sklearn.metrics import brier_score_loss, log_loss

from conftest import snapshot
from ledger.scoring import wilson_interval

REPORT_KEYS = {
    "group", "n", "questions", "peer_score", "baseline_score", "time_averaged_brier", "coverage", "compared",
    "last_brier", "last_log_score", "last_relative_brier", "last_peer_score", "skill_vs_even", "skill_vs_base_rate",
    "ambiguous", "annulled",
}


@pytest.fixture
def small(cli):
    """Four resolved questions and one open one, numbers only, small enough to score by hand.

    1 (yes, 2019-12-31): Alice 80 % on 01-01 then 60 % on 10-01; Bob 30 % on 06-01; Carol 40 % on 03-01.
    2 (no, 2020-06-30): Alice 20 %, Bob 70 %, both on 2020-01-01.
    3 ambiguous: Bob 90 %.  4 annulled: Alice 50 %.  5 open: Carol 10 %.
    """
    cli.ok("add", "Summit held", "--by", "2019-12-31", "--who", "Alice", "--prob", "0.8", "--stated", "2019-01-01", "--tag", "summit")
    cli.ok("forecast", "1", "--who", "Bob", "--prob", "0.3", "--stated", "2019-06-01")
    cli.ok("forecast", "1", "--who", "Carol", "--prob", "0.4", "--stated", "2019-03-01")
    cli.ok("forecast", "1", "--who", "Alice", "--prob", "0.6", "--stated", "2019-10-01")
    cli.ok("resolve", "1", "yes", "--on", "2019-12-31")
    cli.ok("add", "Talks resume", "--by", "2020-06-30", "--who", "Alice", "--prob", "0.2", "--stated", "2020-01-01", "--tag", "talks")
    cli.ok("forecast", "2", "--who", "Bob", "--prob", "0.7", "--stated", "2020-01-01")
    cli.ok("resolve", "2", "no", "--on", "2020-06-30")
    cli.ok("add", "Envoy sent", "--by", "2020-06-30", "--who", "Bob", "--prob", "0.9", "--stated", "2020-01-01", "--tag", "talks")
    cli.ok("resolve", "3", "ambiguous", "--on", "2020-06-30")
    cli.ok("add", "Deal signed", "--by", "2020-06-30", "--who", "Alice", "--prob", "0.5", "--stated", "2020-02-01")
    cli.ok("resolve", "4", "annulled", "--on", "2020-03-01")
    cli.ok("add", "Treaty ratified", "--by", "2030-01-01", "--who", "Carol", "--prob", "0.1", "--stated", "2020-01-01")
    return cli


def by_group(rows):
    return {row["group"]: row for row in rows}


# Hand-worked scores (see the fixture). Question 1's window is 2019-01-01 … 2019-12-31, 365 days; it
# resolved yes on its last day, so forecasting ended then and Dec 31 scores as even odds (0.25 Brier,
# baseline and peer 0). Question 2 resolved no on its resolve-by date: its window, 2020-01-01 …
# 2020-06-30 (182 days), is scored to the end.
Q1_DAYS, Q2_DAYS = 365, 182
LN = math.log


def baseline(p):
    return 100 * math.log2(2 * p)


# Alice 80 % Jan 1–Sep 30 (273 days), 60 % Oct 1–Dec 30 (91 days); Carol 40 % from Mar 1 (305 days);
# Bob 30 % from Jun 1 (213 days). Before their first forecast Carol and Bob take the median Brier of
# those standing: Alice's 0.04 alone until Mar 1 (59 days), then Alice's and Carol's (0.04, 0.36) → 0.2.
Q1_BRIER = {
    "Alice": (273 * 0.04 + 91 * 0.16 + 0.25) / Q1_DAYS,
    "Carol": (59 * 0.04 + 305 * 0.36 + 0.25) / Q1_DAYS,
    "Bob": (59 * 0.04 + 92 * 0.2 + 213 * 0.49 + 0.25) / Q1_DAYS,
}
Q1_BASELINE = {
    "Alice": (273 * baseline(0.8) + 91 * baseline(0.6)) / Q1_DAYS,
    "Carol": 305 * baseline(0.4) / Q1_DAYS,
    "Bob": 213 * baseline(0.3) / Q1_DAYS,
}
# Peer: Mar 1–May 31 (92 days) Alice and Carol; Jun 1–Sep 30 (122) all three at 80/40/30; Oct 1–Dec 30 (91) 60/40/30.
Q1_PEER = {
    "Alice": (92 * 100 * LN(0.8 / 0.4) + 122 * 100 * (LN(0.8) - (LN(0.4) + LN(0.3)) / 2)
              + 91 * 100 * (LN(0.6) - (LN(0.4) + LN(0.3)) / 2)) / Q1_DAYS,
    "Carol": (92 * 100 * LN(0.4 / 0.8) + 122 * 100 * (LN(0.4) - (LN(0.8) + LN(0.3)) / 2)
              + 91 * 100 * (LN(0.4) - (LN(0.6) + LN(0.3)) / 2)) / Q1_DAYS,
    "Bob": (122 * 100 * (LN(0.3) - (LN(0.8) + LN(0.4)) / 2) + 91 * 100 * (LN(0.3) - (LN(0.6) + LN(0.4)) / 2)) / Q1_DAYS,
}
Q2_PEER_ALICE = 100 * (LN(0.8) - LN(0.3))  # both from the first day to the last
LAST_PEER_Q1 = {name: 150 * (LN(p) - (LN(0.6) + LN(0.3) + LN(0.4)) / 3) for name, p in (("Alice", 0.6), ("Bob", 0.3), ("Carol", 0.4))}


def test_report_by_forecaster_matches_the_hand_worked_scores(small):
    rows = small.json("report", "--by", "forecaster")
    alice, bob, carol = (by_group(rows)[name] for name in ("Alice", "Bob", "Carol"))
    assert REPORT_KEYS <= set(alice)

    assert alice["n"] == 2 and alice["questions"] == 2 and alice["annulled"] == 1 and alice["ambiguous"] == 0
    assert alice["time_averaged_brier"] == pytest.approx((Q1_BRIER["Alice"] + 0.04) / 2)
    assert alice["baseline_score"] == pytest.approx((Q1_BASELINE["Alice"] + baseline(0.8)) / 2)
    assert alice["peer_score"] == pytest.approx((Q1_PEER["Alice"] + Q2_PEER_ALICE) / 2)
    assert alice["coverage"] == pytest.approx((364 / 365 + 1.0) / 2)
    assert alice["skill_vs_even"] == pytest.approx(1 - alice["time_averaged_brier"] / 0.25)
    assert alice["skill_vs_base_rate"] == pytest.approx(1 - alice["time_averaged_brier"] / 0.25)  # one yes, one no
    assert alice["last_brier"] == pytest.approx((0.4**2 + 0.2**2) / 2)  # the last forecast, 60 %, not the first
    assert alice["last_log_score"] == pytest.approx((LN(0.6) + LN(0.8)) / 2)
    assert alice["last_relative_brier"] == pytest.approx(((0.16 - 0.36) + (0.04 - 0.265)) / 2)
    assert alice["last_peer_score"] == pytest.approx((LAST_PEER_Q1["Alice"] + Q2_PEER_ALICE) / 2)

    assert bob["n"] == 2 and bob["ambiguous"] == 1
    assert bob["time_averaged_brier"] == pytest.approx((Q1_BRIER["Bob"] + 0.49) / 2)
    assert bob["peer_score"] == pytest.approx((Q1_PEER["Bob"] - Q2_PEER_ALICE) / 2)
    assert bob["coverage"] == pytest.approx((213 / 365 + 1.0) / 2)  # from 2019-06-01
    assert bob["last_brier"] == pytest.approx(0.49)

    assert carol["n"] == 1 and carol["time_averaged_brier"] == pytest.approx(Q1_BRIER["Carol"])
    assert carol["peer_score"] == pytest.approx(Q1_PEER["Carol"])
    assert carol["coverage"] == pytest.approx(305 / 365)  # from 2019-03-01
    assert carol["last_relative_brier"] == pytest.approx(0.0)
    assert carol["skill_vs_base_rate"] is None  # every question she was scored on happened: no base rate to beat

    # Everyone shares questions, so the ranking is by the time-averaged peer score, best first.
    assert [row["group"] for row in rows] == sorted(("Alice", "Bob", "Carol"), key=lambda name: -by_group(rows)[name]["peer_score"])


def test_report_everything_together(small):
    (row,) = small.json("report", "--by", "none")
    assert row["group"] == "all"
    assert row["n"] == 5 and row["questions"] == 2 and row["ambiguous"] == 1 and row["annulled"] == 1
    assert row["last_brier"] == pytest.approx((0.16 + 0.49 + 0.36 + 0.04 + 0.49) / 5)
    averaged = (Q1_BRIER["Alice"] + Q1_BRIER["Bob"] + Q1_BRIER["Carol"] + 0.04 + 0.49) / 5
    assert row["time_averaged_brier"] == pytest.approx(averaged)
    assert row["skill_vs_base_rate"] == pytest.approx(1 - averaged / (0.6 * 0.4))  # 3 of the 5 happened
    assert row["peer_score"] == pytest.approx(0.0, abs=1e-9)  # peer scores sum to zero on every question


def test_report_by_question_tag_and_source(small):
    by_question = {row["question_id"]: row for row in small.json("report", "--by", "question")}
    assert set(by_question) == {1, 2, 3, 4}  # question 5 is open
    assert by_question[1]["group"] == "Summit held" and by_question[1]["n"] == 3
    assert by_question[3]["n"] == 0 and by_question[3]["time_averaged_brier"] is None and by_question[3]["ambiguous"] == 1
    assert by_question[4]["annulled"] == 1
    tags = by_group(small.json("report", "--by", "tag"))
    assert tags["summit"]["n"] == 3 and tags["talks"]["n"] == 2 and tags["talks"]["ambiguous"] == 1
    assert tags["(untagged)"]["annulled"] == 1
    assert by_group(small.json("report", "--by", "source"))["(no source)"]["n"] == 5


def test_who_and_tag_filter_but_comparisons_stay_with_everyone(small):
    (alice,) = small.json("report", "--who", "alice")
    assert alice["group"] == "Alice" and alice["last_relative_brier"] == pytest.approx(((0.16 - 0.36) + (0.04 - 0.265)) / 2)
    (summit,) = small.json("report", "--by", "none", "--tag", "Summit")
    assert summit["n"] == 3 and summit["questions"] == 1


def test_period_year_splits_by_the_year_questions_resolved(small):
    rows = small.json("report", "--period", "year")
    assert all("period" in row for row in rows)
    assert {(row["period"], row["group"]): row["n"] for row in rows} == {
        ("2019", "Alice"): 1, ("2019", "Carol"): 1, ("2019", "Bob"): 1, ("2020", "Alice"): 1, ("2020", "Bob"): 1,
    }
    assert [row["period"] for row in rows] == sorted(row["period"] for row in rows)
    quarters = {row["period"] for row in small.json("report", "--by", "none", "--period", "quarter")}
    assert quarters == {"2019-Q4", "2020-Q1", "2020-Q2"}


def test_from_and_to_pick_questions_by_resolution_date(small):
    (row,) = small.json("report", "--by", "none", "--from", "2020-01-01", "--to", "2020-03-31")
    assert row["n"] == 0 and row["annulled"] == 1 and row["questions"] == 0


def test_a_2019_report_run_today_agrees_with_one_as_of_the_end_of_2019(cli):
    cli.ok("add", "Summit held", "--by", "2019-12-31", "--who", "Alice", "--prob", "0.8", "--stated", "2019-01-01", today="2019-12-31")
    cli.ok("forecast", "1", "--who", "Bob", "--prob", "0.3", "--stated", "2019-06-01", today="2019-12-31")
    cli.ok("add", "Talks resume", "--by", "2020-12-31", "--who", "Alice", "--prob", "0.6", "--stated", "2019-04-01", today="2019-12-31")
    cli.ok("resolve", "1", "no", "--on", "2019-12-31", today="2019-12-31")
    on_the_day = cli.json("report", today="2019-12-31")
    # What happened later: new forecasts, a question resolved in 2020.
    cli.ok("forecast", "2", "--who", "Bob", "--prob", "0.9", "--stated", "2020-03-01")
    cli.ok("forecast", "2", "--who", "Alice", "--prob", "0.95", "--stated", "2020-04-01")
    cli.ok("resolve", "2", "yes", "--on", "2020-05-01")
    assert cli.json("report") != on_the_day
    assert cli.json("report", "--as-of", "2019-12-31") == on_the_day
    assert cli.json("report", "--from", "2019-01-01", "--to", "2019-12-31") == on_the_day
    # Before question 1 resolved there was nothing to score.
    assert cli.json("report", "--as-of", "2019-12-30") == []


def test_as_of_honours_an_amendment_only_from_its_date(small):
    small.ok("resolve", "1", "no", "--amend", "--on", "2020-01-15", "--note", "The meeting was not a summit")
    amended = by_group(small.json("report", "--by", "question"))["Summit held"]
    assert amended["last_brier"] == pytest.approx((0.6**2 + 0.3**2 + 0.4**2) / 3)
    before = by_group(small.json("report", "--by", "question", "--as-of", "2020-01-14"))["Summit held"]
    assert before["last_brier"] == pytest.approx((0.16 + 0.49 + 0.36) / 3)


def test_report_agrees_with_scikit_learn_and_properscoring_on_a_random_ledger(cli):
    rng = random.Random(20261123)
    probabilities, outcomes = [], []
    for question in range(1, 13):
        outcome = rng.random() < 0.5
        for position, who in enumerate(("Ann", "Ben", "Cy")):
            probability = round(rng.uniform(0.02, 0.98), 2)
            args = ("--who", who, "--prob", str(probability), "--stated", f"2021-0{1 + position}-01")
            if position == 0:
                cli.ok("add", f"Event {question}", "--by", "2021-12-31", *args)
            else:
                cli.ok("forecast", str(question), *args)
            probabilities.append(probability)
            outcomes.append(int(outcome))
        cli.ok("resolve", str(question), "yes" if outcome else "no", "--on", "2021-12-31")
    (row,) = cli.json("report", "--by", "none")
    assert row["n"] == 36
    assert row["last_brier"] == pytest.approx(brier_score_loss(outcomes, probabilities))
    assert row["last_brier"] == pytest.approx(brier_score(outcomes, probabilities).mean())
    assert row["last_log_score"] == pytest.approx(-log_loss(outcomes, probabilities))
    for name, forecaster in by_group(cli.json("report")).items():
        mine = slice(("Ann", "Ben", "Cy").index(name), None, 3)
        assert forecaster["last_brier"] == pytest.approx(brier_score_loss(outcomes[mine], probabilities[mine]))
    # The time-averaged Brier of the one who spoke first (Ann, the whole window) is her Brier, weighted
    # by the days her forecast stood; the rest of each window scores even odds. Checked with properscoring.
    ann = by_group(cli.json("report"))["Ann"]
    window = (date(2022, 1, 1) - date(2021, 1, 1)).days
    ann_briers = brier_score(outcomes[0::3], probabilities[0::3])
    expected = [(364 * brier + 0.25) / window if outcome else brier for brier, outcome in zip(ann_briers, outcomes[0::3])]
    assert ann["time_averaged_brier"] == pytest.approx(sum(expected) / len(expected))


def test_by_cue_counts_how_often_each_phrase_came_true(cli):
    may = cli.json("add", "Event A", "--by", "2020-12-31", "--who", "observers", "--says", "may", "--stated", "2020-01-01")["probability"]
    cli.ok("add", "Event B", "--by", "2020-12-31", "--who", "observers", "--says", "may", "--stated", "2020-01-01")
    cli.ok("add", "Event C", "--by", "2020-12-31", "--who", "Hong Min", "--says", "may", "--stated", "2020-01-01")
    cli.ok("add", "Event D", "--by", "2020-12-31", "--who", "Hong Min", "--prob", "30%", "--stated", "2020-01-01")
    cli.ok("add", "Event E", "--by", "2020-12-31", "--who", "Hong Min", "--says", "may", "--stated", "2020-01-01")
    for question, outcome in ((1, "yes"), (2, "no"), (3, "no"), (4, "yes"), (5, "ambiguous")):
        cli.ok("resolve", str(question), outcome, "--on", "2020-12-31")

    overall = {row["cue"]: row for row in cli.json("report", "--by", "cue")}
    assert set(overall) == {"may", "(number)"}
    row = overall["may"]
    assert (row["n"], row["happened"], row["ambiguous"]) == (3, 1, 1)
    assert row["rate"] == pytest.approx(1 / 3)
    assert row["mean_probability"] == pytest.approx(may)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(wilson_interval(1, 3))
    assert row["ci_low"] < 1 / 3 < row["ci_high"]
    assert overall["(number)"]["n"] == 1 and overall["(number)"]["rate"] == 1.0
    assert "forecaster" not in row

    split = {(row["cue"], row["forecaster"]): row for row in cli.json("report", "--by", "cue", "--per-forecaster")}
    assert split[("may", "observers")]["n"] == 2 and split[("may", "observers")]["happened"] == 1
    assert split[("may", "Hong Min")]["n"] == 1 and split[("may", "Hong Min")]["happened"] == 0
    only_hong = cli.json("report", "--by", "cue", "--who", "hong min")
    assert {row["forecaster"] for row in only_hong} == {"Hong Min"}
    table = cli.ok("report", "--by", "cue").stdout
    assert "may" in table and "(number)" in table and "rate" in table


def test_report_table_csv_and_empty(small, cli):
    table = small.ok("report").stdout
    lines = table.splitlines()
    assert lines[0] == "Scores by forecaster" and lines[1].split()[:4] == ["group", "n", "peer_score", "baseline_score"]
    assert "Alice" in table and "Ranked by peer_score" in table
    csv_lines = small.ok("report", "--format", "csv").stdout.splitlines()
    assert csv_lines[0].startswith("group,n,questions,peer_score,baseline_score,time_averaged_brier") and len(csv_lines) == 4
    assert "(no resolved forecasts match)" in small.ok("report", "--as-of", "2019-06-01").stdout


def test_resolve_prints_the_scores_of_every_forecast(cli):
    cli.ok("add", "Summit held", "--by", "2019-12-31", "--who", "Alice", "--prob", "0.8", "--stated", "2019-01-01")
    cli.ok("forecast", "1", "--who", "Bob", "--prob", "0.3", "--stated", "2019-06-01")
    cli.ok("forecast", "1", "--who", "Alice", "--prob", "0.6", "--stated", "2019-10-01")
    record = cli.json("resolve", "1", "yes", "--on", "2019-12-31")
    assert record["outcome"] == "yes"
    scores = {score["forecast_id"]: score for score in record["scores"]}
    assert set(scores) == {1, 2, 3}
    assert scores[1]["brier"] == pytest.approx(0.04) and scores[1]["latest"] is False
    assert scores[1]["last_relative_brier"] is None and scores[1]["counts"] is True
    assert scores[3]["brier"] == pytest.approx(0.16) and scores[3]["latest"] is True
    assert scores[3]["log_score"] == pytest.approx(math.log(0.6))
    assert scores[3]["last_relative_brier"] == pytest.approx(0.16 - (0.16 + 0.49) / 2)
    assert scores[3]["peer_score"] == pytest.approx(-scores[2]["peer_score"])
    assert scores[2]["coverage"] == pytest.approx(213 / 365)  # Jun 1 … Dec 30 of a 365-day window

    cli.ok("add", "Envoy sent", "--by", "2019-12-31", "--who", "Bob", "--prob", "0.9", "--stated", "2019-01-01")
    table = cli.ok("resolve", "2", "annulled", "--on", "2019-12-31").stdout
    assert "Scores (none: annulled questions are not scored)" in table
    table = cli.ok("resolve", "1", "no", "--amend", "--note", "Not a summit", "--on", "2019-12-31").stdout
    assert "Scores" in table and "0.360" in table  # Alice's 60 % now scores (0.6 - 0)²


BAD_REPORTS = {
    "unknown grouping": (["report", "--by", "pundit"], "forecaster, source, tag, question, cue, scenario, none"),
    "unknown period": (["report", "--period", "decade"], "week, month, quarter, year"),
    "unreadable as-of": (["report", "--as-of", "someday"], "YYYY-MM-DD"),
    "from after to": (["report", "--from", "2020-01-01", "--to", "2019-01-01"], "earlier date first"),
    "unknown forecaster": (["report", "--who", "Nobody"], "no forecaster named"),
    "unknown tag": (["report", "--tag", "weather"], "no question is tagged"),
    "per-forecaster outside the cue report": (["report", "--per-forecaster"], "--by cue"),
    "unknown format": (["report", "--format", "xml"], "json"),
}


@pytest.mark.parametrize("case", sorted(BAD_REPORTS))
def test_bad_report_options_are_refused_in_one_line(small, db_url, case):
    args, hint = BAD_REPORTS[case]
    before = snapshot(db_url)
    result = small(*args)
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and hint.lower() in lines[0].lower()
    assert result.stdout == ""
    assert snapshot(db_url) == before
