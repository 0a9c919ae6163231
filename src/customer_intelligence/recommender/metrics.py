"""Top-K ranking metrics over full-catalogue lists (no sampled negatives).

Input: `items`, an (n_users x K) array of recommended item indices (-1 = empty slot), and the
users' relevant sets (`Relevance`). Output: one value per metric, averaged over users.
Definitions (K = list length, R = relevant set size including unseen products):
precision = hits / K; recall = hits / R; hit_rate = 1 if hits > 0; NDCG = DCG / ideal DCG with
binary gains and log2(rank + 1) discounts, the ideal list having min(R, K) hits; MAP = mean over
users of (sum over hit ranks r of precision@r) / min(R, K); catalogue_coverage = distinct items
recommended to anyone / catalogue size.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

METRICS: tuple[str, ...] = (
    "precision",
    "recall",
    "ndcg",
    "hit_rate",
    "map",
    "catalogue_coverage",
    "users_evaluated",
)


def hit_matrix(items: np.ndarray, relevant: sp.csr_matrix) -> np.ndarray:
    """Boolean (n_users x K): is the item at each rank relevant to that user?

    Vectorised: each (user, item) cell becomes one integer key, looked up in the sorted keys of
    the relevant cells, so the cost does not grow with a Python loop over users.
    """
    items = np.asarray(items)
    n_users, k = items.shape
    hits = np.zeros((n_users, k), dtype=bool)
    rel = relevant.tocsr()
    if rel.nnz == 0 or n_users == 0:
        return hits
    n_cols = np.int64(rel.shape[1])
    rel_rows = np.repeat(np.arange(rel.shape[0], dtype=np.int64), np.diff(rel.indptr))
    keys = np.sort(rel_rows * n_cols + rel.indices.astype(np.int64))
    valid = (items >= 0) & (items < n_cols)
    query = (np.arange(n_users, dtype=np.int64)[:, None] * n_cols + items.astype(np.int64))[valid]
    position = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    hits[valid] = keys[position] == query
    return hits


def evaluate_lists(
    items: np.ndarray,
    relevant: sp.csr_matrix,
    n_unseen: np.ndarray | None = None,
    n_catalogue: int | None = None,
) -> dict[str, float]:
    """Precision, recall, NDCG, hit rate, MAP at K = items.shape[1], coverage, users evaluated."""
    items = np.asarray(items)
    n_users, k = items.shape
    n_catalogue = n_catalogue if n_catalogue is not None else relevant.shape[1]
    if n_users == 0:
        return {m: 0.0 for m in METRICS}
    n_rel = np.diff(relevant.tocsr().indptr).astype(np.float64)
    if n_unseen is not None:
        n_rel = n_rel + np.asarray(n_unseen, dtype=np.float64)
    hits = hit_matrix(items, relevant).astype(np.float64)
    n_hits = hits.sum(axis=1)
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = hits @ discounts
    ideal_len = np.minimum(n_rel, k).astype(int)
    ideal = np.concatenate([[0.0], np.cumsum(discounts)])[ideal_len]
    precision_at = np.cumsum(hits, axis=1) / np.arange(1, k + 1)
    ap = (precision_at * hits).sum(axis=1) / np.maximum(ideal_len, 1)
    recommended = np.unique(items[items >= 0])
    return {
        "precision": float(np.mean(n_hits / k)),
        "recall": float(np.mean(n_hits / np.maximum(n_rel, 1))),
        "ndcg": float(np.mean(np.where(ideal > 0, dcg / np.where(ideal > 0, ideal, 1), 0.0))),
        "hit_rate": float(np.mean(n_hits > 0)),
        "map": float(np.mean(ap)),
        "catalogue_coverage": float(len(recommended) / max(n_catalogue, 1)),
        "users_evaluated": float(n_users),
    }
