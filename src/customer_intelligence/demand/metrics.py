"""Forecast accuracy over a back-test: RMSSE and MASE (errors scaled by the in-sample naive
forecast's, so products of any volume count alike), their revenue-weighted form (M5's WRMSSE at
product level), bias and interval coverage."""

from __future__ import annotations

import numpy as np


def rmsse(actual: np.ndarray, forecast: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Per row: root mean squared error over the horizon columns, divided by the scale."""
    return np.sqrt(np.mean((actual - forecast) ** 2, axis=1)) / scale


def mase(actual: np.ndarray, forecast: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Per row: mean absolute error over the horizon columns, divided by the scale (NaN where
    the scale is 0: a series that never changed)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(scale > 0, np.mean(np.abs(actual - forecast), axis=1) / scale, np.nan)


def finite_mean(values: np.ndarray) -> float:
    """Mean of the finite values (NaN when there are none)."""
    values = values[np.isfinite(values)]
    return float(values.mean()) if values.size else float("nan")


def weighted_mean(values: np.ndarray, weight: np.ndarray) -> float:
    """Weighted mean over finite values; the plain mean when the weights are all 0."""
    keep = np.isfinite(values)
    if not keep.any():
        return float("nan")
    values, weight = values[keep], weight[keep]
    if weight.sum() <= 0:
        return float(values.mean())
    return float(np.sum(values * weight) / weight.sum())


def bias(actual: np.ndarray, forecast: np.ndarray) -> float:
    """(forecast total - actual total) / actual total: > 0 over-forecasts."""
    total = float(np.sum(actual))
    return float((np.sum(forecast) - total) / total) if total > 0 else float("nan")


def coverage(actual: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    """Share of actuals inside [lower, upper]."""
    if actual.size == 0:
        return float("nan")
    return float(np.mean((actual >= lower) & (actual <= upper)))


def quantile(values: np.ndarray, q: float) -> float:
    """Empirical quantile of the finite values (NaN when there are none)."""
    values = values[np.isfinite(values)]
    if values.size == 0:
        return float("nan")
    return float(np.quantile(values, q, method="higher"))
