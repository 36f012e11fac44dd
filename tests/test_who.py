"""`ledger who NAME`: one forecaster's page agrees with the reports for the same options."""

import pytest

from tests.conftest import snapshot


def test_who_page_carries_the_report_row_calibration_and_cues(seeded):
    page = seeded.json("who", "hong min")
    row = next(r for r in seeded.json("report") if r["group"] == "Hong Min")
    assert page["forecaster"] == "Hong Min"
    for key, value in row.items():
        if key != "group":
            assert page[key] == value, key
    assert page["calibration"] == seeded.json("calibration", "--who", "Hong Min")
    assert page["cues"] == seeded.json("report", "--by", "cue", "--who", "Hong Min")
    shown = seeded.json("list", "--who", "Hong Min")
    assert {f["question_id"] for f in page["forecast_list"]} == {q["question_id"] for q in shown}
    assert page["forecasts"] == len(page["forecast_list"])


def test_every_forecast_has_its_quote_source_outcome_and_the_scores_resolve_prints(seeded):
    page = seeded.json("who", "Hong Min")
    for forecast in page["forecast_list"]:
        shown = seeded.json("show", str(forecast["question_id"]))
        original = next(f for f in shown["forecasts"] if f["forecast_id"] == forecast["forecast_id"])
        assert (forecast["quote"], forecast["source"], forecast["probability"], forecast["cue"]) == (
            original["quote"], original["source"], original["probability"], original["cue"])
        assert forecast["outcome"] == shown["outcome"]
    scored = [f for f in page["forecast_list"] if f["brier"] is not None]
    assert scored, "Hong Min has resolved forecasts on the seed ledger"
    for forecast in scored:
        assert forecast["brier"] == pytest.approx((forecast["probability"] - (forecast["outcome"] == "yes")) ** 2)


def test_as_of_hides_later_forecasts_and_resolutions(seeded):
    page = seeded.json("who", "Kim Jong-un", "--as-of", "2019-06-01")
    assert page["forecast_list"]
    assert all(f["stated_on"] <= "2019-06-01" for f in page["forecast_list"])
    assert all(f["resolved_on"] is None or f["resolved_on"] <= "2019-06-01" for f in page["forecast_list"])


def test_an_unknown_name_is_refused_and_nothing_is_written(seeded):
    before = snapshot(seeded.db)
    result = seeded("who", "Nobody Atall")
    assert result.exit_code == 2
    assert "no forecaster named 'Nobody Atall'" in result.stderr
    assert snapshot(seeded.db) == before


def test_table_output_has_the_sections(seeded):
    out = seeded.ok("who", "Randall Schriver").stdout
    assert "Forecasts" in out and "What their words meant" in out and "Calibration" in out


def test_who_shows_each_forecasts_role_and_the_roles_held(cli):
    cli.ok("add", "Talks resume by 2029", "--by", "2029-01-20", "--who", "Hong Min", "--prob", "0.4", "--stated", "2024-11-22",
           "--role", "senior researcher at KINU")
    cli.ok("forecast", "1", "--who", "Hong Min", "--prob", "0.45", "--stated", "2024-12-01", "--role", "senior researcher at KINU")
    cli.ok("forecast", "1", "--who", "Hong Min", "--prob", "0.5", "--stated", "2025-06-01")
    cli.ok("forecast", "1", "--who", "Hong Min", "--prob", "0.6", "--stated", "2025-09-01", "--role", "director at KINU")
    page = cli.json("who", "Hong Min")
    assert [f["role"] for f in page["forecast_list"]] == ["senior researcher at KINU", "senior researcher at KINU", None, "director at KINU"]
    assert page["roles"] == [
        {"role": "senior researcher at KINU", "forecasts": 2, "first_stated": "2024-11-22", "last_stated": "2024-12-01"},
        {"role": "director at KINU", "forecasts": 1, "first_stated": "2025-09-01", "last_stated": "2025-09-01"},
    ]
    out = cli.ok("who", "Hong Min").stdout
    assert "Roles, as the sources give them" in out and "director at KINU" in out
    assert "(no role recorded)" in cli.ok("who", "Hong Min", "--as-of", "2024-11-01").stdout
