"""Export to CSV and JSON and import back: round trip, refusal of bad files, idempotence, formula neutralisation."""

import csv
import io
import json
import os

import pytest

from conftest import SEEDS, LedgerCLI, snapshot

IDS = ("question_id", "forecast_id")
FORMULAS = ("=cmd|' /C calc'!A0", "+1", "-2", "@SUM(1)", "-1+1", "'=already quoted")


def without_ids(rows):
    return [{name: value for name, value in row.items() if name not in IDS} for row in rows]


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def awkward(cli):
    """A ledger whose text has everything a CSV file finds hard: Hangul, commas, quote marks, newlines, formulas."""
    cli.ok("add", "김정은 and Trump meet, again, in \"Panmunjom\"", "--by", "2019-12-31", "--stated", "2019-04-12",
           "--who", "김정은", "--says", "is expected to", "--quote", "He said: \"maybe, maybe not\"\nand left.",
           "--tag", "north-korea", "--tag", "summit", "--criteria", "Any meeting,\nhowever short.",
           "--source", "Yonhap, Seoul")
    cli.ok("forecast", "1", "--who", "Hong Min", "--prob", "0.3", "--stated", "2019-06-01", "--quote", "Unlikely, he said.")
    cli.ok("forecast", "1", "--who", "hong min", "--prob", "0.3333333333333333", "--stated", "2019-06-02")
    cli.ok("resolve", "1", "no", "--on", "2020-01-01", "--note", "No summit; the \"DMZ\" meeting,\nnot counted.", "--evidence", "https://example.org/a,b")
    cli.ok("resolve", "1", "yes", "--on", "2020-01-02", "--amend", "--note", "Counted after all")
    cli.ok("add", FORMULAS[0], "--by", "2030-01-01", "--stated", "2026-01-05", "--who", FORMULAS[1], "--prob", "0.7",
           f"--quote={FORMULAS[2]}", "--tag", "formulas")
    cli.ok("resolve", "2", "no", "--on", "2026-02-01", "--note", FORMULAS[3], "--evidence", FORMULAS[4])
    cli.ok("add", FORMULAS[5], "--by", "2027-06-30", "--stated", "2026-03-01", "--who", "Анна Пак", "--prob", "5%")
    return cli


def test_round_trip_through_csv_keeps_every_cell(awkward, other, tmp_path):
    first = awkward.ok("export").stdout
    imported = other.json("import", write(tmp_path, "forecasts.csv", first))
    assert imported["forecasts"] == 5 and imported["questions"] == 3 and imported["resolutions"] == 2
    second = other.ok("export").stdout
    assert without_ids(csv_rows(second)) == without_ids(csv_rows(first))
    assert second == first  # a fresh ledger gives the same ids too
    other.ok("verify")


def test_round_trip_through_json_keeps_every_value(awkward, other, tmp_path):
    first = awkward.json("export")
    other.ok("import", write(tmp_path, "forecasts.json", json.dumps(first, ensure_ascii=False, indent=1)))
    assert without_ids(other.json("export")) == without_ids(first)
    by_forecaster = {row["forecaster"]: row for row in reversed(first)}
    assert by_forecaster["김정은"]["quote"] == "He said: \"maybe, maybe not\"\nand left."
    assert by_forecaster["김정은"]["outcome"] == "yes"  # the amendment is the current resolution
    assert by_forecaster["Hong Min"]["brier"] == pytest.approx((0.3 - 1) ** 2)
    assert by_forecaster["Анна Пак"]["outcome"] is None and by_forecaster["Анна Пак"]["brier"] is None
    assert isinstance(by_forecaster["Hong Min"]["probability"], float)


@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_round_trip_of_the_seeds(seeded, other, tmp_path, suffix):
    first = seeded.ok("export", "--format", suffix).stdout
    counts = other.json("import", write(tmp_path, f"seeds.{suffix}", first))
    assert counts["conditions"] == 1 and (counts["indicators"], counts["sightings"]) == ((3, 3) if suffix == "json" else (0, 0))
    assert other.ok("export", "--format", suffix).stdout == first
    other.ok("verify")
    # Schriver's broader-agenda claim (17) counts only if dialogue resumes (15): a "no" annuls it in the imported ledger too
    assert other.json("resolve", "15", "no", "--on", "2026-11-01")["annulled"] == [17]


def test_export_columns_and_one_row_per_forecast(awkward):
    rows = csv_rows(awkward.ok("export").stdout)
    assert list(rows[0]) == [
        "question_id", "statement", "criteria", "resolve_by", "tags", "scenario", "forecast_id", "forecaster",
        "probability", "cue", "scale", "range_low", "range_high", "stated_on", "source", "source_url",
        "source_published_on", "quote", "outcome", "resolved_on", "note", "evidence", "brier", "log_score", "scored",
        "condition_statement", "condition_resolve_by", "condition_outcome", "role",
    ]
    assert [row["forecast_id"] for row in rows] == ["1", "2", "3", "4", "5"]
    assert rows[0]["tags"] == "north-korea; summit" and rows[0]["resolve_by"] == "2019-12-31"
    assert rows[0]["source"] == "Yonhap, Seoul" and rows[0]["cue"] == "is expected to"


def test_formulas_are_neutralised_in_csv_and_restored_on_import(awkward, other, tmp_path):
    exported = awkward.ok("export").stdout
    rows = csv_rows(exported)
    formula_row = next(row for row in rows if row["forecaster"] == "'+1")
    assert formula_row["statement"] == "'=cmd|' /C calc'!A0"
    assert formula_row["quote"] == "'-2"
    assert formula_row["note"] == "'@SUM(1)"
    assert formula_row["evidence"] == "'-1+1"
    assert next(row for row in rows if row["forecaster"] == "Анна Пак")["statement"] == "''=already quoted"
    # numbers stay numbers, negative ones included
    assert formula_row["probability"] == "0.7"
    assert float(formula_row["log_score"]) < 0 and formula_row["log_score"].startswith("-")
    for row in rows:
        for name, cell in row.items():
            assert not cell[:1] in ("=", "+", "@", "\t", "\r") and (not cell.startswith("-") or name == "log_score"), (name, cell)
    other.ok("import", write(tmp_path, "formulas.csv", exported))
    texts = {row["forecaster"]: row for row in other.json("export")}
    assert texts["+1"]["statement"] == FORMULAS[0]
    assert texts["+1"]["quote"] == FORMULAS[2]
    assert texts["+1"]["note"] == FORMULAS[3] and texts["+1"]["evidence"] == FORMULAS[4]
    assert texts["Анна Пак"]["statement"] == FORMULAS[5]
    assert other.ok("export").stdout == exported


def test_json_export_is_not_neutralised(awkward):
    rows = awkward.json("export")
    assert {row["statement"] for row in rows} >= {FORMULAS[0], FORMULAS[5]}


def test_importing_the_same_file_twice_adds_nothing(awkward, other, tmp_path, db_url):
    exported = write(tmp_path, "forecasts.csv", awkward.ok("export").stdout)
    other.ok("import", exported)
    before = snapshot(other.db)
    again = other.json("import", exported)
    assert again["forecasts"] == 0 and again["questions"] == 0 and again["resolutions"] == 0
    assert again["already_present"] == 5 + 2
    assert snapshot(other.db) == before
    # and the ledger the file came from already holds every row of it
    before = snapshot(db_url)
    assert awkward.json("import", exported)["forecasts"] == 0
    assert snapshot(db_url) == before


def test_a_new_forecast_on_a_known_question_is_added_alone(awkward, tmp_path, db_url):
    rows = awkward.json("export")
    extra = dict(rows[-1], forecast_id=99, forecaster="New Voice", probability=0.9, range_low=None, range_high=None, stated_on="2026-04-01", quote=None)
    path = tmp_path / "more.json"
    path.write_text(json.dumps(rows + [extra]), encoding="utf-8")
    added = awkward.json("import", str(path))
    assert (added["questions"], added["forecasts"], added["forecasters"]) == (0, 1, 1)
    assert [f["forecaster"] for f in awkward.json("show", "3")["forecasts"]] == ["Анна Пак", "New Voice"]
    awkward.ok("verify")


def test_identical_rows_in_one_file_are_kept_and_matched_one_for_one(cli, other, tmp_path):
    cli.ok("add", "Same twice", "--by", "2027-01-01", "--stated", "2026-01-01", "--who", "A", "--prob", "0.5")
    cli.ok("forecast", "1", "--who", "A", "--prob", "0.5", "--stated", "2026-01-01")
    exported = write(tmp_path, "twice.csv", cli.ok("export").stdout)
    assert other.json("import", exported)["forecasts"] == 2
    assert other.json("import", exported)["forecasts"] == 0


BAD_CSV = (
    "statement,resolve_by,forecaster,probability,stated_on,quote\n"
    "Fine claim,2027-01-01,A,0.3,2026-01-01,\n"                      # line 2
    "Another,2027-01-01,B,0.4,2026-01-01,\"two\nlines\"\n"             # lines 3-4
    "Too sure,2027-01-01,C,1.7,2026-01-01,\n"                        # line 5
    "No deadline,someday,D,0.2,2026-01-01,\n"                        # line 6
    "Nobody,2027-01-01,,0.2,2026-01-01,\n"                           # line 7
    "Fine again,2027-01-01,E,0.6,2026-01-01,\n"                      # line 8
)


def test_a_file_with_bad_rows_is_refused_whole(awkward, tmp_path, db_url):
    path = tmp_path / "forecasts.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    before = snapshot(db_url)
    result = awkward("import", str(path))
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: forecasts.csv has 3 bad rows, nothing imported")
    assert "line 5, probability: probability '1.7' is out of range" in lines[0]
    assert "line 6, resolve_by: unreadable date 'someday'" in lines[0]
    assert "line 7, forecaster: empty" in lines[0]
    assert snapshot(db_url) == before


@pytest.mark.parametrize(
    "content, hint",
    [
        ("statement,resolve_by,forecaster,probabilty\nX,2027-01-01,A,0.3\n", "unknown column 'probabilty'"),
        ("statement,forecaster,probability\nX,A,0.3\n", "missing column 'resolve_by'"),
        ("", "is empty"),
        ("statement,resolve_by,forecaster,probability\n", "no rows"),
        ("statement,resolve_by,forecaster,probability\nX,2027-01-01,A,0.3,extra\n", "line 2, row"),
        ("statement,resolve_by,forecaster,probability\nX,2027-01-01,A,\n", "line 2, probability: empty"),
        ("statement,resolve_by,forecaster,cue\nX,2027-01-01,A,perchance mayhaps\n", "line 2, cue: unknown likelihood words"),
        ("statement,resolve_by,forecaster,probability,stated_on\nX,2027-01-01,A,0.3,2027-02-01\n", "line 2, stated_on"),
        ("statement,resolve_by,forecaster,probability,stated_on,outcome,resolved_on\nX,2020-01-01,A,0.3,2019-06-01,maybe,2020-01-01\n", "line 2, outcome: unknown outcome 'maybe'"),
        ("statement,resolve_by,forecaster,probability,note\nX,2027-01-01,A,0.3,why\n", "line 2, note: given without an outcome"),
        ("question_id,statement,resolve_by,forecaster,probability\n1,X,2027-01-01,A,0.3\n1,Y,2027-01-01,B,0.3\n", "line 3, statement: differs from line 2"),
        ("statement,resolve_by,forecaster,probability,scale\nX,2027-01-01,A,0.3,astrology\n", "line 2, scale"),
    ],
)
def test_bad_files_are_refused_in_one_line(cli, tmp_path, db_url, content, hint):
    cli.ok("add", "Existing", "--by", "2027-01-01", "--who", "A", "--prob", "0.5")
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    before = snapshot(db_url)
    result = cli("import", str(path))
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and hint in lines[0], result.stderr
    assert snapshot(db_url) == before


@pytest.mark.parametrize(
    "content, hint",
    [
        ('{"statement": "X"}', "not a JSON list"),
        ('[\n{"statement": "X", "resolve_by": "2027-01-01", "forecaster": "A", "probability": 0.3},\n3\n]', "line 3: an element is not an object"),
        ('[\n{"statement": "X", "resolve_by": "2027-01-01", "forecaster": "A", "probability": 0.3}\n', "not closed"),
        ('[\n{"statement": "X", "resolve_by": "2027-01-01", "forecaster": "A", "probability": 1.5}\n]', "line 2, probability"),
        ('[{"statement": "X", "resolve_by": "2027-01-01", "forecaster": "A", "probability": 0.3, "colour": "red"}]', "unknown key 'colour'"),
    ],
)
def test_bad_json_is_refused(cli, tmp_path, db_url, content, hint):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    before = snapshot(db_url)
    result = cli("import", str(path))
    assert result.exit_code == 2 and hint in result.stderr, result.stderr
    assert snapshot(db_url) == before


def test_rows_that_contradict_the_ledger_are_refused(awkward, tmp_path, db_url):
    rows = awkward.json("export")
    late = dict(rows[0], forecaster="Latecomer", stated_on="2020-06-01")  # question 1 was settled on 2020-01-02
    flipped = [dict(row, outcome="yes", resolved_on="2026-02-02") for row in rows if row["question_id"] == 2]
    for name, content in (("late.json", [late]), ("flipped.json", flipped)):
        path = tmp_path / name
        path.write_text(json.dumps(content), encoding="utf-8")
        before = snapshot(db_url)
        result = awkward("import", str(path))
        assert result.exit_code == 2 and "nothing imported" in result.stderr, result.stderr
        assert snapshot(db_url) == before
    assert "--amend" in result.stderr


def test_filters_select_questions_and_forecasts(awkward):
    def forecasters(*args):
        return [row["forecaster"] for row in awkward.json("export", *args)]

    assert forecasters("--who", "HONG MIN") == ["Hong Min", "Hong Min"]
    assert forecasters("--status", "open") == ["Анна Пак"]
    assert forecasters("--status", "resolved") == ["김정은", "Hong Min", "Hong Min", "+1"]
    assert forecasters("--tag", "Formulas") == ["+1"]
    assert forecasters("--source", "1") == ["김정은"]
    assert awkward("export", "--status", "late").exit_code == 2
    assert awkward("export", "--format", "xml").exit_code == 2


def test_export_to_a_file_matches_stdout_and_infers_json(awkward, tmp_path):
    target = tmp_path / "out.csv"
    result = awkward.ok("export", "--output", str(target))
    assert result.stdout == ""  # no progress bar when stderr is not a terminal; one line says what was written
    assert result.stderr == f"Wrote 5 forecasts to {target} (CSV).\n"
    assert target.read_text(encoding="utf-8") == awkward.ok("export").stdout
    awkward.ok("export", "--output", str(tmp_path / "out.json"))
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == awkward.json("export")
    assert oct(os.stat(target).st_mode & 0o777) != oct(0o600)


def test_a_failed_export_leaves_no_partial_file(awkward, tmp_path, monkeypatch):
    from ledger.io import exporter

    target = tmp_path / "out.csv"
    target.write_text("the previous export\n", encoding="utf-8")
    real = exporter._export_record
    calls = []

    def failing(row, *scored):
        calls.append(row)
        if len(calls) == 3:
            raise RuntimeError("disk on fire")
        return real(row, *scored)

    monkeypatch.setattr(exporter, "_export_record", failing)
    result = awkward("export", "--output", str(target))
    assert result.exit_code == 1 and "disk on fire" in result.stderr
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert sorted(os.listdir(tmp_path)) == sorted(name for name in os.listdir(tmp_path) if not name.startswith(".ledger-export-"))
    monkeypatch.undo()
    result = awkward("export", "--output", str(tmp_path / "missing" / "out.csv"))
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_the_seed_file_still_imports_once(cli, db_url):
    first = cli.json("import", str(SEEDS / "forecasts.toml"))
    assert first["forecasts"] > 0
    before = snapshot(db_url)
    assert cli.json("import", str(SEEDS / "forecasts.toml"))["forecasts"] == 0
    assert snapshot(db_url) == before


def test_stated_on_defaults_to_the_sources_publication_date(cli, tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text(
        "statement,resolve_by,forecaster,cue,source,source_published_on\n"
        "Talks resume,2025-12-31,Hong Min,may,Could talks resume?,2024-11-22\n",
        encoding="utf-8",
    )
    cli.ok("import", str(path))
    row = cli.json("export")[0]
    assert row["stated_on"] == "2024-11-22" and row["cue"] == "may" and row["scale"] == "icd203"
    assert row["range_low"] <= row["probability"] <= row["range_high"]
    assert row["source"] == "Could talks resume?" and row["source_published_on"] == "2024-11-22"


def write(folder, name: str, content: str) -> str:
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(content)
    return path


def test_an_import_in_small_chunks_reads_back_as_written_and_verifies(awkward, other, tmp_path, monkeypatch):
    from datetime import date, datetime, timezone

    from ledger import write as writer

    exported = awkward.ok("export").stdout
    monkeypatch.setattr(writer, "BATCH_ROWS", 2)  # several flushes, each chained onto the last
    other.ok("import", write(tmp_path, "forecasts.csv", exported))
    other.ok("verify")
    tables = snapshot(other.db)
    for row in tables["forecast"]:
        *_, stated_on, _quote, recorded_at = row
        assert type(stated_on) is date and recorded_at.tzinfo is not None and recorded_at.utcoffset() == timezone.utc.utcoffset(None)
        assert isinstance(recorded_at, datetime) and all(type(value) is float for value in (row[5], row[8], row[9]))
    assert other.ok("export").stdout == exported
    other.ok("forecast", "1", "--who", "After Import", "--prob", "0.4", "--stated", "2019-07-01")
    other.ok("verify")  # the chain goes on from the imported head


def test_an_export_read_in_batches_of_one_is_the_same(awkward, monkeypatch):
    from ledger import store

    whole = awkward.ok("export").stdout
    monkeypatch.setattr(store, "FETCH_ROWS", 1)
    assert awkward.ok("export").stdout == whole
    assert awkward.ok("export", "--status", "resolved").stdout.count("\n") < whole.count("\n")


def test_an_import_larger_than_its_working_memory_loses_nothing(awkward, other, tmp_path, monkeypatch):
    """The file's questions and sources live in a scratch database behind a cache (ledger.io.scratch); with a cache of
    two entries every lookup goes there, and an interleaved file, a condition and a re-import come out the same."""
    from ledger.io import scratch

    monkeypatch.setattr(scratch, "CACHED", 2)
    awkward.ok("add", "The referendum is held", "--by", "2027-03-31", "--who", "Ana Ruiz", "--prob", "0.6", "--stated", "2026-01-10", "--source", "Yonhap, Seoul")
    awkward.ok("add", "Turnout tops 60%", "--by", "2027-03-31", "--if", "4", "--who", "Ana Ruiz", "--prob", "0.4", "--stated", "2026-01-11")
    for question in ("3", "4", "5", "3", "5", "4"):
        awkward.ok("forecast", question, "--who", f"Reader {question}", "--prob", "0.55", "--stated", "2026-01-12",
                   "--source", f"Letter {question}")
    exported = awkward.ok("export").stdout
    rows = csv_rows(exported)
    interleaved = rows[0::2] + rows[1::2]  # no question's rows together any more
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(interleaved)
    path = write(tmp_path, "interleaved.csv", buffer.getvalue())
    first = other.json("import", path)
    assert (first["questions"], first["forecasts"], first["conditions"]) == (5, len(rows), 1)
    again = other.json("import", path)
    assert again["forecasts"] == again["questions"] == again["sources"] == 0 and again["already_present"] == len(rows) + 2
    in_order = lambda rows: sorted(without_ids(rows), key=lambda row: json.dumps(row, sort_keys=True))  # noqa: E731
    assert in_order(csv_rows(other.ok("export").stdout)) == in_order(rows)  # forecast ids go in the file's order
    other.ok("verify")


def test_a_big_import_builds_the_chain_index_once_and_a_refused_one_leaves_it(awkward, tmp_path, monkeypatch):
    """A bulk import into a smaller ledger drops the chain's index of previous hashes and builds it again before it
    commits (write.REBUILD_CHAIN_INDEX_FROM, here every import); a refused import rolls the drop back."""
    import sqlite3

    from ledger import write as writer_module

    monkeypatch.setattr(writer_module, "REBUILD_CHAIN_INDEX_FROM", 1)
    db_path = str(tmp_path / "target.db")
    indexes = lambda: {row[0] for row in sqlite3.connect(db_path).execute("SELECT name FROM sqlite_master WHERE type = 'index'")}  # noqa: E731
    path = write(tmp_path, "forecasts.csv", awkward.ok("export").stdout)
    target = LedgerCLI(db_path)
    target.ok("import", path)  # into a new ledger: larger than its chain
    assert writer_module.CHAIN_INDEX in indexes()
    target.ok("verify")
    rows = csv_rows(awkward.ok("export").stdout)
    rows[-1].update(condition_statement="A question nobody has asked", condition_resolve_by="2030-01-01")  # refused in the second pass
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    db_path = str(tmp_path / "small.db")
    small = LedgerCLI(db_path)
    small.ok("add", "A question of its own", "--by", "2030-01-01", "--who", "Ana Ruiz", "--prob", "0.5", "--stated", "2026-01-01")
    before = snapshot(db_path)
    refused = small("import", write(tmp_path, "unknown-condition.csv", buffer.getvalue()))
    assert refused.exit_code == 2 and "neither earlier in the file nor in the ledger" in refused.stderr
    assert writer_module.CHAIN_INDEX in indexes() and snapshot(db_path) == before
