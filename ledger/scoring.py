"""Proper scores for forecasts: Brier, log, skill, baseline, peer, time-averaged over a window, multi-category, calibration (pure)."""

from __future__ import annotations

import bisect
import decimal
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

# One confident miss costs ln(0.001) ≈ -6.9: large but finite, so a single forecast of
# 0 % or 100 % cannot make a whole record -inf (Metaculus clips in a similar way).
# Only the log score is clipped; the Brier score is bounded and never needs it.
LOG_FLOOR = 0.001

EVEN_ODDS_BRIER = 0.25

# The 97.5th percentile of the standard normal, for 95 % Wilson intervals.
WILSON_Z = 1.959963984540054

# Multi-category probabilities entered by hand rarely sum to exactly 1 in binary floats.
SUM_TOLERANCE = 1e-6


def _check_probability(probability: float) -> None:
    if not 0.0 <= probability <= 1.0:
        raise ValueError(f"a probability must be between 0 and 1, got {probability!r}")


def _check_distribution(probabilities: Sequence[float], outcome_index: int) -> None:
    if len(probabilities) < 2:
        raise ValueError("a multi-category forecast needs at least two categories")
    for probability in probabilities:
        _check_probability(probability)
    if abs(math.fsum(probabilities) - 1.0) > SUM_TOLERANCE:
        raise ValueError(f"category probabilities must sum to 1, got {math.fsum(probabilities)!r}")
    if not 0 <= outcome_index < len(probabilities):
        raise ValueError(f"outcome index {outcome_index} is not one of the {len(probabilities)} categories")


def clip_for_log(probability: float) -> float:
    """The probability moved into [LOG_FLOOR, 1 - LOG_FLOOR]."""
    return min(max(probability, LOG_FLOOR), 1.0 - LOG_FLOOR)


def brier(probability: float, happened: bool) -> float:
    """(p - o)²: 0 is best, 1 is worst."""
    _check_probability(probability)
    return (probability - (1.0 if happened else 0.0)) ** 2


def log_score(probability: float, happened: bool) -> float:
    """ln of the clipped probability given to what happened: 0 is best, more negative is worse."""
    _check_probability(probability)
    given_to_outcome = probability if happened else 1.0 - probability
    return math.log(clip_for_log(given_to_outcome))


def brier_skill(brier: float, reference_brier: float) -> float | None:
    """1 - brier / reference: 1 is perfect, 0 is no better than the reference, negative is worse."""
    if reference_brier == 0:
        return None
    return 1.0 - brier / reference_brier


def base_rate_brier(base_rate: float) -> float:
    """The mean Brier of always forecasting the base rate b, on outcomes that happen at rate b: b(1 - b)."""
    _check_probability(base_rate)
    return base_rate * (1.0 - base_rate)


def peer_log_scores(probabilities_for_outcome: Sequence[float]) -> list[float | None]:
    """Metaculus peer scores, 100·n/(n-1)·(ln pᵢ - mean ln p): positive beats the crowd; they sum to 0."""
    count = len(probabilities_for_outcome)
    if count < 2:
        return [None] * count
    for probability in probabilities_for_outcome:
        _check_probability(probability)
    logs = [math.log(clip_for_log(probability)) for probability in probabilities_for_outcome]
    mean_log = math.fsum(logs) / count
    scale = 100.0 * count / (count - 1)
    return [scale * (log - mean_log) for log in logs]


def baseline_score(given_to_outcome: float, categories: int = 2) -> float:
    """Metaculus's baseline score, 100·ln(K·p)/ln K for the probability p given to what happened out of K outcomes.

    For a yes/no question (K = 2) it is 100·log₂(2p): +100 for certainty rightly held, 0 for even
    odds, -897 at the clipped 0.1 %.
    """
    _check_probability(given_to_outcome)
    if categories < 2:
        raise ValueError(f"a baseline score needs at least two outcomes, got {categories!r}")
    return 100.0 * math.log(categories * clip_for_log(given_to_outcome)) / math.log(categories)


class WindowScores(NamedTuple):
    """One forecaster's scores on one question, time-averaged over the question's scoring window.

    The window runs from the question's opening (its first counting forecast) to its scheduled
    close; every day of it counts, those before the forecaster spoke and those after an early
    resolution included (see window_scores).
    """

    brier: float  # lower is better
    baseline: float  # higher is better; 0 is even odds
    peer: float  # higher is better; 0 is no better than the others
    coverage: float  # share of the window the forecaster had a forecast standing
    compared: bool  # someone else had a forecast standing at the same time
    days: int  # the window's length


def window_scores(
    histories: Sequence[Sequence[tuple[int, float, float]]],
    *,
    opened: int,
    ends: int,
    closes: int,
    categories: int = 2,
    chance_brier: float = EVEN_ODDS_BRIER,
) -> list[WindowScores]:
    """Time-averaged Brier, baseline and peer scores of every forecaster on one question.

    Days are day numbers (date.toordinal()). `histories` holds one list per forecaster of
    (day stated, probability given to what happened, Brier of that forecast), in the order
    stated; of several on one day the last stands. The window is the days opened … closes - 1
    (closes is the day after the resolve-by date); forecasting ends at `ends` (the event's
    date, or closes if the event came later), so every day must be in opened … ends - 1.

    Each forecast stands from its day until the forecaster's next one or `ends`. Days are
    scored as Metaculus and Good Judgment Open score them, and the sums divided by the whole
    window, so that speaking late or resolving early buys nothing:

    - baseline and peer: 0 on days without a standing forecast of one's own (before the first,
      after `ends`); the peer score is 100·(ln p - mean ln p of the others standing that day),
      0 on days nobody else had spoken;
    - Brier: before one's first forecast, the median Brier of the forecasts standing that day
      (those of the others), or `chance_brier` where nobody had spoken; after `ends`,
      `chance_brier` for everyone (Metaculus's 0, the score of even odds, in Brier terms).

    Linear in the number of forecasts (plus a sort), whatever the window's length: the sweep
    integrates over the intervals between forecasts, never day by day.
    """
    window = closes - opened
    if window <= 0:
        raise ValueError(f"a scoring window needs at least one day, got {opened} … {closes}")
    if not opened <= ends <= closes:
        raise ValueError(f"forecasting must end inside the window, got {ends} outside {opened} … {closes}")
    events = []  # (day, forecaster, probability given to the outcome, Brier), each forecaster's in order
    for forecaster, history in enumerate(histories):
        previous = opened
        for event in history:
            day, given = event[0], event[1]
            if not 0.0 <= given <= 1.0:
                raise ValueError(f"a probability must be between 0 and 1, got {given!r}")
            if not previous <= day < ends:
                raise ValueError(f"a forecast on day {day} is outside the forecasting days {opened} … {ends - 1}, "
                                 "or out of the order stated")
            previous = day
            events.append((day, forecaster, given, event[2]))
    events.sort(key=_first)  # stable: of two forecasts on one day, the later given stays later
    return sweep_window(events, len(histories), opened=opened, ends=ends, closes=closes, categories=categories,
                        chance_brier=chance_brier)


def sweep_window(
    events: Sequence[tuple[int, int, float, float]], count: int, *, opened: int, ends: int, closes: int,
    categories: int = 2, chance_brier: float = EVEN_ODDS_BRIER,
) -> list[WindowScores]:
    """window_scores for checked input: (day, forecaster index, probability given to the outcome, Brier), in day order.

    Of two events on one day the later in the list stands. The reports call this directly, their rows
    already ordered by date.
    """
    window = closes - opened
    brier_sums, baseline_sums, peer_sums, shared = [0.0] * count, [0.0] * count, [0.0] * count, [0.0] * count
    firsts: list = [None] * count  # (first day, the running median area then)
    standing: list = [None] * count  # (day stated, ln p, Brier, baseline, area_n and area_s then)
    # Running integrals over the intervals so far, between days on which someone spoke:
    area_n = 0.0  # Σ length·N/(N-1) where N ≥ 2 forecasts stand: the weight of one's own ln p in the peer score
    area_s = 0.0  # Σ length·S/(N-1), S = Σ ln p of all standing: the others' ln p, plus one's own once more
    area_m = 0.0  # Σ length·(median standing Brier): what a forecaster not yet speaking is given
    briers: list[float] = []  # the standing forecasts' Briers, sorted
    speaking = 0
    log_sum = 0.0
    log_categories = math.log(categories)
    low, high = LOG_FLOOR, 1.0 - LOG_FLOOR

    def close(forecaster: int, held: tuple, day: int) -> None:
        start, log_given, brier_value, baseline_value, area_n_then, area_s_then = held
        brier_sums[forecaster] += (day - start) * brier_value
        baseline_sums[forecaster] += (day - start) * baseline_value
        weight = area_n - area_n_then
        shared[forecaster] += weight
        peer_sums[forecaster] += 100.0 * (log_given * weight - (area_s - area_s_then))

    position, total = 0, len(events)
    while position < total:
        day = events[position][0]
        while position < total and events[position][0] == day:
            _, forecaster, given, brier_value = events[position]
            position += 1
            log_given = math.log(low if given < low else high if given > high else given)
            held = standing[forecaster]
            if held is None:
                speaking += 1
                firsts[forecaster] = (day, area_m)
            else:  # close(forecaster, held, day), written out: it runs once per forecast
                start, log_held, brier_held, baseline_held, area_n_then, area_s_then = held
                brier_sums[forecaster] += (day - start) * brier_held
                baseline_sums[forecaster] += (day - start) * baseline_held
                weight = area_n - area_n_then
                shared[forecaster] += weight
                peer_sums[forecaster] += 100.0 * (log_held * weight - (area_s - area_s_then))
                log_sum -= log_held
                del briers[bisect.bisect_left(briers, brier_held)]
            standing[forecaster] = (
                day, log_given, brier_value, 100.0 * (log_categories + log_given) / log_categories, area_n, area_s,
            )
            log_sum += log_given
            bisect.insort(briers, brier_value)
        length = (events[position][0] if position < total else ends) - day
        if speaking >= 2:
            area_n += length * speaking / (speaking - 1)
            area_s += length * log_sum / (speaking - 1)
        middle = speaking // 2
        area_m += length * (briers[middle] if speaking % 2 else (briers[middle - 1] + briers[middle]) / 2)

    after = (closes - ends) * chance_brier
    results = []
    for forecaster, held in enumerate(standing):
        if held is None:
            results.append(WindowScores(chance_brier, 0.0, 0.0, 0.0, False, window))
            continue
        close(forecaster, held, ends)
        first_day, fill = firsts[forecaster]
        results.append(WindowScores(
            brier=(brier_sums[forecaster] + fill + after) / window,
            baseline=baseline_sums[forecaster] / window,
            peer=peer_sums[forecaster] / window,
            coverage=(ends - first_day) / window,
            compared=shared[forecaster] > 0,
            days=window,
        ))
    return results


def _first(event: tuple) -> int:
    return event[0]


def multicategory_brier(probabilities: Sequence[float], outcome_index: int) -> float:
    """Σₖ (pₖ - oₖ)² over the categories: 0 is best, 2 is worst."""
    _check_distribution(probabilities, outcome_index)
    return math.fsum(
        (probability - (1.0 if index == outcome_index else 0.0)) ** 2
        for index, probability in enumerate(probabilities)
    )


def multicategory_log_score(probabilities: Sequence[float], outcome_index: int) -> float:
    """ln of the clipped probability given to the category that happened: 0 is best."""
    _check_distribution(probabilities, outcome_index)
    return math.log(clip_for_log(probabilities[outcome_index]))


def ordered_brier(probabilities: Sequence[float], outcome_index: int) -> float:
    """Mean binary Brier of the K-1 cumulative splits "outcome ≤ k" vs "> k": 0 is best, 1 is worst."""
    _check_distribution(probabilities, outcome_index)
    split_briers = []
    cumulative = 0.0
    for split in range(len(probabilities) - 1):
        cumulative += probabilities[split]
        # Rounding can push a running sum a hair past 1.
        split_briers.append(brier(min(cumulative, 1.0), outcome_index <= split))
    return math.fsum(split_briers) / len(split_briers)


def wilson_interval(successes: int, trials: int, z: float = WILSON_Z) -> tuple[float, float]:
    """The Wilson score interval for a frequency successes / trials (95 % by default)."""
    if trials <= 0:
        raise ValueError("a Wilson interval needs at least one trial")
    frequency = successes / trials
    z_squared = z * z
    denominator = 1.0 + z_squared / trials
    centre = (frequency + z_squared / (2 * trials)) / denominator
    half_width = (z / denominator) * math.sqrt(
        frequency * (1.0 - frequency) / trials + z_squared / (4 * trials * trials)
    )
    return max(0.0, centre - half_width), min(1.0, centre + half_width)


def percent_floor(probability: float) -> int:
    """The whole percent at or below the probability as the user typed it: 0.145 → 14, 0.15 → 15, 0.095 → 9.

    Decided on the decimal the float stands for (its shortest repr, which is what was typed),
    not on the float: 0.29 * 100 is 28.999999999999996 in binary floating point.
    """
    _check_probability(probability)
    scaled = probability * 100
    nearest = round(scaled)
    if abs(scaled - nearest) > 1e-6:  # far from a whole percent: the float cannot be wrong here
        return math.floor(scaled)
    return int((decimal.Decimal(repr(probability)) * 100).to_integral_value(rounding=decimal.ROUND_FLOOR))


def _bin_lowest_percent(index: int, bins: int) -> int:
    return -(-index * 100 // bins)


def bin_index(probability: float, bins: int) -> int:
    """Which of `bins` equal bins holds the forecast: the last whose lower edge (a whole percent) is at or below it.

    Every forecast lies inside its bin's edges, so a bin's mean does too.
    """
    return min(percent_floor(probability) * bins // 100, bins - 1)


@dataclass(frozen=True)
class CalibrationBin:
    """One bin of a calibration table: forecasts from lower (inclusive) to upper (exclusive; the last includes 1)."""

    lower: float
    upper: float
    n: int
    mean_probability: float | None
    observed: float | None
    ci_low: float | None
    ci_high: float | None


def _check_bins(bins: int) -> None:
    if not 1 <= bins <= 100:
        raise ValueError(f"bins must be between 1 and 100, got {bins!r}")


def calibration_bins(pairs: Iterable[tuple[float, bool]], bins: int = 10) -> list[CalibrationBin]:
    """Every bin in order, empty ones too (n = 0, None for the rest), so tables and charts line up."""
    _check_bins(bins)
    counts = [0] * bins
    probability_sums = [0.0] * bins
    happened_counts = [0] * bins
    for probability, happened in pairs:
        index = bin_index(probability, bins)
        counts[index] += 1
        probability_sums[index] += probability
        happened_counts[index] += 1 if happened else 0

    table = []
    for index in range(bins):
        lower = _bin_lowest_percent(index, bins) / 100
        upper = _bin_lowest_percent(index + 1, bins) / 100
        count = counts[index]
        if count == 0:
            table.append(CalibrationBin(lower, upper, 0, None, None, None, None))
            continue
        ci_low, ci_high = wilson_interval(happened_counts[index], count)
        table.append(
            CalibrationBin(
                lower=lower,
                upper=upper,
                n=count,
                mean_probability=probability_sums[index] / count,
                observed=happened_counts[index] / count,
                ci_low=ci_low,
                ci_high=ci_high,
            )
        )
    return table


@dataclass(frozen=True)
class Decomposition:
    """Murphy's split of the mean Brier: brier = reliability - resolution + uncertainty."""

    reliability: float
    resolution: float
    uncertainty: float
    brier: float
    n: int


def murphy_decomposition(pairs: Iterable[tuple[float, bool]], bins: int | None = None) -> Decomposition:
    """Reliability (lower is better), resolution (higher is better), uncertainty (the outcomes' own).

    With bins=None the groups are the distinct forecast values and the identity is exact;
    with whole-percent bins each group's forecast is its mean, and the identity is off by
    the spread of forecasts within bins.
    """
    if bins is not None:
        _check_bins(bins)
    # Keyed by forecast value, or by bin; each holds [count, probability sum, happened count].
    groups: dict[float, list] = {}
    brier_sum = 0.0
    happened_total = 0
    count = 0
    for probability, happened in pairs:
        key = probability if bins is None else bin_index(probability, bins)
        group = groups.setdefault(key, [0, 0.0, 0])
        group[0] += 1
        group[1] += probability
        group[2] += 1 if happened else 0
        brier_sum += brier(probability, happened)
        happened_total += 1 if happened else 0
        count += 1
    if count == 0:
        raise ValueError("a Brier decomposition needs at least one forecast")

    base_rate = happened_total / count
    reliability = 0.0
    resolution = 0.0
    for group_count, probability_sum, group_happened in groups.values():
        mean_probability = probability_sum / group_count
        observed = group_happened / group_count
        reliability += group_count * (mean_probability - observed) ** 2
        resolution += group_count * (observed - base_rate) ** 2
    return Decomposition(
        reliability=reliability / count,
        resolution=resolution / count,
        uncertainty=base_rate * (1.0 - base_rate),
        brier=brier_sum / count,
        n=count,
    )
