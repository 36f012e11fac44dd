"""The seed articles' forecasts load in one command, completely, and only once."""

import tomllib

from conftest import SEEDS


def seed_document():
    with open(SEEDS / "forecasts.toml", "rb") as handle:
        return tomllib.load(handle)


def test_the_seed_file_loads_everything_it_holds(seeded):
    document = seed_document()
    questions = seeded.json("list")
    outcomes = sum(len(s["outcomes"]) for s in document["scenario"])
    assert len(questions) == len(document["question"]) + outcomes and len(document["question"]) >= 10
    forecasts = sum(len(q["forecast"]) for q in document["question"] + document["scenario"])
    shown = [seeded.json("show", str(q["question_id"])) for q in questions]
    assert sum(len(q["forecasts"]) for q in shown) == forecasts
    assert len(seeded.json("source", "list")) == 2


def test_loading_the_seed_file_again_adds_nothing(seeded):
    before = seeded.json("list")
    counts = seeded.json("import", str(SEEDS / "forecasts.toml"))
    assert counts["questions"] == counts["forecasts"] == counts["resolutions"] == counts["sources"] == 0
    assert seeded.json("list") == before


def test_every_seed_quote_is_verbatim_in_its_article():
    document = seed_document()
    articles = {s["key"]: " ".join((SEEDS.parent / s["file"]).read_text(encoding="utf-8").split()) for s in document["source"]}
    for question in document["question"] + document["scenario"]:
        for forecast in question["forecast"]:
            assert " ".join(forecast["quote"].split()) in articles[forecast["source"]], forecast["quote"][:60]


def test_named_experts_and_deadlines_come_through(seeded):
    forecasters = {name for q in seeded.json("list") for name in q["forecasters"]}
    assert {"Hong Min", "Randall Schriver", "observers", "Kim Jong-un"} <= forecasters
    summit = next(q for q in seeded.json("list") if "third" in q["statement"].lower() and "summit" in q["statement"].lower())
    assert summit["resolve_by"] == "2019-12-31"  # "end of this year", read against 2019-04-13
    assert summit["outcome"] in ("yes", "no", "ambiguous")


def test_the_seed_resolutions_never_precede_their_forecasts(seeded):
    for question in seeded.json("list", "--status", "resolved"):
        shown = seeded.json("show", str(question["question_id"]))
        latest_forecast = max(f["stated_on"] for f in shown["forecasts"])
        assert all(r["resolved_on"] >= latest_forecast for r in shown["resolutions"])
        assert all(r["note"] for r in shown["resolutions"])


def test_the_summit_scenario_is_fed_by_both_articles(seeded):
    document = seed_document()
    name = document["scenario"][0]["name"]
    shown = seeded.json("scenario", "show", name)
    assert shown["ordered"] and shown["happened"] is None  # left open as far as the record goes
    assert [o["resolution"] for o in shown["outcomes"]][:2] == ["no", "no"]
    years = {point["stated_on"][:4] for point in seeded.json("timeline", name)["points"]}
    assert {"2019", "2024"} <= years
