"""ROC curves of the channel classifier: per-fold curves, fold averaging, and the stored table."""

import numpy as np
import pytest
from sklearn import metrics as skm

from customer_intelligence.channel import metrics_table, roc_table
from customer_intelligence.channel.config import CANDIDATES, ChannelConfig
from customer_intelligence.channel.evaluation import repeated_folds, roc_auc
from customer_intelligence.channel.roc import (
    ROC_POINTS,
    fold_averaged_roc,
    roc_curve_points,
    true_positive_rate_at,
)

GRID = np.arange(ROC_POINTS) / (ROC_POINTS - 1)


def _labels(n: int = 400, seed: int = 3) -> np.ndarray:
    return np.random.default_rng(seed).permutation(np.repeat([0, 1], [n * 2 // 3, n - n * 2 // 3]))


def _curve(probability: np.ndarray, y: np.ndarray, repeats: int = 3) -> dict:
    folds = repeated_folds(y, ChannelConfig(cv_repeats=repeats))
    return fold_averaged_roc(np.tile(probability, (repeats, 1)), y, folds)


def test_curve_points_match_sklearn_and_their_area_is_the_auc():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    probability = np.clip(0.3 * y + rng.random(200) * 0.7, 0, 1).round(1)  # many ties
    fpr, tpr = roc_curve_points(probability, y)
    expected_fpr, expected_tpr, _ = skm.roc_curve(y, probability, drop_intermediate=False)
    np.testing.assert_allclose(fpr, expected_fpr)
    np.testing.assert_allclose(tpr, expected_tpr)
    assert np.trapezoid(tpr, fpr) == pytest.approx(roc_auc(probability, y), abs=1e-12)


def test_reading_at_fixed_rates_interpolates_and_takes_the_top_of_a_rise():
    fpr = np.array([0.0, 0.0, 0.5, 0.5, 1.0])
    tpr = np.array([0.0, 0.4, 0.6, 0.9, 1.0])
    read = true_positive_rate_at(np.array([0.0, 0.25, 0.5, 0.75, 1.0]), fpr, tpr)
    np.testing.assert_allclose(read, [0.4, 0.5, 0.9, 0.95, 1.0])


def test_perfect_scorer_has_auc_one_and_a_curve_at_the_top():
    y = _labels()
    curve = _curve(y.astype(float), y)
    assert curve["auc_mean"] == 1.0 and curve["auc_std"] == 0.0
    np.testing.assert_array_equal(curve["true_positive_rate_mean"], np.ones(ROC_POINTS))
    np.testing.assert_array_equal(curve["true_positive_rate_std"], np.zeros(ROC_POINTS))


def test_random_scorer_has_auc_about_one_half_and_a_curve_near_the_diagonal():
    y = _labels()
    probability = np.random.default_rng(11).random(len(y))
    curve = _curve(probability, y, repeats=10)
    assert curve["auc_mean"] == pytest.approx(0.5, abs=0.05)
    assert curve["evaluation_count"] == 50
    np.testing.assert_allclose(curve["true_positive_rate_mean"], GRID, atol=0.1)


def test_rates_are_on_the_grid_monotone_and_bounded():
    y = _labels()
    probability = np.clip(0.25 * y + np.random.default_rng(5).random(len(y)), 0, 1).round(2)
    curve = _curve(probability, y)
    np.testing.assert_array_equal(curve["false_positive_rate"], GRID)
    mean = np.asarray(curve["true_positive_rate_mean"])
    assert np.all(np.diff(mean) >= 0) and mean[-1] == 1.0
    assert mean.min() >= 0 and np.all(np.asarray(curve["true_positive_rate_std"]) >= 0)
    # The area under the mean curve is the mean area, up to reading the curves on the grid.
    assert np.trapezoid(mean, GRID) == pytest.approx(curve["auc_mean"], abs=0.01)


def test_stored_roc_table_matches_the_reported_auc(trained):
    table = roc_table(trained.registry)
    key = ["candidate", "model_stage", "false_positive_rate"]
    assert not table.duplicated(key).any()
    curves = table.groupby(["candidate", "model_stage"])
    assert curves.size().eq(ROC_POINTS).all()
    assert set(curves.groups) == {(c, "uncalibrated") for c in CANDIDATES} | {
        (trained.selected_candidate, "calibrated")
    }
    assert (table["is_selected"] == (table["candidate"] == trained.selected_candidate)).all()
    for _, curve in curves:
        assert np.all(np.diff(curve["true_positive_rate_mean"].to_numpy()) >= 0)
    rates = table[["false_positive_rate", "true_positive_rate_mean", "true_positive_rate_std"]]
    assert rates.ge(0).all().all() and rates.le(1).all().all()
    reported = metrics_table(trained.registry).query("metric == 'roc_auc'")
    joined = table.merge(reported, on=["candidate", "model_stage"], validate="many_to_one")
    assert len(joined) == len(table)
    np.testing.assert_allclose(joined["auc_mean"], joined["metric_mean"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(joined["auc_std"], joined["metric_std"], rtol=0, atol=1e-12)
    assert (joined["evaluation_count_x"] == joined["evaluation_count_y"]).all()
    assert table["model_version"].eq(trained.registry.loc[0, "model_version"]).all()
