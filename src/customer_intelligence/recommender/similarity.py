"""Item-item (or row-row) similarities cut to the top k per row, block by block.

Input: two sparse matrices whose product is the similarity (e.g. L2-normalised item vectors and
their transpose); output: a CSR matrix keeping the k largest positive entries of each row (ties:
lower column), so no full rows x columns product is ever built. Up to `LARGE_CATALOGUE` columns
each block is densified and cut with `top_k_dense`; above it the block stays sparse (same result).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from customer_intelligence.recommender.ranking import row_top_k_mask, top_k_dense

# Catalogue size above which the exact-but-slow paths switch to their scalable forms: sparse
# cuts of item-item similarities (here) and, in the hybrid, threshold top-k for EASE candidates
# and ALS candidates from the popular head (candidates.py). The shipped data (about 4k
# products) is far below it, so its results come from the original paths.
LARGE_CATALOGUE = 20_000
# Rows of the similarity assembled at a time from the per-row neighbour arrays.
OUTPUT_CHUNK_ROWS = 4096


def distinct_rows(matrix: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
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
    val = prod.data.astype(np.float32)
    # Entries that may not be kept rank last (-inf) and are dropped after the cut, which keeps
    # each row's top k (exact tie rule) in linear time: only those reach the sort below.
    drop = ~(val > 0)
    if self_offset is not None:
        drop |= prod.indices == row + self_offset
    val[drop] = -np.inf
    top = row_top_k_mask(row, prod.indices, val, n_rows, k)
    top &= ~drop
    row, col, val = row[top], prod.indices[top].astype(np.int64), val[top]
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
      with `top_k_dense` (`dense_blockwise_similarity`);
    - above: the block stays sparse and only its stored entries are ranked (value, then lower
      column), and rows of `left` stored identically (e.g. products with the same description)
      are multiplied once, sharing their top k + 1 (`sparse_blockwise_similarity`). Same
      neighbours and values: both keep the lower column among equal values at the k-th place.
    """
    left = sp.csr_matrix(left)
    n_cols = right_t.shape[1]
    if sparse_top_k is None:
        sparse_top_k = n_cols > LARGE_CATALOGUE
    block = max(1, max_block_cells // max(n_cols, 1))
    if not sparse_top_k:
        return dense_blockwise_similarity(left, right_t, k, drop_self, block)
    return sparse_blockwise_similarity(left, right_t, k, drop_self, block)


def sparse_blockwise_similarity(
    left: sp.csr_matrix, right_t: sp.csr_matrix, k: int, drop_self: bool, block: int
) -> sp.csr_matrix:
    """`blockwise_similarity` ranking only the stored entries of each block of `block` rows;
    identical rows of `left` are multiplied once."""
    n_rows, n_cols = left.shape[0], right_t.shape[1]
    first, group = distinct_rows(left)
    shared = len(first) < n_rows
    rows_left = left[first] if shared else left
    k_run = k + 1 if shared and drop_self else k
    if rows_left.shape[0] == 0:
        return sp.csr_matrix((n_rows, n_cols), dtype=np.float32)
    items = np.empty((rows_left.shape[0], k_run), dtype=np.int64)
    vals = np.empty((rows_left.shape[0], k_run), dtype=np.float32)
    for start in range(0, rows_left.shape[0], block):
        prod = rows_left[start : start + block] @ right_t
        offset = start if drop_self and not shared else None
        stop = start + prod.shape[0]
        items[start:stop], vals[start:stop] = _block_top_k(prod, k_run, offset)
    # Each row's neighbours (its group's, without itself, at most k), a chunk of rows at a
    # time, straight into CSR arrays.
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    indices_out, data_out = [], []
    for start in range(0, n_rows, OUTPUT_CHUNK_ROWS):
        stop = min(start + OUTPUT_CHUNK_ROWS, n_rows)
        source = group[start:stop] if shared else slice(start, stop)
        chunk_items, chunk_vals = items[source], vals[source]
        valid = chunk_items >= 0
        if shared:
            if drop_self:
                valid &= chunk_items != np.arange(start, stop)[:, None]
            valid &= np.cumsum(valid, axis=1) <= k
        indptr[start + 1 : stop + 1] = valid.sum(axis=1)
        indices_out.append(chunk_items[valid])
        data_out.append(chunk_vals[valid])
    np.cumsum(indptr, out=indptr)
    out = sp.csr_matrix(
        (np.concatenate(data_out), np.concatenate(indices_out), indptr), shape=(n_rows, n_cols)
    )
    out.sort_indices()
    return out


def dense_blockwise_similarity(
    left: sp.csr_matrix, right_t: sp.csr_matrix, k: int, drop_self: bool, block: int
) -> sp.csr_matrix:
    """`blockwise_similarity` densifying each block of `block` rows (float32) for `top_k_dense`."""
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
