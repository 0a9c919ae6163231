"""Metrics of the lifecycle evaluation: churn probabilities against outcomes, and predicted
against actual purchases and spend per customer."""

from __future__ import annotations

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from ..channel.calibration import expected_calibration_error

LOWER_IS_BETTER: frozenset[str] = frozenset(
    {"brier", "expected_calibration_error", "mae", "rmse", "max_decile_calibration_error"}
)


def top_decile(score: np.ndarray) -> np.ndarray:
    """Mask of the 10% highest scores (ties broken by position, so exactly ceil(n / 10) rows)."""
    score = np.asarray(score, dtype=float)
    n_top = max(int(np.ceil(len(score) / 10)), 1)
    order = np.lexsort((np.arange(len(score)), -score))
    mask = np.zeros(len(score), dtype=bool)
    mask[order[:n_top]] = True
    return mask


def churn_metrics(probability: np.ndarray, churned: np.ndarray, n_bins: int = 10) -> dict:
    """ROC-AUC, PR-AUC (average precision), Brier, expected calibration error (equal-width bins),
    and lift and capture rate of the top decile by predicted churn probability."""
    probability = np.asarray(probability, dtype=float)
    churned = np.asarray(churned, dtype=int)
    top = top_decile(probability)
    base_rate = churned.mean()
    top_rate = churned[top].mean()
    return {
        "roc_auc": float(roc_auc_score(churned, probability)),
        "pr_auc": float(average_precision_score(churned, probability)),
        "brier": float(brier_score_loss(churned, probability)),
        "expected_calibration_error": expected_calibration_error(probability, churned, n_bins),
        "top_decile_lift": float(top_rate / base_rate) if base_rate > 0 else float("nan"),
        "top_decile_capture_rate": (
            float(churned[top].sum() / churned.sum()) if churned.sum() else float("nan")
        ),
        "customers": float(len(churned)),
        "churn_rate": float(base_rate),
    }


def decile_calibration(predicted: np.ndarray, actual: np.ndarray, min_customers: int) -> float:
    """Largest |mean predicted / mean actual - 1| over deciles of the prediction that hold at
    least `min_customers` customers (NaN when none does). Deciles cut the ranks (ties by
    position)."""
    predicted = np.asarray(predicted, dtype=float)
    actual = np.asarray(actual, dtype=float)
    order = np.lexsort((np.arange(len(predicted)), predicted))
    worst = float("nan")
    for part in np.array_split(order, 10):
        if len(part) < min_customers:
            continue
        mean_actual = actual[part].mean()
        error = (
            abs(predicted[part].mean() / mean_actual - 1)
            if mean_actual > 0
            else float("inf") * (predicted[part].mean() > 0)
        )
        worst = error if np.isnan(worst) else max(worst, error)
    return float(worst)


def value_metrics(predicted: np.ndarray, actual: np.ndarray, min_decile_customers: int) -> dict:
    """MAE, RMSE, Spearman rank correlation and the worst decile calibration error."""
    predicted = np.asarray(predicted, dtype=float)
    actual = np.asarray(actual, dtype=float)
    error = predicted - actual
    rho = spearmanr(predicted, actual).statistic if len(actual) > 2 else float("nan")
    return {
        "mae": float(np.abs(error).mean()),
        "rmse": float(np.sqrt((error**2).mean())),
        "spearman": float(rho),
        "max_decile_calibration_error": decile_calibration(predicted, actual, min_decile_customers),
        "mean_predicted": float(predicted.mean()),
        "mean_actual": float(actual.mean()),
        "customers": float(len(actual)),
    }
