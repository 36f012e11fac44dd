"""Scores checked by hand, against scikit-learn and properscoring, and for properness."""

import math
from datetime import date, timedelta

import numpy as np
import properscoring
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, log_loss

from ledger.scoring import (
    LOG_FLOOR,
    ScoreTally,
    base_rate_brier,
    brier,
    brier_skill,
    calibration_bins,
    log_score,
    multicategory_brier,
    multicategory_log_score,
    murphy_decomposition,
    ordered_brier,
    peer_log_scores,
    relative_brier,
    time_averaged_brier,
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


def test_hand_worked_tally():
    tally = ScoreTally()
    for probability, happened in [(0.9, True), (0.6, False), (0.2, False)]:
        tally.add(probability, happened)
    # Briers 0.01, 0.36, 0.04 → mean 0.41 / 3.
    assert tally.n == 3
    assert tally.brier == pytest.approx(0.41 / 3)
    assert tally.log_score == pytest.approx((math.log(0.9) + math.log(0.4) + math.log(0.8)) / 3)
    assert tally.base_rate == pytest.approx(1 / 3)
    assert tally.skill_vs_even == pytest.approx(1 - (0.41 / 3) / 0.25)
    assert tally.skill_vs_base_rate == pytest.approx(1 - (0.41 / 3) / (2 / 9))


def test_empty_tally_and_one_sided_base_rate():
    tally = ScoreTally()
    assert (tally.n, tally.brier, tally.log_score, tally.base_rate) == (0, None, None, None)
    assert tally.skill_vs_even is None and tally.skill_vs_base_rate is None
    tally.add(0.8, True)
    tally.add(0.9, True)
    assert tally.base_rate == 1.0
    assert tally.skill_vs_base_rate is None
    assert tally.skill_vs_even == pytest.approx(1 - ((0.04 + 0.01) / 2) / 0.25)


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
    tally = ScoreTally()
    for p, o in zip(forecast, happened):
        tally.add(float(p), bool(o))
    assert tally.brier == pytest.approx(brier_score_loss(happened, forecast), abs=1e-12)


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


def test_relative_brier_against_median():
    assert relative_brier(0.04, [0.04, 0.16, 0.25]) == pytest.approx(-0.12)
    assert relative_brier(0.25, [0.04, 0.16, 0.25, 0.36]) == pytest.approx(0.25 - 0.205)
    assert relative_brier(0.04, [0.04]) is None
    assert relative_brier(0.04, []) is None


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


# Time-averaged Brier.

OPENED = date(2024, 1, 1)
RESOLVED = date(2024, 1, 31)


def test_same_forecast_scores_the_same_early_or_late():
    early = time_averaged_brier([(OPENED, 0.7)], OPENED, RESOLVED, True)
    late = time_averaged_brier([(RESOLVED, 0.7)], OPENED, RESOLVED, True)
    assert early.brier == pytest.approx(0.09)
    assert late.brier == pytest.approx(0.09)
    assert early.log_score == pytest.approx(math.log(0.7))
    assert late.log_score == pytest.approx(math.log(0.7))
    assert (early.days, early.covered_days, early.coverage) == (30, 30, 1.0)
    assert (late.days, late.covered_days) == (30, 1)
    assert late.coverage == pytest.approx(1 / 30)


def test_carry_forward_weights_by_days_held():
    forecasts = [(date(2024, 1, 21), 0.9), (date(2024, 1, 1), 0.5)]
    result = time_averaged_brier(forecasts, OPENED, RESOLVED, True)
    # 0.5 holds Jan 2..20 (19 days), 0.9 holds Jan 21..31 (11 days).
    assert result.covered_days == 30
    assert result.brier == pytest.approx((19 * 0.25 + 11 * 0.01) / 30)


def test_forecast_before_opening_counts_from_the_first_day():
    result = time_averaged_brier([(date(2023, 12, 1), 0.2)], OPENED, RESOLVED, False)
    assert (result.covered_days, result.coverage) == (30, 1.0)
    assert result.brier == pytest.approx(0.04)


def test_same_day_question_has_one_day():
    result = time_averaged_brier([(OPENED, 0.6)], OPENED, OPENED, True)
    assert (result.days, result.covered_days, result.coverage) == (1, 1, 1.0)
    assert result.brier == pytest.approx(0.16)


def test_no_forecast_gives_no_score():
    result = time_averaged_brier([], OPENED, RESOLVED, True)
    assert (result.brier, result.log_score, result.coverage, result.days) == (None, None, 0.0, 30)


def test_forecast_after_resolution_raises():
    with pytest.raises(ValueError):
        time_averaged_brier([(RESOLVED + timedelta(days=1), 0.5)], OPENED, RESOLVED, True)
    with pytest.raises(ValueError):
        time_averaged_brier([], RESOLVED, OPENED, True)


@few_examples
@given(
    st.lists(st.tuples(st.integers(min_value=-5, max_value=20), probabilities), max_size=6),
    st.integers(min_value=0, max_value=20),
    st.booleans(),
)
def test_time_average_matches_a_day_by_day_loop(offsets, life, happened):
    opened_on = OPENED
    resolved_on = OPENED + timedelta(days=life)
    forecasts = [(opened_on + timedelta(days=offset), p) for offset, p in offsets if offset <= life]
    result = time_averaged_brier(forecasts, opened_on, resolved_on, happened)
    scored_days = [resolved_on] if life == 0 else [opened_on + timedelta(days=k) for k in range(1, life + 1)]
    daily = []
    for day in scored_days:
        standing = [p for stated_on, p in sorted(forecasts, key=lambda f: f[0]) if stated_on <= day]
        if standing:
            daily.append(brier(standing[-1], happened))
    assert result.days == len(scored_days)
    assert result.covered_days == len(daily)
    assert 0.0 <= result.coverage <= 1.0
    if daily:
        assert result.brier == pytest.approx(sum(daily) / len(daily))
    else:
        assert result.brier is None


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
