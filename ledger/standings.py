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
from datetime import date
from typing import NamedTuple, Optional

from ledger import scoring

SCORED_OUTCOMES = ("yes", "no")

# The row layout score_question reads, in the order the reports select it; rows come
# ordered by question, stated_on and id (report_rows.resolved_query with by_date=True).
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
    standings: list  # of Standing, in the order the forecasters first spoke
    opened_on: Optional[date]
    closes_on: Optional[date]  # the resolve-by date: the window's last day
    ends_on: date  # the first day on which forecasts no longer count

    def counts(self, stated_on) -> bool:
        """Whether a forecast stated that day counts: stated before forecasting ended."""
        return as_date(stated_on) < self.ends_on


class Days(dict):
    """Day numbers of the few distinct dates a report meets, each worked out once: days[day] is its ordinal.

    A date comes as a date, or as its ISO text (store.plain_rows gives ISO text on every database).
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
    """Score one resolved question from its rows (COLUMNS layout, ordered by date and id)."""
    days = days if days is not None else Days()
    question_id, outcome, resolved_on, resolve_by = rows[0][0], rows[0][6], rows[0][7], rows[0][8]
    ends = forecasting_ends(days, outcome, resolved_on, resolve_by)
    closes = days[resolve_by] + 1
    happened = outcome == "yes"
    target = 1.0 if happened else 0.0
    # The counting forecasts as sweep events (day, forecaster index, probability given to the outcome,
    # Brier), and each forecaster's last counting row; rows stated on or after `ends` never count.
    events: list[tuple] = []
    index: dict[int, int] = {}
    lasts: list[tuple] = []
    opened = ends
    for row in rows:
        stated = days[row[5]]
        if stated >= ends:
            continue
        probability = row[3]
        position = index.get(row[1])
        if position is None:
            position = index[row[1]] = len(lasts)
            lasts.append(row)
        else:
            lasts[position] = row
        events.append((stated, position, probability if happened else 1.0 - probability, (probability - target) ** 2))
        if stated < opened:
            opened = stated
    window = (date.fromordinal(opened), as_date(resolve_by), date.fromordinal(ends)) if lasts else (None, None, date.fromordinal(ends))
    resolved = as_date(resolved_on)
    if outcome not in SCORED_OUTCOMES:
        standings = [Standing(row[1], row[4], row[2], row[3]) for row in lasts]
        return QuestionScores(question_id, outcome, resolved, standings, *window)
    if not lasts:
        return QuestionScores(question_id, outcome, resolved, [], *window)

    averaged = scoring.sweep_window(events, len(lasts), opened=opened, ends=ends, closes=closes)
    last_briers = [(row[3] - target) ** 2 for row in lasts]
    given = [row[3] if happened else 1.0 - row[3] for row in lasts]
    # scoring.clip_for_log written out: at a million forecasts the calls cost more than the logs.
    last_logs = [math.log(LOG_FLOOR if p < LOG_FLOOR else LOG_CEILING if p > LOG_CEILING else p) for p in given]
    count = len(lasts)
    standings = []
    if count == 1:
        scores, row = averaged[0], lasts[0]
        standings.append(Standing(
            row[1], row[4], row[2], row[3], scores.brier, scores.baseline, None, scores.coverage, last_briers[0], last_logs[0],
        ))
        return QuestionScores(question_id, outcome, resolved, standings, *window)
    ordered = sorted(last_briers)
    middle = count // 2
    median_brier = ordered[middle] if count % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    # As scoring.peer_log_scores, whose logs are these same log scores.
    mean_log = math.fsum(last_logs) / count
    scale = 100.0 * count / (count - 1)
    for row, scores, last_brier, last_log in zip(lasts, averaged, last_briers, last_logs):
        standings.append(Standing(
            row[1], row[4], row[2], row[3], scores.brier, scores.baseline, scores.peer, scores.coverage,
            last_brier, last_log, last_brier - median_brier, scale * (last_log - mean_log),
        ))
    return QuestionScores(question_id, outcome, resolved, standings, *window)


