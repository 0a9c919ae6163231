"""The hybrid's candidate pairs and their features, one block of customers at a time.

Candidates are the customer's history plus the top `n_candidates` of each generator (item-kNN,
content, EASE, ALS, recent popularity), so scoring is sparse per block of customers and scales to
millions of customers. Above `LARGE_CATALOGUE` items two generators switch to scalable forms:
EASE candidates are cut by `threshold_top` instead of `partition_top`, and ALS candidates are
searched among a popular head (`als_candidate_items`, signals.py); features are computed the same
way at every size. Output grain: one row per (customer in the block, candidate product).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from customer_intelligence.recommender.factorisation import ALS, ALS_THREADS
from customer_intelligence.recommender.ranking import (
    buffered_cells,
    partition_top,
    threshold_top,
    top_positive_cells,
    unique_sorted,
)
from customer_intelligence.recommender.signals import FEATURES, Components
from customer_intelligence.recommender.similarity import LARGE_CATALOGUE


@dataclass
class BlockScores:
    """One block's component scores, computed once for both candidates and features.

    `history`: the block's binary purchases; `knn`, `content`: sparse scores; `ease_head`: EASE
    scores over its head columns; `als_items`, `als_scores`: each customer's top ALS candidates.
    """

    users: np.ndarray
    history: sp.csr_matrix
    knn: sp.csr_matrix
    content: sp.csr_matrix
    ease_head: np.ndarray
    als_items: np.ndarray
    als_scores: np.ndarray


def block_scores(
    comp: Components, users: np.ndarray, n_candidates: int, exclude_seen: bool
) -> BlockScores:
    history = comp.inter.binary_rows(users)
    als_items, als_scores = als_top(
        comp.als, users, history, n_candidates, exclude_seen, getattr(comp, "als_head", None)
    )
    return BlockScores(
        users=users,
        history=history,
        knn=comp.knn.score_sparse(users),
        content=comp.content.score_sparse(users),
        ease_head=comp.ease.head_scores(users),
        als_items=als_items,
        als_scores=als_scores,
    )


def candidate_features(
    comp: Components, users: np.ndarray, n_candidates: int, exclude_seen: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs and their feature matrix for one block of customers.

    Returns (pair_row, pair_item, features): `pair_row` indexes into `users`, `pair_item` into
    the catalogue, `features` is (n_pairs x len(FEATURES)).
    """
    users = np.asarray(users, dtype=np.int64)
    scores = block_scores(comp, users, n_candidates, exclude_seen)
    pair_row, pair_item = candidate_pairs(comp, scores, n_candidates, exclude_seen)
    pair_row, pair_item, history_value = _history_reader(
        comp, scores, pair_row, pair_item, exclude_seen
    )
    features = pair_features(comp, scores, pair_row, pair_item, history_value)
    return pair_row, pair_item, features


def candidate_pairs(
    comp: Components, scores: BlockScores, n_candidates: int, exclude_seen: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (block row, item) candidates, sorted by row then item; with `exclude_seen` the
    generators skip bought items (the history itself is then not a candidate)."""
    n_items = comp.inter.n_items
    n_users = len(scores.users)
    history = scores.history
    parts_r, parts_i = [], []
    if not exclude_seen:
        r, i = _pairs_from_sparse(history)
        parts_r.append(r)
        parts_i.append(i)
    for sparse_scores in (scores.knn, scores.content):
        if not exclude_seen:
            sparse_scores.data[sparse_scores.data < 0] = 0
            sparse_scores.eliminate_zeros()
        r, i = top_positive_cells(sparse_scores, n_candidates, history if exclude_seen else None)
        parts_r.append(r)
        parts_i.append(i)
    head = comp.ease.head
    ease_masked = scores.ease_head
    if exclude_seen:
        ease_masked = scores.ease_head.copy()
        seen_head = history[:, head].tocoo()
        ease_masked[seen_head.row, seen_head.col] = -np.inf
    large = n_items > LARGE_CATALOGUE
    r, i = (threshold_top if large else partition_top)(ease_masked, n_candidates)
    keep = np.isfinite(ease_masked[r, i])
    parts_r.append(r[keep])
    parts_i.append(head[i[keep]])
    keep = scores.als_items >= 0
    parts_r.append(np.nonzero(keep)[0])
    parts_i.append(scores.als_items[keep])
    top_pop = np.argsort(-comp.recent_popularity - 1e-3 * comp.popularity, kind="stable")
    top_pop = top_pop[: n_candidates + (0 if not exclude_seen else 200)]
    parts_r.append(np.repeat(np.arange(n_users), len(top_pop)))
    parts_i.append(np.tile(top_pop, n_users))
    key = unique_sorted(np.concatenate(parts_r) * n_items + np.concatenate(parts_i))
    return key // n_items, key % n_items


def _history_reader(
    comp: Components,
    scores: BlockScores,
    pair_row: np.ndarray,
    pair_item: np.ndarray,
    exclude_seen: bool,
) -> tuple[np.ndarray, np.ndarray, Callable[[sp.csr_matrix], np.ndarray]]:
    """The pairs (bought ones dropped with `exclude_seen`) and a reader of any customer x item
    history matrix at those pairs (0.0 where nothing is stored)."""
    users = scores.users
    if getattr(comp, "shared_pattern", False):
        # One search for the stored position of every pair, read from all six matrices.
        pos = _pair_positions(comp.inter.counts, users, pair_row, pair_item)
        if exclude_seen:
            keep = pos < 0
            pair_row, pair_item, pos = pair_row[keep], pair_item[keep], pos[keep]

        def history_value(matrix):
            return np.where(pos >= 0, matrix.data[np.maximum(pos, 0)], 0.0).astype(np.float64)

        return pair_row, pair_item, history_value
    if exclude_seen:
        keep = cell_values(scores.history, pair_row, pair_item) == 0
        pair_row, pair_item = pair_row[keep], pair_item[keep]

    def history_value(matrix):
        return cell_values(matrix[users], pair_row, pair_item)

    return pair_row, pair_item, history_value


def pair_features(
    comp: Components,
    scores: BlockScores,
    pair_row: np.ndarray,
    pair_item: np.ndarray,
    history_value: Callable[[sp.csr_matrix], np.ndarray],
) -> np.ndarray:
    """The `FEATURES` of each candidate pair, one column each, in that order."""
    inter = comp.inter
    n_items = inter.n_items
    g_users = scores.users[pair_row]
    count = history_value(inter.counts)
    last = history_value(inter.last_age)
    first = history_value(inter.first_age)
    bought = (count > 0).astype(np.float64)
    interval = np.where(count > 1, (first - last) / np.maximum(count - 1, 1), 0.0)
    due = np.where(count > 1, np.exp(-np.abs(np.log((last + 1.0) / (interval + 1.0)))), 0.0)
    head_pos = np.full(n_items, -1, dtype=np.int64)
    head_pos[comp.ease.head] = np.arange(len(comp.ease.head))
    hp = head_pos[pair_item]
    ease_head = scores.ease_head
    ease_max = np.maximum(np.abs(ease_head).max(axis=1), np.float32(1e-9))
    ease_val = np.where(hp >= 0, ease_head[pair_row, np.maximum(hp, 0)] / ease_max[pair_row], 0.0)
    als_scale = np.maximum(np.abs(scores.als_scores[:, 0]), 1e-9)
    als_val = comp.als.score_pairs(g_users, pair_item) / als_scale[pair_row]
    return np.column_stack(
        [
            bought,
            np.log1p(count),
            np.log1p(history_value(comp.decay_30)),
            np.log1p(history_value(comp.decay_180)),
            np.where(bought > 0, np.log1p(last), 0.0),
            due,
            count / np.maximum(comp.user_days[g_users], 1.0),
            comp.repeat_rate[pair_item],
            _row_normalised_cells(scores.knn, pair_row, pair_item),
            ease_val,
            als_val,
            _row_normalised_cells(scores.content, pair_row, pair_item),
            np.log1p(comp.popularity[pair_item]),
            np.log1p(comp.recent_popularity[pair_item]),
            bought * comp.repeat_rate[pair_item],
            np.log1p(history_value(comp.same_season)),
        ]
    )


def candidate_features_blocked(
    comp: Components, users: np.ndarray, n_candidates: int, exclude_seen: bool, block: int = 8192
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`candidate_features` by blocks of customers (same pairs, same order, bounded memory)."""
    users = np.asarray(users, dtype=np.int64)
    parts = []
    for start in range(0, len(users), block):
        pr, pi, f = candidate_features(
            comp, users[start : start + block], n_candidates, exclude_seen
        )
        parts.append((pr + start, pi, f))
    if not parts:
        return (
            np.zeros(0, dtype=np.int64),
            np.zeros(0, dtype=np.int64),
            np.zeros((0, len(FEATURES))),
        )
    return tuple(np.concatenate(p) for p in zip(*parts, strict=True))


def als_top(
    als: ALS, users, history, k, exclude_seen, head: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k ALS items per user (implicit's blocked top-k; never a users x items matrix).

    `head`: search only these items (see `als_candidate_items`); None = the whole catalogue.
    implicit scores each user independently, so its threads do not change the result.
    """
    from implicit.cpu.topk import topk

    factors = als.item_factors if head is None else als.item_factors[head]
    k = min(k, factors.shape[0])
    query = np.ascontiguousarray(als.user_factors[users])
    filt = None
    if exclude_seen:
        filt = sp.csr_matrix(history if head is None else history[:, head], dtype=np.float32)
    items, scores = topk(
        np.ascontiguousarray(factors), query, k, filter_query_items=filt, num_threads=ALS_THREADS
    )
    items = np.where(np.isfinite(scores) & (scores > -1e30), items, -1).astype(np.int64)
    if head is not None:
        items = np.where(items >= 0, head[np.maximum(items, 0)], -1)
    return items, scores


def cell_values(matrix: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """matrix[rows[j], cols[j]] for each j, as float64 (0.0 where nothing is stored)."""
    if len(rows) == 0:
        return np.zeros(0)
    return np.asarray(matrix[rows, cols]).ravel().astype(np.float64)


def _pair_positions(
    matrix: sp.csr_matrix, users: np.ndarray, pair_row: np.ndarray, pair_item: np.ndarray
) -> np.ndarray:
    """Index into `matrix.data` of entry (users[pair_row], pair_item), -1 if not stored.

    Needs sorted indices; pairs are found with one binary search over the block's entries.
    """
    n_items = matrix.shape[1]
    starts = matrix.indptr[users]
    lengths = matrix.indptr[users + 1] - starts
    local_ptr = np.concatenate([[0], np.cumsum(lengths)])
    where = np.repeat(starts - local_ptr[:-1], lengths) + np.arange(local_ptr[-1])
    stored = np.repeat(np.arange(len(users), dtype=np.int64), lengths) * n_items
    stored += matrix.indices[where]
    if len(stored) == 0:
        return np.full(len(pair_row), -1, dtype=np.int64)
    wanted = pair_row * n_items + pair_item
    at = np.minimum(np.searchsorted(stored, wanted), len(stored) - 1)
    return np.where(stored[at] == wanted, where[at], -1)


def _inverse_row_max(m: sp.csr_matrix) -> np.ndarray:
    """1 / (max absolute value) of each row of a float64 CSR matrix; 1 for an all-zero row."""
    row_max = np.zeros(m.shape[0])
    filled = np.flatnonzero(np.diff(m.indptr) > 0)
    if len(filled):
        row_max[filled] = np.maximum.reduceat(np.abs(m.data), m.indptr[filled])
    row_max[row_max == 0] = 1.0
    return 1.0 / row_max


def _row_normalised_cells(
    matrix: sp.csr_matrix, pair_row: np.ndarray, pair_item: np.ndarray
) -> np.ndarray:
    """Each pair's cell of `matrix` divided by its row's max absolute value (scale-free per
    customer), as `cell_values(diags(1 / row max) @ matrix, ...)` but for the pairs only: the
    same product (1 / row max) x value, without a normalised copy of the block."""
    m = sp.csr_matrix(matrix, dtype=np.float64)
    if m.nnz == 0 or len(pair_row) == 0:
        return np.zeros(len(pair_row))
    return _stored_values(m, pair_row, pair_item) * _inverse_row_max(m)[pair_row]


def _stored_values(
    matrix: sp.csr_matrix, pair_row: np.ndarray, pair_item: np.ndarray, max_cells: int = 1 << 22
) -> np.ndarray:
    """matrix[pair_row[j], pair_item[j]] (0.0 where nothing is stored) of a CSR block without
    duplicate entries (a product, a slice), pairs sorted by row (`buffered_cells`)."""
    return buffered_cells(matrix, pair_row, pair_item, matrix.data, max_cells)


def _pairs_from_sparse(matrix: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    coo = matrix.tocoo()
    return coo.row.astype(np.int64), coo.col.astype(np.int64)
