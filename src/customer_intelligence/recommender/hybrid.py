"""Hybrid recommender: candidates from several signals, re-ranked by learnt linear weights.

The signals are fitted by `fit_components` (signals.py) and turned into candidate pairs with
features by `candidate_features` (candidates.py). The weights are a logistic regression fitted on
the validation window (components fitted on the part of training before it); at test or
production time the components are refitted on the full history and the same weights applied.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from customer_intelligence.recommender.base import Recommender
from customer_intelligence.recommender.candidates import (
    candidate_features,
    candidate_features_blocked,
    cell_values,
)
from customer_intelligence.recommender.ranking import top_k_pairs
from customer_intelligence.recommender.signals import FEATURE_GROUP, FEATURES, fit_components
from customer_intelligence.recommender.split import Relevance


def fit_blend(features: np.ndarray, labels: np.ndarray, l2_c: float) -> dict[str, Any]:
    """Logistic regression of 'bought in the window' on standardised signals; JSON-able weights."""
    mean, scale = features.mean(axis=0), features.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=l2_c, max_iter=2000)
    model.fit((features - mean) / scale, labels)
    return {
        "features": list(FEATURES),
        "mean": [round(float(v), 8) for v in mean],
        "scale": [round(float(v), 8) for v in scale],
        "coef": [round(float(v), 8) for v in model.coef_.ravel()],
        "intercept": round(float(model.intercept_[0]), 8),
        "training_pairs": int(len(labels)),
        "positive_pairs": int(np.sum(labels)),
    }


def blend_scores(weights: dict[str, Any], features: np.ndarray) -> np.ndarray:
    """Linear score of each candidate pair under learnt weights."""
    z = (features - np.asarray(weights["mean"])) / np.asarray(weights["scale"])
    return z @ np.asarray(weights["coef"]) + weights["intercept"]


class Hybrid(Recommender):
    """Learnt linear blend of the signals of `fit_components`; see module docstring."""

    def __init__(
        self,
        component_params: dict[str, dict[str, Any]] | None = None,
        n_candidates: int = 50,
        l2_c: float = 1.0,
        weights: dict[str, Any] | None = None,
        **params,
    ):
        super().__init__(
            name="hybrid",
            params={
                "component_params": component_params or {},
                "n_candidates": int(n_candidates),
                "l2_c": float(l2_c),
                **params,
            },
        )
        self.weights = weights

    def _fit(self, inter):
        self.components = fit_components(inter, self.params["component_params"], self.fitter)

    fitter = None

    def learn_weights(
        self, rel: Relevance, exclude_seen: bool, max_users: int | None, seed: int = 42
    ) -> None:
        """Fit the blend on the validation window: label = bought in the window.

        At most `max_users` validation customers (a fixed-seed sample; None = all) are used, which
        bounds memory at any scale (about 250 candidate pairs x 16 signals per customer).
        """
        take = np.arange(rel.n_users)
        if max_users is not None and rel.n_users > max_users:
            take = np.sort(np.random.default_rng(seed).choice(rel.n_users, max_users, False))
        pr, pi, f = candidate_features_blocked(
            self.components, rel.rows[take], self.params["n_candidates"], exclude_seen
        )
        y = cell_values(rel.relevant[take], pr, pi) > 0
        self.weights = fit_blend(f, y, self.params["l2_c"])

    def _score(self, features: np.ndarray) -> np.ndarray:
        return blend_scores(self.weights, features)

    def contributions(self, features: np.ndarray) -> pd.DataFrame:
        """Per-pair contribution of each reason family to the score (for explanations)."""
        w = self.weights
        z = (features - np.asarray(w["mean"])) / np.asarray(w["scale"]) * np.asarray(w["coef"])
        frame = pd.DataFrame(z, columns=list(FEATURES))
        return frame.T.groupby(pd.Series(FEATURE_GROUP)).sum().T

    def recommend(self, rows, k, exclude_seen=False, block_size=4096, with_features=False):
        rows = np.asarray(rows, dtype=np.int64)
        items_out, scores_out, extras = [], [], []
        for start in range(0, len(rows), block_size):
            block = rows[start : start + block_size]
            pr, pi, f = candidate_features(
                self.components, block, self.params["n_candidates"], exclude_seen
            )
            s = self._score(f)
            items, vals = top_k_pairs(pr, pi, s, len(block), k)
            items_out.append(items)
            scores_out.append(vals)
            if with_features:
                extras.append((pr, pi, f))
        if not items_out:
            empty = np.zeros((0, k), dtype=np.int64)
            return (empty, np.zeros((0, k)), []) if with_features else (empty, np.zeros((0, k)))
        out = np.vstack(items_out), np.vstack(scores_out)
        return (*out, extras) if with_features else out
