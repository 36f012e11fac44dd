"""Fatebook's CSV export, read as rows of our layout: one row per forecast; a question is its title and resolve-by date."""

from typing import Iterator

from ledger.io.ours import Refused, csv_rows
from ledger.io.sites import utc_day

COLUMNS = {
    "Question title": "statement",
    "Forecast created by": "forecaster",
    "Forecast (scale = 0-1)": "probability",
    "Forecast created at": "stated_on",
    "Question created at": None,  # when the question was typed in; used only when a forecast has no date
    "Question resolve by": "resolve_by",
    "Resolution": "outcome",
    "Resolved at": "resolved_on",
    "Question notes": "criteria",
    "tags": "tags",
}
RESOLUTIONS = {"yes": "yes", "no": "no", "ambiguous": "ambiguous"}
SOURCE = "Fatebook"
URL = "https://fatebook.io"


def rows(path: str) -> Iterator[tuple[int, dict]]:
    """Fatebook's rows in our layout; a question is its title and resolve-by date."""
    required = ("Question title", "Forecast created by", "Forecast (scale = 0-1)", "Question resolve by")
    for line, cells in csv_rows(path, known=COLUMNS, required=required):
        if None in cells:
            yield line, cells
            continue
        row = {ours: cells.get(theirs, "") for theirs, ours in COLUMNS.items() if ours}
        if not row["stated_on"].strip():
            row["stated_on"] = cells.get("Question created at", "")
        row["stated_on"], row["resolved_on"] = utc_day(row["stated_on"]), utc_day(row["resolved_on"])
        word = row["outcome"].strip()
        if word and word.lower() not in RESOLUTIONS:
            # Fatebook's own importer would quietly file this as AMBIGUOUS; a wrong score is worse than a refusal.
            row["outcome"] = Refused(f"unknown resolution {word!r}: Fatebook's are YES, NO, AMBIGUOUS, or empty while unresolved")
        row.update(question_id=None, source=SOURCE, source_url=URL)
        yield line, row


NAMES = {ours: theirs for theirs, ours in COLUMNS.items() if ours}
