"""Probability calibration (isotonic or sigmoid), expected calibration error, reliability bins.

A calibrator maps a model's Retail probability to a calibrated one. It is fitted on out-of-fold
probabilities only (see `training`), and stored as plain numbers (isotonic knots, sigmoid a and b)
so the artefact needs no pickle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

_EPS = 1e-6


def _logit(probability: np.ndarray) -> np.ndarray:
    clipped = np.clip(probability, _EPS, 1 - _EPS)
    return np.log(clipped / (1 - clipped))


@dataclass(frozen=True)
class Calibrator:
    """Monotone map from an uncalibrated to a calibrated Retail probability.

    method 'isotonic': piecewise-linear through `knots_x` -> `knots_y` (clamped at the ends),
    'sigmoid': 1 / (1 + exp(-(a * logit(p) + b))), 'none': identity.
    """

    method: str
    knots_x: tuple[float, ...] = field(default=())
    knots_y: tuple[float, ...] = field(default=())
    a: float = 1.0
    b: float = 0.0

    def apply(self, probability: np.ndarray) -> np.ndarray:
        probability = np.asarray(probability, dtype=np.float64)
        if self.method == "isotonic":
            return np.interp(probability, self.knots_x, self.knots_y)
        if self.method == "sigmoid":
            return 1.0 / (1.0 + np.exp(-(self.a * _logit(probability) + self.b)))
        return probability

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "knots_x": list(self.knots_x),
            "knots_y": list(self.knots_y),
            "a": self.a,
            "b": self.b,
        }

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Calibrator:
        return cls(
            method=values["method"],
            knots_x=tuple(values["knots_x"]),
            knots_y=tuple(values["knots_y"]),
            a=float(values["a"]),
            b=float(values["b"]),
        )


def fit_calibrator(probability: np.ndarray, y: np.ndarray, method: str) -> Calibrator:
    """Fit a calibrator on (out-of-fold) probabilities and 0/1 labels (1 = Retail)."""
    probability = np.asarray(probability, dtype=np.float64)
    if method == "isotonic":
        iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(probability, y)
        return Calibrator(
            method, tuple(map(float, iso.X_thresholds_)), tuple(map(float, iso.y_thresholds_))
        )
    if method == "sigmoid":
        platt = LogisticRegression(C=1e4, max_iter=1000).fit(_logit(probability)[:, None], y)
        return Calibrator(method, a=float(platt.coef_[0, 0]), b=float(platt.intercept_[0]))
    if method == "none":
        return Calibrator("none")
    raise ValueError(f"unknown calibration method {method!r}")


def _bin_index(probability: np.ndarray, n_bins: int) -> np.ndarray:
    return np.minimum((np.asarray(probability) * n_bins).astype(np.int64), n_bins - 1)


def expected_calibration_error(probability: np.ndarray, y: np.ndarray, n_bins: int = 10) -> float:
    """ECE over equal-width bins: sum over bins of (share of rows) * |mean predicted - observed|."""
    probability = np.asarray(probability, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    bins = _bin_index(probability, n_bins)
    predicted = np.bincount(bins, weights=probability, minlength=n_bins)
    observed = np.bincount(bins, weights=y, minlength=n_bins)
    return float(np.abs(predicted - observed).sum() / len(probability))


def reliability_bins(probability: np.ndarray, y: np.ndarray, n_bins: int = 10) -> pd.DataFrame:
    """One row per equal-width probability bin: bounds, count, mean predicted, observed Retail rate.

    Empty bins are kept (count 0, null means) so every curve has the same x grid.
    """
    probability = np.asarray(probability, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    bins = _bin_index(probability, n_bins)
    counts = np.bincount(bins, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        predicted = np.bincount(bins, weights=probability, minlength=n_bins) / counts
        observed = np.bincount(bins, weights=y, minlength=n_bins) / counts
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    return pd.DataFrame(
        {
            "bin_index": np.arange(1, n_bins + 1, dtype=np.int64),
            "bin_lower": edges[:-1],
            "bin_upper": edges[1:],
            "prediction_count": counts.astype(np.int64),
            "mean_predicted_probability": np.where(counts > 0, predicted, np.nan),
            "observed_retail_rate": np.where(counts > 0, observed, np.nan),
        }
    )
