"""Importing Fatebook's CSV export: questions, forecasts and resolutions; re-import adds nothing; unknown words refused."""

from pathlib import Path

from conftest import snapshot

SAMPLE = Path(__file__).parent / "data" / "fatebook_sample.csv"


def test_the_sample_is_imported(cli):
    counts = cli.json("import", "--from", "fatebook", str(SAMPLE))
    assert (counts["questions"], counts["forecasts"], counts["resolutions"], counts["forecasters"]) == (4, 7, 3, 2)
    questions = {q["statement"]: q for q in cli.json("list")}
    rate = questions["Will the Bank of Korea cut its base rate at the October 2024 meeting?"]
    assert rate["outcome"] == "yes" and rate["resolve_by"] == "2024-10-11" and rate["forecasters"] == ["Jane Doe", "김민수"]
    assert questions['Will the "new path" speech be followed by an ICBM test before 2025?']["outcome"] == "no"
    assert questions["Will the Stockholm talks produce a joint statement?"]["outcome"] == "ambiguous"
    assert questions["Will a third inter-Korean hotline be opened by 2027?"]["outcome"] is None

    shown = cli.json("show", str(rate["question_id"]))
    assert [(f["forecaster"], f["probability"], f["stated_on"]) for f in shown["forecasts"]] == [
        ("Jane Doe", 0.35, "2024-09-02"), ("Jane Doe", 0.55, "2024-09-30"), ("김민수", 0.7, "2024-10-01"),
    ]
    assert shown["tags"] == ["economy", "korea"]
    assert shown["criteria"] == "Cut of any size counts, announced at the scheduled meeting."
    assert shown["resolutions"][0]["resolved_on"] == "2024-10-11"
    assert {f["source"] for f in shown["forecasts"]} == {"Fatebook"}

    rows = cli.json("export", "--who", "김민수")
    icbm = next(row for row in rows if "ICBM" in row["statement"])
    assert icbm["criteria"] == "Any ICBM launch reported by South Korea's JCS.\nHwasong series included."
    assert icbm["brier"] == 0.4 ** 2


def test_reimporting_the_same_export_adds_nothing(cli, db_url):
    cli.ok("import", "--from", "fatebook", str(SAMPLE))
    before = snapshot(db_url)
    again = cli.json("import", "--from", "fatebook", str(SAMPLE))
    assert (again["questions"], again["forecasts"], again["resolutions"]) == (0, 0, 0)
    assert again["already_present"] == 7 + 3
    assert snapshot(db_url) == before


def test_an_unknown_resolution_word_refuses_the_file_and_names_the_row(cli, tmp_path, db_url):
    text = SAMPLE.read_text(encoding="utf-8").replace(",NO,2025-01-01T12:00:00.000Z", ",PROBABLY NOT,2025-01-01T12:00:00.000Z", 1)
    bad = tmp_path / "fatebook.csv"
    bad.write_text(text, encoding="utf-8")
    before = snapshot(db_url)
    result = cli("import", "--from", "fatebook", str(bad))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    # the fourth forecast starts on line 5 of the file; its notes run over two lines
    assert "fatebook.csv has 1 bad row, nothing imported: line 5, Resolution: unknown resolution 'PROBABLY NOT'" in lines[0]
    assert snapshot(db_url) == before


def test_columns_are_named_as_fatebook_names_them(cli, tmp_path, db_url):
    text = SAMPLE.read_text(encoding="utf-8").replace("Jane Doe,0.35,", "Jane Doe,1.35,", 1)
    bad = tmp_path / "fatebook.csv"
    bad.write_text(text, encoding="utf-8")
    result = cli("import", "--from", "fatebook", str(bad))
    assert result.exit_code == 2 and "line 2, Forecast (scale = 0-1): probability '1.35' is out of range" in result.stderr

    bad.write_text("Question title,Forecast created by,Forecast\nX,A,0.3\n", encoding="utf-8")
    result = cli("import", "--from", "fatebook", str(bad))
    assert result.exit_code == 2 and "unknown column 'Forecast'" in result.stderr
    assert snapshot(db_url).get("question", []) == []


def test_an_unknown_layout_is_refused(cli):
    result = cli("import", "--from", "metaculus", str(SAMPLE))
    assert result.exit_code == 2 and "fatebook" in result.stderr
