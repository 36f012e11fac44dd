"""`ledger extract` through the CLI: listing candidates, --accept-all, --review, and bad input."""

import pytest

from conftest import SEEDS, snapshot

YONHAP = str(SEEDS / "000_5f386b38834cbe8f.txt")
KOREA_TIMES = str(SEEDS / "002_9f147d8e9360c755.txt")
KEYS = {"sentence", "speaker", "speaker_kind", "borderline", "cue", "probability", "deadline_phrase", "resolve_by", "statement", "condition", "kind", "role"}
FURNITURE = ("Settings", "share button", "font-size", "Back To Top", "By Anna J. Park")


def candidates(cli, article, published, *extra):
    return cli.json("extract", article, "--published", published, *extra)


def test_json_lists_candidates_with_the_contract_keys(cli):
    for article, published in ((YONHAP, "2019-04-13"), (KOREA_TIMES, "2024-11-22")):
        found = candidates(cli, article, published)
        assert found, article
        for candidate in found:
            assert set(candidate) == KEYS
            assert candidate["probability"] is None or 0 <= candidate["probability"] <= 1
            assert candidate["sentence"] and candidate["statement"]


def test_named_experts_are_the_speakers_and_page_furniture_is_not_a_forecast(cli):
    found = candidates(cli, KOREA_TIMES, "2024-11-22")
    speakers = {candidate["speaker"] for candidate in found}
    assert {"Hong Min", "Randall Schriver"} <= speakers
    schriver = [c for c in found if c["sentence"].startswith("Randall Schriver, former assistant secretary")]
    assert len(schriver) == 1 and schriver[0]["speaker"] == "Randall Schriver"
    for candidate in found + candidates(cli, YONHAP, "2019-04-13"):
        assert not any(words in candidate["sentence"] for words in FURNITURE), candidate["sentence"]
    # A sentence with two forecasts ("might not ... but he believes Trump will seek") gives two candidates.
    claims = [(candidate["sentence"], candidate["statement"]) for candidate in found]
    assert len(claims) == len(set(claims))


def test_deadlines_are_read_against_the_publication_date(cli):
    found = candidates(cli, YONHAP, "2019-04-13")
    dated = {c["deadline_phrase"]: c["resolve_by"] for c in found if c["resolve_by"]}
    assert dated["by the end of this year"] == "2019-12-31"
    assert dated["next year"] == "2020-12-31"
    undated = candidates(cli, YONHAP, "2020-04-13")
    assert {c["deadline_phrase"]: c["resolve_by"] for c in undated if c["resolve_by"]}["next year"] == "2021-12-31"


def test_listing_writes_nothing_and_every_format_renders(cli, db_url, monkeypatch):
    monkeypatch.setenv("COLUMNS", "159")  # tables fit the terminal; piped output is not wrapped
    before = snapshot(db_url)
    table = cli.ok("extract", KOREA_TIMES, "--published", "2024-11-22").stdout
    assert "Hong Min" in table and "Randall Schriver" in table and "statement" in table.splitlines()[0]
    assert max(len(line) for line in table.splitlines()) < 160
    csv = cli.ok("extract", KOREA_TIMES, "--published", "2024-11-22", "--format", "csv").stdout
    assert csv.splitlines()[0].startswith("candidate,sentence,speaker,speaker_kind,cue,probability")
    assert "Randall Schriver" in cli.ok("extract", KOREA_TIMES, "--published", "2024-11-22", "--format", "github").stdout
    assert snapshot(db_url) == before


def test_accept_all_records_the_ready_candidates_and_says_why_it_skipped_the_rest(cli, db_url):
    rows = candidates(cli, YONHAP, "2019-04-13", "--accept-all")
    by_status = {}
    for row in rows:
        by_status.setdefault(row["status"], []).append(row)
    # Only the two dated sentences are ready, and both are the article's own voice with no --speaker.
    assert "recorded" not in by_status
    reasons = {row["reason"] for row in by_status["skipped"]}
    assert any("no deadline" in reason for reason in reasons)
    assert any("own voice" in reason for reason in reasons)
    assert any("borderline" in reason for reason in reasons)  # Kim's "we have a willingness", Moon's plan
    assert snapshot(db_url).get("question", []) == [] and snapshot(db_url).get("source", []) == []


def test_accept_all_with_speaker_and_horizon_records_and_is_idempotent(cli, db_url):
    rows = candidates(cli, YONHAP, "2019-04-13", "--accept-all", "--speaker", "Yonhap", "--horizon", "end of next year")
    recorded = [row for row in rows if row["status"] == "recorded"]
    borderline = [row for row in rows if row["reason"] and "borderline" in row["reason"]]
    # Kim's "we have a willingness" and "I will not hesitate in signing", Moon's "plan to seek": intents.
    assert len(borderline) == 3
    assert len(recorded) == len(rows) - len(borderline)
    legacy = next(row for row in recorded if row["statement"].startswith("Trump finds it difficult to present his diplomacy"))
    assert legacy["statement"].endswith("by 2019-12-31")  # the deadline is written into the claim
    assert legacy["resolve_by"] == "2019-12-31" and legacy["forecaster"] == "Yonhap"  # its own deadline wins
    assert {row["resolve_by"] for row in recorded} == {"2019-12-31", "2020-12-31"}

    sources = cli.json("source", "list")
    assert len(sources) == 1
    assert sources[0]["title"] == "Kim's willingness for dialogue brightens prospect of summit diplomacy"
    assert sources[0]["published_on"] == "2019-04-13" and sources[0]["forecasts"] == len(recorded)

    observers = next(row for row in recorded if row["forecaster"] == "observers" and row["cue"] == "is expected to")
    shown = cli.json("show", observers["question_id"])
    forecast = shown["forecasts"][0]
    assert forecast["stated_on"] == "2019-04-13"
    assert forecast["quote"].startswith("Kim's open expression of a desire for talks with Trump")
    assert forecast["probability"] == observers["probability"] and forecast["cue"] == "is expected to"
    assert forecast["source_id"] == sources[0]["source_id"]

    before = snapshot(db_url)
    again = candidates(cli, YONHAP, "2019-04-13", "--accept-all", "--speaker", "Yonhap", "--horizon", "end of next year")
    assert snapshot(db_url) == before
    assert [row["status"] for row in again] == ["already in the ledger" if row["status"] == "recorded" else row["status"] for row in rows]
    assert [row["forecast_id"] for row in again] == [row["forecast_id"] for row in rows]


def test_a_stated_percentage_is_recorded_as_a_number_with_its_words(cli, tmp_path):
    article = tmp_path / "rates.txt"
    article.write_text(
        "What economists see for interest rates\n\n"
        "Economists said there is a 70 percent chance that the central bank will cut rates by the end of next year.\n",
        encoding="utf-8",
    )
    rows = candidates(cli, str(article), "2025-03-01", "--accept-all")
    assert [(row["status"], row["forecaster"], row["probability"]) for row in rows] == [("recorded", "economists", 0.7)]
    forecast = cli.json("show", rows[0]["question_id"])["forecasts"][0]
    assert forecast["probability"] == 0.7 and forecast["cue"] == "70 percent chance"
    assert "70 percent chance" in forecast["quote"]
    assert cli.json("show", rows[0]["question_id"])["resolve_by"] == "2026-12-31"


def test_extract_by_source_id_uses_the_sources_date_outlet_and_text(cli):
    source = cli.json("source", "add", KOREA_TIMES, "--title", "Could US-NK talks resume under Trump 2.0?",
                      "--published", "2024-11-22", "--outlet", "The Korea Times")
    by_id = cli.json("extract", str(source["source_id"]))
    assert by_id == candidates(cli, KOREA_TIMES, "2024-11-22", "--speaker", "The Korea Times")
    rows = cli.json("extract", str(source["source_id"]), "--accept-all", "--horizon", "2029-01-20")
    recorded = [row for row in rows if row["status"] == "recorded"]
    assert recorded and {row["source_id"] for row in recorded} == {source["source_id"]}
    assert {"Hong Min", "Randall Schriver"} <= {row["forecaster"] for row in recorded}
    assert len(cli.json("source", "list")) == 1
    # The file names the same source: nothing new.
    again = cli.json("extract", KOREA_TIMES, "--accept-all", "--horizon", "2029-01-20")
    assert {row["status"] for row in again} <= {"already in the ledger", "skipped"}


REVIEW_ANSWERS = [
    "a",                                   # 1: accepted as drafted, with the --horizon date
    "e", "Kim and Trump meet before 2026",  # 2: statement edited,
    "d", "soonish",                        #    an unreadable date re-prompts,
    "2025-12-31",                          #    then the date is set,
    "a",                                   #    and accepted
    "s",                                   # 3: skipped
    "q",                                   # 4: quit: the two accepted are recorded
]


def test_review_records_the_accepted_and_edited_candidates(cli):
    answers = "\n".join(REVIEW_ANSWERS) + "\n"
    result = cli.ok("extract", KOREA_TIMES, "--published", "2024-11-22", "--review", "--horizon", "2029-01-20", input=answers)
    assert "Candidate 4 of" in result.stderr and "Candidate 5 of" not in result.stderr
    assert "Error: unreadable deadline 'soonish'" in result.stderr

    questions = cli.json("list")
    assert [(q["statement"], q["resolve_by"], q["forecasters"]) for q in questions] == [
        ("Washington-Pyongyang summit is held sooner than expected", "2029-01-20", ["Hong Min"]),
        ("Kim and Trump meet before 2026", "2025-12-31", ["Hong Min"]),
    ]
    first = cli.json("show", "1")["forecasts"][0]
    assert first["cue"] == "may" and first["stated_on"] == "2024-11-22"
    assert first["quote"] == "'Washington-Pyongyang summit may be held sooner than expected,' says N. Korea expert"
    assert first["source"] == "Could US-NK talks resume under Trump 2.0?"
    second = cli.json("show", "2")["forecasts"][0]
    assert second["quote"].startswith("A North Korea expert stated on Friday that the prospect")
    assert second["cue"] == "might"


def test_review_edits_probability_and_speaker_and_will_not_accept_an_unready_candidate(cli):
    answers = "\n".join([
        "a",                 # no deadline and no --horizon: refused, asked again
        "p", "lots", "30%",  # an unreadable probability re-prompts; a number replaces the cue
        "w", "Anna J. Park",
        "d", "end of 2025",
        "a",
        "q",
    ]) + "\n"
    result = cli.ok("extract", KOREA_TIMES, "--published", "2024-11-22", "--review", input=answers)
    assert "Cannot accept yet: no deadline" in result.stderr
    assert "Error: unreadable probability 'lots'" in result.stderr
    forecast = cli.json("show", "1")["forecasts"][0]
    assert (forecast["forecaster"], forecast["probability"], forecast["cue"]) == ("Anna J. Park", 0.3, None)
    assert cli.json("show", "1")["resolve_by"] == "2025-12-31"


def test_review_interrupted_writes_nothing(cli, db_url):
    before = snapshot(db_url)
    result = cli("extract", KOREA_TIMES, "--published", "2024-11-22", "--review", "--horizon", "2029-01-20", input="a\na\n")
    assert result.exit_code == 1 and "Aborted" in result.stderr
    assert snapshot(db_url) == before


def test_review_output_is_json_alone_on_stdout(cli):
    result = cli.ok("extract", KOREA_TIMES, "--published", "2024-11-22", "--review", "--horizon", "2029-01-20",
                    "--format", "json", input="a\nq\n")
    # CliRunner echoes typed input into stdout; in a terminal that is the user's typing, not output.
    printed = result.stdout[result.stdout.index("["):]
    import json

    assert [row["status"] for row in json.loads(printed)] == ["recorded"]
    assert "Candidate 1 of" not in result.stdout


def write_bytes(tmp_path, name, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    "case",
    ["missing file", "not UTF-8", "unknown source id", "source without text", "both modes", "horizon without mode",
     "accept without a date", "unreadable published", "unreadable horizon", "published after today", "a folder"],
)
def test_bad_input_is_refused_in_one_line_and_nothing_is_written(cli, db_url, tmp_path, case):
    cli.ok("add", "A claim", "--by", "2030-01-01", "--who", "X", "--prob", "0.5", "--source", "A speech with no text")
    bad_cases = {
        "missing file": (["extract", "no/such/article.txt"], "no such file"),
        "not UTF-8": (["extract", write_bytes(tmp_path, "latin1.txt", "Caf\xe9 owners may raise prices next year.".encode("latin-1"))], "UTF-8"),
        "unknown source id": (["extract", "42"], "source list"),
        "source without text": (["extract", "1"], "holds no text"),
        "both modes": (["extract", KOREA_TIMES, "--published", "2024-11-22", "--review", "--accept-all"], "not both"),
        "horizon without mode": (["extract", KOREA_TIMES, "--horizon", "2029-01-01"], "--accept-all or --review"),
        "accept without a date": (["extract", KOREA_TIMES, "--accept-all"], "--published"),
        "unreadable published": (["extract", KOREA_TIMES, "--published", "last Friday"], "YYYY-MM-DD"),
        "unreadable horizon": (["extract", KOREA_TIMES, "--published", "2024-11-22", "--accept-all", "--horizon", "someday"], "end of this year"),
        "published after today": (["extract", KOREA_TIMES, "--published", "2027-01-01", "--accept-all", "--horizon", "2029-01-01"], "after today"),
        "a folder": (["extract", str(tmp_path)], "plain text file"),
    }
    args, hint = bad_cases[case]
    before = snapshot(db_url)
    result = cli(*args)
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert hint.lower() in lines[0].lower()
    assert snapshot(db_url) == before


CONDITIONAL_ARTICLE = (
    "Economists at Northbank expect the central bank to cut rates by June.\n\n"
    "The bank plans to open a new branch in Busan next year.\n\n"
    "If inflation falls further, the bank will cut rates again in December, said Jane Doe, chief economist at Northbank.\n"
)


def test_review_shows_kind_deadline_phrase_and_condition_records_the_condition_and_puts_borderline_last(cli, tmp_path):
    article = tmp_path / "northbank.txt"
    article.write_text(CONDITIONAL_ARTICLE, encoding="utf-8")
    result = cli.ok("extract", str(article), "--published", "2024-08-01", "--review", "--format", "json", input="a\na\nk\ns\n")
    conversation = result.stderr
    assert "economists at Northbank (group)" in conversation and "Jane Doe (person)" in conversation
    assert "by June -> 2025-06-30" in conversation and "in December -> 2024-12-31" in conversation
    assert "If inflation falls further (recorded in the question's criteria)" in conversation
    assert conversation.index("Jane Doe (person)") < conversation.index("borderline")  # the plan comes last
    rows = [row for row in json_rows(result.stdout) if row["status"] == "recorded"]
    conditional = next(row for row in rows if row["condition"])
    shown = cli.json("show", conditional["question_id"])
    assert shown["criteria"] == "Counts only if: If inflation falls further"
    assert not shown["statement"].lower().startswith("if")


def json_rows(stdout: str) -> list:
    import json

    return json.loads(stdout[stdout.index("["):])  # CliRunner echoes the typed answers first


# Sentences written for these tests: a speaker with a role, and conditions opened by "if" and "unless".
ROLE_ARTICLE = (
    "Kim Sora, a senior fellow at the Harbour Policy Institute, said the port authority will likely finish the new "
    "container terminal by the end of 2025.\n\n"
    "If the national budget passes in March, the city will probably open the second ferry line by 2025-10-31, "
    "said Park Jiwon, the city's transport commissioner.\n\n"
    "Unless the council blocks the plan, the harbour will likely get a new cruise pier by 2026-06-30, said Lee Minho.\n"
)


def role_article(tmp_path) -> str:
    article = tmp_path / "harbour.txt"
    article.write_text(ROLE_ARTICLE, encoding="utf-8")
    return str(article)


def review(cli, article, answers, *extra):
    return cli.ok("extract", article, "--published", "2024-09-02", "--review", "--format", "json", *extra, input="\n".join(answers) + "\n")


def test_review_records_the_candidates_role_and_lets_the_reviewer_change_it(cli, tmp_path):
    article = role_article(tmp_path)
    listed = cli.json("extract", article, "--published", "2024-09-02")
    assert [(c["speaker"], c["role"]) for c in listed] == [
        ("Kim Sora", "senior fellow at the Harbour Policy Institute"), ("Park Jiwon", "the city's transport commissioner"),
        ("Lee Minho", None)]
    result = review(cli, article, ["a", "r", "x" * 201, "transport commissioner of the city", "a", "k", "q"])
    assert "role       senior fellow at the Harbour Policy Institute" in result.stderr
    assert "Error: the role is 201 characters long" in result.stderr
    rows = json_rows(result.stdout)
    assert [(row["forecaster"], row["role"]) for row in rows] == [
        ("Kim Sora", "senior fellow at the Harbour Policy Institute"), ("Park Jiwon", "transport commissioner of the city")]
    assert [f["role"] for f in cli.json("show", rows[0]["question_id"])["forecasts"]] == ["senior fellow at the Harbour Policy Institute"]
    assert cli.json("who", "Park Jiwon")["roles"][0]["role"] == "transport commissioner of the city"


def test_review_links_a_condition_to_the_nearest_open_question(cli, tmp_path):
    cli.ok("add", "The national budget passes in March 2025", "--by", "2025-03-31", "--who", "observers", "--says", "likely", "--stated", "2024-08-01")
    cli.ok("add", "The city council approves a new stadium", "--by", "2025-12-31", "--who", "observers", "--says", "may", "--stated", "2024-08-01")
    result = review(cli, role_article(tmp_path), ["s", "a", "l", "99", "", "q"])
    conversation = result.stderr
    assert "This forecast counts only if: If the national budget passes in March" in conversation
    assert "#1  The national budget passes in March 2025  (resolve by 2025-03-31)" in conversation
    assert "#2" not in conversation.split("Open questions nearest the condition:")[1].split("Record the condition")[0]
    assert "Error: no question with id 99" in conversation
    recorded = json_rows(result.stdout)[0]
    assert recorded["condition_question_id"] == 1
    shown = cli.json("show", recorded["question_id"])
    assert shown["condition"] == {"question_id": 1, "outcome": "yes", "statement": "The national budget passes in March 2025"}
    assert shown["criteria"] is None
    # the condition resolving the other way annuls the forecast's question, as for 'ledger add --if'
    cli.ok("resolve", "1", "no", "--on", "2025-04-01")
    assert cli.json("show", recorded["question_id"])["outcome"] == "annulled"


def test_review_makes_a_new_question_from_an_unless_condition(cli, tmp_path, db_url):
    article = role_article(tmp_path)
    result = review(cli, article, ["s", "s", "a", "n", "", "soonish", "2026-03-31"])
    conversation = result.stderr
    assert "No open question in the ledger shares its words." in conversation
    assert "Error: unreadable deadline 'soonish'" in conversation
    recorded = json_rows(result.stdout)[0]
    condition = cli.json("show", recorded["condition_question_id"])
    assert (condition["statement"], condition["resolve_by"], condition["forecasts"]) == ("The council blocks the plan", "2026-03-31", [])
    # "unless": the forecast counts only if the condition's question resolves no
    assert cli.json("show", recorded["question_id"])["condition"]["outcome"] == "no"
    before = snapshot(db_url)
    again = review(cli, article, ["s", "s", "a", "n", "", ""])  # the same article again: nothing new, not even the condition
    assert json_rows(again.stdout)[0]["status"] == "already in the ledger"
    assert snapshot(db_url) == before


def test_accept_all_keeps_a_condition_as_criteria_text(cli, tmp_path):
    cli.ok("add", "The national budget passes in March 2025", "--by", "2025-03-31", "--who", "observers", "--says", "likely", "--stated", "2024-08-01")
    rows = cli.json("extract", role_article(tmp_path), "--published", "2024-09-02", "--accept-all")
    conditional = next(row for row in rows if row["condition"] and row["status"] == "recorded")
    assert conditional["condition_question_id"] is None
    shown = cli.json("show", conditional["question_id"])
    assert shown["condition"] is None and shown["criteria"].startswith("Counts only if: If the national budget passes")


def test_a_conditions_own_claim_and_the_outcome_it_needs():
    from ledger.review import condition_claim

    assert condition_claim("If the national budget passes in March") == ("The national budget passes in March", "yes")
    assert condition_claim("unless the council blocks the plan,") == ("The council blocks the plan", "no")
    assert condition_claim("as long as talks continue") == ("Talks continue", "yes")
    assert condition_claim("absent a deal with the unions") == ("A deal with the unions", "no")
    assert condition_claim("the ceasefire holds") == ("The ceasefire holds", "yes")


def test_review_links_a_condition_with_the_outcome_given(cli, tmp_path):
    cli.ok("add", "The national budget passes in March 2025", "--by", "2025-03-31", "--who", "observers", "--says", "likely", "--stated", "2024-08-01")
    cli.ok("resolve", "1", "yes", "--on", "2024-08-20")
    cli.ok("add", "The national budget is delayed past March", "--by", "2025-03-31", "--who", "observers", "--says", "may", "--stated", "2024-08-01")
    result = review(cli, role_article(tmp_path), ["s", "a", "l", "1", "abc", "2=no", "q"])
    assert "#1 " not in result.stderr  # resolved: not offered
    assert "Error: question 1 is resolved already (yes)" in result.stderr
    assert "Error: unreadable condition 'abc'" in result.stderr
    recorded = json_rows(result.stdout)[0]
    assert cli.json("show", recorded["question_id"])["condition"]["outcome"] == "no"


def test_a_turned_over_probability_is_recorded_as_the_number_not_read_back_from_the_cue(cli, tmp_path):
    # "more likely than not" alone reads 0.60; for "the two sides reach a deal" the speaker gave 0.40.
    article = tmp_path / "talks.txt"
    article.write_text("Trade talks stall again\n\nEconomists at Northbank said it is more likely than not that the two "
                       "sides will not reach a deal by March.\n", encoding="utf-8")
    rows = candidates(cli, str(article), "2024-11-22", "--accept-all")
    (recorded,) = [row for row in rows if row["status"] == "recorded"]
    assert recorded["statement"] == "The two sides reach a deal by 2025-03-31"
    (forecast,) = cli.json("show", str(recorded["question_id"]))["forecasts"]
    assert (forecast["probability"], forecast["scale"]) == (0.4, "number")


def test_review_skips_a_draft_whose_new_condition_the_ledger_holds_resolved_and_records_the_rest(cli, tmp_path):
    cli.ok("add", "The council blocks the plan", "--by", "2026-03-31", "--who", "observers", "--says", "may", "--stated", "2024-08-01")
    cli.ok("resolve", "1", "no", "--on", "2024-08-20")
    # a new question from the condition, with the statement and date of the resolved one: the same question
    result = review(cli, role_article(tmp_path), ["a", "s", "a", "n", "", "2026-03-31"])
    rows = json_rows(result.stdout)
    assert [row["status"] for row in rows] == ["recorded", "skipped"], rows
    assert "its condition, question 1, is resolved already (no)" in rows[1]["reason"]
    assert cli.json("show", rows[0]["question_id"])["forecasts"]  # the first draft is in the ledger all the same
