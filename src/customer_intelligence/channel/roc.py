"""ROC curves of cross-validated predictions, averaged over the outer test folds.

Positive class: Retail (y = 1). The true positive rate is the share of Retail accounts called
Retail, the false positive rate the share of HORECA accounts called Retail, as the threshold on the
Retail probability falls from 1 to 0.

Method (vertical averaging, Fawcett 2006): one ROC curve per outer test fold, its true positive rate
read at `ROC_POINTS` fixed false positive rates 0, 0.01, ..., 1, then the mean and sample standard
deviation over the folds at each rate. Per fold, not pooled over a repeat's folds, because the
calibrated predictions of different folds come from different calibrators (each learnt on its own
training fold), so pooling would rank scores that were never on one scale; and because the
reported `roc_auc` metric is a per-fold figure: `auc_mean` here is the mean of the same per-fold
values (`evaluation.roc_auc`), so it equals that metric exactly.

Within one fold the curve joins the points of the distinct thresholds by straight lines (a run of
tied scores is one diagonal segment, whose area is the Mann-Whitney AUC with average ranks); at a
fixed rate where the curve rises vertically, the top of the rise is read (at rate 0: the share of
Retail accounts scored above every HORECA account of the fold).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .evaluation import Fold, roc_auc

ROC_POINTS = 101  # fixed false positive rates 0, 0.01, ..., 1


def roc_curve_points(probability: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(false positive rates, true positive rates) at each distinct threshold of one evaluation
    set, from (0, 0) to (1, 1), both non-decreasing. Both classes must be present."""
    probability = np.asarray(probability, dtype=np.float64)
    y = np.asarray(y, dtype=np.int64)
    order = np.argsort(-probability, kind="stable")
    ordered_probability, ordered_y = probability[order], y[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(ordered_probability)), len(y) - 1]
    true_positives = np.cumsum(ordered_y)[last_of_tie]
    false_positives = last_of_tie + 1 - true_positives
    positives = int(y.sum())
    negatives = len(y) - positives
    return (
        np.r_[0.0, false_positives / negatives],
        np.r_[0.0, true_positives / positives],
    )


def true_positive_rate_at(
    grid: np.ndarray, false_positive_rate: np.ndarray, true_positive_rate: np.ndarray
) -> np.ndarray:
    """The curve's true positive rate at each false positive rate of `grid` (linear between the
    points; the top of a vertical rise at the rate where it happens)."""
    after = np.searchsorted(false_positive_rate, grid, side="right")  # first point beyond
    before = after - 1  # last point at or below: the top of a rise at that rate
    inside = after < len(false_positive_rate)
    value = true_positive_rate[before].astype(np.float64)
    low, high = before[inside], after[inside]
    share = (grid[inside] - false_positive_rate[low]) / (
        false_positive_rate[high] - false_positive_rate[low]
    )
    value[inside] = true_positive_rate[low] + share * (
        true_positive_rate[high] - true_positive_rate[low]
    )
    return value


def fold_averaged_roc(
    probability: np.ndarray, y: np.ndarray, folds: Sequence[Fold], points: int = ROC_POINTS
) -> dict[str, object]:
    """The fold-averaged ROC curve of out-of-fold predictions `probability` (repeats, n_labelled)
    over the outer test folds `folds` of `evaluation.repeated_folds`.

    Returns one curve as a mapping of lists (`points` values each: false_positive_rate,
    true_positive_rate_mean, true_positive_rate_std) and scalars (auc_mean, auc_std over the
    folds, evaluation_count = folds).
    """
    grid = np.arange(points) / (points - 1)
    rates = np.zeros((len(folds), points))
    areas = np.zeros(len(folds))
    for index, (repeat, _, test) in enumerate(folds):
        fold_probability, fold_y = probability[repeat, test], y[test]
        rates[index] = true_positive_rate_at(grid, *roc_curve_points(fold_probability, fold_y))
        areas[index] = roc_auc(fold_probability, fold_y)
    several = len(folds) > 1
    return {
        "false_positive_rate": grid.tolist(),
        "true_positive_rate_mean": rates.mean(axis=0).tolist(),
        "true_positive_rate_std": rates.std(axis=0, ddof=1).tolist() if several else None,
        "auc_mean": float(areas.mean()),
        "auc_std": float(areas.std(ddof=1)) if several else None,
        "evaluation_count": len(folds),
    }
