"""Recommendation methods: baselines and collaborative / content candidates.

Every method is fitted on an `Interactions` store (one training period) and scores blocks of
users; a block is at most `block_size` users x catalogue, so no dense user x user or user x item
matrix is ever built for the whole population. Item-item models are sparse (top-k neighbours per
item); EASE is dense in items and is fitted on the `max_items` most popular items only when the
catalogue is larger (documented fallback, default 6,000 items = 288 MB of float64).

Scale (`LARGE_CATALOGUE`, 20,000 items): above it, item-item similarities are cut from sparse
blocks (identical rows multiplied once) and the hybrid searches ALS candidates among its popular
head and cuts EASE candidates by threshold (hybrid.py). Below it (the shipped data, about 4,000
products) the original dense paths run, so results there are unchanged. Measured with
bench/bench_recommender.py: 10M lines, 1M customers, 50k products in under 10 minutes and about
4 GB peak on 2 cores. User-kNN searches neighbours among at most `USER_KNN_MAX_POOL` customers.

Ranking: every method's lists are `top_k_dense` of its full scores (ties: lower item index).
Methods whose scores are a fixed row plus a few sparse cells (popularity, recent popularity,
personal top-frequency, item-, user- and content-kNN) rank only those cells and a short prefix
of the fixed row's order (`top_k_over_fill`), and EASE ranks its head columns only, so scoring a
million customers never walks a million x catalogue grid. Tests check both give the same lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from customer_intelligence.recommender.data import Interactions

EASE_MAX_ITEMS_DEFAULT = 6000
# Catalogue size above which the exact-but-slow paths switch to their scalable forms: sparse
# cuts of item-item similarities (`blockwise_similarity`) and, in the hybrid, threshold top-k
# for EASE candidates and ALS candidates from the popular head (hybrid.py). The shipped data
# (about 4k products) is far below it, so its results come from the original paths.
LARGE_CATALOGUE = 20_000
# User-kNN compares each customer with every customer in its neighbour pool, so the pool is capped:
# above this many customers, neighbours are searched among the this-many most active ones (most
# distinct products bought; ties: lower index). The shipped data (~4,300 customers) is below it.
USER_KNN_MAX_POOL = 20_000
# Dense scoring works on blocks of at most this many user x item cells (64 MB of float64), so the
# transient memory of a block does not grow with the catalogue: 2,048 users at 4,096 items, 167
# users at 50,000 items.
MAX_BLOCK_CELLS = 1 << 23
# Sparse methods rank their candidate cells by sorting them; when a block has more than one
# candidate per this many cells, densifying it and using `top_k_dense` is cheaper (same lists).
SPARSE_RANKING_MIN_RATIO = 8
ALS_THREADS = 0  # implicit's own threads (0 = all cores); factors do not depend on it


def top_k_dense(
    scores: np.ndarray, k: int, by_value: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k columns per row, best first, ties broken by the lower item index; -1 if -inf.

    `argpartition` alone would keep an arbitrary subset of the items tied at the k-th place;
    in rows with such a tie, every item above the k-th value is kept and the tied ones are
    taken in index order, so the lower index always wins.

    `by_value`: find each row's k-th value with a values-only `np.partition` and take the cells
    at or above it (same result, tested). Faster on ALS dot products over 50,000 items, slower
    on user-kNN similarity blocks (both measured), so each method opts in (`rank_by_value`).
    """
    n_rows, n_cols = scores.shape
    k_eff = min(k, n_cols)
    if n_rows == 0 or k_eff == 0:
        return np.full((n_rows, k), -1, dtype=np.int64), np.full((n_rows, k), -np.inf)
    if by_value:
        kth = np.partition(scores, n_cols - k_eff, axis=1)[:, n_cols - k_eff]
        chosen = scores >= kth[:, None]
        tied = np.flatnonzero(chosen.sum(axis=1) > k_eff)
        if len(tied):
            chosen[tied] = top_k_mask_at(scores[tied], kth[tied], k_eff)
        part = np.nonzero(chosen)[1].reshape(n_rows, k_eff)
        return _ordered(part, np.take_along_axis(scores, part, axis=1), k)
    part = np.argpartition(-scores, k_eff - 1, axis=1)[:, :k_eff]
    vals = np.take_along_axis(scores, part, axis=1)
    kth = vals.min(axis=1)
    tied = np.flatnonzero((scores >= kth[:, None]).sum(axis=1) > k_eff)
    if len(tied):
        block = scores[tied]
        chosen = top_k_mask_at(block, kth[tied], k_eff)
        part[tied] = np.nonzero(chosen)[1].reshape(len(tied), k_eff)
        vals[tied] = np.take_along_axis(block, part[tied], axis=1)
    return _ordered(part, vals, k)


def top_k_mask_at(block: np.ndarray, kth: np.ndarray, k: int) -> np.ndarray:
    """The top-k cells of each row given its k-th value `kth`: every cell above it, then the
    cells equal to it by lower column until the row has k (the exact tie rule)."""
    cut = kth[:, None]
    above = block > cut
    at_cut = block == cut
    room = k - above.sum(axis=1, keepdims=True)
    return above | (at_cut & (np.cumsum(at_cut, axis=1) <= room))


def _ordered(part: np.ndarray, vals: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k_eff chosen cells of each row sorted best first (ties: lower index), -inf as -1,
    padded to k columns."""
    n_rows, k_eff = part.shape
    order = np.lexsort((part, -vals), axis=1)
    items = np.take_along_axis(part, order, axis=1)
    vals = np.take_along_axis(vals, order, axis=1)
    items = np.where(np.isfinite(vals), items, -1)
    if k_eff < k:
        pad = k - k_eff
        items = np.hstack([items, np.full((n_rows, pad), -1)])
        vals = np.hstack([vals, np.full((n_rows, pad), -np.inf)])
    return items.astype(np.int64), vals


def top_k_pairs(
    pair_row: np.ndarray, pair_item: np.ndarray, scores: np.ndarray, n_rows: int, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per-row top-k of a pair list, best first, ties broken by item index; -1 pads.

    When every score is a float32 value and row and item fit in 32 bits together, the three
    sort keys are packed into one unsigned 64-bit integer and sorted once (several times faster
    than `np.lexsort`, same order).
    """
    pair_row = np.asarray(pair_row, dtype=np.int64)
    pair_item = np.asarray(pair_item, dtype=np.int64)
    scores = np.asarray(scores, dtype=np.float64)
    items = np.full((n_rows, k), -1, dtype=np.int64)
    vals = np.full((n_rows, k), -np.inf)
    if len(pair_row) == 0:
        return items, vals
    row_bits = max(int(n_rows - 1).bit_length(), 1)
    item_bits = max(int(pair_item.max()).bit_length(), 1)
    as32 = scores.astype(np.float32) + np.float32(0.0)  # + 0 turns -0.0 into 0.0
    if row_bits + item_bits <= 32 and np.array_equal(as32, scores):
        key = (
            (pair_row.astype(np.uint64) << np.uint64(32 + item_bits))
            | (_descending_bits(as32) << np.uint64(item_bits))
            | pair_item.astype(np.uint64)
        )
        key.sort()
        sorted_rows = (key >> np.uint64(32 + item_bits)).astype(np.int64)
        sorted_items = (key & np.uint64((1 << item_bits) - 1)).astype(np.int64)
        bits = (key >> np.uint64(item_bits)) & np.uint64(0xFFFFFFFF)
        sorted_scores = _from_descending_bits(bits.astype(np.uint32)).astype(np.float64)
    else:
        order = np.lexsort((pair_item, -scores, pair_row))
        sorted_rows, sorted_items = pair_row[order], pair_item[order]
        sorted_scores = scores[order]
    starts = np.searchsorted(sorted_rows, np.arange(n_rows))
    rank = np.arange(len(sorted_rows)) - starts[sorted_rows]
    keep = rank < k
    items[sorted_rows[keep], rank[keep]] = sorted_items[keep]
    vals[sorted_rows[keep], rank[keep]] = sorted_scores[keep]
    return items, vals


def _descending_bits(values: np.ndarray) -> np.ndarray:
    """float32 -> uint64 key that increases as the value decreases (-inf last; no NaN)."""
    bits = values.view(np.uint32)
    monotone = np.where(bits >> np.uint32(31), ~bits, bits | np.uint32(0x80000000))
    return (np.uint32(0xFFFFFFFF) - monotone).astype(np.uint64)


def _from_descending_bits(key: np.ndarray) -> np.ndarray:
    """Inverse of `_descending_bits` (uint32 in, float32 out)."""
    monotone = np.uint32(0xFFFFFFFF) - key
    bits = np.where(monotone >> np.uint32(31), monotone & np.uint32(0x7FFFFFFF), ~monotone)
    return bits.astype(np.uint32).view(np.float32)


def _is_member(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Whether each key is in `sorted_keys` (sorted 1-d integer array)."""
    if len(sorted_keys) == 0:
        return np.zeros(len(keys), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[pos] == keys


def top_k_over_fill(
    n_rows: int,
    k: int,
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    fill_score: np.ndarray,
    fill_order: np.ndarray,
    excluded: sp.csr_matrix | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """`top_k_dense` of rows that are `fill_score` except at a few cells, without the rows.

    The dense row r would be `fill_score` (one value per item), overwritten by the scores of the
    `pairs` (row, item, score) in row r, with the `excluded` cells of row r at -inf. Its top k
    lies among row r's pairs and the first k + (pairs + excluded cells in row r) items of
    `fill_order` (all items by `fill_score` descending, then lower index), so only those are
    ranked: same items and scores as the dense cut, in O(k + pairs) per row.
    """
    n_items = len(fill_score)
    pair_row, pair_item, pair_score = (np.asarray(a) for a in pairs)
    pair_key = pair_row.astype(np.int64) * n_items + pair_item
    blocked = np.sort(pair_key)
    if excluded is not None:
        ex = excluded.tocoo()
        ex_key = np.sort(ex.row.astype(np.int64) * n_items + ex.col)
        keep = ~_is_member(pair_key, ex_key)
        pair_row, pair_item, pair_score = pair_row[keep], pair_item[keep], pair_score[keep]
        blocked = unique_sorted(np.concatenate([blocked, ex_key]))
    need = _fill_needed(n_rows, k, blocked, fill_order)
    fill_row = np.repeat(np.arange(n_rows, dtype=np.int64), need)
    position = np.arange(len(fill_row)) - np.repeat(np.cumsum(need) - need, need)
    fill_item = fill_order[position]
    keep = ~_is_member(fill_row * n_items + fill_item, blocked)
    return top_k_pairs(
        np.concatenate([pair_row, fill_row[keep]]),
        np.concatenate([pair_item, fill_item[keep]]),
        np.concatenate([np.asarray(pair_score, dtype=np.float64), fill_score[fill_item[keep]]]),
        n_rows,
        k,
    )


def _fill_needed(n_rows: int, k: int, blocked: np.ndarray, fill_order: np.ndarray) -> np.ndarray:
    """Per row, the shortest prefix of `fill_order` holding k items not blocked in that row.

    `blocked`: sorted keys row * n_items + item. With the row's blocked items at sorted prefix
    positions p_0 < p_1 < ..., p_j - j items before p_j are free, so the prefix must reach past
    every p_j with p_j - j < k: its length is k plus the number of those (capped at n_items).
    """
    n_items = len(fill_order)
    row = blocked // n_items
    position = np.empty(n_items, dtype=np.int64)
    position[fill_order] = np.arange(n_items)
    key = np.sort(row * n_items + position[blocked % n_items])
    row = key // n_items
    rank = np.arange(len(key)) - np.searchsorted(row, row)
    early = (key % n_items) - rank < k
    return np.minimum(k + np.bincount(row[early], minlength=n_rows), n_items)


def ranked_items(scores: np.ndarray) -> np.ndarray:
    """All items by score descending, ties by lower index (the order `top_k_dense` uses)."""
    return np.lexsort((np.arange(len(scores)), -scores))


def _stored_pairs(matrix: sp.spmatrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, value as float32 then float64) of the stored entries of a sparse block, as
    the dense path reads them (`toarray().astype(float32)`)."""
    coo = sp.coo_matrix(matrix)
    value = coo.data.astype(np.float32).astype(np.float64)
    return coo.row.astype(np.int64), coo.col.astype(np.int64), value


def sparse_top_k_rows(matrix: sp.spmatrix, k: int) -> sp.csr_matrix:
    """Keep the k largest entries of each row (ties: lower column index first)."""
    m = sp.csr_matrix(matrix)
    m.eliminate_zeros()
    lengths = np.diff(m.indptr)
    if m.nnz == 0 or lengths.max() <= k:
        m.sort_indices()
        return m
    if m.nnz * 4 > m.shape[0] * m.shape[1] and m.data.min() > 0:
        return _dense_top_k_rows(m, k)
    m.sort_indices()
    row = np.repeat(np.arange(m.shape[0]), lengths)
    # Two stable sorts: value descending, then row; within a row, equal values keep the order
    # of the sorted indices (lower column first). Exact for any two distinct values.
    order = np.argsort(-m.data, kind="stable")
    order = order[np.argsort(row[order], kind="stable")]
    rank = np.arange(len(order)) - m.indptr[row[order]]
    keep = order[rank < k]
    out = sp.csr_matrix((m.data[keep], (row[keep], m.indices[keep])), shape=m.shape)
    out.sort_indices()
    return out


def _dense_top_k_rows(m: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """`sparse_top_k_rows` of a dense-ish matrix of positive entries, via `top_k_dense` on
    row blocks of at most `MAX_BLOCK_CELLS` cells (a sort of every entry costs more there)."""
    n_rows, n_cols = m.shape
    step = max(1, MAX_BLOCK_CELLS // max(n_cols, 1))
    rows_out, cols_out, vals_out = [], [], []
    for start in range(0, n_rows, step):
        items, vals = top_k_dense(m[start : start + step].toarray(), k)
        keep = (items >= 0) & (vals > 0)
        rows_out.append(np.nonzero(keep)[0] + start)
        cols_out.append(items[keep])
        vals_out.append(vals[keep])
    rows, cols = np.concatenate(rows_out), np.concatenate(cols_out)
    out = sp.csr_matrix((np.concatenate(vals_out), (rows, cols)), shape=m.shape)
    out.sort_indices()
    return out


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """`np.unique` for a 1-d integer array, via one sort (much faster than numpy's hash path)."""
    out = np.sort(np.asarray(values))
    if len(out) < 2:
        return out
    keep = np.empty(len(out), dtype=bool)
    keep[0] = True
    np.not_equal(out[1:], out[:-1], out=keep[1:])
    return out[keep]


def _distinct_rows(matrix: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """(first row of each distinct stored row, group of every row) for a CSR matrix.

    Two rows are the same only if their stored columns and values are identical, in the same
    order, so their products with any matrix are bitwise identical.
    """
    ptr, ind, dat = matrix.indptr, matrix.indices, matrix.data
    seen: dict[bytes, int] = {}
    group = np.empty(matrix.shape[0], dtype=np.int64)
    first: list[int] = []
    for r in range(matrix.shape[0]):
        key = ind[ptr[r] : ptr[r + 1]].tobytes() + dat[ptr[r] : ptr[r + 1]].tobytes()
        g = seen.setdefault(key, len(first))
        if g == len(first):
            first.append(r)
        group[r] = g
    return np.asarray(first, dtype=np.int64), group


def _block_top_k(
    prod: sp.csr_matrix, k: int, self_offset: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k positive entries per row of a sparse block, best first, ties by lower column.

    Equals densifying the block (float32), zeroing column `self_offset + r` of row r when
    `self_offset` is given, taking `top_k_dense` and keeping positive values, but only touches
    the stored entries. Returns (items, values), (n_rows x k), -1 / 0 padded.
    """
    prod = sp.csr_matrix(prod)
    n_rows, n_cols = prod.shape
    row = np.repeat(np.arange(n_rows, dtype=np.int64), np.diff(prod.indptr))
    col = prod.indices.astype(np.int64)
    val = prod.data.astype(np.float32)
    keep = val > 0
    if self_offset is not None:
        keep &= col != row + self_offset
    row, col, val = row[keep], col[keep], val[keep]
    row_bits = max(int(n_rows - 1).bit_length(), 1)
    col_bits = max(int(n_cols - 1).bit_length(), 1)
    if row_bits + col_bits <= 32:
        # One integer sort: row, then value descending (the bits of a positive float32 are
        # monotone in its value), then column.
        inv = (np.uint32(0xFFFFFFFF) - val.view(np.uint32)).astype(np.uint64)
        key = (
            (row.astype(np.uint64) << np.uint64(32 + col_bits))
            | (inv << np.uint64(col_bits))
            | col.astype(np.uint64)
        )
        key.sort()
        row = (key >> np.uint64(32 + col_bits)).astype(np.int64)
        col = (key & np.uint64((1 << col_bits) - 1)).astype(np.int64)
        bits = np.uint32(0xFFFFFFFF) - ((key >> np.uint64(col_bits)) & np.uint64(0xFFFFFFFF))
        val = bits.astype(np.uint32).view(np.float32)
    else:
        order = np.lexsort((col, -val, row))
        row, col, val = row[order], col[order], val[order]
    starts = np.concatenate([[0], np.cumsum(np.bincount(row, minlength=n_rows))[:-1]])
    rank = np.arange(len(row)) - starts[row]
    keep = rank < k
    items = np.full((n_rows, k), -1, dtype=np.int64)
    vals = np.zeros((n_rows, k), dtype=np.float32)
    items[row[keep], rank[keep]] = col[keep]
    vals[row[keep], rank[keep]] = val[keep]
    return items, vals


def blockwise_similarity(
    left: sp.csr_matrix,
    right_t: sp.csr_matrix,
    k: int,
    drop_self: bool = True,
    max_block_cells: int = 20_000_000,
    sparse_top_k: bool | None = None,
) -> sp.csr_matrix:
    """Top-k positive entries per row of left @ right_t, by row blocks; never the full product.

    With `drop_self`, column r of row r is ignored. Two exact ways to cut each block of at most
    `max_block_cells` cells, chosen by catalogue size unless `sparse_top_k` is given:

    - up to `LARGE_CATALOGUE` columns (the shipped data): the block is densified and cut
      with `top_k_dense`;
    - above: the block stays sparse and only its stored entries are ranked (value, then lower
      column), and rows of `left` stored identically (e.g. products with the same description)
      are multiplied once, sharing their top k + 1. Same neighbours and values: both keep the
      lower column among equal values at the k-th place.
    """
    left = sp.csr_matrix(left)
    n_rows, n_cols = left.shape[0], right_t.shape[1]
    if sparse_top_k is None:
        sparse_top_k = n_cols > LARGE_CATALOGUE
    block = max(1, max_block_cells // max(n_cols, 1))
    if not sparse_top_k:
        return _dense_blockwise(left, right_t, k, drop_self, block)
    first, group = _distinct_rows(left)
    shared = len(first) < n_rows
    rows_left = left[first] if shared else left
    k_run = k + 1 if shared and drop_self else k
    items_out, vals_out = [], []
    for start in range(0, rows_left.shape[0], block):
        prod = rows_left[start : start + block] @ right_t
        offset = start if drop_self and not shared else None
        items, vals = _block_top_k(prod, k_run, offset)
        items_out.append(items)
        vals_out.append(vals)
    if not items_out:
        return sp.csr_matrix((n_rows, n_cols), dtype=np.float32)
    items, vals = np.vstack(items_out), np.vstack(vals_out)
    valid = items >= 0
    if shared:
        items, vals, valid = items[group], vals[group], valid[group]
        if drop_self:
            valid &= items != np.arange(n_rows)[:, None]
        valid &= np.cumsum(valid, axis=1) <= k
    r = np.nonzero(valid)[0]
    out = sp.csr_matrix((vals[valid], (r, items[valid])), shape=(n_rows, n_cols))
    out.sort_indices()
    return out


def _dense_blockwise(left, right_t, k, drop_self, block) -> sp.csr_matrix:
    n_rows, n_cols = left.shape[0], right_t.shape[1]
    rows_out, cols_out, vals_out = [], [], []
    for start in range(0, n_rows, block):
        prod = np.asarray((left[start : start + block] @ right_t).toarray(), dtype=np.float32)
        if drop_self:
            r = np.arange(prod.shape[0])
            c = start + r
            ok = c < n_cols
            prod[r[ok], c[ok]] = 0.0
        items, vals = top_k_dense(prod, k)
        keep = (items >= 0) & (vals > 0)
        rows_out.append(np.nonzero(keep)[0] + start)
        cols_out.append(items[keep])
        vals_out.append(vals[keep])
    if not rows_out:
        return sp.csr_matrix((n_rows, n_cols))
    out = sp.csr_matrix(
        (np.concatenate(vals_out), (np.concatenate(rows_out), np.concatenate(cols_out))),
        shape=(n_rows, n_cols),
    )
    out.sort_indices()
    return out


def _zero_columns(matrix: sp.csr_matrix, columns: np.ndarray) -> None:
    """In place: zero entry (r, columns[r]) of each row r (e.g. an item's similarity to itself)."""
    row = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    matrix.data[matrix.indices == np.asarray(columns)[row]] = 0
    matrix.eliminate_zeros()


def _dense_rows(matrix: sp.csr_matrix, rows: np.ndarray) -> np.ndarray:
    return np.asarray(matrix[rows].toarray(), dtype=np.float32)


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


class _SparseRanking(Recommender):
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
        """Ranks the pairs and a short prefix of the fill order (`top_k_over_fill`) when the
        pairs are few; when they are dense (e.g. item-kNN on a small catalogue) the sort would
        cost more than the cells, so the block is densified in sub-blocks of at most
        `MAX_BLOCK_CELLS` and cut by `top_k_dense`. Both give the same lists."""
        seen = self.inter.counts[block] if exclude_seen else None
        row, item, score = self.block_pairs(block)
        n_items = self.inter.n_items
        if len(row) * SPARSE_RANKING_MIN_RATIO <= len(block) * n_items:
            pairs = (row, item, score)
            return top_k_over_fill(len(block), k, pairs, self.fill, self.fill_order, seen)
        order = np.argsort(row, kind="stable")
        row, item, score = row[order], item[order], score[order]
        step = max(1, MAX_BLOCK_CELLS // max(n_items, 1))
        items_out, vals_out = [], []
        for start in range(0, len(block), step):
            stop = min(start + step, len(block))
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


def _tie_break(n: int) -> np.ndarray:
    """A tiny, decreasing-in-index bonus so equal scores rank by item index."""
    return -np.arange(n, dtype=np.float64) * 1e-9


class Popularity(_SparseRanking):
    """Global popularity: distinct customers per item over the whole training period."""

    def __init__(self, **params):
        super().__init__(name="popularity", params=params)

    def _fit(self, inter):
        self.pop = inter.item_popularity() + _tie_break(inter.n_items)
        self._fit_fill(self.pop)

    def score_block(self, rows):
        return np.broadcast_to(self.pop, (len(rows), len(self.pop))).copy()


class RecentPopularity(_SparseRanking):
    """Distinct customers per item over the last `days` days of training."""

    def __init__(self, days: int = 30, **params):
        super().__init__(name="recent_popularity", params={"days": int(days), **params})

    def _fit(self, inter):
        recent = inter.recent_popularity(self.params["days"])
        self.pop = recent + 1e-6 * inter.item_popularity() + _tie_break(inter.n_items)
        self._fit_fill(self.pop)

    def score_block(self, rows):
        return np.broadcast_to(self.pop, (len(rows), len(self.pop))).copy()


class PersonalTopFrequency(_SparseRanking):
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


class _SparseScores(_SparseRanking):
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
        return _stored_pairs(self.score_sparse(block))


class ItemKNN(_SparseScores):
    """Item-based kNN: cosine over customers, top-`neighbours` per item, scores = X @ S."""

    def __init__(self, neighbours: int = 50, **params):
        super().__init__(name="item_knn", params={"neighbours": int(neighbours), **params})

    def _fit(self, inter):
        norm = normalize(inter.binary.T.tocsr(), norm="l2", axis=1)
        self.sim = blockwise_similarity(norm, norm.T.tocsr(), self.params["neighbours"])

    def score_sparse(self, rows):
        return sp.csr_matrix(self.inter.binary_rows(rows) @ self.sim)


class UserKNN(_SparseScores):
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


class EASE(Recommender):
    """EASE (Steck 2019): closed-form item-item ridge regression, dense in items.

    Above `max_items` the model is fitted on the `max_items` most popular items only; the other
    items get no EASE score (-inf when EASE ranks alone, 0 as a hybrid feature).
    """

    def __init__(self, l2: float = 300.0, max_items: int = EASE_MAX_ITEMS_DEFAULT, **params):
        super().__init__(
            name="ease", params={"l2": float(l2), "max_items": int(max_items), **params}
        )

    def _fit(self, inter):
        pop = inter.item_popularity()
        n_head = min(inter.n_items, self.params["max_items"])
        self.head = np.sort(np.argsort(-pop, kind="stable")[:n_head])
        x = inter.binary[:, self.head].astype(np.float64)
        gram = np.asarray((x.T @ x).toarray(), dtype=np.float32)
        gram[np.diag_indices_from(gram)] += self.params["l2"]
        inv = _spd_inverse(gram)
        weights = inv / (-np.diag(inv))
        weights[np.diag_indices_from(weights)] = 0.0
        self.weights = weights.astype(np.float32)
        self.x_head = inter.binary[:, self.head].astype(np.float32).tocsr()

    def head_scores(self, rows) -> np.ndarray:
        return np.asarray(self.x_head[rows] @ self.weights, dtype=np.float32)

    def score_block(self, rows):
        out = np.full((len(rows), self.inter.n_items), -np.inf, dtype=np.float32)
        out[:, self.head] = self.head_scores(rows)
        return out

    def block_width(self) -> int:
        return len(self.head)

    def top_k_block(self, block, k, exclude_seen):
        """Ranks the head columns only: the other items are -inf, which `top_k_dense` never
        returns, and the head is in item order, so ties still go to the lower item index."""
        scores = self.head_scores(block)
        if exclude_seen:
            seen = self.x_head[block].tocoo()
            scores[seen.row, seen.col] = -np.inf
        items, vals = top_k_dense(scores, k)
        return np.where(items >= 0, self.head[np.maximum(items, 0)], -1), vals.astype(np.float64)


def _spd_inverse(matrix: np.ndarray) -> np.ndarray:
    """Inverse of a symmetric positive-definite matrix via Cholesky (float32, in LAPACK)."""
    from scipy.linalg import lapack

    factor, info = lapack.spotrf(np.asfortranarray(matrix), lower=0, overwrite_a=1)
    if info != 0:
        raise np.linalg.LinAlgError(f"Cholesky failed (info={info})")
    inv, info = lapack.spotri(factor, lower=0, overwrite_c=1)
    if info != 0:
        raise np.linalg.LinAlgError(f"inverse failed (info={info})")
    return np.triu(inv) + np.triu(inv, 1).T


class ALS(Recommender):
    """Implicit-feedback ALS (`implicit` package), confidence = alpha * log1p(purchase days).

    BLAS is limited to one thread and `random_state` is fixed, so two fits on the same data give
    the same factors. `implicit` solves each user (item) independently of the others, so its own
    threads (`ALS_THREADS`) do not change the factors: they are bitwise those of one thread.
    """

    rank_by_value = True  # see `top_k_dense`

    def __init__(
        self,
        factors: int = 64,
        regularization: float = 0.05,
        alpha: float = 10.0,
        iterations: int = 15,
        random_state: int = 42,
        **params,
    ):
        super().__init__(
            name="als",
            params={
                "factors": int(factors),
                "regularization": float(regularization),
                "alpha": float(alpha),
                "iterations": int(iterations),
                "random_state": int(random_state),
                **params,
            },
        )

    def _fit(self, inter):
        from implicit.cpu.als import AlternatingLeastSquares
        from threadpoolctl import threadpool_limits

        weighted = inter.counts.astype(np.float32).copy()
        weighted.data = np.log1p(weighted.data)
        p = self.params
        with threadpool_limits(limits=1, user_api="blas"):
            model = AlternatingLeastSquares(
                factors=p["factors"],
                regularization=p["regularization"],
                alpha=p["alpha"],
                iterations=p["iterations"],
                random_state=p["random_state"],
                num_threads=ALS_THREADS,
                calculate_training_loss=False,
            )
            model.fit(weighted, show_progress=False)
        self.user_factors = np.asarray(model.user_factors, dtype=np.float32)
        self.item_factors = np.asarray(model.item_factors, dtype=np.float32)

    def score_block(self, rows):
        return self.user_factors[rows] @ self.item_factors.T

    def score_pairs(self, users: np.ndarray, items: np.ndarray, chunk: int = 65536) -> np.ndarray:
        """Dot product of each (user, item) pair, in chunks (no pairs x factors array)."""
        out = np.empty(len(users), dtype=np.float32)
        for start in range(0, len(users), chunk):
            part = slice(start, start + chunk)
            out[part] = np.einsum(
                "ij,ij->i", self.user_factors[users[part]], self.item_factors[items[part]]
            )
        return out


def content_vectors(inter: Interactions, price_weight: float = 0.5, bands: int = 5):
    """TF-IDF over product descriptions plus a one-hot price band, rows L2-normalised.

    A product whose description has no word (missing, or only digits and signs) gets no vector:
    its price band alone would make it identical (similarity 1) to every such product of the band.
    """
    text = [str(d) if d else "" for d in inter.item_description]
    vectoriser = TfidfVectorizer(
        lowercase=True, ngram_range=(1, 2), min_df=1, sublinear_tf=True, token_pattern=r"[a-z]{2,}"
    )
    empty = sp.csr_matrix((inter.n_items, 0))
    tfidf = vectoriser.fit_transform(text) if any(text) else empty
    price = np.log1p(np.maximum(inter.item_price, 0.0))
    edges = np.unique(np.quantile(price, np.linspace(0, 1, bands + 1)[1:-1])) if len(price) else []
    band = np.searchsorted(edges, price, side="right")
    has_words = np.diff(tfidf.tocsr().indptr) > 0
    onehot = sp.csr_matrix(
        (np.where(has_words, price_weight, 0.0), (np.arange(inter.n_items), band)),
        shape=(inter.n_items, len(edges) + 1),
    )
    onehot.eliminate_zeros()
    return normalize(sp.hstack([tfidf, onehot]).tocsr(), norm="l2", axis=1), band


class ContentKNN(_SparseScores):
    """Content-based: items similar (TF-IDF description + price band) to what the user bought."""

    def __init__(self, neighbours: int = 50, price_weight: float = 0.5, **params):
        super().__init__(
            name="content",
            params={"neighbours": int(neighbours), "price_weight": float(price_weight), **params},
        )

    def _fit(self, inter):
        vectors, self.price_band = content_vectors(inter, self.params["price_weight"])
        self.sim = blockwise_similarity(vectors, vectors.T.tocsr(), self.params["neighbours"])

    def score_sparse(self, rows):
        return sp.csr_matrix(self.inter.binary_rows(rows) @ self.sim)


METHODS: dict[str, type[Recommender]] = {
    "popularity": Popularity,
    "recent_popularity": RecentPopularity,
    "personal_top_frequency": PersonalTopFrequency,
    "item_knn": ItemKNN,
    "user_knn": UserKNN,
    "ease": EASE,
    "als": ALS,
    "content": ContentKNN,
}

BASELINES: tuple[str, ...] = (
    "popularity",
    "recent_popularity",
    "personal_top_frequency",
    "item_knn",
    "ease",
    "als",
)

GRIDS: dict[str, list[dict[str, Any]]] = {
    "popularity": [{}],
    "recent_popularity": [{"days": d} for d in (14, 30, 90)],
    "personal_top_frequency": [{}],
    "item_knn": [{"neighbours": k} for k in (20, 100, 400)],
    "user_knn": [{"neighbours": k} for k in (20, 50, 200)],
    "ease": [{"l2": v} for v in (100.0, 300.0, 1000.0)],
    "als": [
        {"factors": f, "regularization": r, "alpha": a}
        for f in (32, 96)
        for r in (0.05,)
        for a in (5.0, 20.0)
    ],
    "content": [{"neighbours": k} for k in (20, 100)],
}
