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


def test_every_seed_role_is_the_articles_own_words_and_comes_through(seeded):
    """A role is recorded only where the article gives it, in its words, and `show` and `who` carry it."""
    articles = {path.name: path.read_text(encoding="utf-8") for path in SEEDS.glob("*.txt")}
    document = seed_document()
    files = {source["key"]: source["file"].rsplit("/", 1)[-1] for source in document["source"]}
    given = [(forecast["who"], forecast["role"], files[forecast["source"]])
             for entry in document["question"] + document["scenario"] for forecast in entry["forecast"] if "role" in forecast]
    assert {who for who, _, _ in given} >= {"Hong Min", "Randall Schriver"}
    for who, role, file in given:
        assert role in articles[file], (who, role)
    hong = seeded.json("who", "Hong Min")
    assert [row["role"] for row in hong["roles"]] == ["senior researcher at the Korea Institute for National Unification"]
    assert all(f["role"] == hong["roles"][0]["role"] for f in hong["forecast_list"])
    assert all(f["role"] is None for f in seeded.json("who", "observers")["forecast_list"])


def test_a_seed_role_of_the_wrong_kind_or_empty_is_refused(cli, tmp_path, db_url):
    from conftest import snapshot

    for role, hint in (("5", "role is a number"), ('""', "the role is empty")):
        seed = tmp_path / "seed.toml"
        seed.write_text(f'[[question]]\nstatement = "A claim"\nby = 2030-01-01\n\n  [[question.forecast]]\n  who = "A"\n'
                        f'  prob = 0.3\n  stated = 2025-01-01\n  role = {role}\n', encoding="utf-8")
        before = snapshot(db_url)
        result = cli("import", str(seed))
        assert result.exit_code == 2 and hint in result.stderr, result.stderr
        assert snapshot(db_url) == before
