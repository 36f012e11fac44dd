"""Other sites' exports in: Manifold, Metaculus and PredictionBook, on samples written from each site's documented layout.

- tests/data/manifold_sample.json: Manifold's API markets (docs.manifold.markets/api; the Contract and
  Bet types of manifoldmarkets/manifold, common/src/contract.ts and bet.ts), each with its bets.
- tests/data/metaculus_sample/: Metaculus's data download, question_data.csv and forecast_data.csv, in the
  columns its download's README.md documents.
- tests/data/predictionbook_sample.json: PredictionBook's API predictions, as its PredictionSerializer and
  ResponseSerializer write them (bellroy/predictionbook, app/serializers/).
"""

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import snapshot

DATA = Path(__file__).parent / "data"
MANIFOLD = str(DATA / "manifold_sample.json")
METACULUS = str(DATA / "metaculus_sample")
PREDICTIONBOOK = str(DATA / "predictionbook_sample.json")


def by_statement(cli):
    return {row["statement"]: row for row in cli.json("list")}


def forecasts(cli, question_id):
    return [(f["forecaster"], f["probability"], f["stated_on"]) for f in cli.json("show", str(question_id))["forecasts"]]


def test_manifold_binary_markets_bets_and_resolutions(cli):
    cli.ok("import", "--from", "manifold", MANIFOLD)
    questions = by_statement(cli)
    test = questions["Will North Korea conduct a nuclear test in 2024?"]
    assert test["resolve_by"] == "2024-12-31" and test["outcome"] == "no"
    # probAfter is the bettor's forecast; the redemption is not a forecast; 23:30 at UTC-5 is the next UTC day
    assert forecasts(cli, test["question_id"]) == [("jane", 0.35, "2024-03-01"), ("minsu", 0.2, "2024-06-21")]
    assert questions["Will the Stockholm talks resume by October 2024?"]["outcome"] == "annulled"  # CANCEL is N/A


def test_manifold_multiple_choice_becomes_a_scenario(cli):
    cli.ok("import", "--from", "manifold", MANIFOLD)
    shown = cli.json("scenario", "show", "Who will win the 2024 US presidential election?")
    outcomes = {row["statement"].split(": ", 1)[1]: row for row in cli.json("list") if ": " in row["statement"] and "president" in row["statement"]}
    assert set(outcomes) == {"Donald Trump", "Kamala Harris", "Someone else"}
    assert outcomes["Donald Trump"]["outcome"] == "yes" and outcomes["Someone else"]["outcome"] == "no"
    assert forecasts(cli, outcomes["Kamala Harris"]["question_id"]) == [("minsu", 0.45, "2024-08-01")]
    assert shown


def test_metaculus_download_binary_multiple_choice_and_aggregates_skipped(cli, tmp_path):
    archive = tmp_path / "metaculus.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for name in ("question_data.csv", "forecast_data.csv"):
            zipped.write(Path(METACULUS) / name, f"export/{name}")
    cli.ok("import", "--from", "metaculus", str(archive))
    questions = by_statement(cli)
    icbm = questions["Will North Korea test an ICBM in 2024?"]
    assert icbm["outcome"] == "yes" and icbm["forecasters"] in ("minsu_kim", ["minsu_kim"])
    assert forecasts(cli, icbm["question_id"]) == [("minsu_kim", 0.75, "2024-01-05"), ("minsu_kim", 0.9, "2024-06-01")]
    summit = questions["Will a US–North Korea summit be held in 2024?"]
    assert summit["outcome"] == "annulled"
    assert forecasts(cli, summit["question_id"]) == [("minsu_kim", 0.05, "2024-02-11")]  # 23:30 at UTC-3
    shown = cli.json("scenario", "show", "Which country will North Korea's leader visit first in 2025?")
    text = json.dumps(shown)
    assert "jdoe" in text and "minsu_kim" in text and "recency_weighted" not in text
    visit = {row["statement"].rsplit(": ", 1)[1]: row["outcome"] for row in cli.json("list") if row["statement"].startswith("Which country")}
    assert visit == {"Russia": "no", "China": "no", "Neither": "yes"}


def test_predictionbook_judgements_are_refused_unless_their_meaning_is_given(cli, db_url):
    before = snapshot(db_url)
    result = cli("import", "--from", "predictionbook", PREDICTIONBOOK)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "line 2, outcome: judged wrong, which on PredictionBook may mean" in lines[0]
    assert "--pb-judgements event" in lines[0]
    assert snapshot(db_url) == before
    cli.ok("import", "--from", "predictionbook", "--pb-judgements", "event", PREDICTIONBOOK)
    questions = by_statement(cli)
    test = questions["North Korea will hold a seventh nuclear test before 2024"]
    assert test["outcome"] == "no"
    # confidence is a percentage; a comment without a confidence is no forecast; -07:00 evening is the next UTC day
    assert forecasts(cli, test["question_id"]) == [("gwern", 0.6, "2022-05-03"), ("Jane Doe", 0.3, "2022-09-15")]
    assert questions["A third Trump-Kim summit is held in 2019"]["outcome"] == "annulled"  # withdrawn
    assert questions["The Korean War formally ends with a peace treaty by 2030"]["outcome"] is None


@pytest.mark.parametrize(
    "layout, path, extra",
    [("manifold", MANIFOLD, ()), ("metaculus", METACULUS, ()), ("predictionbook", PREDICTIONBOOK, ("--pb-judgements", "event"))],
)
def test_each_site_import_is_idempotent_and_verifies(cli, db_url, layout, path, extra):
    first = cli.json("import", "--from", layout, *extra, path)
    assert first["forecasts"] > 0 and first["already_present"] == 0
    before = snapshot(db_url)
    again = cli.json("import", "--from", layout, *extra, path)
    assert again["forecasts"] == again["questions"] == again["resolutions"] == 0 and again["already_present"] > 0
    assert snapshot(db_url) == before
    cli.ok("verify")


def test_manifold_words_the_ledger_cannot_score_are_refused_naming_the_row(cli, tmp_path, db_url):
    markets = json.loads(Path(MANIFOLD).read_text(encoding="utf-8"))
    markets[0]["resolution"], markets[0]["resolutionProbability"] = "MKT", 0.62
    markets[2]["resolution"] = "a-nobody"
    path = tmp_path / "manifold.json"
    path.write_text(json.dumps(markets), encoding="utf-8")
    before = snapshot(db_url)
    result = cli("import", "--from", "manifold", str(path))
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert "resolved MKT (to a probability, 0.62)" in message and "unknown resolution 'a-nobody'" in message
    assert snapshot(db_url) == before


def test_metaculus_numeric_questions_and_missing_files_are_refused(cli, tmp_path, db_url):
    folder = tmp_path / "download"
    shutil.copytree(METACULUS, folder)
    questions = (folder / "question_data.csv").read_text(encoding="utf-8").replace(",binary,", ",numeric,", 1)
    (folder / "question_data.csv").write_text(questions, encoding="utf-8")
    before = snapshot(db_url)
    result = cli("import", "--from", "metaculus", str(folder))
    assert result.exit_code == 2 and "question 21001 is numeric: the ledger takes binary and multiple_choice questions" in result.stderr
    (folder / "forecast_data.csv").unlink()
    result = cli("import", "--from", "metaculus", str(folder))
    assert result.exit_code == 2 and "has no forecast_data.csv" in result.stderr
    assert snapshot(db_url) == before


def test_a_multiple_choice_vector_that_does_not_sum_to_one_is_refused(cli, tmp_path, db_url):
    folder = tmp_path / "download"
    shutil.copytree(METACULUS, folder)
    forecasts_file = folder / "forecast_data.csv"
    forecasts_file.write_text(forecasts_file.read_text(encoding="utf-8").replace("[0.5, 0.3, 0.2]", "[0.5, 0.3, 0.5]"), encoding="utf-8")
    before = snapshot(db_url)
    result = cli("import", "--from", "metaculus", str(folder))
    assert result.exit_code == 2 and "line 6, Probability Yes Per Category: [0.5, 0.3, 0.5] over 3 options, refused as" in result.stderr
    assert snapshot(db_url) == before
