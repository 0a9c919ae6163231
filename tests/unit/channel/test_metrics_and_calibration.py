import numpy as np
import pytest
from sklearn import metrics as skm

from customer_intelligence.channel.calibration import (
    Calibrator,
    expected_calibration_error,
    fit_calibrator,
    reliability_bins,
)
from customer_intelligence.channel.evaluation import classification_metrics


def test_numpy_metrics_match_sklearn():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    probability = np.clip(0.3 * y + rng.random(200) * 0.7, 0, 1).round(2)  # with ties
    ours = classification_metrics(probability, y, 0.5)
    predicted = (probability >= 0.5).astype(int)
    precision, recall, f1, _ = skm.precision_recall_fscore_support(y, predicted, labels=[0, 1])
    expected = {
        "accuracy": skm.accuracy_score(y, predicted),
        "balanced_accuracy": skm.balanced_accuracy_score(y, predicted),
        "precision_horeca": precision[0],
        "recall_horeca": recall[0],
        "f1_horeca": f1[0],
        "precision_retail": precision[1],
        "recall_retail": recall[1],
        "f1_retail": f1[1],
        "roc_auc": skm.roc_auc_score(y, probability),
        "pr_auc": skm.average_precision_score(y, probability),
        "log_loss": skm.log_loss(y, probability),
        "brier": skm.brier_score_loss(y, probability),
    }
    for name, value in expected.items():
        assert ours[name] == pytest.approx(value, abs=1e-9), name


def test_ece_zero_when_calibrated_and_positive_when_not():
    probability = np.repeat([0.05, 0.25, 0.75], 20)
    y = np.concatenate([np.repeat([1, 0], [1, 19]), np.repeat([1, 0], [5, 15]), np.ones(20)])
    # Bins 1 and 3 match (0.05 vs 1/20, 0.25 vs 5/20); bin 8 says 0.75 but all are Retail.
    assert expected_calibration_error(probability, y) == pytest.approx(0.25 * 20 / 60)
    bins = reliability_bins(probability, y)
    assert len(bins) == 10 and bins["prediction_count"].sum() == 60
    assert np.isnan(bins.loc[1, "mean_predicted_probability"])


@pytest.mark.parametrize("method", ["isotonic", "sigmoid"])
def test_calibrator_is_monotone_and_round_trips(method):
    rng = np.random.default_rng(1)
    probability = rng.random(300)
    y = (rng.random(300) < probability**2).astype(int)  # over-confident scores
    calibrator = fit_calibrator(probability, y, method)
    grid = np.linspace(0, 1, 101)
    calibrated = calibrator.apply(grid)
    assert np.all(np.diff(calibrated) >= -1e-12)
    assert calibrated.min() >= 0 and calibrated.max() <= 1
    assert expected_calibration_error(calibrator.apply(probability), y) < (
        expected_calibration_error(probability, y)
    )
    again = Calibrator.from_dict(calibrator.to_dict())
    np.testing.assert_array_equal(again.apply(grid), calibrated)
