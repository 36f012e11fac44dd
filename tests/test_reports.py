"""`ledger report` and the scores `ledger resolve` prints, checked by hand and against scikit-learn."""

import math
import random
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from properscoring import brier_score
from sklearn.metrics import brier_score_loss, log_loss

from conftest import snapshot
from ledger import reports
from ledger.scoring import time_averaged_brier, wilson_interval

REPORT_KEYS = {
    "group", "n", "brier", "log_score", "skill_vs_even", "skill_vs_base_rate", "relative_brier", "peer_score",
    "time_averaged_brier", "coverage", "questions", "ambiguous", "annulled",
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


# Hand-worked scores (see the fixture): question 1's days are 2019-01-02 … 2019-12-31, 364 of them.
Q1_ALICE_AVERAGED = (272 * 0.2**2 + 92 * 0.4**2) / 364  # 80 % Jan 2–Sep 30, then 60 % Oct 1–Dec 31
Q1_PEER = {name: 150 * (math.log(p) - (math.log(0.6) + math.log(0.3) + math.log(0.4)) / 3)
           for name, p in (("Alice", 0.6), ("Bob", 0.3), ("Carol", 0.4))}
Q2_PEER_ALICE = 100 * (math.log(0.8) - math.log(0.3))  # 100·n/(n−1)·(ln p − mean ln p) with n = 2


def test_report_by_forecaster_matches_the_hand_worked_scores(small):
    rows = small.json("report", "--by", "forecaster")
    assert [row["group"] for row in rows] == ["Alice", "Carol", "Bob"]  # best (lowest Brier) first
    alice, carol, bob = rows
    assert REPORT_KEYS <= set(alice)

    assert alice["n"] == 2 and alice["questions"] == 2 and alice["annulled"] == 1 and alice["ambiguous"] == 0
    assert alice["brier"] == pytest.approx((0.4**2 + 0.2**2) / 2)  # the last forecast, 60 %, not the first
    assert alice["log_score"] == pytest.approx((math.log(0.6) + math.log(0.8)) / 2)
    assert alice["skill_vs_even"] == pytest.approx(1 - 0.1 / 0.25)
    assert alice["skill_vs_base_rate"] == pytest.approx(1 - 0.1 / (0.5 * 0.5))  # one yes, one no
    assert alice["relative_brier"] == pytest.approx(((0.16 - 0.36) + (0.04 - 0.265)) / 2)
    assert alice["peer_score"] == pytest.approx((Q1_PEER["Alice"] + Q2_PEER_ALICE) / 2)
    assert alice["time_averaged_brier"] == pytest.approx((Q1_ALICE_AVERAGED + 0.04) / 2)
    assert alice["coverage"] == pytest.approx(1.0)

    assert bob["n"] == 2 and bob["ambiguous"] == 1
    assert bob["brier"] == pytest.approx(0.49)
    assert bob["skill_vs_even"] == pytest.approx(1 - 0.49 / 0.25)
    assert bob["relative_brier"] == pytest.approx(((0.49 - 0.36) + (0.49 - 0.265)) / 2)
    assert bob["peer_score"] == pytest.approx((Q1_PEER["Bob"] - Q2_PEER_ALICE) / 2)
    assert bob["time_averaged_brier"] == pytest.approx(0.49)
    assert bob["coverage"] == pytest.approx((214 / 364 + 1.0) / 2)  # from 2019-06-01: 214 of 364 days

    assert carol["n"] == 1 and carol["brier"] == pytest.approx(0.36) and carol["relative_brier"] == pytest.approx(0.0)
    assert carol["coverage"] == pytest.approx(306 / 364)  # from 2019-03-01
    assert carol["skill_vs_base_rate"] is None  # every question she was scored on happened: no base rate to beat


def test_report_everything_together(small):
    (row,) = small.json("report", "--by", "none")
    assert row["group"] == "all"
    assert row["n"] == 5 and row["questions"] == 2 and row["ambiguous"] == 1 and row["annulled"] == 1
    brier = (0.16 + 0.49 + 0.36 + 0.04 + 0.49) / 5
    assert row["brier"] == pytest.approx(brier)
    assert row["skill_vs_base_rate"] == pytest.approx(1 - brier / (0.6 * 0.4))  # 3 of the 5 happened
    assert row["peer_score"] == pytest.approx(0.0, abs=1e-9)  # peer scores sum to zero on every question


def test_report_by_question_tag_and_source(small):
    by_question = {row["question_id"]: row for row in small.json("report", "--by", "question")}
    assert set(by_question) == {1, 2, 3, 4}  # question 5 is open
    assert by_question[1]["group"] == "Summit held" and by_question[1]["n"] == 3
    assert by_question[3]["n"] == 0 and by_question[3]["brier"] is None and by_question[3]["ambiguous"] == 1
    assert by_question[4]["annulled"] == 1
    tags = by_group(small.json("report", "--by", "tag"))
    assert tags["summit"]["n"] == 3 and tags["talks"]["n"] == 2 and tags["talks"]["ambiguous"] == 1
    assert tags["(untagged)"]["annulled"] == 1
    assert by_group(small.json("report", "--by", "source"))["(no source)"]["n"] == 5


def test_who_and_tag_filter_but_comparisons_stay_with_everyone(small):
    (alice,) = small.json("report", "--who", "alice")
    assert alice["group"] == "Alice" and alice["relative_brier"] == pytest.approx(((0.16 - 0.36) + (0.04 - 0.265)) / 2)
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
    assert amended["brier"] == pytest.approx((0.6**2 + 0.3**2 + 0.4**2) / 3)
    before = by_group(small.json("report", "--by", "question", "--as-of", "2020-01-14"))["Summit held"]
    assert before["brier"] == pytest.approx((0.16 + 0.49 + 0.36) / 3)


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
    assert row["brier"] == pytest.approx(brier_score_loss(outcomes, probabilities))
    assert row["brier"] == pytest.approx(brier_score(outcomes, probabilities).mean())
    assert row["log_score"] == pytest.approx(-log_loss(outcomes, probabilities))
    for name, forecaster in by_group(cli.json("report")).items():
        mine = slice(("Ann", "Ben", "Cy").index(name), None, 3)
        assert forecaster["brier"] == pytest.approx(brier_score_loss(outcomes[mine], probabilities[mine]))


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
    assert table.splitlines()[0].split()[:3] == ["group", "n", "brier"]
    assert "Alice" in table and "0.100" in table
    csv_lines = small.ok("report", "--format", "csv").stdout.splitlines()
    assert csv_lines[0].startswith("group,n,brier,log_score") and len(csv_lines) == 4
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
    assert scores[1]["relative_brier"] is None
    assert scores[3]["brier"] == pytest.approx(0.16) and scores[3]["latest"] is True
    assert scores[3]["log_score"] == pytest.approx(math.log(0.6))
    assert scores[3]["relative_brier"] == pytest.approx(0.16 - (0.16 + 0.49) / 2)
    assert scores[3]["peer_score"] == pytest.approx(-scores[2]["peer_score"])
    assert scores[2]["coverage"] == pytest.approx(214 / 364)

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


@given(
    opened=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)),
    stated_after=st.integers(min_value=0, max_value=400),
    life=st.integers(min_value=0, max_value=800),
    probability=st.floats(min_value=0, max_value=1),
    happened=st.booleans(),
)
def test_the_one_forecast_shortcut_counts_days_as_scoring_does(opened, stated_after, life, probability, happened):
    resolved = opened + timedelta(days=life)
    stated = min(opened + timedelta(days=stated_after), resolved)
    expected = time_averaged_brier([(stated, probability)], opened, resolved, happened)
    brier = (probability - happened) ** 2
    assert reports._time_averaged([(stated, probability)], opened, resolved, happened, brier) == pytest.approx(
        (expected.brier, expected.coverage)
    )


def test_the_report_agrees_with_the_scores_resolve_prints_when_forecasters_update(cli):
    """The report scores standings in one lean pass; resolve scores one question with score_question: the two agree."""
    rng = random.Random(7)
    printed = {}
    for question in range(1, 9):
        days = sorted(rng.sample(range(0, 300), 4))
        first = True
        for who in ("Ann", "Ben", "Cy", "Dee")[: rng.randint(1, 4)]:
            # Up to three forecasts each, some on one day (the later one counts) and some on the day the question opened.
            for _ in range(rng.randint(1, 3)):
                stated = (date(2021, 1, 1) + timedelta(days=rng.choice(days))).isoformat()
                args = ("--who", who, "--prob", str(round(rng.uniform(0.0, 1.0), 2)), "--stated", stated)
                if first:
                    cli.ok("add", f"Event {question}", "--by", "2021-12-31", *args)
                    first = False
                else:
                    cli.ok("forecast", str(question), *args)
        outcome = rng.choice(("yes", "no", "yes", "no", "ambiguous"))
        printed[f"Event {question}"] = (outcome, cli.json("resolve", str(question), outcome, "--on", "2021-11-30")["scores"])
    rows = by_group(cli.json("report", "--by", "question"))
    assert set(rows) == set(printed)
    for statement, (outcome, scores) in printed.items():
        row, latest = rows[statement], [score for score in scores if score["latest"]]
        if outcome == "ambiguous":
            assert (row["n"], row["brier"], row["ambiguous"]) == (0, None, 1)
            continue
        assert row["n"] == len(latest) and row["questions"] == 1
        for key in ("brier", "log_score", "time_averaged_brier", "coverage"):
            assert row[key] == pytest.approx(sum(score[key] for score in latest) / len(latest), rel=1e-12, abs=1e-12), key
        if len(latest) > 1:
            for key in ("relative_brier", "peer_score"):
                assert row[key] == pytest.approx(sum(score[key] for score in latest) / len(latest), abs=1e-9), key
        else:
            assert row["relative_brier"] is None and row["peer_score"] is None and row["compared"] == 0
