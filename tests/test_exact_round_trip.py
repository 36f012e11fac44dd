"""The round trip keeps every value (issue 12, items 6-11), malformed cells are a clear exit 2 naming the row (item 15),
JSON Lines and Fatebook out, and the import's summary and progress (issue 16)."""

import csv
import io
import json

import pytest

from conftest import SEEDS, snapshot

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


def test_a_scenario_outcome_without_forecasts_keeps_its_question_and_the_ids(cli, other, tmp_path):
    cli.ok("scenario", "add", "Next summit", "--outcome", "in 2026", "--outcome", "in 2027", "--outcome", "later",
           "--by", "2030-01-01", "--stated", "2026-01-01")
    cli.ok("scenario", "forecast", "Next summit", "--outcome", "1", "--who", "A", "--prob", "0.3", "--stated", "2026-01-02")
    cli.ok("add", "Talks resume", "--by", "2027-01-01", "--stated", "2026-01-01", "--who", "B", "--prob", "0.5")
    first, second = round_trip(cli, other, tmp_path)
    assert second == first
    assert [row["question_id"] for row in other.json("list")] == [row["question_id"] for row in cli.json("list")] == [1, 2, 3, 4]


def test_forecast_ids_out_of_question_order_are_renumbered_as_the_docs_say(cli, other, tmp_path):
    cli.ok("add", "First question", "--by", "2027-01-01", "--stated", "2026-01-01", "--who", "A", "--prob", "0.5")
    cli.ok("add", "Second question", "--by", "2027-01-01", "--stated", "2026-01-01", "--who", "A", "--prob", "0.6")
    cli.ok("forecast", "1", "--who", "B", "--prob", "0.4", "--stated", "2026-01-02")  # forecast 3 is on question 1
    first, second = round_trip(cli, other, tmp_path)
    ids = lambda text: [(row["question_id"], row["forecast_id"]) for row in csv.DictReader(io.StringIO(text))]
    assert ids(first) == [("1", "1"), ("1", "3"), ("2", "2")]
    assert ids(second) == [("1", "1"), ("1", "2"), ("2", "3")]  # in the file's order: docs/transfer.md, "What a round trip keeps"
    assert [dict(row, forecast_id=None) for row in csv.DictReader(io.StringIO(second))] == \
        [dict(row, forecast_id=None) for row in csv.DictReader(io.StringIO(first))]


def test_json_lines_out_and_back_in(cli, other, tmp_path):
    cli.ok("add", "Talks resume", "--by", "2027-01-01", "--stated", "2026-01-01", "--who", "A", "--prob", "0.5", "--tag", "a;b")
    cli.ok("resolve", "1", "no", "--on", "2026-06-01")
    lines = cli.ok("export", "--format", "jsonl").stdout
    assert len(lines.splitlines()) == 1 and json.loads(lines.splitlines()[0])["outcome"] == "no"
    path = tmp_path / "forecasts.jsonl"
    path.write_text(lines, encoding="utf-8")
    other.ok("import", str(path))
    assert other.ok("export", "--format", "jsonl").stdout == lines
    target = tmp_path / "out.jsonl"
    cli.ok("export", "-o", str(target))  # the suffix chooses JSON Lines
    assert target.read_text(encoding="utf-8") == lines


def test_a_bad_json_lines_line_is_refused_naming_it(cli, tmp_path, db_url):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"statement": "A", "resolve_by": "2027-01-01", "forecaster": "A", "probability": 0.5, "stated_on": "2026-01-01"}\n[1, 2]\n', encoding="utf-8")
    before = snapshot(db_url)
    result = cli("import", str(path))
    assert result.exit_code == 2 and "bad.jsonl, line 2: not a JSON object" in result.stderr
    assert snapshot(db_url) == before


def test_export_to_fatebook_reads_back_through_the_fatebook_import(cli, other, tmp_path):
    cli.ok("add", "Talks resume", "--by", "2027-01-01", "--stated", "2026-01-01", "--who", "A", "--prob", "0.25", "--tag", "korea", "--tag", "talks")
    cli.ok("forecast", "1", "--who", "B", "--prob", "0.6", "--stated", "2026-02-01")
    cli.ok("resolve", "1", "no", "--on", "2026-06-01")
    cli.ok("add", "A summit is held", "--by", "2027-01-01", "--stated", "2026-01-01", "--who", "A", "--prob", "0.5")
    cli.ok("resolve", "2", "annulled", "--on", "2026-03-01", "--note", "premise failed")
    text = cli.ok("export", "--to", "fatebook").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["Question title", "Forecast created by", "Forecast (scale = 0-1)", "Forecast created at",
                             "Question created at", "Question resolve by", "Resolution", "Resolved at", "Question notes", "tags"]
    assert rows[0]["Forecast created at"] == "2026-01-01T00:00:00.000Z" and rows[1]["Question created at"] == "2026-01-01T00:00:00.000Z"
    assert [row["Resolution"] for row in rows] == ["NO", "NO", "AMBIGUOUS"]  # Fatebook has no annulled
    assert rows[0]["tags"] == "korea, talks"
    path = tmp_path / "fatebook.csv"
    path.write_text(text, encoding="utf-8", newline="")
    other.ok("import", "--from", "fatebook", str(path))
    shown = other.json("show", "1")
    assert [(f["forecaster"], f["probability"], f["stated_on"]) for f in shown["forecasts"]] == [("A", 0.25, "2026-01-01"), ("B", 0.6, "2026-02-01")]
    assert cli("export", "--to", "fatebook", "--format", "json").exit_code == 2


@pytest.mark.parametrize(
    "entry, hint",
    [
        ('statement = 5\nby = "2027-01-01"', "statement is a number: give text in quotes"),
        ('statement = "Talks resume"\nby = 2027-01-01T10:00:00', "by is a date-time: give a date"),
        ('statement = "Talks\\u0000 resume"\nby = "2027-01-01"', "statement holds a NUL character"),
    ],
    ids=["number-statement", "datetime-by", "nul"],
)
def test_seed_values_of_the_wrong_toml_type_are_refused(cli, tmp_path, db_url, entry, hint):
    path = tmp_path / "seed.toml"
    path.write_text(f'[[question]]\n{entry}\n[[question.forecast]]\nwho = "A"\nprob = 0.3\nstated = 2026-01-01\n', encoding="utf-8")
    before = snapshot(db_url)
    result = cli("import", str(path))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "seed.toml, question 1" in result.stderr and hint in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert snapshot(db_url) == before


def test_the_import_summary_is_one_line_counting_what_list_shows(cli):
    result = cli.ok("import", str(SEEDS / "forecasts.toml"))
    assert result.stdout.strip().splitlines() == [
        "Imported forecasts.toml, added 25 questions, 30 forecasts, 16 resolutions, 2 sources, 1 scenario, 3 indicators, 3 sightings; 0 already in the ledger."
    ]
    assert len(cli.json("list")) == 25


def test_import_progress_has_one_total_for_checking_and_writing(ledger, tmp_path):
    from datetime import date

    from ledger.io import layouts

    path = tmp_path / "forecasts.csv"
    path.write_text(HEADER + "".join(f"Question {n},2027-01-01,A,0.3,2026-01-01,,\n" for n in range(3)), encoding="utf-8")
    calls = []
    layouts.import_file(ledger, str(path), today=date(2026, 11, 23), progress=lambda done, total=None: calls.append((done, total)))
    assert calls[0] == (3, 6) and calls[-1] == (6, 6)  # 3 rows checked of 6 steps, then all written


# ---- conditions, indicators and sightings (issue 17: "the CSV/JSON round trip carries it") ----------------------

CONDITION_COLUMNS = ["condition_statement", "condition_resolve_by", "condition_outcome"]


@pytest.fixture
def conditional(cli):
    """Talks resume (1); if they do, a deal follows (2); if they do not, sanctions tighten (3); a plain question (4)."""
    cli.ok("add", "Talks resume", "--by", "2027-01-01", "--stated", "2026-01-01", "--who", "A", "--prob", "0.4")
    cli.ok("add", "A deal follows the talks", "--by", "2028-01-01", "--stated", "2026-01-02", "--who", "B", "--prob", "0.3", "--if", "1")
    cli.ok("add", "=Sanctions tighten", "--by", "2028-01-01", "--stated", "2026-01-02", "--who", "B", "--prob", "0.6", "--if", "1=no")
    cli.ok("add", "Something else", "--by", "2027-01-01", "--stated", "2026-01-01", "--who", "A", "--prob", "0.5")
    return cli


@pytest.mark.parametrize("suffix", ["csv", "json", "jsonl"])
def test_conditions_come_back_byte_for_byte_and_still_annul(conditional, other, tmp_path, suffix):
    first = conditional.ok("export", "--format", suffix).stdout
    other.ok("import", write(tmp_path, f"forecasts.{suffix}", first))
    assert other.ok("export", "--format", suffix).stdout == first
    rows = list(csv.DictReader(io.StringIO(first))) if suffix == "csv" else \
        [json.loads(line) for line in first.splitlines()] if suffix == "jsonl" else json.loads(first)
    assert [[row[name] or None for name in CONDITION_COLUMNS] for row in rows] == [
        [None] * 3, ["Talks resume", "2027-01-01", "yes"], ["Talks resume", "2027-01-01", "no"], [None] * 3]
    assert other.json("show", "2")["condition"]["question_id"] == 1
    resolved = other.json("resolve", "1", "no", "--on", "2026-06-01")
    assert resolved["annulled"] == [2]  # counted only if talks resumed
    assert other.json("show", "2")["outcome"] == "annulled" and other.json("show", "3")["outcome"] is None
    other.ok("verify")


def test_an_old_24_column_csv_still_imports(conditional, other, tmp_path):
    first = conditional.ok("export").stdout
    old = io.StringIO(newline="")
    writer = csv.writer(old, lineterminator="\r\n")
    for row in csv.reader(io.StringIO(first)):
        writer.writerow(row[:24])  # before `scored` and the condition's columns
    other.ok("import", write(tmp_path, "old.csv", old.getvalue()))
    second = list(csv.DictReader(io.StringIO(other.ok("export").stdout)))
    assert [dict(row, **dict.fromkeys(CONDITION_COLUMNS, "")) for row in csv.DictReader(io.StringIO(first))] == second
    assert other.json("show", "2")["condition"] is None  # an old file says nothing of conditions


def test_a_condition_naming_a_question_neither_in_the_file_nor_the_ledger_is_refused(cli, tmp_path, db_url):
    cli.ok("add", "Talks resume", "--by", "2027-01-01", "--stated", "2026-01-01", "--who", "A", "--prob", "0.4")
    before = snapshot(db_url)
    content = (HEADER.strip() + ",condition_statement,condition_resolve_by,condition_outcome\n"
               "A deal follows,2028-01-01,B,0.3,2026-01-02,,,Talks resume,2027-06-30,yes\n")
    result = cli("import", write(tmp_path, "conditional.csv", content))
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "line 2, condition_statement: names a question that is neither earlier in the file nor in the ledger" in lines[0]
    assert snapshot(db_url) == before


def test_a_condition_can_name_a_question_of_the_importing_ledger(cli, tmp_path):
    cli.ok("add", "Talks resume", "--by", "2027-01-01", "--stated", "2026-01-01", "--who", "A", "--prob", "0.4")
    content = (HEADER.strip() + ",condition_statement,condition_resolve_by,condition_outcome\n"
               "A deal follows,2028-01-01,B,0.3,2026-01-02,,,Talks resume,2027-01-01,\n")
    assert cli.json("import", write(tmp_path, "conditional.csv", content))["conditions"] == 1
    assert cli.json("show", "2")["condition"] == {"question_id": 1, "outcome": "yes", "statement": "Talks resume"}
    assert cli.json("import", write(tmp_path, "conditional.csv", content))["conditions"] == 0  # and only once


def test_a_file_whose_condition_failed_annuls_the_conditional_question_it_leaves_open(cli, tmp_path):
    content = (HEADER.strip() + ",outcome,resolved_on,condition_statement,condition_resolve_by,condition_outcome\n"
               "Talks resume,2027-01-01,A,0.4,2026-01-01,,,no,2026-06-01,,,\n"
               "A deal follows,2028-01-01,B,0.3,2026-01-02,,,,,Talks resume,2027-01-01,yes\n")
    cli.ok("import", write(tmp_path, "failed.csv", content))
    shown = cli.json("show", "2")
    assert shown["outcome"] == "annulled" and "question 1 resolved yes" in shown["resolutions"][-1]["note"]
    cli.ok("verify")


@pytest.mark.parametrize(
    "content, hint",
    [
        ("Talks,2027-01-01,A,0.4,2026-01-01,,,,2027-01-01,yes\n", "line 2, condition_statement: empty, though the condition's other columns are given"),
        ("Talks,2027-01-01,A,0.4,2026-01-01,,,Other,someday,yes\n", "line 2, condition_resolve_by: unreadable date"),
        ("Talks,2027-01-01,A,0.4,2026-01-01,,,Other,2027-01-01,maybe\n", "line 2, condition_outcome: unknown condition outcome 'maybe': use yes or no"),
    ],
    ids=["no-statement", "bad-date", "bad-outcome"],
)
def test_bad_condition_cells_are_refused_naming_the_column(cli, tmp_path, db_url, content, hint):
    header = HEADER.strip() + ",condition_statement,condition_resolve_by,condition_outcome\n"
    before = snapshot(db_url)
    result = cli("import", write(tmp_path, "bad.csv", header + content))
    assert result.exit_code == 2 and hint in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert snapshot(db_url) == before


@pytest.fixture
def signposts(cli):
    """A scenario with two indicators: one seen from a source, one not seen and then corrected."""
    cli.ok("scenario", "add", "Next summit", "--outcome", "In 2026", "--outcome", "In 2027", "--outcome", "Later",
           "--by", "2030-12-31", "--stated", "2026-01-01")
    cli.ok("scenario", "forecast", "Next summit", "--who", "Hong Min", "--probs", "0.5,0.3,0.2", "--stated", "2026-01-02")
    cli.ok("indicator", "add", "Next summit", "Working-level talks are held", "-l", "1=consistent", "-l", "2=0.55", "-l", "3=inconsistent")
    cli.ok("indicator", "add", "Next summit", "=Missile tests resume", "-l", "1=0.2", "-l", "2=neutral", "-l", "3=0.8")
    cli.ok("indicator", "seen", "1", "--on", "2026-02-01", "--source", "Yonhap", "--quote", "Talks opened in Stockholm")
    cli.ok("indicator", "seen", "2", "--on", "2026-03-01", "--not-seen")
    cli.ok("indicator", "seen", "2", "--on", "2026-03-01", "--amend", "2", "--note", "A test was reported after all")
    cli.ok("add", "Talks resume", "--by", "2027-01-01", "--stated", "2026-01-01", "--who", "A", "--prob", "0.4")
    return cli


def indicators_of(rows):
    return [indicator for row in rows for indicator in row.get("indicators") or []]


@pytest.mark.parametrize("suffix", ["json", "jsonl"])
def test_indicators_and_sightings_come_back_through_json(signposts, other, tmp_path, suffix):
    first = signposts.ok("export", "--format", suffix).stdout
    rows = [json.loads(line) for line in first.splitlines()] if suffix == "jsonl" else json.loads(first)
    assert [row["statement"] for row in rows if "indicators" in row] == ["Next summit: Later"]  # the row that completes the scenario
    assert [indicator["indicator"] for indicator in indicators_of(rows)] == ["Working-level talks are held", "=Missile tests resume"]
    missiles = indicators_of(rows)[-1]
    assert missiles["likelihoods"][1] == {"outcome": "Next summit: In 2027", "likelihood": 0.5, "rating": "neutral"}
    assert [(s["seen"], s["amends"], s["note"]) for s in missiles["sightings"]] == [(False, None, None), (True, 1, "A test was reported after all")]
    path = write(tmp_path, f"forecasts.{suffix}", first)
    counts = other.json("import", path)
    assert (counts["indicators"], counts["sightings"]) == (2, 3)
    assert other.ok("export", "--format", suffix).stdout == first
    # uniform prior: the vectors themselves come back as single forecasts (docs/transfer.md), so the consensus prior differs
    shown = lambda ledger: ledger.json("indicator", "list", "Next summit", "--prior", "uniform")
    assert shown(other) == shown(signposts)
    other.ok("verify")
    before = snapshot(other.db)
    again = other.json("import", path)
    assert (again["indicators"], again["sightings"]) == (0, 0)
    assert snapshot(other.db) == before


def test_csv_carries_no_indicators_and_a_filtered_export_only_whole_scenarios(signposts):
    rows = list(csv.DictReader(io.StringIO(signposts.ok("export").stdout)))
    assert len(rows[0]) == 29 and "indicators" not in rows[0]
    assert not indicators_of(signposts.json("export", "--who", "A"))  # the scenario's outcomes are not in it
    assert len(indicators_of(signposts.json("export", "--who", "Hong Min"))) == 2
    assert not indicators_of(signposts.json("export", "--status", "open", "--tag", "none-such"))


@pytest.mark.parametrize(
    "change, hint",
    [
        ({"likelihoods": [{"outcome": "Next summit: In 2026", "likelihood": 0}]}, "line 2, indicators 1, likelihoods 1, likelihood: likelihood '0' must be strictly between 0 and 1"),
        ({"likelihoods": [{"outcome": "Next summit: In 2026", "likelihood": 0.6, "rating": "consistent"}]}, "disagrees with the rating 'consistent'"),
        ({"sightings": [{"observed_on": "2026-02-01", "amends": 1}]}, "line 2, indicators 1, sightings 1, amends: 1: give the number (from 1) of an earlier sighting"),
        ({"sightings": [{"observed_on": "2027-02-01"}]}, "line 2, indicators 1, sightings 1, observed_on: 2027-02-01 is after today"),
        ({"sightings": [{"observed_on": "2026-02-01", "seen": "yes"}]}, "line 2, indicators 1, sightings 1, seen: 'yes': give true"),
        ({"likelihoods": [{"outcome": "Next summit: In 2026", "likelihood": 0.6, "weight": 2}]}, "line 2, indicators 1, likelihoods: unknown key 'weight'"),
        ({"likelihoods": [{"outcome": "Next summit: In 2026", "likelihood": 0.6}]}, "line 2, indicator 'Talks collapse', likelihoods: outcome 'Next summit: In 2027' of scenario 'Next summit' has no likelihood"),
        ({"scenario": None}, "line 2, indicators: on a row without a scenario"),
    ],
    ids=["out-of-range", "rating-disagrees", "amends-itself", "after-today", "seen-not-bool", "unknown-key", "missing-outcome", "no-scenario"],
)
def test_bad_indicators_are_refused_naming_the_key(signposts, tmp_path, db_url, change, hint):
    indicator = {"indicator": "Talks collapse", "sightings": [],
                 "likelihoods": [{"outcome": f"Next summit: {name}", "likelihood": 0.5} for name in ("In 2026", "In 2027", "Later")]}
    row = {"statement": "Next summit: Later", "resolve_by": "2030-12-31", "scenario": "Next summit", "indicators": [indicator]}
    (row if "scenario" in change else indicator).update(change)
    before = snapshot(db_url)
    result = signposts("import", write(tmp_path, "bad.json", "[\n" + json.dumps(row) + "\n]\n"))
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and hint in lines[0], lines
    assert snapshot(db_url) == before


def test_an_indicator_the_ledger_holds_with_other_likelihoods_is_refused(signposts, tmp_path, db_url):
    rows = signposts.json("export")
    completing = next(row for row in rows if row.get("indicators"))
    completing["indicators"][0]["likelihoods"][0]["likelihood"] = 0.9  # the ledger has it as 'consistent' (0.8)
    completing["indicators"][0]["likelihoods"][0]["rating"] = None
    before = snapshot(db_url)
    result = signposts("import", write(tmp_path, "changed.json", json.dumps(rows)))
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "indicator 'Working-level talks are held', likelihoods" in lines[0] and "the file says 0.9" in lines[0], lines
    assert snapshot(db_url) == before
    assert signposts.json("import", write(tmp_path, "same.json", json.dumps(signposts.json("export"))))["indicators"] == 0


# ---- the forecaster's role at the time (issue 16) ------------------------------------------------


@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_a_forecasters_role_comes_back_with_its_forecast(cli, other, tmp_path, suffix):
    cli.ok("add", "Talks resume in 2027", "--by", "2027-12-31", "--stated", "2026-01-01", "--who", "Hong Min", "--prob", "0.4",
           "--role", "senior researcher at the Korea Institute for National Unification")
    cli.ok("forecast", "1", "--who", "Hong Min", "--prob", "0.3", "--stated", "2026-02-01")  # no role given this time
    first = cli.ok("export", "--format", suffix).stdout
    other.ok("import", write(tmp_path, f"forecasts.{suffix}", first))
    assert other.ok("export", "--format", suffix).stdout == first
    roles = [forecast["role"] for forecast in other.json("show", "1")["forecasts"]]
    assert roles == ["senior researcher at the Korea Institute for National Unification", None]
    assert other.ok("verify").exit_code == 0


def test_an_empty_or_overlong_role_in_a_file_is_refused_naming_the_row(cli, tmp_path, db_url):
    path = write(tmp_path, "roles.csv", "statement,resolve_by,forecaster,probability,stated_on,role\n"
                                       f"Talks resume,2027-12-31,Hong Min,0.4,2026-01-01,{'x' * 500}\n")
    before = snapshot(db_url)
    result = cli("import", path)
    assert result.exit_code == 2 and "line 2, role" in result.stderr and "at most" in result.stderr
    assert snapshot(db_url) == before
