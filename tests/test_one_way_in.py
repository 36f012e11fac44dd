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


def add_question(cli, by="2026-06-30"):
    return cli.json("add", "Talks resume", "--by", by, "--who", "Hong Min", "--prob", "0.4", "--stated", "2026-01-10")


def test_no_past_the_deadline_without_a_date_means_not_by_the_deadline(cli):
    add_question(cli)
    resolved = cli.json("resolve", "1", "no")
    assert resolved["resolved_on"] == "2026-06-30"  # today is 2026-11-23: the deadline passed unmet


def test_an_amendment_keeps_the_event_date_unless_it_gives_its_own(cli):
    add_question(cli)
    cli.ok("resolve", "1", "no", "--on", "2026-03-01")
    late = cli("forecast", "1", "--who", "Latecomer", "--prob", "0.99", "--stated", "2026-03-05")
    assert late.exit_code == 2 and "cannot be scored" in late.stderr
    amended = cli.json("resolve", "1", "yes", "--amend", "--note", "It did happen")
    assert amended["resolved_on"] == "2026-03-01"
    late = cli("forecast", "1", "--who", "Latecomer", "--prob", "0.99", "--stated", "2026-03-05")
    assert late.exit_code == 2 and "cannot be scored" in late.stderr
    moved = cli.json("resolve", "1", "yes", "--amend", "--on", "2026-04-01", "--note", "It happened later than we said")
    assert moved["resolved_on"] == "2026-04-01"


def test_a_resolution_may_be_dated_before_a_forecast_already_recorded(cli):
    add_question(cli)
    cli.ok("forecast", "1", "--who", "Latecomer", "--prob", "0.99", "--stated", "2026-03-05")
    resolved = cli.json("resolve", "1", "yes", "--on", "2026-03-01")  # the event came first
    assert resolved["resolved_on"] == "2026-03-01"


def test_a_vector_gives_zero_to_outcomes_already_ruled_out(cli):
    cli.ok("scenario", "add", "Next summit", "--outcome", "In 2026", "--outcome", "In 2027", "--outcome", "Later",
           "--by", "2030-12-31", "--stated", "2026-01-01")
    cli.ok("scenario", "forecast", "Next summit", "--who", "Hong Min", "--probs", "0.5,0.3,0.2", "--stated", "2026-01-02")
    cli.ok("resolve", "1", "no", "--on", "2026-02-01", "--note", "Not in 2026 after all")
    refused = cli("scenario", "forecast", "Next summit", "--who", "Hong Min", "--probs", "0.2,0.5,0.3", "--stated", "2026-03-01")
    assert refused.exit_code == 2 and "ruled out" in refused.stderr
    accepted = cli.json("scenario", "forecast", "Next summit", "--who", "Hong Min", "--probs", "0,0.6,0.4", "--stated", "2026-03-01")
    assert accepted["probabilities"] == [0.0, 0.6, 0.4]
