"""Forecasters as people: aliases find the same forecaster, a merge makes two one in every report, kinds rank groups apart."""


def test_an_alias_finds_the_same_forecaster(seeded):
    seeded.ok("forecaster", "alias", "Kim Jong-un", "Kim Jong Un")
    recorded = seeded.json("add", "Kim visits Seoul", "--by", "2027-12-31", "--who", "kim jong un", "--prob", "0.1", "--stated", "2026-01-02")
    assert recorded["forecaster"] == "Kim Jong-un"
    taken = seeded("forecaster", "alias", "Hong Min", "Kim Jong Un")
    assert taken.exit_code == 2 and "already names" in taken.stderr
    assert seeded("forecaster", "alias", "Nobody", "X").exit_code == 2


def test_a_merge_makes_two_forecasters_one_in_every_report(seeded):
    before = {row["group"]: row for row in seeded.json("report", "--by", "forecaster")}
    seeded.ok("forecaster", "merge", "Moon Jae-in", "Kim Jong-un", "--note", "For the test: one voice")
    after = {row["group"]: row for row in seeded.json("report", "--by", "forecaster")}
    assert "Moon Jae-in" not in after
    assert after["Kim Jong-un"]["n"] == before["Kim Jong-un"]["n"] + before["Moon Jae-in"]["n"]
    assert seeded.json("report", "--who", "Moon Jae-in")[0]["group"] == "Kim Jong-un"
    assert seeded.json("verify")["ok"] is True
    again = seeded("forecaster", "merge", "Moon Jae-in", "Kim Jong-un")
    assert again.exit_code == 2 and "one forecaster already" in again.stderr


def test_groups_and_newsrooms_are_ranked_apart_from_named_people(seeded):
    ranked = seeded.json("report", "--by", "forecaster")
    assert {row["group"]: row["kind"] for row in ranked}["observers"] == "group"  # guessed from the name when first recorded
    seeded.ok("forecaster", "kind", "Yonhap", "newsroom")
    ranked = [row["group"] for row in seeded.json("report", "--by", "forecaster")]
    named = [name for name in ranked if name not in ("Yonhap", "observers")]
    assert ranked[: len(named)] == named and set(ranked[len(named):]) == {"Yonhap", "observers"}
    refused = seeded("forecaster", "kind", "Yonhap", "robot")
    assert refused.exit_code == 2 and "person, organisation, group, newsroom" in refused.stderr
