"""Finding things in a big ledger: list --limit/--sort/--search/--who, the forecasters and tags listings, duplicates."""

from collections import Counter

from conftest import snapshot


def test_list_has_a_default_limit_in_tables_and_says_how_many_more(seeded):
    everything = seeded.json("list")
    assert len(everything) == 25  # JSON (and CSV) list every question unless --limit is given
    table = seeded.ok("list", "--limit", "3").stdout
    assert table.count("\n          ") >= 3 and "22 more questions not listed" in table and "--limit 0" in table
    assert len(seeded.json("list", "--limit", "3")) == 3
    assert "more questions" not in seeded.ok("list", "--limit", "0").stdout
    assert "more questions" not in seeded.ok("list").stdout  # 25 is under the default of 50
    refused = seeded("list", "--limit", "-1")
    assert refused.exit_code == 2 and "negative" in refused.stderr


def test_list_sorts(seeded):
    by_deadline = [q["resolve_by"] for q in seeded.json("list", "--sort", "resolve_by")]
    assert by_deadline == sorted(by_deadline)
    newest = [q["question_id"] for q in seeded.json("list", "--sort", "newest")]
    assert newest == sorted(newest, reverse=True)
    statements = [q["statement"] for q in seeded.json("list", "--sort", "statement")]
    assert statements == sorted(statements)
    refused = seeded("list", "--sort", "colour")
    assert refused.exit_code == 2 and "resolve_by" in refused.stderr


def test_list_searches_statements_and_criteria_in_any_case(seeded):
    found = seeded.json("list", "--search", "SUMMIT")
    assert found and all("summit" in (q["statement"] + str(seeded.json("show", str(q["question_id"]))["criteria"])).lower() for q in found)
    by_criteria = seeded.json("list", "--search", "face to face")
    assert 13 in [q["question_id"] for q in by_criteria] and "face to face" not in seeded.json("show", "13")["statement"]
    assert seeded.json("list", "--search", "100%_literal") == []  # % and _ are text, not wildcards


def test_list_who_takes_part_of_a_name_or_says_nobody_matches(seeded):
    hong = seeded.json("list", "--who", "hong")
    assert hong and all("Hong Min" in q["forecasters"] for q in hong)
    assert hong == seeded.json("list", "--who", "Hong Min")
    refused = seeded("list", "--who", "Hongg")
    assert refused.exit_code == 2 and "nobody named 'Hongg'" in refused.stderr and "ledger forecasters" in refused.stderr


def test_forecasters_and_tags_are_listed_with_counts(seeded):
    shown = [seeded.json("show", str(q["question_id"])) for q in seeded.json("list")]
    forecasts = Counter(f["forecaster"] for q in shown for f in q["forecasts"])
    listed = {row["forecaster"]: row for row in seeded.json("forecasters")}
    assert {name: row["forecasts"] for name, row in listed.items()} == dict(forecasts)
    assert listed["Hong Min"]["questions"] == sum(1 for q in shown if any(f["forecaster"] == "Hong Min" for f in q["forecasts"]))
    tags = Counter(tag for q in shown for tag in q["tags"])
    assert {row["tag"]: row["questions"] for row in seeded.json("tags")} == dict(tags)
    assert "Hong Min" in seeded.ok("forecasters").stdout and "north-korea" in seeded.ok("tags").stdout


def test_the_same_question_again_points_to_it_and_new_records_it_anyway(cli, db_url):
    cli.ok("add", "A third US-North Korea summit is held", "--by", "end of this year", "--stated", "2019-04-13",
           "--who", "observers", "--says", "is expected to")
    before = snapshot(db_url)
    again = cli("add", "A third  US-North Korea summit is held", "--by", "2019-12-31", "--stated", "2019-06-01",
                "--who", "Hong Min", "--prob", "0.3")
    assert again.exit_code == 2 and "#1" in again.stderr and "ledger forecast 1" in again.stderr and "--new" in again.stderr
    assert snapshot(db_url) == before
    other_deadline = cli.json("add", "A third US-North Korea summit is held", "--by", "2020-06-30", "--stated", "2019-06-01",
                              "--who", "Hong Min", "--prob", "0.3")
    assert other_deadline["question_id"] == 2
    forced = cli.json("add", "A third US-North Korea summit is held", "--by", "2019-12-31", "--stated", "2019-06-01",
                      "--who", "Hong Min", "--prob", "0.3", "--new")
    assert forced["question_id"] == 3


def test_scenarios_are_found_with_either_dash_any_case_or_by_id(seeded):
    shown = seeded.json("scenario", "show", "Next Trump–Kim summit")
    for spelling in ("Next Trump-Kim summit", "next trump—kim  SUMMIT", str(shown["scenario_id"])):
        assert seeded.json("scenario", "show", spelling)["scenario_id"] == shown["scenario_id"]
    assert seeded.ok("timeline", "Next Trump-Kim summit").stdout == seeded.ok("timeline", "Next Trump–Kim summit").stdout
    refused = seeded("scenario", "show", "Next Trump–Moon summit")
    assert refused.exit_code == 2 and "ledger scenario list" in refused.stderr
