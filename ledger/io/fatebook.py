"""Fatebook's CSV export: read as rows of our layout, and written from ours (`ledger export --to fatebook`)."""

import csv
import itertools
from typing import IO, Iterable, Iterator

from ledger.io.ours import COLUMNS as OUR_COLUMNS
from ledger.io.ours import CSV_LINE_END, Refused, counted, csv_rows, split_tags
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


# Fatebook has no "annulled": like ambiguous, it is not scored there either.
EXPORTED_RESOLUTIONS = {"yes": "YES", "no": "NO", "ambiguous": "AMBIGUOUS", "annulled": "AMBIGUOUS"}
_AT = {name: OUR_COLUMNS.index(name) for name in ("question_id", "statement", "criteria", "resolve_by", "tags", "forecaster", "forecast_id",
                                                  "probability", "stated_on", "outcome", "resolved_on")}


def _timestamp(day) -> str:
    return f"{day}T00:00:00.000Z" if day else ""


def write_export(rows: Iterable[tuple], out: IO[str], progress=None) -> None:
    """Our export tuples (question by question) as Fatebook's CSV: the columns its export has and its import reads.

    Cells are written as they are, not neutralised against spreadsheet formulas: the file is for Fatebook.
    """
    at = _AT
    writer = csv.writer(out, lineterminator=CSV_LINE_END)
    writer.writerow(list(COLUMNS))
    for _, group in itertools.groupby(counted(rows, progress), key=lambda row: row[at["question_id"]]):
        group = list(group)
        created = min((str(row[at["stated_on"]]) for row in group if row[at["stated_on"]]), default="")  # Fatebook needs one; the ledger's is its first forecast
        for row in group:
            if row[at["forecaster"]] is None:
                continue  # a question without forecasts: a Fatebook row is a forecast
            writer.writerow([
                row[at["statement"]], row[at["forecaster"]], row[at["probability"]], _timestamp(row[at["stated_on"]]),
                _timestamp(created), _timestamp(row[at["resolve_by"]]), EXPORTED_RESOLUTIONS.get(row[at["outcome"]], ""),
                _timestamp(row[at["resolved_on"]]), row[at["criteria"]] or "", ", ".join(tag.strip() for tag in split_tags(row[at["tags"]])) if row[at["tags"]] else "",
            ])
