"""seeds/README.md cannot go stale: its totals and cue list are checked against the seed file and an import of it."""

import re

from conftest import SEEDS
from test_seeds import seed_document


def test_the_seed_readme_counts_what_the_file_holds(seeded):
    """seeds/README.md's totals and cue list stay true to forecasts.toml and to what an import shows."""
    readme = " ".join((SEEDS / "README.md").read_text(encoding="utf-8").split())
    document = seed_document()
    questions = seeded.json("list")
    shown = [seeded.json("show", str(q["question_id"])) for q in questions]
    outcomes = sum(len(s["outcomes"]) for s in document["scenario"])
    figures = re.search(
        r"In total: (\d+) questions and (\d+) scenarios? with (\d+) outcomes, so (\d+) questions in the ledger; (\d+) forecasts "
        r"\((\d+) on the questions, (\d+) on the scenario's outcomes\); (\d+) resolutions once imported \((\d+) yes/no, "
        r"(\d+) ambiguous\), so (\d+) questions are unresolved", readme,
    )
    assert figures, "the totals sentence in seeds/README.md has changed shape"
    assert [int(n) for n in figures.groups()] == [
        len(document["question"]), len(document["scenario"]), outcomes, len(questions),
        sum(len(q["forecasts"]) for q in shown),
        sum(len(q["forecast"]) for q in document["question"]), sum(len(s["forecast"]) for s in document["scenario"]),
        sum(len(q["resolutions"]) for q in shown),
        sum(1 for q in questions if q["outcome"] in ("yes", "no")), sum(1 for q in questions if q["outcome"] == "ambiguous"),
        sum(1 for q in questions if q["outcome"] is None),
    ]
    cues = {f["says"] for q in document["question"] + document["scenario"] for f in q["forecast"] if "says" in f}
    assert all(f"`{cue}`" in readme for cue in cues), sorted(cue for cue in cues if f"`{cue}`" not in readme)
    assert "/work/" not in readme and "Not on the scale yet" not in readme
