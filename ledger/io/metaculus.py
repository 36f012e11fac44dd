"""Metaculus's data download (a zip, or its folder, holding question_data.csv and forecast_data.csv), read as ledger rows.

The layout is the one Metaculus documents in the README.md of every download: question_data.csv
has a row per question (`Question ID`, `Question Title`, `Question Type` binary or
multiple_choice, `MC Options (All)`, `Open Time`, `Scheduled Close Time`, `Resolution`,
`Resolution Known Time`, ...); forecast_data.csv a row per forecast (`Question ID`,
`Forecaster Username`, `Start Time`, `Probability Yes`, `Probability Yes Per Category`, ...).
Rows without a `Forecaster ID` are Metaculus's aggregates (the community prediction), not a
forecaster's forecasts, and are skipped.
"""

import ast
import os
import tempfile
import zipfile
from typing import Any, Iterator

from ledger.errors import LedgerError
from ledger.io.ours import Refused, csv_rows
from ledger.io.sites import ChoiceForecast, ChoiceQuestion, SiteExport, binary_row, utc_day

SOURCE = ("Metaculus", "https://www.metaculus.com")
QUESTIONS, FORECASTS = "question_data.csv", "forecast_data.csv"
RESOLUTIONS = {"yes": "yes", "no": "no", "ambiguous": "ambiguous", "annulled": "annulled"}
# Lines are forecast_data.csv's, but for a multiple-choice question's own cells (question_data.csv's).
NAMES = {"statement": "Question Title", "resolve_by": "Scheduled Close Time", "forecaster": "Forecaster Username",
         "probability": "Probability Yes", "stated_on": "Start Time", "outcome": "Resolution", "resolved_on": "Resolution Known Time",
         "vector": "Probability Yes Per Category", "options": "MC Options (All)"}


def _files(path: str, folder: str) -> tuple[str, str]:
    if os.path.isdir(path):
        base = path
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            wanted = {os.path.basename(name): name for name in archive.namelist() if os.path.basename(name) in (QUESTIONS, FORECASTS)}
            for name in wanted.values():
                with archive.open(name) as source, open(os.path.join(folder, os.path.basename(name)), "wb") as target:
                    target.write(source.read())
        base = folder
    else:
        raise LedgerError(f"{path} is neither a zip nor a folder: give Metaculus's download (the zip with {QUESTIONS} and {FORECASTS})")
    files = tuple(os.path.join(base, name) for name in (QUESTIONS, FORECASTS))
    for name in files:
        if not os.path.isfile(name):
            raise LedgerError(f"{path} has no {os.path.basename(name)}: Metaculus's download holds {QUESTIONS} and {FORECASTS}")
    return files


def _literal(cell: str) -> Any:
    """A list cell as Metaculus writes it: "['A', 'B']" or "[0.2, 0.8]"."""
    try:
        return ast.literal_eval(cell) if cell and cell.strip() else None
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return Refused(f"unreadable list {cell[:40]!r}: Metaculus writes them as ['A', 'B'] or [0.2, 0.8]")


def _resolution(cell: str, options: list) -> Any:
    word = cell.strip()
    if not word:
        return None
    if word.lower() in RESOLUTIONS:
        return RESOLUTIONS[word.lower()]
    if word in options:
        return word
    return Refused(f"unknown resolution {word!r}: Metaculus's are yes, no, ambiguous, annulled or, for multiple choice, an option")


def read(path: str) -> SiteExport:
    folder = tempfile.TemporaryDirectory()
    questions_file, forecasts_file = _files(path, folder.name)
    questions: dict[str, tuple[int, dict]] = {}
    for line, cells in csv_rows(questions_file, known=None, required=("Question ID", "Question Title", "Question Type")):
        if None in cells:
            raise LedgerError(f"{QUESTIONS}, line {line}: {len(cells[None])} cells where the header has a different number")
        questions[cells.get("Question ID", "").strip()] = (line, cells)
    choices: dict[str, ChoiceQuestion] = {}
    for key, (line, cells) in questions.items():
        if cells.get("Question Type", "").strip().lower() == "multiple_choice":
            options = _literal(cells.get("MC Options (All)", ""))
            options = options if isinstance(options, list) else []
            resolution = _resolution(cells.get("Resolution", ""), options)
            choices[key] = ChoiceQuestion(
                line=line, name=cells["Question Title"], options=[str(option) for option in options],
                resolve_by=utc_day(cells.get("Scheduled Close Time", "")), opened_on=utc_day(cells.get("Open Time", "")),
                source=SOURCE, resolution=resolution, resolved_on=utc_day(cells.get("Resolution Known Time", "")) if resolution else "",
            )

    for line, cells in _forecaster_rows(forecasts_file):
        key = cells.get("Question ID", "").strip() if None not in cells else None
        if key in choices:
            vector = _literal(cells.get("Probability Yes Per Category", ""))
            if not isinstance(vector, list) or any(value is None for value in vector):
                vector = Refused("a vector with an option missing (None) or unreadable: a scenario forecast gives every outcome a probability")
            choices[key].forecasts.append(ChoiceForecast(line=line, forecaster=cells["Forecaster Username"],
                                                         stated_on=utc_day(cells["Start Time"]), vector=vector))

    def rows() -> Iterator[tuple[int, dict]]:
        try:
            for line, cells in _forecaster_rows(forecasts_file):
                if None in cells:
                    yield line, cells
                    continue
                key = cells.get("Question ID", "").strip()
                if key in choices:
                    continue
                if key not in questions:
                    yield line, {"statement": Refused(f"question {key!r} of {FORECASTS} is not in {QUESTIONS}")}
                    continue
                question = questions[key][1]
                kind = question.get("Question Type", "").strip().lower()
                if kind != "binary":
                    yield line, {"statement": Refused(f"question {key} is {kind or 'of no type'}: the ledger takes binary and multiple_choice questions; remove its rows")}
                    continue
                resolution = _resolution(question.get("Resolution", ""), [])
                yield line, binary_row(
                    statement=question["Question Title"], resolve_by=utc_day(question.get("Scheduled Close Time", "")),
                    forecaster=cells["Forecaster Username"], probability=cells.get("Probability Yes", ""),
                    stated_on=utc_day(cells["Start Time"]), outcome=resolution,
                    resolved_on=utc_day(question.get("Resolution Known Time", "")) if resolution else None, source=SOURCE,
                )
        finally:
            folder.cleanup()

    return SiteExport(rows(), list(choices.values()), NAMES)


def _forecaster_rows(path: str) -> Iterator[tuple[int, dict]]:
    """The forecasts of forecasters; rows without a Forecaster ID are aggregates (the community's), not a forecaster's."""
    for line, cells in csv_rows(path, known=None, required=("Question ID", "Forecaster Username", "Start Time")):
        if None in cells or cells.get("Forecaster ID", "").strip():
            yield line, cells
