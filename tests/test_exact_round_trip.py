"""Issue 12, items 6-11 and 15: the round trip keeps every value, and every malformed cell is a clear exit 2 naming its row."""

import json

import pytest

from conftest import snapshot

HEADER = "statement,resolve_by,forecaster,probability,stated_on,quote,tags\n"


def write(folder, name, content):
    path = folder / name
    path.write_text(content, encoding="utf-8", newline="")
    return str(path)


def round_trip(cli, other, tmp_path, name="forecasts.csv"):
    first = cli.ok("export").stdout
    other.ok("import", write(tmp_path, name, first))
    return first, other.ok("export").stdout


def test_a_tiny_probability_survives_export_and_import(cli, other, tmp_path):
    cli.ok("add", "A rare event happens", "--by", "2027-01-01", "--stated", "2026-01-01", "--who", "A", "--prob", "1e-5")
    first, second = round_trip(cli, other, tmp_path)
    assert ",1e-05," in first
    assert second == first
    assert other.json("show", "1")["forecasts"][0]["probability"] == 1e-05


def test_a_carriage_return_in_a_quote_is_quoted_and_read_back(cli, other, tmp_path):
    cli.ok("add", "A summit is held", "--by", "2027-01-01", "--stated", "2026-01-01", "--who", "A", "--prob", "0.5",
           "--quote", "first line\rsecond line")
    first, second = round_trip(cli, other, tmp_path)
    assert '"first line\rsecond line"' in first
    assert second == first
    assert other.json("show", "1")["forecasts"][0]["quote"] == "first line\rsecond line"


def test_a_quote_longer_than_the_csv_modules_default_limit_comes_back(cli, other, tmp_path):
    quote = "word " * 40_000  # 200,000 characters
    rows = [{"statement": "A long quote", "resolve_by": "2027-01-01", "forecaster": "A", "probability": 0.4,
             "stated_on": "2026-01-01", "quote": quote.strip()}]
    cli.ok("import", write(tmp_path, "long.json", json.dumps(rows)))
    first, second = round_trip(cli, other, tmp_path)
    assert second == first
    assert len(other.json("show", "1")["forecasts"][0]["quote"]) == len(quote.strip())


def test_a_tag_holding_a_semicolon_stays_one_tag(cli, other, tmp_path):
    cli.ok("add", "A summit is held", "--by", "2027-01-01", "--stated", "2026-01-01", "--who", "A", "--prob", "0.5",
           "--tag", "korea;summit", "--tag", "back\\slash")
    first, second = round_trip(cli, other, tmp_path)
    assert second == first
    assert sorted(other.json("show", "1")["tags"]) == ["back\\slash", "korea;summit"]
    json_first = cli.json("export", "--format", "json")
    third = other.json("export", "--format", "json")
    assert [row["tags"] for row in third] == [row["tags"] for row in json_first]


def test_two_unicode_spellings_of_one_name_are_one_forecaster(cli, tmp_path):
    composed, decomposed = "Jos\u00e9 Ortiz", "Jose\u0301 Ortiz"
    content = HEADER + f"Talks resume,2027-01-01,{composed},0.3,2026-01-01,,\nTalks resume,2027-01-01,{decomposed},0.4,2026-01-02,,\n"
    cli.ok("import", write(tmp_path, "names.csv", content))
    forecasters = {row["forecaster"] for row in cli.json("show", "1")["forecasts"]}
    assert forecasters == {composed}


def test_fatebook_timestamps_with_an_offset_become_the_utc_day(cli, tmp_path):
    content = (
        "Question title,Forecast created by,Forecast (scale = 0-1),Forecast created at,Question resolve by,Resolution,Resolved at\n"
        "Talks resume?,A,0.3,2024-09-30T21:02:10-05:00,2024-12-31T00:00:00.000Z,NO,2024-12-31T23:30:00-02:00\n"
    )
    cli.ok("import", "--from", "fatebook", write(tmp_path, "fatebook.csv", content))
    shown = cli.json("show", "1")
    assert shown["forecasts"][0]["stated_on"] == "2024-10-01"
    assert shown["resolutions"][0]["resolved_on"] == "2025-01-01"


@pytest.mark.parametrize(
    "cell, hint",
    [
        ('"probability": [0.3]', "line 2, probability: a list is not a number"),
        ('"probability": {"value": 0.3}', "line 2, probability: a dict is not a number"),
        ('"statement": {"text": "Talks resume"}', "line 2, statement: a JSON object where text belongs"),
        ('"quote": ' + "[" * 100_000 + "]" * 100_000, "line 2: a value nested too deeply"),
        ('"quote": "half a pair \\ud800 here"', "line 2, quote: holds a lone surrogate"),
        ('"quote": "a NUL \\u0000 here"', "line 2, quote: holds a NUL character"),
    ],
    ids=["list-probability", "object-probability", "object-statement", "deep-nesting", "lone-surrogate", "nul"],
)
def test_malformed_json_cells_are_refused_naming_the_row(cli, tmp_path, db_url, cell, hint):
    fields = {"statement": '"Talks resume"', "resolve_by": '"2027-01-01"', "forecaster": '"A"', "probability": "0.3",
              "stated_on": '"2026-01-01"'}
    name = cell.split(":")[0].strip('"')
    fields[name] = cell.split(":", 1)[1].strip()
    content = "[\n{" + ", ".join(f'"{key}": {value}' for key, value in fields.items()) + "}\n]\n"
    cli.ok("add", "Something else", "--by", "2027-01-01", "--stated", "2026-01-01", "--who", "B", "--prob", "0.5")
    before = snapshot(db_url)
    result = cli("import", write(tmp_path, "bad.json", content))
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and hint in lines[0], lines
    assert snapshot(db_url) == before


def test_a_nul_in_a_csv_cell_is_refused_in_the_check(cli, tmp_path, db_url):
    before = snapshot(db_url)
    result = cli("import", write(tmp_path, "nul.csv", HEADER + "Talks\x00 resume,2027-01-01,A,0.3,2026-01-01,,\n"))
    assert result.exit_code == 2
    assert "line 2, statement: holds a NUL character" in result.stderr
    assert snapshot(db_url) == before
