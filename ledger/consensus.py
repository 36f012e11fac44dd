"""The consensus of forecasters' standing forecasts, day by day (pure: no database).

Two aggregates, both over each forecaster's latest forecast on a day:
- the **geometric mean of odds** (the default): the forecast-aggregation literature finds it more
  accurate than the mean or median of probabilities (Satopää et al., "Combining multiple
  probability predictions using a simple logit model", International Journal of Forecasting 30,
  2014; its extremized form does better still, which we do not apply: no parameter fitted to a
  small ledger would be trustworthy);
- the **median**, which one outlier cannot move and any reader can check by hand.
For a scenario, the geometric mean of the outcomes' probabilities, normalised to sum to 1 (the
multi-category form of the geometric mean of odds).
"""

import math
import statistics
from datetime import date
from typing import Iterable, Optional, Sequence

METHODS = ("geometric", "median")
DEFAULT_METHOD = "geometric"
# Probabilities of 0 and 1 have infinite odds: they are read as these before averaging odds.
CLIP = 0.001


def _clipped(probability: float) -> float:
    return min(max(probability, CLIP), 1.0 - CLIP)


def geometric_mean_of_odds(probabilities: Sequence[float]) -> float:
    log_odds = [math.log(_clipped(p) / (1.0 - _clipped(p))) for p in probabilities]
    mean = math.fsum(log_odds) / len(log_odds)
    return 1.0 / (1.0 + math.exp(-mean))


def aggregate(probabilities: Sequence[float], method: str = DEFAULT_METHOD) -> float:
    """One number from several forecasters' probabilities for the same event."""
    if method == "median":
        return statistics.median(probabilities)
    return geometric_mean_of_odds(probabilities)


def aggregate_vector(vectors: Sequence[Sequence[float]], method: str = DEFAULT_METHOD) -> list[float]:
    """One vector from several forecasters' vectors over a scenario's outcomes, summing to 1."""
    if method == "median":
        parts = [statistics.median(column) for column in zip(*vectors)]
    else:
        parts = [math.exp(math.fsum(math.log(max(p, CLIP)) for p in column) / len(column)) for column in zip(*vectors)]
    total = math.fsum(parts)
    return [part / total for part in parts] if total else parts


def path(forecasts: Iterable[tuple], method: str = DEFAULT_METHOD, *, until: Optional[date] = None) -> list[dict]:
    """The consensus after each day someone spoke: (stated_on, forecaster, probability or vector) in date order.

    Returns one row per change, {on, consensus, forecasters}: the consensus holds from `on` until
    the next row. Linear in the number of forecasts, whatever the number of days.
    """
    standing: dict[str, object] = {}
    rows: list[dict] = []
    for stated_on, forecaster, value in forecasts:
        if until is not None and stated_on > until:
            break
        standing[forecaster] = value
        values = list(standing.values())
        consensus = aggregate_vector(values, method) if isinstance(value, (list, tuple)) else aggregate(values, method)
        if rows and rows[-1]["on"] == stated_on:
            rows[-1] = {"on": stated_on, "consensus": consensus, "forecasters": len(values)}
        else:
            rows.append({"on": stated_on, "consensus": consensus, "forecasters": len(values)})
    return rows


def moves(forecasts: Sequence[dict]) -> list[dict]:
    """How a question's consensus moved: after each day someone spoke, the geometric mean of odds and the median."""
    points = [(f["stated_on"], f["forecaster"], f["probability"]) for f in forecasts]
    medians = path(points, "median")
    return [{"on": row["on"], "forecasters": row["forecasters"], "geometric_mean_of_odds": row["consensus"], "median": median["consensus"]}
            for row, median in zip(path(points), medians)]


def on_day(rows: Sequence[dict], day: date):
    """The consensus standing on a day (None before anyone spoke)."""
    current = None
    for row in rows:
        if row["on"] > day:
            break
        current = row["consensus"]
    return current


# ---- the consensus as a forecaster, and each forecaster against it -------------------------------
# Rows are the report's (standings.COLUMNS: question_id, forecaster_id, id, probability, source_id,
# stated_on, outcome, resolved_on, resolve_by), one question's counting forecasts in date order.

CONSENSUS = "consensus"
CONSENSUS_ID = 0  # no forecaster has it: ids start at 1


def as_forecaster(rows: Sequence[tuple]) -> list[tuple]:
    """The consensus as one more forecaster: a forecast on each day the standing forecasts changed."""
    standing: dict[int, float] = {}
    made: list[tuple] = []
    for row in rows:
        standing[row[1]] = row[3]
        forecast = (row[0], CONSENSUS_ID, -row[2], aggregate(list(standing.values())), None, *row[5:])
        if made and made[-1][5] == row[5]:
            made[-1] = forecast  # one consensus forecast per day: the last word of the day
        else:
            made.append(forecast)
    return made


def before_each(rows: Sequence[tuple]) -> dict[int, float]:
    """For each forecast (by id), the consensus of the other forecasters standing before its day; none if nobody had spoken."""
    standing: dict[int, float] = {}
    found: dict[int, float] = {}
    day, today_rows = None, []
    for row in list(rows) + [None]:
        if row is None or row[5] != day:
            for earlier in today_rows:
                standing[earlier[1]] = earlier[3]
            today_rows = []
            if row is None:
                break
            day = row[5]
        others = [p for forecaster, p in standing.items() if forecaster != row[1]]
        if others:
            found[row[2]] = aggregate(others)
        today_rows.append(row)
    return found
