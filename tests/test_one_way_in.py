"""Every way in (the CLI, CSV/JSON import, the seed file) agrees on what is already in the ledger, and the world's dates decide."""

from conftest import snapshot

HISTORY_SEED = """
[[question]]
statement = "A third US-North Korea summit is held"
by = "2019-12-31"

  [[question.forecast]]
  who = "observers"
  prob = 0.7
  stated = "2019-04-13"

  [[question.resolution]]
  outcome = "no"
  on = "2020-01-01"
  note = "No summit by year end"

  [[question.resolution]]
  outcome = "yes"
  note = "Counted the Panmunjom meeting after all"
"""

TWO_DEADLINES_SEED = """
[[question]]
statement = "Talks resume"
by = "2025-12-31"

  [[question.forecast]]
  who = "Hong Min"
  prob = 0.4
  stated = "2024-11-22"

[[question]]
statement = "Talks resume"
by = "2026-12-31"

  [[question.forecast]]
  who = "Hong Min"
  prob = 0.6
  stated = "2024-11-22"
"""


def test_a_resolution_history_imported_then_seeded_keeps_the_resolution_in_force(cli, other, tmp_path):
    seed = tmp_path / "history.toml"
    seed.write_text(HISTORY_SEED, encoding="utf-8")
    cli.ok("import", str(seed))
    assert cli.json("show", "1")["outcome"] == "yes"
    exported = tmp_path / "export.csv"
    cli.ok("export", "--output", str(exported))

    other.ok("import", str(exported))
    assert other.json("show", "1")["outcome"] == "yes"
    added = other.json("import", str(seed))
    assert added["resolutions"] == 0 and added["forecasts"] == 0 and added["questions"] == 0
    shown = other.json("show", "1")
    assert shown["outcome"] == "yes" and len(shown["resolutions"]) == 1


def test_a_seed_file_keeps_two_questions_that_differ_only_in_their_deadline(cli, tmp_path):
    seed = tmp_path / "two.toml"
    seed.write_text(TWO_DEADLINES_SEED, encoding="utf-8")
    assert cli.json("import", str(seed))["questions"] == 2
    listed = cli.json("list")
    assert [(row["statement"], row["resolve_by"]) for row in listed] == [("Talks resume", "2025-12-31"), ("Talks resume", "2026-12-31")]
    assert cli.json("import", str(seed))["questions"] == 0


def test_the_seed_file_and_a_csv_import_match_questions_the_same_way(cli, other, tmp_path):
    seed = tmp_path / "two.toml"
    seed.write_text(TWO_DEADLINES_SEED, encoding="utf-8")
    cli.ok("import", str(seed))
    exported = tmp_path / "export.csv"
    cli.ok("export", "--output", str(exported))
    other.ok("import", str(exported))
    before = snapshot(other.db)
    assert other.json("import", str(seed))["questions"] == 0
    assert snapshot(other.db) == before


def test_show_is_one_document_in_every_format(seeded):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(seeded.ok("show", "13", "--format", "csv").stdout)))
    assert [row["forecaster"] for row in rows] == ["Randall Schriver", "Hong Min"]
    html = seeded.ok("show", "13", "--format", "html").stdout
    assert "<h2>Forecasts</h2>" in html and "<h2>Resolutions</h2>" in html and "\nForecasts\n" not in html
    shown = seeded.json("show", "13")
    assert [f["forecaster"] for f in shown["forecasts"]] == ["Randall Schriver", "Hong Min"] and shown["resolutions"]
    outcomes = list(csv.DictReader(io.StringIO(seeded.ok("scenario", "show", "Next Trump–Kim summit", "--format", "csv").stdout)))
    assert outcomes and "outcome" in outcomes[0]
