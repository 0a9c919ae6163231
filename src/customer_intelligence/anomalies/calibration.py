"""Calibrated tail scores: -log10 of the probability of a value at least as extreme.

Below a high threshold (the top `tail_share` of values) the probability is the share of values
at least as extreme; above it a generalized Pareto tail fitted to the excesses
(probability-weighted moments, shape clipped to [0, MAX_SHAPE]) extrapolates, so a value far
beyond every usual one scores beyond log10(n), and the further beyond, the higher. A component
with nothing to fit above its threshold (its values above it all equal: constant but for a few
values) scores every value above it `MAX_SCORE`.
"""

from __future__ import annotations

import numpy as np

from .config import AnomalyConfig

# Highest component score: an order beyond a component with no fitted tail (all values above
# its bulk equal) is scored as 1 in 10^30; such orders are ranked by their raw value.
MAX_SCORE = 30.0
# Largest generalized Pareto shape: heavier tails than this are fitted as this.
MAX_SHAPE = 0.9


def rank_score(values: np.ndarray) -> np.ndarray:
    """-log10(share of values >= each value): 0 for the smallest, log10(n) for a unique largest."""
    x = np.asarray(values, dtype=float)
    if len(x) == 0:
        return x
    at_least = len(x) - np.searchsorted(np.sort(x), x, side="left")
    return -np.log10(at_least / len(x))


def pareto_fit(excess: np.ndarray) -> tuple[float, float]:
    """(scale, shape) of a generalized Pareto distribution fitted to `excess` (>= 0) by
    probability-weighted moments (Hosking and Wallis 1987), the shape clipped to
    [0, MAX_SHAPE] (the scale then matched to the mean); scale 0 when all excesses are 0."""
    e = np.sort(np.asarray(excess, dtype=float))
    mean = float(e.mean()) if len(e) else 0.0
    if mean <= 0:
        return 0.0, 0.0
    plotting = (np.arange(1, len(e) + 1) - 0.35) / len(e)
    weighted = float(np.mean((1 - plotting) * e))
    denominator = mean - 2 * weighted
    if denominator <= 0:
        return mean, 0.0
    shape = 2 - mean / denominator
    scale = 2 * mean * weighted / denominator
    if not 0 <= shape <= MAX_SHAPE:
        shape = min(max(shape, 0.0), MAX_SHAPE)
        scale = mean * (1 - shape)
    return scale, shape


def tail_score(values: np.ndarray, tail_share: float = 0.02) -> np.ndarray:
    """-log10 P(X >= x) for each value: the share of values at least as extreme up to the
    threshold (the smallest of the top `tail_share` of values), then p * S(x - x0) above it,
    where x0 is the smallest value above the threshold, p the share of values >= x0 and S the
    survival of a generalized Pareto fitted to the values' excesses over x0. Strictly
    increasing in the value above the threshold (up to `MAX_SCORE`); a value beyond the sample
    maximum scores above log10(n) when the fitted tail is light enough. A degenerate tail (all
    values above the threshold equal, as when a component is constant but for a few orders)
    scores `MAX_SCORE` above the threshold."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    if n == 0:
        return x
    ordered = np.sort(x)
    score = rank_score(x)
    threshold = ordered[n - max(int(np.ceil(tail_share * n)), 1)]
    above = x > threshold
    beyond = n - int(np.searchsorted(ordered, threshold, side="right"))
    if beyond == 0:
        return score
    start = ordered[n - beyond]
    scale, shape = pareto_fit(ordered[n - beyond :] - start)
    if scale <= 0:
        score[above] = MAX_SCORE
        return score
    z = (x[above] - start) / scale
    extra = z / np.log(10) if shape < 1e-9 else np.log10(1 + shape * z) / shape
    score[above] = np.minimum(-np.log10(beyond / n) + extra, MAX_SCORE)
    return score


def calibrate(values: np.ndarray, config: AnomalyConfig) -> np.ndarray:
    """The component's calibrated score under `config.calibration`."""
    if config.calibration == "rank":
        return rank_score(values)
    return tail_score(values, config.tail_share)
