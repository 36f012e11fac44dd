"""The one per-question scoring pass: which forecasts count on a resolved question, and every forecaster's scores on it.

Every report (score report, calibration, the scores `resolve` prints) goes through
score_question, so they cannot disagree. The world's dates decide what counts:

- forecasting ends on the event's date (the resolution in force's `resolved_on`), or the day
  after the resolve-by date if that comes first (and for a "no" dated on or after the resolve-by
  date, since it says the event did not happen by the end of that day): a forecast stated on or
  after it never counts;
- the scoring window runs from the question's opening (its first counting forecast) to its
  scheduled close (the resolve-by date, inclusive), however early or late it was resolved.

docs/scoring.md gives the rules and their sources; docs/reports.md the columns.
"""

import math
import statistics
from datetime import date
from typing import NamedTuple, Optional

from ledger import scoring

SCORED_OUTCOMES = ("yes", "no")

# The row layout score_question reads, in the order the reports select it; rows come
# ordered by question, forecaster, stated_on and id.
COLUMNS = ("question_id", "forecaster_id", "id", "probability", "source_id", "stated_on", "outcome", "resolved_on", "resolve_by")
LOG_FLOOR, LOG_CEILING = scoring.LOG_FLOOR, 1.0 - scoring.LOG_FLOOR


class Standing(NamedTuple):
    """One forecaster on one resolved question: the last counting forecast, and the scores earned.

    The last_* scores are those of the last counting forecast alone; the others are time-averaged
    over the question's window. All scores are None when the question is ambiguous or annulled.
    A named tuple: reports build one per forecaster and question.
    """

    forecaster_id: int
    source_id: Optional[int]  # of the last counting forecast
    forecast_id: int
    probability: float
    time_averaged_brier: Optional[float] = None
    baseline_score: Optional[float] = None
    peer_score: Optional[float] = None  # None for a lone forecaster: no one to compare with
    coverage: Optional[float] = None
    last_brier: Optional[float] = None
    last_log_score: Optional[float] = None
    last_relative_brier: Optional[float] = None
    last_peer_score: Optional[float] = None


class QuestionScores(NamedTuple):
    question_id: int
    outcome: str
    resolved_on: date  # the event's date, as the resolution in force gives it
    standings: list  # of Standing, in forecaster order
    counted: frozenset  # ids of the forecasts that count (stated before forecasting ended)
    opened_on: Optional[date]
    closes_on: Optional[date]  # the resolve-by date: the window's last day
    ends_on: Optional[date]  # the first day on which forecasts no longer count


class Days(dict):
    """Day numbers of the few distinct dates a report meets, each worked out once: days[day] is its ordinal.

    A date comes as a date, or on SQLite as its ISO text (see reports.plain_tuples).
    """

    def __missing__(self, day) -> int:
        found = self[day] = as_date(day).toordinal()
        return found


def as_date(day) -> date:
    return day if isinstance(day, date) else date.fromisoformat(day)


def forecasting_ends(days: Days, outcome: str, resolved_on, resolve_by) -> int:
    """The day number from which forecasts no longer count.

    The event's date (a forecast stated on the day it happened may have come after it), capped at
    the day after the resolve-by date. A "no" dated on or after the resolve-by date says the event
    did not happen by the end of that day, so forecasting runs through the resolve-by date itself.
    """
    closes = days[resolve_by] + 1
    event = days[resolved_on]
    if outcome == "no" and event >= closes - 1:
        return closes
    return min(event, closes)


def score_question(rows: list, days: Optional[Days] = None) -> QuestionScores:
    """Score one resolved question from its rows (COLUMNS layout, ordered by forecaster, date and id)."""
    days = days if days is not None else Days()
    question_id, outcome, resolved_on, resolve_by = rows[0][0], rows[0][6], rows[0][7], rows[0][8]
    ends = forecasting_ends(days, outcome, resolved_on, resolve_by)
    closes = days[resolve_by] + 1
    # Each forecaster's counting rows, in order; rows stated on or after `ends` never count.
    histories: list[tuple[int, list]] = []
    previous = None
    opened = None
    for row in rows:
        stated = days[row[5]]
        if stated >= ends:
            continue
        if row[1] != previous:
            histories.append((row[1], []))
            previous = row[1]
        histories[-1][1].append((stated, row))
        if opened is None or stated < opened:
            opened = stated
    counted = frozenset(row[2] for _, history in histories for _, row in history)
    window = (date.fromordinal(opened), as_date(resolve_by), date.fromordinal(ends)) if opened is not None else (None, None, None)
    if outcome not in SCORED_OUTCOMES:
        standings = [_bare(forecaster_id, history[-1][1]) for forecaster_id, history in histories]
        return QuestionScores(question_id, outcome, as_date(resolved_on), standings, counted, *window)
    if not histories:
        return QuestionScores(question_id, outcome, as_date(resolved_on), [], counted, *window)

    happened = outcome == "yes"
    target = 1.0 if happened else 0.0
    averaged = scoring.window_scores(
        [[(stated, row[3] if happened else 1.0 - row[3], (row[3] - target) ** 2) for stated, row in history]
         for _, history in histories],
        opened=opened, ends=ends, closes=closes,
    )
    lasts = [history[-1][1] for _, history in histories]
    last_briers = [(row[3] - target) ** 2 for row in lasts]
    given = [row[3] if happened else 1.0 - row[3] for row in lasts]
    # scoring.clip_for_log written out: at a million forecasts the calls cost more than the logs.
    last_logs = [math.log(LOG_FLOOR if p < LOG_FLOOR else LOG_CEILING if p > LOG_CEILING else p) for p in given]
    compared = len(lasts) > 1
    if compared:
        median_brier = statistics.median(last_briers)
        last_peers = scoring.peer_log_scores(given)
    standings = []
    for position, ((forecaster_id, _), row, scores) in enumerate(zip(histories, lasts, averaged)):
        standings.append(Standing(
            forecaster_id, row[4], row[2], row[3],
            time_averaged_brier=scores.brier,
            baseline_score=scores.baseline,
            peer_score=scores.peer if compared else None,
            coverage=scores.coverage,
            last_brier=last_briers[position],
            last_log_score=last_logs[position],
            last_relative_brier=last_briers[position] - median_brier if compared else None,
            last_peer_score=last_peers[position] if compared else None,
        ))
    return QuestionScores(question_id, outcome, as_date(resolved_on), standings, counted, *window)


def _bare(forecaster_id: int, row: tuple) -> Standing:
    return Standing(forecaster_id, row[4], row[2], row[3])
