"""Which reader a file to import goes through: ours (CSV, JSON, JSON Lines), the seed file, or another site's export."""

import os
from datetime import date
from typing import Any, Optional

from ledger.errors import LedgerError
from ledger.io import fatebook, ours
from ledger.io.importer import import_rows
from ledger.io.ours import Progress
from ledger.store import Ledger

LAYOUTS = ("ledger", "fatebook", "manifold", "metaculus", "predictionbook")


def predictionbook_readings() -> tuple[str, ...]:
    from ledger.io import predictionbook

    return predictionbook.JUDGEMENT_READINGS


def _site_export(path: str, layout: str, judgements: Optional[str]):
    if layout == "manifold":
        from ledger.io import manifold

        return manifold.read(path)
    if layout == "metaculus":
        from ledger.io import metaculus

        return metaculus.read(path)
    from ledger.io import predictionbook

    return predictionbook.read(path, judgements)


def import_file(
    ledger: Ledger, path: str, *, today: date, layout: str = "ledger", progress: Progress = None, judgements: Optional[str] = None,
) -> dict[str, Any]:
    """Import a file: our CSV, JSON or JSON Lines export, the seed file (.toml), or another site's export (`layout`).

    `judgements` says what PredictionBook's right/wrong judgements mean ('event': right means the event happened).
    """
    if layout not in LAYOUTS:
        raise LedgerError(f"unknown --from {layout!r}: use {', '.join(LAYOUTS)}")
    if judgements is not None and (layout != "predictionbook" or judgements not in predictionbook_readings()):
        raise LedgerError(f"--pb-judgements {judgements!r}: it goes with --from predictionbook, and takes 'event' (right means the event happened)")
    if layout == "fatebook":
        return import_rows(ledger, path, fatebook.rows(path), today=today, names=fatebook.NAMES, progress=progress)
    if layout != "ledger":
        if not os.path.exists(path):
            raise LedgerError(f"no such file {path!r}: give {layout}'s export (see docs/transfer.md)")
        export = _site_export(path, layout, judgements)
        return import_rows(ledger, path, export.rows, today=today, names=export.names, progress=progress, choices=export.choices)
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".toml":
        from ledger.io import seed

        return seed.load_seed_file(ledger, path, today=today)
    if suffix == ".json":
        return import_rows(ledger, path, ours.json_rows(path), today=today, progress=progress)
    if suffix in (".jsonl", ".ndjson"):
        return import_rows(ledger, path, ours.jsonl_rows(path), today=today, progress=progress)
    return import_rows(ledger, path, ours.csv_rows(path), today=today, restore=True, progress=progress)


def summary(path: str, counts: dict[str, int]) -> str:
    """One line saying what an import added, with thousands separators."""
    kinds = ["questions", "forecasts", "resolutions", "forecasters", "sources", "scenarios"]
    kinds += [name for name in ("conditions", "indicators", "sightings") if counts.get(name)]  # named when the file had any
    added = ", ".join(f"{counts[name]:,} {name if counts[name] != 1 else name[:-1]}" for name in kinds if name in counts)
    rows = f"{counts['rows']:,} rows: " if "rows" in counts else ""
    return f"Imported {os.path.basename(path)}, {rows}added {added}; {counts.get('already_present', 0):,} already in the ledger."
