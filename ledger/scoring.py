"""Proper scores for forecasts: Brier, log, skill, peer, time-averaged, multi-category, calibration (pure)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

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


def relative_brier(own_brier: float, all_briers: Sequence[float]) -> float | None:
    """Own Brier minus the median Brier of everyone on the question (own included): negative is better."""
    if len(all_briers) < 2:
        return None
    return own_brier - statistics.median(all_briers)


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


@dataclass(frozen=True)
class TimeAveraged:
    """One forecaster's daily carry-forward scores on one question, averaged over the days covered."""

    brier: float | None
    log_score: float | None
    coverage: float
    days: int
    covered_days: int


def time_averaged_brier(
    forecasts: Sequence[tuple[date, float]],
    opened_on: date,
    resolved_on: date,
    happened: bool,
) -> TimeAveraged:
    """Carry each forecast forward day by day and average the daily scores over the days covered.

    Day-counting: the question's days are the dates opened_on + 1 … resolved_on (the
    opening date is day 0 and the resolution date is the last day), so there are
    resolved_on - opened_on of them; a question opened and resolved on one date has one
    day, that date. On each day the forecast that counts is the latest one stated on or
    before it; of several stated on one date, the last given wins.
    """
    if resolved_on < opened_on:
        raise ValueError(f"resolved on {resolved_on} before it opened on {opened_on}")
    first_day = min(opened_on.toordinal() + 1, resolved_on.toordinal())
    last_day = resolved_on.toordinal()
    life_days = last_day - first_day + 1

    ordered = sorted(forecasts, key=lambda forecast: forecast[0])
    for stated_on, probability in ordered:
        _check_probability(probability)
        if stated_on > resolved_on:
            raise ValueError(f"a forecast stated on {stated_on} is after the resolution on {resolved_on}")

    covered_days = 0
    brier_sum = 0.0
    log_sum = 0.0
    for position, (stated_on, probability) in enumerate(ordered):
        until = ordered[position + 1][0].toordinal() if position + 1 < len(ordered) else last_day + 1
        days_held = min(until, last_day + 1) - max(stated_on.toordinal(), first_day)
        if days_held <= 0:
            continue
        covered_days += days_held
        brier_sum += days_held * brier(probability, happened)
        log_sum += days_held * log_score(probability, happened)

    if covered_days == 0:
        return TimeAveraged(brier=None, log_score=None, coverage=0.0, days=life_days, covered_days=0)
    # Divide by the days covered, not the question's whole life: dividing by the life
    # would make a late forecast look better the later it came.
    return TimeAveraged(
        brier=brier_sum / covered_days,
        log_score=log_sum / covered_days,
        coverage=covered_days / life_days,
        days=life_days,
        covered_days=covered_days,
    )


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


def whole_percent(probability: float) -> int:
    """The probability as a whole percent, halves rounded up, so bin edges never split a forecast."""
    _check_probability(probability)
    return math.floor(probability * 100 + 0.5)


def _bin_lowest_percent(index: int, bins: int) -> int:
    return -(-index * 100 // bins)


def bin_index(probability: float, bins: int) -> int:
    """Which of `bins` equal-width bins holds the forecast, binned on its whole percent."""
    return min(whole_percent(probability) * bins // 100, bins - 1)


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


class ScoreTally:
    """Running mean Brier, log score and base rate over rows read once, in constant memory."""

    def __init__(self) -> None:
        self._count = 0
        self._happened = 0
        self._brier_sum = 0.0
        self._log_sum = 0.0

    def add(self, probability: float, happened: bool) -> None:
        self._brier_sum += brier(probability, happened)
        self._log_sum += log_score(probability, happened)
        self._happened += 1 if happened else 0
        self._count += 1

    @property
    def n(self) -> int:
        return self._count

    @property
    def brier(self) -> float | None:
        return self._brier_sum / self._count if self._count else None

    @property
    def log_score(self) -> float | None:
        return self._log_sum / self._count if self._count else None

    @property
    def base_rate(self) -> float | None:
        return self._happened / self._count if self._count else None

    @property
    def skill_vs_even(self) -> float | None:
        if not self._count:
            return None
        return brier_skill(self.brier, EVEN_ODDS_BRIER)

    @property
    def skill_vs_base_rate(self) -> float | None:
        """Against always forecasting this tally's own base rate, known only in hindsight."""
        if not self._count:
            return None
        return brier_skill(self.brier, base_rate_brier(self.base_rate))
