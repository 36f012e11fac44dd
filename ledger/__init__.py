"""A ledger of forecasts made in the news: record, resolve and score them.

The Python API is the CLI's own functions behind one object; every result is plain rows
(lists of dicts) or one dict, which `pandas.DataFrame(...)` takes as they are::

    import ledger

    with ledger.open("forecasts.db") as book:
        book.add("A third US-North Korea summit is held", by="2019-12-31", who="observers",
                 says="is expected to", stated="2019-04-13")
        book.resolve(1, "no", on="2020-01-01", note="No summit by year end")
        rows = book.report(by="forecaster")

docs/api.md describes every method. Nothing heavy is imported until a ledger is opened, so that
`ledger --help` stays quick.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from typing import Iterator, Optional, Sequence

__version__ = "0.1.0"
__all__ = ["Book", "open"]
# The ledger when neither --db nor LEDGER_DB names one: here rather than in store.py, so that the
# CLI can name it without importing the database layer at start-up.
DEFAULT_DB = "forecasts.db"


class Book:
    """An open ledger, read and written through the same functions as the `ledger` command.

    `today` is the day relative dates and defaults are read against (as `ledger --today`).
    """

    def __init__(self, store_ledger, today: Optional[date] = None):
        self._ledger = store_ledger
        self.today = today or date.today()

    def add(self, statement: str, *, by, who: str, prob=None, says: Optional[str] = None, stated=None,
            source: Optional[str] = None, quote: Optional[str] = None, tags: Sequence[str] = (),
            criteria: Optional[str] = None, scale: str = "icd203") -> dict:
        """A question and its first forecast (`ledger add`); returns the record written."""
        from ledger import records

        return records.add_question(self._ledger, statement, by=by, who=who, today=self.today, probability=prob, says=says,
                                    stated=stated, source=source, quote=quote, tags=tags, criteria=criteria, scale=scale)

    def forecast(self, question_id: int, *, who: str, prob=None, says: Optional[str] = None, stated=None,
                 source: Optional[str] = None, quote: Optional[str] = None, scale: str = "icd203") -> dict:
        """Another dated forecast on a question (`ledger forecast`)."""
        from ledger import records

        return records.add_forecast(self._ledger, question_id, who=who, today=self.today, probability=prob, says=says,
                                    stated=stated, source=source, quote=quote, scale=scale)

    def resolve(self, question_id: int, outcome: str, *, on=None, note: Optional[str] = None,
                evidence: Optional[str] = None, amend: bool = False) -> dict:
        """Whether the question's event happened (`ledger resolve`)."""
        from ledger import records

        return records.resolve_question(self._ledger, question_id, outcome, today=self.today, on=on, note=note,
                                        evidence=evidence, amend=amend)

    def list(self, *, status: str = "all", who: Optional[str] = None, tag: Optional[str] = None) -> list[dict]:
        """Questions with their status, outcome and forecasters (`ledger list --format json`)."""
        from ledger import records

        return list(records.list_questions(self._ledger, today=self.today, status=status, who=who, tag=tag))

    def show(self, question_id: int) -> dict:
        """One question with its forecasts and resolutions (`ledger show --format json`)."""
        from ledger import records

        return records.show_question(self._ledger, question_id, today=self.today)

    def report(self, *, by: str = "forecaster", period: Optional[str] = None, as_of=None, who: Optional[str] = None,
               tag: Optional[str] = None) -> list[dict]:
        """Scores per group (`ledger report --format json`), best first."""
        from ledger import reports

        return reports.score_report(self._ledger, by=by, period=period, report_filter=self._filter(as_of, who, tag))

    def calibration(self, *, bins: int = 10, as_of=None, who: Optional[str] = None, tag: Optional[str] = None) -> list[dict]:
        """The calibration bins (`ledger calibration --format json`)."""
        from ledger import calibration

        return calibration.calibration(self._ledger, bins=bins, report_filter=self._filter(as_of, who, tag)).bins

    def _filter(self, as_of, who, tag):
        from ledger import rules
        from ledger.report_rows import ReportFilter, check_filter

        return check_filter(ReportFilter(as_of=rules.read_date(as_of, self.today, "as_of"), who=who, tag=tag))


@contextmanager
def open(path_or_url: Optional[str] = None, *, today: Optional[date] = None) -> Iterator[Book]:  # noqa: A001 - ledger.open reads as it should
    """Open a ledger (a path or URL, as `--db`; default $LEDGER_DB, else forecasts.db) for the block."""
    import os

    from ledger.store import open_ledger

    opened = open_ledger(path_or_url or os.environ.get("LEDGER_DB") or DEFAULT_DB)
    try:
        yield Book(opened, today)
    finally:
        opened.close()
