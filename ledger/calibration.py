"""Calibration (bins, Murphy decomposition) and the cue report: how often what was said came true.

Both read the forecasts that count (stated before the event's date; report_rows.resolved_query)
in one streamed pass. Calibration bins each forecaster's last counting forecast on each question,
the one whose Brier is the report's last_brier; the cue report counts every counting forecast.
"""

from array import array
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Iterable, Iterator, Optional, Sequence

from ledger import dates, people, scoring
from ledger.output import Document, Section
from ledger.model import FORECASTER
from ledger.report_rows import FETCH_ROWS, ReportFilter, check_bins, check_period, names, resolved_filter, resolved_query
from ledger.store import plain_rows
from ledger.standings import SCORED_OUTCOMES
from ledger.store import Ledger

NUMBER_CUE = "(number)"
CUE_COLUMNS = ("cue", "n", "happened", "rate", "ci_low", "ci_high", "mean_probability", "ambiguous", "annulled")
BIN_COLUMNS = ("lower", "upper", "n", "mean_probability", "observed", "ci_low", "ci_high")
DECOMPOSITION_TITLE = "Murphy decomposition (brier = reliability - resolution + uncertainty, up to the spread within bins)"


def cue_columns(split_by_forecaster: bool) -> list[str]:
    return list(CUE_COLUMNS[:1]) + (["forecaster"] if split_by_forecaster else []) + list(CUE_COLUMNS[1:])


class CueTally:
    """How often claims made with one phrase came true."""

    def __init__(self) -> None:
        self.n = 0
        self.happened = 0
        self.probability_sum = 0.0
        self.ambiguous = 0
        self.annulled = 0

    def add(self, probability: float, outcome: str) -> None:
        if outcome == "ambiguous":
            self.ambiguous += 1
        elif outcome == "annulled":
            self.annulled += 1
        else:
            self.n += 1
            self.happened += 1 if outcome == "yes" else 0
            self.probability_sum += probability

    def row(self) -> dict:
        if not self.n:
            rate = ci_low = ci_high = mean_probability = None
        else:
            rate = self.happened / self.n
            ci_low, ci_high = scoring.wilson_interval(self.happened, self.n)
            mean_probability = self.probability_sum / self.n
        return {
            "n": self.n, "happened": self.happened, "rate": rate, "ci_low": ci_low, "ci_high": ci_high,
            "mean_probability": mean_probability, "ambiguous": self.ambiguous, "annulled": self.annulled,
        }


def cue_report(
    ledger: Ledger, *, period: Optional[str] = None, per_forecaster: bool = False, report_filter: ReportFilter = ReportFilter()
) -> list[dict]:
    """Per cue (and forecaster, and period): every forecast made with those words, and how often the event happened.

    Sorted by the mean probability the words stand for, most confident first.
    """
    check_period(period)
    tallies: dict[tuple, CueTally] = {}
    with ledger.reading() as connection:
        report_filter, who_id = resolved_filter(connection, report_filter)
        split = per_forecaster or who_id is not None
        forecaster_names = names(connection, FORECASTER) if split else {}
        labels: dict[date, str] = {}
        query = resolved_query(report_filter, ["forecaster_id", "probability", "cue", "outcome", "resolved_on"], merged=people.any_merges(connection))
        for forecaster_id, probability, cue, outcome, resolved_on in connection.execute(query, execution_options={"yield_per": FETCH_ROWS}):
            if who_id is not None and forecaster_id != who_id:
                continue
            if period and resolved_on not in labels:
                labels[resolved_on] = dates.period_label(resolved_on, period)
            key = (
                labels[resolved_on] if period else None,
                " ".join(cue.lower().split()) if cue is not None else NUMBER_CUE,  # "Doubts" and "doubts" are one cue
                forecaster_names[forecaster_id] if split else None,
            )
            tally = tallies.get(key)
            if tally is None:
                tally = tallies[key] = CueTally()
            tally.add(probability, outcome)
    rows = []
    for (label, cue, forecaster), tally in tallies.items():
        row: dict[str, Any] = {"period": label} if period else {}
        row["cue"] = cue
        if split:
            row["forecaster"] = forecaster
        row.update(tally.row())
        rows.append(row)
    rows.sort(key=lambda row: (
        row.get("period", ""), row["mean_probability"] is None, -(row["mean_probability"] or 0.0),
        row["cue"], str(row.get("forecaster", "")),
    ))
    return rows


def _headline_forecasts(rows: Iterable) -> Iterator[tuple[int, float, str]]:
    """(forecaster_id, probability, outcome) of each forecaster's last forecast on each question.

    Rows come ordered by question, forecaster and date, so the last is the one before the next pair starts.
    """
    previous = None
    for question_id, forecaster_id, probability, outcome in rows:
        if previous is not None and (question_id, forecaster_id) != previous[:2]:
            yield previous[1:]
        previous = (question_id, forecaster_id, probability, outcome)
    if previous is not None:
        yield previous[1:]


@dataclass(frozen=True)
class Calibration:
    bins: list[dict]  # one per bin, empty ones too: lower, upper, n, mean_probability, observed, ci_low, ci_high
    decomposition: dict  # reliability, resolution, uncertainty, brier, n (None values when nothing was scored)


def calibration(ledger: Ledger, *, bins: int = 10, report_filter: ReportFilter = ReportFilter()) -> Calibration:
    """The calibration table and Murphy decomposition over each forecaster's last counting forecast on each question."""
    check_bins(bins)
    # Two compact columns rather than a list of tuples: a million forecasts stay a few megabytes.
    probabilities = array("d")
    happened = bytearray()
    with ledger.reading() as connection:
        report_filter, who_id = resolved_filter(connection, report_filter)
        rows = plain_rows(connection, resolved_query(report_filter, ["question_id", "forecaster_id", "probability", "outcome"], merged=people.any_merges(connection)))
        for forecaster_id, probability, outcome in _headline_forecasts(rows):
            if outcome in SCORED_OUTCOMES and (who_id is None or forecaster_id == who_id):
                probabilities.append(probability)
                happened.append(outcome == "yes")

    return calibration_of(probabilities, happened, bins)


def calibration_of(probabilities: Sequence[float], happened: Sequence[int], bins: int) -> Calibration:
    """The bins and decomposition of (probability, happened) pairs given as two columns."""
    def pairs():
        return zip(probabilities, map(bool, happened))

    table = [asdict(calibration_bin) for calibration_bin in scoring.calibration_bins(pairs(), bins)]
    if probabilities:
        decomposition = asdict(scoring.murphy_decomposition(pairs(), bins))
    else:
        decomposition = {"reliability": None, "resolution": None, "uncertainty": None, "brier": None, "n": 0}
    return Calibration(table, decomposition)


def calibration_by_forecaster(ledger: Ledger, *, bins: int = 10, report_filter: ReportFilter = ReportFilter()) -> dict[int, Calibration]:
    """forecaster id -> what calibration(..., who=that forecaster) gives, for every forecaster, in one pass."""
    check_bins(bins)
    columns: dict[int, tuple[array, bytearray]] = {}
    with ledger.reading() as connection:
        report_filter, who_id = resolved_filter(connection, report_filter)
        rows = plain_rows(connection, resolved_query(report_filter, ["question_id", "forecaster_id", "probability", "outcome"], merged=people.any_merges(connection)))
        for forecaster_id, probability, outcome in _headline_forecasts(rows):
            if outcome in SCORED_OUTCOMES and (who_id is None or forecaster_id == who_id):
                probabilities, happened = columns.setdefault(forecaster_id, (array("d"), bytearray()))
                probabilities.append(probability)
                happened.append(outcome == "yes")
    return {forecaster_id: calibration_of(probabilities, happened, bins) for forecaster_id, (probabilities, happened) in columns.items()}


def calibration_document(result: Calibration, *, decomposition_only: bool = False) -> Document:
    """Table formats: the bins, then the decomposition; JSON and CSV: the bins alone (or the decomposition alone)."""
    decomposition = Section(
        "decomposition", DECOMPOSITION_TITLE, [result.decomposition] if result.decomposition["n"] else [],
        list(result.decomposition), empty="(no scored forecasts)", floatfmt=".4f",
    )
    if decomposition_only:
        decomposition.rows = [result.decomposition]
        return Document(sections=[decomposition], data=result.decomposition)
    bins = Section("bins", "Calibration: how often forecasts of each probability came true", result.bins, list(BIN_COLUMNS))
    return Document(sections=[bins, decomposition], main="bins", data=result.bins)
