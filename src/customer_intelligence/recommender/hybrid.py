"""Hybrid recommender: candidates from several signals, re-ranked by learnt linear weights.

Signals per (customer, product) pair: repeat propensity (purchase days, recency-decayed counts,
days since last purchase against the customer's own buying interval), co-purchase (item-kNN),
collaborative (EASE, ALS), content (TF-IDF + price band), popularity and annual re-buys
(`same_season_last_year`, see `SEASON_DAYS`). Candidates are the
customer's history plus the top `n_candidates` of each generator, so scoring is sparse per block
of customers and scales to millions of customers. The weights are a logistic regression fitted on
the validation window (components fitted on the part of training before it); at test or
production time the components are refitted on the full history and the same weights applied.
Above `LARGE_CATALOGUE` items (methods.py) two candidate generators switch to scalable forms,
see `ALS_CANDIDATE_MAX_ITEMS`; features are computed the same way at every size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from customer_intelligence.recommender.data import Interactions
from customer_intelligence.recommender.methods import (
    ALS,
    ALS_THREADS,
    EASE,
    LARGE_CATALOGUE,
    ContentKNN,
    ItemKNN,
    Recommender,
    sparse_top_k_rows,
    top_k_mask_at,
    top_k_pairs,
    unique_sorted,
)
from customer_intelligence.recommender.split import Relevance

FEATURES: tuple[str, ...] = (
    "is_bought",
    "log_purchase_days",
    "decay_30d",
    "decay_180d",
    "log_days_since_last",
    "due_ratio",
    "share_of_customer",
    "item_repeat_rate",
    "co_purchase",
    "ease",
    "als",
    "content",
    "log_popularity",
    "log_recent_popularity",
    "bought_x_repeat_rate",
    "same_season_last_year",
)

# Which reason family each feature supports (used to explain a recommendation).
FEATURE_GROUP: dict[str, str] = {
    "is_bought": "repeat",
    "log_purchase_days": "repeat",
    "decay_30d": "repeat",
    "decay_180d": "repeat",
    "log_days_since_last": "repeat",
    "due_ratio": "repeat",
    "share_of_customer": "repeat",
    "bought_x_repeat_rate": "repeat",
    "same_season_last_year": "repeat",
    "item_repeat_rate": "popularity",
    "co_purchase": "co_purchase",
    "ease": "collaborative",
    "als": "collaborative",
    "content": "content",
    "log_popularity": "popularity",
    "log_recent_popularity": "popularity",
}

GENERATORS: tuple[str, ...] = ("co_purchase", "ease", "als", "content", "popularity")

# `same_season_last_year` counts the customer's purchase days of the item in the 91 days that
# followed the same date one year earlier (ages 275..365 days at the reference date): annual
# re-buys, such as a wholesaler's Christmas range. It is a fixed definition, not tied to the
# evaluation windows. A store whose history does not reach back 365 days would see only part of
# that window, so there the feature is zero for every pair (see `season_covered`). Its weight is
# learnt like any other; when the validation store lacks a full year it is zero there, and the
# weight stays 0 wherever the weights are applied.
SEASON_DAYS = 91

# Above `LARGE_CATALOGUE` items (methods.py) ALS candidates are searched among this many most
# popular items only (every candidate still gets its exact ALS feature), and EASE candidates are
# cut with a value threshold (ties at the k-th value: lower index) instead of `argpartition`.
ALS_CANDIDATE_MAX_ITEMS = 10_000


@dataclass
class Components:
    """The fitted signal models of a hybrid on one training store."""

    inter: Interactions
    knn: ItemKNN
    ease: EASE
    als: ALS
    content: ContentKNN
    popularity: np.ndarray
    recent_popularity: np.ndarray
    repeat_rate: np.ndarray
    decay_30: sp.csr_matrix
    decay_180: sp.csr_matrix
    same_season: sp.csr_matrix
    user_days: np.ndarray
    als_head: np.ndarray | None = None
    shared_pattern: bool = False


def fit_components(
    inter: Interactions, params: dict[str, dict[str, Any]], fitter=None
) -> Components:
    """Fit every signal of the hybrid with the (already tuned) parameters given.

    `fitter(name, params, inter)` may return an already fitted model (a cache), else a new fit.
    """
    from customer_intelligence.recommender.methods import METHODS

    def fit(name):
        if fitter is not None:
            return fitter(name, params.get(name, {}), inter)
        return METHODS[name](**params.get(name, {})).fit(inter)

    counts = inter.counts
    buyers = np.asarray((counts > 0).sum(axis=0)).ravel()
    repeaters = np.asarray((counts > 1).sum(axis=0)).ravel()
    comp = Components(
        inter=inter,
        knn=fit("item_knn"),
        ease=fit("ease"),
        als=fit("als"),
        content=fit("content"),
        popularity=inter.item_popularity(),
        recent_popularity=inter.recent_popularity(30),
        repeat_rate=(repeaters + 1.0) / (buyers + 10.0),
        decay_30=inter.decayed(30),
        decay_180=inter.decayed(180),
        same_season=(
            inter.aged_between(365 - SEASON_DAYS + 1, 365)
            if season_covered(inter)
            else inter.aged_between(1, 0)  # nothing: all zero, same stored entries
        ),
        user_days=_user_purchase_days(inter),
        als_head=als_candidate_items(inter.n_items, inter.item_popularity()),
    )
    comp.shared_pattern = _same_pattern(
        counts, inter.last_age, inter.first_age, comp.decay_30, comp.decay_180, comp.same_season
    )
    return comp


def season_covered(inter: Interactions) -> bool:
    """True when the store's history reaches back 365 days, so last year's window is complete."""
    return bool(len(inter.events)) and int(inter.events["age_days"].max()) >= 365


def als_candidate_items(n_items: int, popularity: np.ndarray) -> np.ndarray | None:
    """Items searched for ALS candidates: all (None) up to `LARGE_CATALOGUE` items, else the
    `ALS_CANDIDATE_MAX_ITEMS` most popular (ties: lower index), in index order."""
    if n_items <= LARGE_CATALOGUE:
        return None
    return np.sort(np.argsort(-popularity, kind="stable")[:ALS_CANDIDATE_MAX_ITEMS])


def _user_purchase_days(inter: Interactions) -> np.ndarray:
    days = inter.events[["user_idx", "age_days"]].drop_duplicates()
    return np.bincount(days["user_idx"], minlength=inter.n_users).astype(np.float64)


def _row_normalised(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Divide each row by its max absolute value (scale-free per customer)."""
    m = sp.csr_matrix(matrix, dtype=np.float64)
    if m.nnz == 0:
        return m
    row_max = np.asarray(abs(m).max(axis=1).toarray()).ravel()
    row_max[row_max == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / row_max) @ m)


def _pairs_from_sparse(matrix: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    coo = matrix.tocoo()
    return coo.row.astype(np.int64), coo.col.astype(np.int64)


def _dense_top(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    rows = np.repeat(np.arange(scores.shape[0]), k)
    return rows, part.ravel().astype(np.int64)


def threshold_top(
    scores: np.ndarray, k: int, chunk_cells: int = 1 << 21
) -> tuple[np.ndarray, np.ndarray]:
    """The top-k cells of each row as (row, column) pairs: every cell above the row's k-th
    value, then cells equal to it by lower column. Same set as `_dense_top` up to ties at the
    k-th value; cheaper (a value-only partition, no index array), used on large catalogues."""
    n_rows, n = scores.shape
    k = min(k, n)
    if k == 0 or n_rows == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    step = max(1, chunk_cells // n)
    buffer = np.empty((min(step, n_rows), n), dtype=scores.dtype)  # reused: stays in cache
    rows_out, cols_out = [], []
    for start in range(0, n_rows, step):
        part = scores[start : start + step]
        work = buffer[: part.shape[0]]
        np.copyto(work, part)
        work.partition(n - k, axis=1)
        kth = work[:, n - k : n - k + 1].copy()
        take = part >= kth
        tied = np.flatnonzero(take.sum(axis=1) > k)
        if len(tied):
            # More cells at or above the k-th value than k: lowest columns first among ties.
            take[tied] = top_k_mask_at(part[tied], kth[tied, 0], k)
        rows, cols = np.nonzero(take)
        rows_out.append(rows + start)
        cols_out.append(cols)
    return np.concatenate(rows_out).astype(np.int64), np.concatenate(cols_out).astype(np.int64)


def _als_top(
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


def _same_pattern(first: sp.csr_matrix, *others: sp.csr_matrix) -> bool:
    """True if every matrix stores exactly the entries of `first`, with sorted indices."""
    if not first.has_sorted_indices:
        return False
    return all(
        m.has_sorted_indices
        and np.array_equal(m.indptr, first.indptr)
        and np.array_equal(m.indices, first.indices)
        for m in others
    )


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


def _lookup(matrix: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    if len(rows) == 0:
        return np.zeros(0)
    return np.asarray(matrix[rows, cols]).ravel().astype(np.float64)


def candidate_features(
    comp: Components, users: np.ndarray, n_candidates: int, exclude_seen: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs and their feature matrix for one block of customers.

    Returns (pair_row, pair_item, features): `pair_row` indexes into `users`, `pair_item` into
    the catalogue, `features` is (n_pairs x len(FEATURES)).
    """
    inter = comp.inter
    users = np.asarray(users, dtype=np.int64)
    n_items = inter.n_items
    history = inter.binary_rows(users)
    knn = comp.knn.score_sparse(users)
    content = comp.content.score_sparse(users)
    ease_head = comp.ease.head_scores(users)
    # Candidate generation.
    parts_r, parts_i = [], []
    if not exclude_seen:
        r, i = _pairs_from_sparse(history)
        parts_r.append(r)
        parts_i.append(i)
    seen_penalty = history * 1e9 if exclude_seen else None
    for sparse_scores in (knn, content):
        masked = sparse_scores - seen_penalty if exclude_seen else sparse_scores
        masked = sp.csr_matrix(masked)
        masked.data[masked.data < 0] = 0
        masked.eliminate_zeros()
        r, i = _pairs_from_sparse(sparse_top_k_rows(masked, n_candidates))
        parts_r.append(r)
        parts_i.append(i)
    head = comp.ease.head
    large = n_items > LARGE_CATALOGUE
    als_top_items, als_top_scores = _als_top(
        comp.als, users, history, n_candidates, exclude_seen, getattr(comp, "als_head", None)
    )
    ease_masked = ease_head
    if exclude_seen:
        ease_masked = ease_head.copy()
        seen_head = history[:, head].tocoo()
        ease_masked[seen_head.row, seen_head.col] = -np.inf
    r, i = (threshold_top if large else _dense_top)(ease_masked, n_candidates)
    keep = np.isfinite(ease_masked[r, i])
    parts_r.append(r[keep])
    parts_i.append(head[i[keep]])
    keep = als_top_items >= 0
    parts_r.append(np.nonzero(keep)[0])
    parts_i.append(als_top_items[keep])
    top_pop = np.argsort(-comp.recent_popularity - 1e-3 * comp.popularity, kind="stable")
    top_pop = top_pop[: n_candidates + (0 if not exclude_seen else 200)]
    parts_r.append(np.repeat(np.arange(len(users)), len(top_pop)))
    parts_i.append(np.tile(top_pop, len(users)))
    key = unique_sorted(np.concatenate(parts_r) * n_items + np.concatenate(parts_i))
    pair_row, pair_item = key // n_items, key % n_items
    if getattr(comp, "shared_pattern", False):
        # One search for the stored position of every pair, read from all six matrices.
        pos = _pair_positions(inter.counts, users, pair_row, pair_item)
        if exclude_seen:
            keep = pos < 0
            pair_row, pair_item, pos = pair_row[keep], pair_item[keep], pos[keep]

        def history_value(matrix):
            return np.where(pos >= 0, matrix.data[np.maximum(pos, 0)], 0.0).astype(np.float64)
    else:
        if exclude_seen:
            keep = _lookup(history, pair_row, pair_item) == 0
            pair_row, pair_item = pair_row[keep], pair_item[keep]

        def history_value(matrix):
            return _lookup(matrix[users], pair_row, pair_item)

    # Features.
    g_users = users[pair_row]
    count = history_value(inter.counts)
    last = history_value(inter.last_age)
    first = history_value(inter.first_age)
    bought = (count > 0).astype(np.float64)
    interval = np.where(count > 1, (first - last) / np.maximum(count - 1, 1), 0.0)
    due = np.where(count > 1, np.exp(-np.abs(np.log((last + 1.0) / (interval + 1.0)))), 0.0)
    head_pos = np.full(n_items, -1, dtype=np.int64)
    head_pos[comp.ease.head] = np.arange(len(comp.ease.head))
    hp = head_pos[pair_item]
    ease_max = np.maximum(np.abs(ease_head).max(axis=1), np.float32(1e-9))
    ease_val = np.where(hp >= 0, ease_head[pair_row, np.maximum(hp, 0)] / ease_max[pair_row], 0.0)
    als_scale = np.maximum(np.abs(als_top_scores[:, 0]), 1e-9)
    als_val = comp.als.score_pairs(g_users, pair_item) / als_scale[pair_row]
    features = np.column_stack(
        [
            bought,
            np.log1p(count),
            np.log1p(history_value(comp.decay_30)),
            np.log1p(history_value(comp.decay_180)),
            np.where(bought > 0, np.log1p(last), 0.0),
            due,
            count / np.maximum(comp.user_days[g_users], 1.0),
            comp.repeat_rate[pair_item],
            _lookup(_row_normalised(knn), pair_row, pair_item),
            ease_val,
            als_val,
            _lookup(_row_normalised(content), pair_row, pair_item),
            np.log1p(comp.popularity[pair_item]),
            np.log1p(comp.recent_popularity[pair_item]),
            bought * comp.repeat_rate[pair_item],
            np.log1p(history_value(comp.same_season)),
        ]
    )
    return pair_row, pair_item, features


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
    """Learnt linear blend of the signals above; see module docstring."""

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
        self, rel: Relevance, exclude_seen: bool, max_users: int = 20_000, seed: int = 42
    ) -> None:
        """Fit the blend on the validation window: label = bought in the window.

        At most `max_users` validation customers (a fixed-seed sample) are used, which bounds
        memory at any scale (about 250 candidate pairs x 16 signals per customer).
        """
        take = np.arange(rel.n_users)
        if rel.n_users > max_users:
            take = np.sort(np.random.default_rng(seed).choice(rel.n_users, max_users, False))
        pr, pi, f = candidate_features_blocked(
            self.components, rel.rows[take], self.params["n_candidates"], exclude_seen
        )
        y = _lookup(rel.relevant[take], pr, pi) > 0
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
