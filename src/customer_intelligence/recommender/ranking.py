"""Ranking kernels: exact top-k cuts of dense blocks, pair lists and sparse rows.

Every cut ranks by score descending and breaks ties by the lower item (column) index, so the fast
paths below (value partitions, each row's top k found in linear time before anything is sorted,
packed integer sorts, a fill row plus a few cells) return the same lists as a full stable sort;
tests/unit/recommender/test_scale.py checks each against it. Input: score arrays, (row, item,
score) pair lists or sparse matrices; output: (items, values) arrays of k columns per row,
-1 / -inf padded, or sparse matrices keeping k entries per row.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import scipy.sparse as sp

# Dense work is done on blocks of at most this many user x item cells (64 MB of float64), so the
# transient memory of a block does not grow with the catalogue: 2,048 users at 4,096 items, 167
# users at 50,000 items.
MAX_BLOCK_CELLS = 1 << 23


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


def row_top_k_mask(
    row: np.ndarray,
    col: np.ndarray,
    value: np.ndarray,
    n_rows: int,
    k: int,
    max_cells: int = 1 << 21,
) -> np.ndarray:
    """Which entries of a (row, column, value) list are in their row's top k, without sorting.

    The exact rule of a full sort by (value descending, then lower column): every entry above
    the row's k-th largest value, then the entries equal to it by lower column until the row
    has k. Rows of at most k entries keep everything. The k-th value of each longer row comes
    from a values-only `np.partition` of the rows padded to a common width, rows grouped by
    length (powers of two, so padding at most doubles the cells; at most `max_cells` cells at a
    time); only the entries tied at the k-th value are ordered. Rows are taken in chunks of
    about `max_cells` entries. Cost: linear in the entries, where a sort of them all is
    n log n. No NaN values.
    """
    n = len(row)
    if k <= 0:
        return np.zeros(n, dtype=bool)
    length = np.bincount(row, minlength=n_rows)
    if n == 0 or length.max() <= k:
        return np.ones(n, dtype=bool)
    grouped = bool(np.all(row[1:] >= row[:-1]))
    order = None if grouped else np.argsort(row, kind="stable")
    value = value if grouped else value[order]
    col = col if grouped else col[order]
    keep = np.empty(n, dtype=bool)
    # Chunks of whole rows of about `max_cells` entries: the temporaries stay small.
    ends = np.cumsum(length)
    for first, last in _row_chunks(ends, max_cells):
        lo = ends[first - 1] if first else 0
        hi = ends[last - 1]
        keep[lo:hi] = _grouped_top_k_mask(
            value[lo:hi], col[lo:hi], length[first:last], k, max_cells
        )
    if grouped:
        return keep
    out = np.empty(n, dtype=bool)
    out[order] = keep
    return out


def _row_chunks(ends: np.ndarray, max_entries: int) -> Iterator[tuple[int, int]]:
    """Ranges [first, last) of whole rows holding about `max_entries` entries each (a row
    longer than that is a range of its own); `ends[i]`: the entries of rows 0..i (a CSR indptr
    without its leading 0). Empty rows ride along with their neighbours."""
    total = int(ends[-1]) if len(ends) else 0
    cuts = np.searchsorted(ends, np.arange(max_entries, total, max_entries), side="right")
    first = 0
    for last in [*np.unique(cuts).tolist(), len(ends)]:
        if last > first:
            yield first, last
            first = last


def _csr_chunks(
    m: sp.csr_matrix, max_entries: int
) -> Iterator[tuple[int, int, np.ndarray, np.ndarray, np.ndarray]]:
    """(first, last, row within the chunk, column, value) of the stored entries of a CSR
    matrix, by `_row_chunks` of about `max_entries` entries."""
    for first, last in _row_chunks(m.indptr[1:], max_entries):
        lo, hi = m.indptr[first], m.indptr[last]
        row = np.repeat(np.arange(last - first), np.diff(m.indptr[first : last + 1]))
        yield first, last, row, m.indices[lo:hi], m.data[lo:hi]


def buffered_cells(
    matrix: sp.csr_matrix, row: np.ndarray, col: np.ndarray, values: np.ndarray, max_cells: int
) -> np.ndarray:
    """`values[j]` of the stored entry at each cell (row[j], col[j]) of a CSR matrix without
    duplicate entries (0 / False where nothing is stored), cells sorted by row.

    Each chunk of rows is written into a reused dense buffer (at most `max_cells` cells) and the
    cells read back: linear in the stored entries, where scipy's lookup scans a row per cell.
    """
    n_rows, n_cols = matrix.shape
    out = np.zeros(len(row), dtype=values.dtype)
    step = max(1, max_cells // max(n_cols, 1))
    buffer = np.zeros((min(step, n_rows), n_cols), dtype=values.dtype)
    bounds = np.searchsorted(row, np.arange(0, n_rows + step, step))
    for chunk, start in enumerate(range(0, n_rows, step)):
        lo, hi = bounds[chunk], bounds[chunk + 1]
        stop = min(start + step, n_rows)
        begin, end = matrix.indptr[start], matrix.indptr[stop]
        if lo == hi or begin == end:
            continue
        local = np.repeat(np.arange(stop - start), np.diff(matrix.indptr[start : stop + 1]))
        cols = matrix.indices[begin:end]
        buffer[local, cols] = values[begin:end]
        out[lo:hi] = buffer[row[lo:hi] - start, col[lo:hi]]
        buffer[local, cols] = 0
    return out


def _grouped_top_k_mask(
    value: np.ndarray, col: np.ndarray, length: np.ndarray, k: int, max_cells: int
) -> np.ndarray:
    """`row_top_k_mask` of entries stored row after row (`length` entries per row)."""
    n_rows = len(length)
    keep = np.ones(len(value), dtype=bool)
    long_rows = np.flatnonzero(length > k)
    if len(long_rows) == 0:
        return keep
    starts = np.cumsum(length) - length
    kth = np.full(n_rows, -np.inf, dtype=value.dtype)  # rows of at most k: everything is above
    width_class = np.ceil(np.log2(length[long_rows])).astype(np.int64)
    for level in np.unique(width_class):
        rows_at = long_rows[width_class == level]
        width = int(length[rows_at].max())
        step = max(1, max_cells // width)
        for lo in range(0, len(rows_at), step):
            part = rows_at[lo : lo + step]
            part_length = length[part]
            local = np.repeat(np.arange(len(part)), part_length)
            offsets = np.cumsum(part_length) - part_length
            position = np.arange(len(local)) - np.repeat(offsets, part_length)
            source = np.repeat(starts[part] - offsets, part_length) + np.arange(len(local))
            padded = np.full((len(part), width), -np.inf, dtype=value.dtype)
            padded[local, position] = value[source]
            kth[part] = np.partition(padded, width - k, axis=1)[:, width - k]
    is_long = length > k
    entry_row = np.repeat(np.arange(n_rows), length)
    cut = np.repeat(kth, length)
    above = value > cut
    keep &= above | ~np.repeat(is_long, length)
    # Entries equal to the k-th value of their (long) row: lowest columns first, up to k.
    tied = np.flatnonzero(value == cut)
    tied = tied[is_long[entry_row[tied]]]
    room = k - np.bincount(entry_row[keep], minlength=n_rows)
    tied = tied[np.lexsort((col[tied], entry_row[tied]))]
    tied_row = entry_row[tied]
    rank = np.arange(len(tied)) - np.searchsorted(tied_row, tied_row)
    keep[tied[rank < room[tied_row]]] = True
    return keep


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
    if len(pair_row) > 2 * n_rows * k:
        # Many pairs per row: only each row's top k (exact tie rule) reaches the sort.
        top = row_top_k_mask(pair_row, pair_item, scores, n_rows, k)
        pair_row, pair_item, scores = pair_row[top], pair_item[top], scores[top]
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


def _stored_at(
    matrix: sp.csr_matrix,
    row: np.ndarray,
    col: np.ndarray,
    key: np.ndarray | None = None,
    sorted_keys: np.ndarray | None = None,
    max_cells: int = 1 << 24,
) -> np.ndarray:
    """Whether cell (row[j], col[j]) is stored in `matrix` (`key`: row * columns + col;
    `sorted_keys`: the same keys of the stored cells, sorted; computed when not given).

    Cells grouped by row are looked up in a reused boolean buffer (`buffered_cells`, linear);
    otherwise by binary search (`_is_member`)."""
    n_cols = matrix.shape[1]
    if len(row) > 1 and not bool(np.all(row[1:] >= row[:-1])):
        if key is None:
            key = row.astype(np.int64) * n_cols + col
        if sorted_keys is None:
            stored = matrix.tocoo()
            sorted_keys = np.sort(stored.row.astype(np.int64) * n_cols + stored.col)
        return _is_member(key, sorted_keys)
    return buffered_cells(matrix, row, col, np.ones(matrix.nnz, dtype=bool), max_cells)


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
    ex_key = None
    if excluded is not None:
        ex = excluded.tocoo()
        ex_key = np.sort(ex.row.astype(np.int64) * n_items + ex.col)
        keep = ~_stored_at(sp.csr_matrix(excluded), pair_row, pair_item, pair_key, ex_key)
        pair_row, pair_item, pair_score = pair_row[keep], pair_item[keep], pair_score[keep]
        pair_key = pair_key[keep]
    if len(pair_row) > 2 * n_rows * k:
        keep = _may_reach_top_k(pair_row, pair_item, pair_score, n_rows, k, fill_score)
        pair_row, pair_item, pair_score = pair_row[keep], pair_item[keep], pair_score[keep]
        pair_key = pair_key[keep]
    blocked = np.sort(pair_key)
    if ex_key is not None:
        blocked = unique_sorted(np.concatenate([blocked, ex_key]))
    need = fill_needed(n_rows, k, blocked, fill_order)
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


def _may_reach_top_k(
    pair_row: np.ndarray,
    pair_item: np.ndarray,
    pair_score: np.ndarray,
    n_rows: int,
    k: int,
    fill_score: np.ndarray,
) -> np.ndarray:
    """The pairs of `top_k_over_fill` that may reach their row's top k: those in the row's top k
    among its pairs (`row_top_k_mask`) and those scored below the fill. A pair outside the
    top k of its row's pairs is outside the top k of the row; dropped, its cell takes the fill
    score, which keeps it there as long as that score is not higher."""
    keep = row_top_k_mask(pair_row, pair_item, pair_score, n_rows, k)
    keep |= pair_score < fill_score[pair_item]
    return keep


def fill_needed(n_rows: int, k: int, blocked: np.ndarray, fill_order: np.ndarray) -> np.ndarray:
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


def cells_reaching_top_k(
    matrix: sp.spmatrix,
    k: int,
    fill_score: np.ndarray,
    excluded: sp.csr_matrix | None = None,
    max_entries: int = 1 << 21,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stored cells of a sparse score block (as `stored_pairs`: row, column, float32 value)
    that may reach their row's top k in `top_k_over_fill` with this fill and exclusion; the
    others cannot change the result (`_may_reach_top_k`). Excluded cells are dropped first.
    Rows are taken in chunks of about `max_entries` stored cells, so no copy of the whole
    block is made."""
    m = sp.csr_matrix(matrix)
    ex = sp.csr_matrix(excluded) if excluded is not None else None
    rows_out, cols_out, values_out = [], [], []
    for first, last, row, col, value in _csr_chunks(m, max_entries):
        value = value.astype(np.float32)
        if ex is not None:
            keep = ~_stored_at(ex[first:last], row, col)
            row, col, value = row[keep], col[keep], value[keep]
        if len(row) > 2 * (last - first) * k:
            keep = _may_reach_top_k(row, col, value, last - first, k, fill_score)
            row, col, value = row[keep], col[keep], value[keep]
        rows_out.append(row + first)
        cols_out.append(col.astype(np.int64))
        values_out.append(value)
    if not rows_out:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    return np.concatenate(rows_out), np.concatenate(cols_out), np.concatenate(values_out)


def top_positive_cells(
    matrix: sp.csr_matrix,
    k: int,
    excluded: sp.csr_matrix | None = None,
    max_entries: int = 1 << 21,
) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of the k largest positive stored entries of each row (ties: lower
    column), leaving out the cells stored in `excluded`: the cells `sparse_top_k_rows` keeps
    of the matrix with those cells and the non-positive entries removed, found chunk of rows by
    chunk of rows (about `max_entries` entries each) without a copy of the whole matrix."""
    m = sp.csr_matrix(matrix)
    ex = sp.csr_matrix(excluded) if excluded is not None else None
    rows_out, cols_out = [], []
    for first, last, row, col, value in _csr_chunks(m, max_entries):
        keep = value > 0
        if ex is not None:
            keep &= ~_stored_at(ex[first:last], row, col)
        row, col, value = row[keep], col[keep], value[keep]
        keep = row_top_k_mask(row, col, value, last - first, k)
        rows_out.append(row[keep] + first)
        cols_out.append(col[keep].astype(np.int64))
    if not rows_out:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows_out), np.concatenate(cols_out)


def stored_pairs(matrix: sp.spmatrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, value as float32) of the stored entries of a sparse block, as the dense
    path reads them (`toarray().astype(float32)`), row-major; the columns are the block's own
    index array (read only)."""
    m = sp.csr_matrix(matrix)
    row = np.repeat(np.arange(m.shape[0], dtype=np.int64), np.diff(m.indptr))
    return row, m.indices, m.data.astype(np.float32)


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
    row = np.repeat(np.arange(m.shape[0]), lengths)
    keep = row_top_k_mask(row, m.indices, m.data, m.shape[0], k)
    indptr = np.zeros(m.shape[0] + 1, dtype=m.indptr.dtype)
    np.cumsum(np.bincount(row[keep], minlength=m.shape[0]), out=indptr[1:])
    out = sp.csr_matrix((m.data[keep], m.indices[keep], indptr), shape=m.shape)
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


def partition_top(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The top-k cells of each row as (row, column) pairs, by `argpartition` (which of the
    cells tied at the k-th value are kept is unspecified); row-major."""
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    rows = np.repeat(np.arange(scores.shape[0]), k)
    return rows, part.ravel().astype(np.int64)


def threshold_top(
    scores: np.ndarray, k: int, chunk_cells: int = 1 << 21
) -> tuple[np.ndarray, np.ndarray]:
    """The top-k cells of each row as (row, column) pairs: every cell above the row's k-th
    value, then cells equal to it by lower column. Same set as `partition_top` up to ties at the
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
