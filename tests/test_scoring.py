"""Scores checked by hand, against scikit-learn and properscoring, and for properness."""

import math

import numpy as np
import properscoring
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, log_loss

from ledger.scoring import (
    LOG_FLOOR,
    base_rate_brier,
    baseline_score,
    bin_index,
    percent_floor,
    brier,
    brier_skill,
    calibration_bins,
    log_score,
    multicategory_brier,
    multicategory_log_score,
    murphy_decomposition,
    ordered_brier,
    peer_log_scores,
    window_scores,
    wilson_interval,
)

probabilities = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
few_examples = settings(max_examples=60, deadline=None)


def random_forecasts(seed, count=500, low=0.0, high=1.0):
    rng = np.random.default_rng(seed)
    forecast = rng.uniform(low, high, count)
    happened = rng.uniform(0, 1, count) < forecast
    return forecast, happened


# Hand-worked: three forecasts, numbers written out.


def test_hand_worked_binary_scores():
    assert brier(0.7, True) == pytest.approx(0.09)
    assert brier(0.7, False) == pytest.approx(0.49)
    assert brier(0.0, True) == 1.0
    assert brier(1.0, True) == 0.0
    assert log_score(0.7, True) == pytest.approx(math.log(0.7))
    assert log_score(0.7, False) == pytest.approx(math.log(0.3))
    assert log_score(1.0, True) == 0.0 + math.log(1 - LOG_FLOOR)


def test_log_floor_bounds_a_confident_miss():
    assert log_score(0.0, True) == pytest.approx(math.log(0.001))
    assert log_score(1.0, False) == pytest.approx(-6.9077552789821)
    assert log_score(0.0005, True) == log_score(0.0, True)


def test_brier_is_not_clipped():
    assert brier(0.0005, True) == pytest.approx(0.9995**2)


def test_probability_out_of_range_raises():
    with pytest.raises(ValueError):
        brier(1.2, True)
    with pytest.raises(ValueError):
        log_score(-0.1, False)


def test_skill_and_references():
    assert brier_skill(0.125, 0.25) == pytest.approx(0.5)
    assert brier_skill(0.3, 0.0) is None
    assert base_rate_brier(0.5) == 0.25
    assert base_rate_brier(0.2) == pytest.approx(0.16)


@few_examples
@given(st.floats(min_value=0.0, max_value=1.0), st.integers(min_value=1, max_value=400))
def test_base_rate_brier_is_the_mean_brier_of_forecasting_the_base_rate(base_rate, count):
    happened_count = round(base_rate * count)
    rate = happened_count / count
    outcomes = [True] * happened_count + [False] * (count - happened_count)
    mean = sum(brier(rate, outcome) for outcome in outcomes) / count
    assert mean == pytest.approx(base_rate_brier(rate), abs=1e-12)


# Against scikit-learn and properscoring on random data.


@pytest.mark.parametrize("seed", range(5))
def test_brier_matches_sklearn_and_properscoring(seed):
    forecast, happened = random_forecasts(seed)
    ours = [brier(float(p), bool(o)) for p, o in zip(forecast, happened)]
    assert np.mean(ours) == pytest.approx(brier_score_loss(happened, forecast), abs=1e-12)
    assert np.allclose(ours, properscoring.brier_score(happened.astype(float), forecast), atol=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_log_score_matches_sklearn_inside_the_floor(seed):
    forecast, happened = random_forecasts(seed, low=LOG_FLOOR, high=1 - LOG_FLOOR)
    ours = np.mean([log_score(float(p), bool(o)) for p, o in zip(forecast, happened)])
    assert ours == pytest.approx(-log_loss(happened, forecast, labels=[False, True]), abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_calibration_matches_sklearn_away_from_edges(seed):
    rng = np.random.default_rng(seed)
    # Whole percents with units digit 1..8 sit inside sklearn's float bins too.
    percents = rng.integers(0, 10, 400) * 10 + rng.integers(1, 9, 400)
    forecast = percents / 100
    happened = rng.uniform(0, 1, 400) < forecast
    prob_true, prob_pred = calibration_curve(happened, forecast, n_bins=10, strategy="uniform")
    table = [row for row in calibration_bins(zip(forecast.tolist(), happened.tolist())) if row.n]
    assert np.allclose([row.observed for row in table], prob_true, atol=1e-12)
    assert np.allclose([row.mean_probability for row in table], prob_pred, atol=1e-12)


# Properness: reporting your belief is never worse in expectation.


def expected(score, belief, report):
    return belief * score(report, True) + (1 - belief) * score(report, False)


@few_examples
@given(probabilities, probabilities)
def test_brier_is_proper(belief, report):
    assert expected(brier, belief, belief) <= expected(brier, belief, report) + 1e-12


@few_examples
@given(probabilities, probabilities)
def test_log_score_is_proper(belief, report):
    assert expected(log_score, belief, belief) >= expected(log_score, belief, report) - 1e-12


# Relative and peer scores.


def test_peer_scores_hand_worked():
    scores = peer_log_scores([0.8, 0.2])
    # n/(n-1) = 2; mean ln = (ln .8 + ln .2)/2; ln .8 - mean = ln(.8/.2)/2 = ln 2.
    assert scores[0] == pytest.approx(200 * math.log(2))
    assert scores[1] == pytest.approx(-200 * math.log(2))


def test_peer_scores_need_two_forecasters():
    assert peer_log_scores([0.7]) == [None]
    assert peer_log_scores([]) == []


@few_examples
@given(st.lists(probabilities, min_size=2, max_size=30))
def test_peer_scores_sum_to_zero(given_to_outcome):
    assert abs(sum(peer_log_scores(given_to_outcome))) < 1e-7


# Baseline score (Metaculus: 100·log₂(2p) for yes/no, 100·ln(K p)/ln K for K outcomes).


def test_baseline_score_values_match_metaculus_table():
    # The Metaculus scores FAQ: 80 % scores +68 if it happens and -132 if not; 99 % +99 / -564.
    assert baseline_score(0.8) == pytest.approx(100 * math.log2(1.6))
    assert round(baseline_score(0.8)) == 68 and round(baseline_score(0.2)) == -132
    assert round(baseline_score(0.99)) == 99 and round(baseline_score(0.01)) == -564
    assert baseline_score(0.5) == 0.0
    assert baseline_score(0.0) == pytest.approx(100 * math.log2(2 * LOG_FLOOR))  # clipped: -897
    assert baseline_score(0.25, categories=4) == pytest.approx(0.0)
    assert baseline_score(1.0, categories=4) == pytest.approx(100 * math.log(4 * (1 - LOG_FLOOR)) / math.log(4))


# Scores time-averaged over the window, checked against a day-by-day loop written out plainly.


def day_by_day(histories, opened, ends, closes, chance=0.25):
    """The rules of docs/scoring.md applied one day at a time: slow, obvious, independent of the sweep."""
    window = closes - opened

    def standing(history, day):
        spoken = [forecast for forecast in history if forecast[0] <= day]
        return spoken[-1] if spoken else None

    results = []
    for own_index, history in enumerate(histories):
        brier_sum = baseline_sum = peer_sum = covered = 0.0
        for day in range(opened, closes):
            if day >= ends:
                brier_sum += chance  # after an early resolution: even odds, baseline and peer 0
                continue
            own = standing(history, day)
            others = [standing(other, day) for index, other in enumerate(histories) if index != own_index]
            others = [other for other in others if other is not None]
            if own is None:  # before one's first forecast: the others' median Brier (GJO), or chance
                brier_sum += float(np.median([other[2] for other in others])) if others else chance
                continue
            covered += 1
            brier_sum += own[2]
            baseline_sum += 100 * math.log2(2 * min(max(own[1], LOG_FLOOR), 1 - LOG_FLOOR))
            if others:
                clipped = [min(max(p, LOG_FLOOR), 1 - LOG_FLOOR) for _, p, _ in [own] + others]
                peer_sum += 100 * (math.log(clipped[0]) - sum(map(math.log, clipped[1:])) / len(others))
        results.append((brier_sum / window, baseline_sum / window, peer_sum / window, covered / window))
    return results


histories_strategy = st.lists(
    st.lists(st.tuples(st.integers(min_value=0, max_value=12), probabilities), min_size=1, max_size=4),
    min_size=1, max_size=5,
)


@few_examples
@given(histories_strategy, st.integers(min_value=1, max_value=20), st.integers(min_value=0, max_value=20), st.booleans())
def test_window_scores_match_a_day_by_day_loop(raw, ends_after, closes_after, happened):
    opened = min(day for history in raw for day, _ in history)
    ends = max(day for history in raw for day, _ in history) + ends_after
    closes = ends + closes_after
    histories = [
        [(day, p if happened else 1 - p, (p - happened) ** 2) for day, p in sorted(history, key=lambda f: f[0])]
        for history in raw
    ]
    results = window_scores(histories, opened=opened, ends=ends, closes=closes)
    for result, expected in zip(results, day_by_day(histories, opened, ends, closes)):
        assert (result.brier, result.baseline, result.peer, result.coverage) == pytest.approx(expected, abs=1e-9)
        assert result.days == closes - opened
        assert 0.0 <= result.coverage <= 1.0
    assert abs(sum(result.peer for result in results)) < 1e-6  # peer scores sum to zero, day by day


def test_window_scores_hand_worked():
    # A 10-day window; Ann 80 % from day 0, Ben 40 % from day 5; it happens; forecasting ends on day 8.
    ann, ben = window_scores([[(0, 0.8, 0.04)], [(5, 0.4, 0.36)]], opened=0, ends=8, closes=10)
    # Ann: 8 days at 0.04, 2 truncated days at 0.25. Ben: days 0–4 take Ann's 0.04 (the others' median).
    assert ann.brier == pytest.approx((8 * 0.04 + 2 * 0.25) / 10)
    assert ben.brier == pytest.approx((5 * 0.04 + 3 * 0.36 + 2 * 0.25) / 10)
    assert ann.baseline == pytest.approx(8 * 100 * math.log2(1.6) / 10)
    assert ann.peer == pytest.approx(3 * 100 * math.log(0.8 / 0.4) / 10) == -ben.peer
    assert (ann.coverage, ben.coverage) == (0.8, 0.3)
    assert ann.compared and ben.compared


def test_the_same_day_twice_keeps_the_later_forecast():
    (only,) = window_scores([[(0, 0.9, 0.01), (0, 0.6, 0.16)]], opened=0, ends=4, closes=4)
    assert only.brier == pytest.approx(0.16) and not only.compared


def test_window_scores_refuse_what_cannot_be_scored():
    with pytest.raises(ValueError):
        window_scores([[(0, 0.5, 0.25)]], opened=0, ends=1, closes=0)
    with pytest.raises(ValueError):
        window_scores([[(3, 0.5, 0.25)]], opened=0, ends=3, closes=5)  # stated on the event's date
    with pytest.raises(ValueError):
        window_scores([[(2, 0.5, 0.25), (1, 0.5, 0.25)]], opened=0, ends=3, closes=5)


def test_window_scores_cost_nothing_per_day():
    # A hundred-year window and one forecast: as fast as a one-day one (the sweep never walks days).
    (one,) = window_scores([[(0, 0.7, 0.09)]], opened=0, ends=36_500, closes=36_500)
    assert one.brier == pytest.approx(0.09) and one.coverage == 1.0


# Early resolution: the worked example of issue 15 (defect 2), by expectation over the outcomes.

# The event happens on day 1 with probability 0.3, on day 2 with probability 0.2, else not by the deadline.
EARLY, LATE = 0.3, 0.2


def expected_brier(first_day, second_day, score):
    """Expected score of saying `first_day` on day 1 and `second_day` on day 2 (if still open)."""
    return (EARLY * score([(1, first_day)], True, ends=2)
            + LATE * score([(1, first_day), (2, second_day)], True, ends=3)
            + (1 - EARLY - LATE) * score([(1, first_day), (2, second_day)], False, ends=3))


def old_rule(forecasts, happened, ends):
    """The rule before issue 15: days opened+1 … resolution, divided by the days covered."""
    resolved = ends - 1
    days = range(2, resolved + 1) if resolved > 1 else [1]
    daily = [brier([p for stated, p in forecasts if stated <= day][-1], happened) for day in days]
    return sum(daily) / len(daily)


def window_rule(forecasts, happened, ends):
    history = [(day, p if happened else 1 - p, brier(p, happened)) for day, p in forecasts]
    return window_scores([history], opened=1, ends=ends, closes=3)[0].brier


HONEST = (EARLY + LATE, LATE / (1 - EARLY))  # 50 % on day 1, then 2/7 once day 1 passed quietly
GAMING = (1.0, LATE / (1 - EARLY))  # say 100 %, lower it if nothing happened


def test_early_resolution_rewarded_gaming_under_the_old_rule():
    assert expected_brier(*GAMING, old_rule) == pytest.approx(0.143, abs=5e-4)
    assert expected_brier(*HONEST, old_rule) == pytest.approx(0.218, abs=5e-4)


def test_over_the_scheduled_window_the_honest_forecast_wins():
    assert expected_brier(*HONEST, window_rule) < expected_brier(*GAMING, window_rule)
    # And no other day-1 forecast does better than the honest one.
    best = min((expected_brier(p / 100, HONEST[1], window_rule), p) for p in range(101))
    assert best[1] == 50


@few_examples
@given(st.floats(min_value=0.01, max_value=0.6), st.floats(min_value=0.01, max_value=0.39), probabilities)
def test_the_window_rule_is_proper_under_early_resolution(early, late, report):
    honest_first = early + late
    honest_second = late / (1 - early)

    def expected(first):
        happened_early = window_rule([(1, first)], True, ends=2)
        happened_late = window_rule([(1, first), (2, honest_second)], True, ends=3)
        never = window_rule([(1, first), (2, honest_second)], False, ends=3)
        return early * happened_early + late * happened_late + (1 - early - late) * never

    assert expected(honest_first) <= expected(report) + 1e-12


# Multi-category and ordered.


def test_multicategory_hand_worked():
    assert multicategory_brier([0.5, 0.3, 0.2], 0) == pytest.approx(0.25 + 0.09 + 0.04)
    assert multicategory_brier([0.0, 1.0], 0) == 2.0
    assert multicategory_brier([1.0, 0.0, 0.0], 0) == 0.0
    assert multicategory_log_score([0.5, 0.3, 0.2], 2) == pytest.approx(math.log(0.2))
    assert multicategory_log_score([1.0, 0.0], 1) == pytest.approx(math.log(LOG_FLOOR))


@few_examples
@given(probabilities, st.booleans())
def test_two_categories_agree_with_binary(probability, happened):
    pair = [1 - probability, probability]
    outcome = 1 if happened else 0
    assert multicategory_brier(pair, outcome) == pytest.approx(2 * brier(probability, happened), abs=1e-12)
    assert ordered_brier(pair[::-1], 1 - outcome) == pytest.approx(brier(probability, happened), abs=1e-12)
    assert multicategory_log_score(pair, outcome) == pytest.approx(log_score(probability, happened))


def test_ordered_brier_worked_example():
    # Splits: ≤0 gets 0.1, ≤1 gets 0.3, ≤2 gets 0.6; all happened (outcome bin 0).
    # (0.9² + 0.7² + 0.4²) / 3 = (0.81 + 0.49 + 0.16) / 3 = 1.46 / 3.
    assert ordered_brier([0.1, 0.2, 0.3, 0.4], 0) == pytest.approx(1.46 / 3)
    # Outcome bin 3: none happened; (0.1² + 0.3² + 0.6²) / 3 = 0.46 / 3.
    assert ordered_brier([0.1, 0.2, 0.3, 0.4], 3) == pytest.approx(0.46 / 3)


def test_ordered_brier_rewards_nearby_bins():
    near_miss = ordered_brier([0.0, 1.0, 0.0, 0.0], 0)
    far_miss = ordered_brier([0.0, 0.0, 0.0, 1.0], 0)
    assert near_miss < far_miss
    assert multicategory_brier([0.0, 1.0, 0.0, 0.0], 0) == multicategory_brier([0.0, 0.0, 0.0, 1.0], 0)


def test_bad_distributions_raise():
    with pytest.raises(ValueError):
        multicategory_brier([0.5, 0.6], 0)
    with pytest.raises(ValueError):
        ordered_brier([0.5, 0.5], 2)
    with pytest.raises(ValueError):
        multicategory_log_score([1.0], 0)


# Calibration.


def test_wilson_known_value():
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-4)
    assert high == pytest.approx(0.9433, abs=1e-4)


def test_fifteen_and_thirty_five_percent_land_in_bins():
    table = calibration_bins([(0.15, True), (0.35, False), (1.0, True), (0.0, False), (0.1, True)])
    assert sum(row.n for row in table) == 5
    counts = {row.lower: row.n for row in table}
    assert counts[0.1] == 2 and counts[0.3] == 1 and counts[0.9] == 1 and counts[0.0] == 1


def test_calibration_table_shape():
    table = calibration_bins([(0.8, True), (0.8, True), (0.82, False)], bins=10)
    assert [(row.lower, row.upper) for row in table][:2] == [(0.0, 0.1), (0.1, 0.2)]
    assert table[-1].upper == 1.0
    empty = table[0]
    assert (empty.n, empty.mean_probability, empty.observed, empty.ci_low, empty.ci_high) == (0, None, None, None, None)
    eighty = table[8]
    assert eighty.n == 3
    assert eighty.mean_probability == pytest.approx((0.8 + 0.8 + 0.82) / 3)
    assert eighty.observed == pytest.approx(2 / 3)
    assert (eighty.ci_low, eighty.ci_high) == pytest.approx(wilson_interval(2, 3))


def test_uneven_bin_counts_use_whole_percent_edges():
    table = calibration_bins([(0.33, True), (0.34, True), (0.67, False), (1.0, True)], bins=3)
    assert [(row.lower, row.upper, row.n) for row in table] == [(0.0, 0.34, 1), (0.34, 0.67, 1), (0.67, 1.0, 2)]
    with pytest.raises(ValueError):
        calibration_bins([], bins=0)
    with pytest.raises(ValueError):
        calibration_bins([], bins=101)


@few_examples
@given(st.lists(st.tuples(probabilities, st.booleans()), max_size=40), st.integers(min_value=1, max_value=100))
def test_every_forecast_lands_in_exactly_one_bin(pairs, bins):
    table = calibration_bins(pairs, bins=bins)
    assert len(table) == bins
    assert sum(row.n for row in table) == len(pairs)


# Murphy decomposition.


def test_decomposition_hand_worked():
    pairs = [(0.8, True), (0.8, False), (0.2, False), (0.2, False)]
    result = murphy_decomposition(pairs)
    # Groups: 0.8 observed 0.5, 0.2 observed 0; base rate 0.25.
    assert result.reliability == pytest.approx((2 * 0.09 + 2 * 0.04) / 4)
    assert result.resolution == pytest.approx((2 * 0.0625 + 2 * 0.0625) / 4)
    assert result.uncertainty == pytest.approx(0.1875)
    assert result.brier == pytest.approx((0.04 + 0.64 + 0.04 + 0.04) / 4)
    assert result.n == 4


discrete_probabilities = st.sampled_from([0.0, 0.05, 0.1, 0.15, 0.3, 0.35, 0.5, 0.7, 0.85, 0.9, 1.0])


@few_examples
@given(st.lists(st.tuples(st.one_of(discrete_probabilities, probabilities), st.booleans()), min_size=1, max_size=60))
def test_decomposition_identity_on_distinct_values(pairs):
    result = murphy_decomposition(pairs)
    assert result.reliability - result.resolution + result.uncertainty == pytest.approx(result.brier, abs=1e-12)


def test_decomposition_with_bins_keeps_the_true_brier():
    forecast, happened = random_forecasts(7, count=300)
    pairs = list(zip(forecast.tolist(), happened.tolist()))
    result = murphy_decomposition(pairs, bins=10)
    assert result.brier == pytest.approx(brier_score_loss(happened, forecast), abs=1e-12)
    assert result.n == 300
    with pytest.raises(ValueError):
        murphy_decomposition([])


# Bins decided on the decimal the user typed (defect 9).


def test_bins_follow_the_typed_decimal_not_the_binary_float():
    # 0.145 * 100 and 0.29 * 100 are 14.499999999999998 and 28.999999999999996 in binary floats.
    assert [percent_floor(p) for p in (0.145, 0.29, 0.095, 0.15, 0.35, 0.57, 1.0, 0.0)] == [14, 29, 9, 15, 35, 57, 100, 0]
    assert bin_index(0.095, 10) == 0  # below 10 %: the 0–10 % bin, not 10–20 % as rounding put it
    assert bin_index(0.145, 100) == 14 and bin_index(0.29, 100) == 29 and bin_index(0.57, 100) == 57
    table = calibration_bins([(0.095, False), (0.145, True)], bins=10)
    assert (table[0].n, table[1].n) == (1, 1)


@few_examples
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=1000), st.booleans()), min_size=1, max_size=40),
       st.integers(min_value=1, max_value=100))
def test_a_bins_mean_lies_within_its_edges(typed, bins):
    pairs = [(thousandths / 1000, happened) for thousandths, happened in typed]  # three decimals, as typed
    for row in calibration_bins(pairs, bins=bins):
        if row.n:
            assert row.lower - 1e-12 <= row.mean_probability
            assert row.mean_probability < row.upper or (row.upper == 1.0 and row.mean_probability <= 1.0 + 1e-12)
