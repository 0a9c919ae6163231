"""The recommender interface and the two ranking strategies the methods share.

Every method is fitted on an `Interactions` store (one training period) and scores blocks of
users; a block is at most `block_size` users x catalogue, so no dense user x user or user x item
matrix is ever built for the whole population.

Ranking: every method's lists are `top_k_dense` of its full scores (ties: lower item index).
Methods whose scores are a fixed row plus a few sparse cells (`SparseRanking`: popularity, recent
popularity, personal top-frequency, item-, user- and content-kNN) rank only those cells and a
short prefix of the fixed row's order (`top_k_over_fill`), and EASE ranks its head columns only,
so scoring a million customers never walks a million x catalogue grid. Tests check both give the
same lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from customer_intelligence.recommender.data import Interactions
from customer_intelligence.recommender.ranking import (
    MAX_BLOCK_CELLS,
    cells_reaching_top_k,
    ranked_items,
    stored_pairs,
    top_k_dense,
    top_k_over_fill,
)

# Sparse methods rank only each row's best candidate cells (`top_k_over_fill` keeps a row's top
# k pairs by a linear cut before sorting), which is cheaper than densifying the block even when
# the pairs fill most of it (item-kNN with 400 neighbours, measured on 4,000 and 66,000
# products); a block is densified (`top_k_dense`, same lists) only if it holds more candidates
# than one per this many cells, i.e. never with distinct pairs.
SPARSE_RANKING_MIN_RATIO = 1


@dataclass
class Recommender:
    """Base class: fit on a training store, score user blocks, recommend top-K."""

    name: str = "base"
    params: dict[str, Any] = field(default_factory=dict)

    def fit(self, inter: Interactions) -> Recommender:
        self.inter = inter
        self._fit(inter)
        return self

    def _fit(self, inter: Interactions) -> None:  # pragma: no cover - overridden
        pass

    def score_block(self, rows: np.ndarray) -> np.ndarray:  # pragma: no cover - overridden
        raise NotImplementedError

    # Whether `recommend` ranks dense user x catalogue blocks (bounded by MAX_BLOCK_CELLS) or
    # only a few candidate cells per user (`top_k_block` overridden; blocks of `block_size`).
    dense_scoring = True
    # Whether the dense path cuts with `top_k_dense(..., by_value=True)` (few ties expected).
    rank_by_value = False

    def recommend(
        self, rows: np.ndarray, k: int, exclude_seen: bool = False, block_size: int = 2048
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k item indices and scores per user row over the whole catalogue.

        Users are ranked in blocks of at most `block_size` rows; dense blocks also of at most
        `MAX_BLOCK_CELLS` cells. Every method ranks as `top_k_dense` would rank its full scores
        (ties: lower item index); the sparse ones just touch fewer cells.
        """
        rows = np.asarray(rows, dtype=np.int64)
        items_out, scores_out = [], []
        step = block_size
        if self.dense_scoring:
            step = max(1, min(block_size, MAX_BLOCK_CELLS // max(self.block_width(), 1)))
        for start in range(0, len(rows), step):
            items, vals = self.top_k_block(rows[start : start + step], k, exclude_seen)
            items_out.append(items)
            scores_out.append(vals)
        if not items_out:
            return np.zeros((0, k), dtype=np.int64), np.zeros((0, k))
        return np.vstack(items_out), np.vstack(scores_out)

    def block_width(self) -> int:
        """Columns of a dense scoring block."""
        return self.inter.n_items

    def top_k_block(
        self, block: np.ndarray, k: int, exclude_seen: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """The generic dense path: full scores of the block, seen items at -inf, `top_k_dense`.

        Ranked in the scores' own dtype (float32 values order exactly as their float64 copies,
        at half the memory traffic); the values are returned as float64."""
        scores = self.score_block(block)
        if exclude_seen:
            seen = self.inter.counts[block].tocoo()
            scores[seen.row, seen.col] = -np.inf
        items, vals = top_k_dense(scores, k, by_value=self.rank_by_value)
        return items, vals.astype(np.float64)


class SparseRanking(Recommender):
    """Methods whose block scores are a fixed fill row overwritten at a few sparse cells."""

    dense_scoring = False
    fill: np.ndarray  # the score of an item without a pair (float64)

    def _fit_fill(self, fill: np.ndarray) -> None:
        self.fill = np.asarray(fill, dtype=np.float64)
        self.fill_order = ranked_items(self.fill)

    def block_pairs(self, block: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(block row, item, score) of the cells that differ from the fill row."""
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)

    def top_k_block(self, block, k, exclude_seen):
        """Ranks the pairs and a short prefix of the fill order (`top_k_over_fill`); a block
        with more pairs than `SPARSE_RANKING_MIN_RATIO` allows is densified instead
        (`top_k_densified`). Both give the same lists."""
        seen = self.inter.counts[block] if exclude_seen else None
        return self.rank_pairs(len(block), k, self.block_pairs(block), seen)

    def rank_pairs(
        self,
        n_rows: int,
        k: int,
        pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
        seen: sp.csr_matrix | None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top k of each row of the fill row overwritten by the (row, item, score) pairs, seen
        cells excluded: `top_k_over_fill`, or `top_k_densified` for a block denser than
        `SPARSE_RANKING_MIN_RATIO` allows."""
        if len(pairs[0]) * SPARSE_RANKING_MIN_RATIO <= n_rows * self.inter.n_items:
            return top_k_over_fill(n_rows, k, pairs, self.fill, self.fill_order, seen)
        return self.top_k_densified(n_rows, k, pairs, seen)

    def top_k_densified(
        self,
        n_rows: int,
        k: int,
        pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
        seen: sp.csr_matrix | None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """`top_k_dense` of the fill row overwritten by the pairs (seen cells at -inf), in
        sub-blocks of at most `MAX_BLOCK_CELLS` cells."""
        row, item, score = pairs
        order = np.argsort(row, kind="stable")
        row, item, score = row[order], item[order], score[order]
        step = max(1, MAX_BLOCK_CELLS // max(self.inter.n_items, 1))
        items_out, vals_out = [], []
        for start in range(0, n_rows, step):
            stop = min(start + step, n_rows)
            lo, hi = np.searchsorted(row, [start, stop])
            dense = np.tile(self.fill, (stop - start, 1))
            dense[row[lo:hi] - start, item[lo:hi]] = score[lo:hi]
            if seen is not None:
                part = seen[start:stop].tocoo()
                dense[part.row, part.col] = -np.inf
            items, vals = top_k_dense(dense, k)
            items_out.append(items)
            vals_out.append(vals)
        return np.vstack(items_out), np.vstack(vals_out)


class SparseScores(SparseRanking):
    """Methods whose block scores are a sparse, non-negative matrix (zero elsewhere)."""

    def fit(self, inter: Interactions) -> Recommender:
        super().fit(inter)
        self._fit_fill(np.zeros(inter.n_items))
        return self

    def score_sparse(self, rows) -> sp.csr_matrix:  # pragma: no cover - overridden
        raise NotImplementedError

    def score_block(self, rows):
        return self.score_sparse(rows).toarray().astype(np.float32)

    def block_pairs(self, block):
        return stored_pairs(self.score_sparse(block))

    def top_k_block(self, block, k, exclude_seen):
        """`SparseRanking.top_k_block` of only the stored scores that may reach each row's top
        k (`cells_reaching_top_k`: seen cells dropped, then each row's top k, chunk of rows by
        chunk of rows), so the block's cells are never all copied into pair lists."""
        seen = self.inter.counts[block] if exclude_seen else None
        pairs = cells_reaching_top_k(self.score_sparse(block), k, self.fill, seen)
        return self.rank_pairs(len(block), k, pairs, seen)
