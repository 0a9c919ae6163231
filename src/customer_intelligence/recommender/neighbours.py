"""Neighbourhood methods: item-based and user-based kNN, and the neighbour cut a grid shares.

Item-kNN keeps the top `neighbours` cosine similarities per item (`blockwise_similarity`) and
scores X @ S; user-kNN finds each customer's top `neighbours` among a pool of at most
`USER_KNN_MAX_POOL` customers and scores their baskets. Both score only the cells their neighbours
reach (`SparseScores`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from customer_intelligence.recommender.base import SparseScores
from customer_intelligence.recommender.ranking import sparse_top_k_rows
from customer_intelligence.recommender.similarity import blockwise_similarity

# User-kNN compares each customer with every customer in its neighbour pool, so the pool is capped:
# above this many customers, neighbours are searched among the this-many most active ones (most
# distinct products bought; ties: lower index). The shipped data (~4,300 customers) is below it.
USER_KNN_MAX_POOL = 20_000


class ItemKNN(SparseScores):
    """Item-based kNN: cosine over customers, top-`neighbours` per item, scores = X @ S.

    `cut_from`, an item-kNN with at least as many neighbours fitted on the same store (a tuning
    grid), gives the similarity by cutting its own: the item x item product and its cut are most
    of item-kNN's time on a wide catalogue. Same neighbours and values (a cut of a larger cut is
    the smaller cut; tested).
    """

    def __init__(self, neighbours: int = 50, **params):
        super().__init__(name="item_knn", params={"neighbours": int(neighbours), **params})
        self.cut_from: ItemKNN | None = None

    def _fit(self, inter):
        k = self.params["neighbours"]
        larger = self.cut_from
        if larger is not None and larger.inter is inter and larger.params["neighbours"] >= k:
            self.sim = sparse_top_k_rows(larger.sim, k)
            return
        norm = normalize(inter.binary.T.tocsr(), norm="l2", axis=1)
        self.sim = blockwise_similarity(norm, norm.T.tocsr(), k)

    def score_sparse(self, rows):
        return sp.csr_matrix(self.inter.binary_rows(rows) @ self.sim)


class UserKNN(SparseScores):
    """User-based kNN: cosine over items, top-`neighbours` similar customers per customer."""

    def __init__(self, neighbours: int = 50, **params):
        super().__init__(name="user_knn", params={"neighbours": int(neighbours), **params})

    def _fit(self, inter):
        binary = inter.binary
        self.norm = normalize(binary, norm="l2", axis=1).tocsr()
        self.pool = neighbour_pool(binary, USER_KNN_MAX_POOL)
        self.pool_position = np.full(inter.n_users, -1, dtype=np.int64)
        self.pool_position[self.pool] = np.arange(len(self.pool))
        self.norm_t = self.norm[self.pool].T.tocsr()
        self.pool_binary = binary[self.pool]
        self.shared_neighbours: NeighbourMemo | None = None

    def neighbours(self, rows) -> sp.csr_matrix:
        """Cosine similarity to the top-`neighbours` pool customers of each row (ties: lower
        pool position); cut from `shared_neighbours` when one is attached and keeps as many."""
        k = self.params["neighbours"]
        memo = self.shared_neighbours
        if memo is not None and memo.k >= k:
            return sparse_top_k_rows(memo.get(self, rows), k)
        return self.top_neighbours(rows, k)

    def top_neighbours(self, rows, k: int) -> sp.csr_matrix:
        sims = sp.csr_matrix(self.norm[rows] @ self.norm_t)
        _zero_columns(sims, self.pool_position[rows])  # -1 (not in the pool) matches no column
        return sparse_top_k_rows(sims, k)

    def score_sparse(self, rows):
        return sp.csr_matrix(self.neighbours(rows) @ self.pool_binary)


@dataclass
class NeighbourMemo:
    """Top-`k` neighbours of each block of rows, computed once and cut by every user-kNN fitted
    on the same store with `k` or fewer neighbours (a tuning grid): the similarity product and
    its cut are most of user-kNN's time. The first k' of a top-k cut are the top-k' cut (same
    order: value, then lower column; tested). It keeps every block it sees, so it is attached
    only while a grid is scored on a bounded sample of customers (see `tuning.tune`)."""

    k: int
    blocks: dict[bytes, sp.csr_matrix] = field(default_factory=dict)

    def get(self, model: UserKNN, rows) -> sp.csr_matrix:
        key = np.asarray(rows, dtype=np.int64).tobytes()
        if key not in self.blocks:
            self.blocks[key] = model.top_neighbours(rows, self.k)
        return self.blocks[key]


def neighbour_pool(binary: sp.csr_matrix, max_pool: int) -> np.ndarray:
    """Rows that may serve as neighbours: all of them up to `max_pool`, else the `max_pool` with
    the most stored entries (ties: lower index), in index order."""
    if binary.shape[0] <= max_pool:
        return np.arange(binary.shape[0])
    activity = np.diff(binary.indptr)
    return np.sort(np.argsort(-activity, kind="stable")[:max_pool])


def _zero_columns(matrix: sp.csr_matrix, columns: np.ndarray) -> None:
    """In place: zero entry (r, columns[r]) of each row r (e.g. an item's similarity to itself)."""
    row = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    matrix.data[matrix.indices == np.asarray(columns)[row]] = 0
    matrix.eliminate_zeros()
