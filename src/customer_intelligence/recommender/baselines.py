"""Baselines: global popularity, recent popularity and the customer's own most-bought items.

Each is a `SparseRanking`: a fixed fill row (popularity with a tiny index tie-break) that the
personal top-frequency overwrites at the customer's own items, so ranking touches only those cells
and a short prefix of the fill order.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from customer_intelligence.recommender.base import SparseRanking


def _tie_break(n: int) -> np.ndarray:
    """A tiny, decreasing-in-index bonus so equal scores rank by item index."""
    return -np.arange(n, dtype=np.float64) * 1e-9


class Popularity(SparseRanking):
    """Global popularity: distinct customers per item over the whole training period."""

    def __init__(self, **params):
        super().__init__(name="popularity", params=params)

    def _fit(self, inter):
        self.pop = inter.item_popularity() + _tie_break(inter.n_items)
        self._fit_fill(self.pop)

    def score_block(self, rows):
        return np.broadcast_to(self.pop, (len(rows), len(self.pop))).copy()


class RecentPopularity(SparseRanking):
    """Distinct customers per item over the last `days` days of training."""

    def __init__(self, days: int = 30, **params):
        super().__init__(name="recent_popularity", params={"days": int(days), **params})

    def _fit(self, inter):
        recent = inter.recent_popularity(self.params["days"])
        self.pop = recent + 1e-6 * inter.item_popularity() + _tie_break(inter.n_items)
        self._fit_fill(self.pop)

    def score_block(self, rows):
        return np.broadcast_to(self.pop, (len(rows), len(self.pop))).copy()


class PersonalTopFrequency(SparseRanking):
    """The customer's own most-bought items (purchase days), then global popularity."""

    def __init__(self, **params):
        super().__init__(name="personal_top_frequency", params=params)

    def _fit(self, inter):
        pop = inter.item_popularity()
        self.fill32 = (pop / (pop.max() + 1.0) + _tie_break(inter.n_items)).astype(np.float32)
        self._fit_fill(self.fill32)

    def score_block(self, rows):
        return _dense_rows(self.inter.counts, rows) + self.fill32

    def block_pairs(self, block):
        own = self.inter.counts[block].tocoo()
        score = own.data.astype(np.float32) + self.fill32[own.col]
        return own.row.astype(np.int64), own.col.astype(np.int64), score.astype(np.float64)


def _dense_rows(matrix: sp.csr_matrix, rows: np.ndarray) -> np.ndarray:
    return np.asarray(matrix[rows].toarray(), dtype=np.float32)
