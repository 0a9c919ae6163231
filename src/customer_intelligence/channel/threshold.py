"""Cost-sensitive decision threshold on the Retail probability.

Decision rule everywhere: predict Retail when probability_retail >= threshold. Costs are per wrong
call: `cost_retail_as_horeca` for a Retail account called HORECA (false negative, Retail positive)
and `cost_horeca_as_retail` for a HORECA account called Retail (false positive).
"""

from __future__ import annotations

import numpy as np


def bayes_threshold(cost_retail_as_horeca: float, cost_horeca_as_retail: float) -> float:
    """The threshold that minimises expected cost when probabilities are perfectly calibrated."""
    total = cost_retail_as_horeca + cost_horeca_as_retail
    return 0.5 if total == 0 else cost_horeca_as_retail / total


def total_cost(
    probability: np.ndarray,
    y: np.ndarray,
    threshold: float,
    cost_retail_as_horeca: float,
    cost_horeca_as_retail: float,
) -> float:
    """Total misclassification cost of calling Retail when probability >= threshold."""
    predicted_retail = np.asarray(probability) >= threshold
    y = np.asarray(y)
    missed_retail = np.sum(~predicted_retail & (y == 1))
    false_retail = np.sum(predicted_retail & (y == 0))
    return float(missed_retail * cost_retail_as_horeca + false_retail * cost_horeca_as_retail)


def candidate_thresholds(probability: np.ndarray) -> np.ndarray:
    """0, the midpoints between consecutive distinct probabilities, and just above the largest.

    Every distinct decision on these probabilities is reached by exactly one candidate, and the
    midpoints keep the chosen threshold away from the observed values.
    """
    distinct = np.unique(np.asarray(probability, dtype=np.float64))
    midpoints = (distinct[:-1] + distinct[1:]) / 2
    above = np.nextafter(distinct[-1], np.inf) if len(distinct) else 1.0
    return np.concatenate([[0.0], midpoints, [above]])


def choose_threshold(
    probability: np.ndarray,
    y: np.ndarray,
    cost_retail_as_horeca: float,
    cost_horeca_as_retail: float,
) -> tuple[float, float]:
    """(threshold, expected cost per account) minimising cost on out-of-fold probabilities.

    Ties (equal cost) go to the candidate closest to the Bayes threshold, then to the lower one, so
    the answer is deterministic.
    """
    candidates = candidate_thresholds(probability)
    costs = np.array(
        [
            total_cost(probability, y, t, cost_retail_as_horeca, cost_horeca_as_retail)
            for t in candidates
        ]
    )
    best = np.flatnonzero(costs == costs.min())
    target = bayes_threshold(cost_retail_as_horeca, cost_horeca_as_retail)
    chosen = best[np.argmin(np.abs(candidates[best] - target))]
    return float(candidates[chosen]), float(costs[chosen] / len(probability))
