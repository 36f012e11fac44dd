"""Recording questions, forecasts and resolutions through the CLI, as a user would."""

from conftest import snapshot

ARTICLE = "seeds/000_5f386b38834cbe8f.txt"


def add_summit(cli, *extra):
    return cli.json(
        "add", "A third US-North Korea summit is held", "--by", "end of this year", "--stated", "2019-04-13",
        "--who", "observers", "--says", "is expected to", *extra,
    )


def test_add_reads_the_deadline_against_the_stated_date(cli):
    record = add_summit(cli)
    assert record["question_id"] == 1 and record["forecast_id"] == 1
    assert record["resolve_by"] == "2019-12-31"
    assert record["stated_on"] == "2019-04-13"
    assert record["cue"] == "is expected to"
    assert 0 < record["probability"] < 1
    assert record["range_low"] <= record["probability"] <= record["range_high"]
    assert record["outcome"] is None


def test_add_prints_the_understood_date_in_the_table(cli):
    result = cli.ok("add", "Talks resume", "--by", "Q3 2026", "--who", "Hong Min", "--prob", "30%", "--stated", "2024-11-22")
    assert "2026-09-30" in result.stdout


def test_prob_accepts_numbers_percentages_and_words(cli):
    for given in ("0.3", "30%", "30 percent"):
        record = cli.json("add", f"Claim {given}", "--by", "2027-01-01", "--who", "A", "--prob", given)
        assert record["probability"] == 0.3
        assert record["cue"] is None


def test_stated_defaults_to_the_sources_publication_date(cli, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("A headline with enough words\n\nBody text.", encoding="utf-8")
    source = cli.json("source", "add", str(article), "--title", "A headline", "--published", "2024-11-22", "--outlet", "The Korea Times")
    record = cli.json("add", "Talks resume", "--by", "end of next year", "--who", "Hong Min", "--says", "may",
                      "--source", str(source["source_id"]))
    assert record["stated_on"] == "2024-11-22"
    assert record["resolve_by"] == "2025-12-31"
    assert record["source_id"] == source["source_id"]


def test_a_source_file_is_registered_on_the_way_and_only_once(cli, tmp_path):
    article = tmp_path / "speech.txt"
    article.write_text("Remarks at the Hudson Institute seminar on the alliance\n", encoding="utf-8")
    first = cli.json("add", "Trump meets Kim", "--by", "2029-01-20", "--who", "Randall Schriver", "--says", "believes will",
                     "--stated", "2024-11-21", "--source", str(article))
    second = cli.json("forecast", "1", "--who", "Hong Min", "--prob", "0.4", "--stated", "2024-11-22", "--source", str(article))
    assert first["source_id"] == second["source_id"]
    sources = cli.json("source", "list")
    assert len(sources) == 1 and sources[0]["forecasts"] == 2
    assert sources[0]["title"] == "Remarks at the Hudson Institute seminar on the alliance"


def test_forecast_adds_a_dated_view_and_show_lists_them(cli):
    add_summit(cli)
    cli.ok("forecast", "1", "--who", "Hong Min", "--prob", "0.2", "--stated", "2019-06-01", "--quote", "Unlikely, he said.")
    shown = cli.json("show", "1")
    assert [f["forecaster"] for f in shown["forecasts"]] == ["observers", "Hong Min"]
    for key in ("forecast_id", "forecaster", "probability", "cue", "stated_on", "source", "quote"):
        assert key in shown["forecasts"][0]
    assert shown["forecasts"][1]["quote"] == "Unlikely, he said."
    assert shown["resolutions"] == []
    assert shown["statement"] == "A third US-North Korea summit is held"


def test_forecaster_names_match_case_insensitively_and_keep_unicode(cli):
    cli.ok("add", "A claim", "--by", "2027-01-01", "--who", "김정은", "--prob", "0.5")
    cli.ok("forecast", "1", "--who", "HONG MIN", "--prob", "0.4")
    cli.ok("forecast", "1", "--who", "hong min", "--prob", "0.6")
    questions = cli.json("list")
    assert questions[0]["forecasters"] == ["김정은", "HONG MIN"]
    assert cli.json("list", "--who", "Hong Min")[0]["question_id"] == 1
    assert cli.json("list", "--who", "김정은")[0]["question_id"] == 1


def test_resolve_and_amend_keep_the_history(cli):
    add_summit(cli)
    resolved = cli.json("resolve", "1", "no", "--on", "2020-01-01", "--note", "No summit by year end", "--evidence", "https://example.org/e")
    assert resolved["outcome"] == "no" and resolved["question_id"] == 1
    amended = cli.json("resolve", "1", "ambiguous", "--on", "2020-01-02", "--amend", "--note", "Panmunjom meeting counts as neither")
    assert amended["outcome"] == "ambiguous" and amended["amends"] == resolved["resolution_id"]
    shown = cli.json("show", "1")
    assert [r["outcome"] for r in shown["resolutions"]] == ["no", "ambiguous"]
    assert shown["outcome"] == "ambiguous"


def test_resolve_help_says_yes_means_the_event_happened(cli):
    result = cli.ok("resolve", "--help")
    assert "whether the event" in " ".join(result.stdout.split())


def test_list_status_filters(cli):
    cli.ok("add", "Past deadline", "--by", "2020-01-01", "--who", "A", "--prob", "0.5", "--stated", "2019-01-01")
    cli.ok("add", "Future deadline", "--by", "2030-01-01", "--who", "A", "--prob", "0.5", "--stated", "2026-01-01")
    cli.ok("add", "Settled", "--by", "2020-01-01", "--who", "A", "--prob", "0.5", "--stated", "2019-01-01", "--tag", "Korea")
    cli.ok("resolve", "3", "yes", "--on", "2019-06-30")

    def ids(*args):
        return [q["question_id"] for q in cli.json("list", *args)]

    assert ids("--status", "due") == [1]
    assert ids("--status", "open") == [2]
    assert ids("--status", "resolved") == [3]
    assert ids() == [1, 2, 3]
    assert ids("--tag", "korea") == [3]
    first = cli.json("list")[0]
    for key in ("question_id", "statement", "resolve_by", "outcome", "forecasters"):
        assert key in first


def test_every_format_renders(cli):
    add_summit(cli)
    for fmt in ("table", "github", "plain", "grid", "csv"):
        result = cli.ok("list", "--format", fmt)
        assert "A third US-North Korea summit is held" in result.stdout
    assert cli.ok("list", "--format", "csv").stdout.splitlines()[0].startswith("question_id,")


def test_nothing_is_written_when_the_forecast_is_refused(cli, db_url):
    add_summit(cli)
    before = snapshot(db_url)
    assert cli("forecast", "1", "--who", "New Person", "--prob", "1.5").exit_code == 2
    assert cli("forecast", "1", "--who", "New Person", "--prob", "0.5", "--source", "brand new title", "--stated", "2020-06-01").exit_code == 2
    assert snapshot(db_url) == before


ROLE = "senior researcher at the Korea Institute for National Unification"


def test_role_is_recorded_with_add_and_forecast_and_shown_by_show(cli):
    record = cli.json("add", "Talks resume by 2029", "--by", "2029-01-20", "--who", "Hong Min", "--prob", "0.4",
                      "--stated", "2024-11-22", "--role", f"  {ROLE} ")
    assert record["role"] == ROLE
    later = cli.json("forecast", "1", "--who", "Hong Min", "--prob", "0.5", "--stated", "2025-03-01", "--role", "director at KINU")
    unstated = cli.json("forecast", "1", "--who", "Randall Schriver", "--prob", "0.3", "--stated", "2025-03-02")
    assert later["role"] == "director at KINU" and unstated["role"] is None
    shown = cli.json("show", "1")
    assert [(f["forecaster"], f["role"]) for f in shown["forecasts"]] == [
        ("Hong Min", ROLE), ("Hong Min", "director at KINU"), ("Randall Schriver", None)]
    table = cli.ok("show", "1").stdout
    assert "role" in table.splitlines()[table.splitlines().index("Forecasts") + 1]
    assert "director at KINU" in table
    log = cli.ok("log").stdout
    assert "forecast 2 was made as 'director at KINU'" in log
    assert "OK" in cli.ok("verify").stdout


def test_an_empty_or_overlong_role_is_refused_with_one_line_and_nothing_written(cli, db_url):
    cli.ok("add", "Talks resume by 2029", "--by", "2029-01-20", "--who", "Hong Min", "--prob", "0.4", "--stated", "2024-11-22")
    before = snapshot(db_url)
    refused = [
        ("forecast", "1", "--who", "Hong Min", "--prob", "0.5", "--stated", "2025-03-01", "--role", "   "),
        ("forecast", "1", "--who", "Hong Min", "--prob", "0.5", "--stated", "2025-03-01", "--role", "x" * 201),
        ("add", "Another claim", "--by", "2029-01-20", "--who", "Hong Min", "--prob", "0.4", "--role", ""),
        ("add", "Another claim", "--by", "2029-01-20", "--who", "Hong Min", "--prob", "0.4", "--role", "senior\x1b]0;x\x07researcher"),
    ]
    for command in refused:
        result = cli(*command)
        assert result.exit_code == 2, command
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "role" in result.stderr
    assert "the role is empty" in cli(*refused[0]).stderr
    assert "201 characters long: give at most 200" in cli(*refused[1]).stderr
    assert snapshot(db_url) == before
