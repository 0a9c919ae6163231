"""The scalable paths (large catalogues) agree with the exact ones and switch on by size only."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from customer_intelligence.recommender import (
    base,
    candidates,
    neighbours,
    ranking,
    signals,
    similarity,
)
from customer_intelligence.recommender.base import Recommender
from customer_intelligence.recommender.candidates import (
    als_top,
    candidate_features,
    candidate_features_blocked,
)
from customer_intelligence.recommender.data import build_interactions
from customer_intelligence.recommender.factorisation import EASE
from customer_intelligence.recommender.hybrid import Hybrid
from customer_intelligence.recommender.method_index import METHODS
from customer_intelligence.recommender.neighbours import NeighbourMemo, UserKNN
from customer_intelligence.recommender.ranking import (
    fill_needed,
    partition_top,
    ranked_items,
    row_top_k_mask,
    sparse_top_k_rows,
    threshold_top,
    top_k_dense,
    top_k_over_fill,
    top_k_pairs,
    unique_sorted,
)
from customer_intelligence.recommender.signals import als_candidate_items
from customer_intelligence.recommender.similarity import blockwise_similarity
from customer_intelligence.recommender.tuning import FitCache

AS_OF = pd.Timestamp("2011-10-01")
PARAMS = {"als": {"factors": 8, "iterations": 3}, "item_knn": {"neighbours": 10}}


def _tie_free(n_rows=300, n_cols=200, seed=3) -> sp.csr_matrix:
    return sp.random(n_rows, n_cols, density=0.05, random_state=seed, format="csr")


@pytest.mark.parametrize("k", [1, 5, 40])
def test_sparse_similarity_cut_equals_dense_cut(k):
    m = _tie_free()
    dense = blockwise_similarity(m, m.T.tocsr(), k, sparse_top_k=False, max_block_cells=5000)
    sparse = blockwise_similarity(m, m.T.tocsr(), k, sparse_top_k=True, max_block_cells=5000)
    assert dense.nnz == sparse.nnz
    assert (dense != sparse).nnz == 0


def test_identical_rows_share_their_product_exactly(monkeypatch):
    m = _tie_free()
    doubled = sp.vstack([m, m[:50]]).tocsr()
    shared = blockwise_similarity(doubled, doubled.T.tocsr(), 7, sparse_top_k=True)
    monkeypatch.setattr(
        similarity, "distinct_rows", lambda x: (np.arange(x.shape[0]), np.arange(x.shape[0]))
    )
    alone = blockwise_similarity(doubled, doubled.T.tocsr(), 7, sparse_top_k=True)
    assert (shared != alone).nnz == 0
    assert shared.diagonal().max() == 0  # each row dropped itself, not its twin
    assert shared[0, 300] > 0  # row 0's twin is its best neighbour


def test_sparse_cut_breaks_ties_by_lower_column():
    m = sp.csr_matrix(np.array([[0.0, 2.0, 1.0, 1.0, 1.0]]))
    out = blockwise_similarity(
        m, sp.identity(5, format="csr"), 3, drop_self=False, sparse_top_k=True
    )
    assert out.indices.tolist() == [1, 2, 3]


def test_similarity_switches_to_sparse_above_the_catalogue_threshold(monkeypatch):
    calls = []
    real = similarity.dense_blockwise_similarity
    monkeypatch.setattr(
        similarity, "dense_blockwise_similarity", lambda *a: calls.append(1) or real(*a)
    )
    m = _tie_free(50, 30)
    blockwise_similarity(m, m.T.tocsr(), 5)  # 50 columns: far below the threshold
    assert calls == [1]
    monkeypatch.setattr(similarity, "LARGE_CATALOGUE", 40)
    blockwise_similarity(m, m.T.tocsr(), 5)
    assert calls == [1]


def test_threshold_top_equals_argpartition_set_without_ties():
    scores = np.random.default_rng(0).random((64, 500)).astype(np.float32)
    scores[3, :] = -np.inf
    scores[5, :10] = -np.inf
    for k in (1, 10, 50):
        r1, c1 = partition_top(scores, k)
        r2, c2 = threshold_top(scores, k, chunk_cells=2000)
        finite = np.isfinite(scores[r1, c1])
        assert set(zip(r1[finite], c1[finite], strict=True)) == set(
            (a, b) for a, b in zip(r2, c2, strict=True) if np.isfinite(scores[a, b])
        )
        assert len(r2) == 64 * k


def test_threshold_top_breaks_ties_by_lower_column():
    rows, cols = threshold_top(np.array([[0.0, 5.0, 1.0, 1.0, 1.0, 0.0]]), 3)
    assert sorted(cols.tolist()) == [1, 2, 3]


def test_unique_sorted_matches_numpy():
    x = np.random.default_rng(1).integers(0, 50, 1000)
    np.testing.assert_array_equal(unique_sorted(x), np.unique(x))
    assert len(unique_sorted(np.array([], dtype=np.int64))) == 0


def test_binary_rows_matches_binary(lines):
    inter = build_interactions(lines, AS_OF)
    rows = np.array([5, 0, 3])
    assert (inter.binary_rows(rows) != inter.binary[rows]).nnz == 0


def test_als_candidates_use_the_popular_head_above_the_threshold(lines, monkeypatch):
    inter = build_interactions(lines, AS_OF)
    pop = inter.item_popularity()
    assert als_candidate_items(inter.n_items, pop) is None  # shipped-size path: all items
    monkeypatch.setattr(signals, "LARGE_CATALOGUE", 10)
    monkeypatch.setattr(candidates, "LARGE_CATALOGUE", 10)
    monkeypatch.setattr(signals, "ALS_CANDIDATE_MAX_ITEMS", 8)
    head = als_candidate_items(inter.n_items, pop)
    assert len(head) == 8
    assert set(head) == set(np.argsort(-pop, kind="stable")[:8])
    model = Hybrid(PARAMS).fit(inter)
    assert model.components.als_head is not None
    users = np.arange(inter.n_users)
    pr, pi, f = candidate_features(model.components, users, 5, exclude_seen=True)
    assert len(pr) and np.isfinite(f).all()
    items, _ = als_top(
        model.components.als, users, inter.binary_rows(users), 5, True, model.components.als_head
    )
    assert np.isin(items[items >= 0], head).all()


def test_blocked_candidate_features_equal_one_block(lines):
    inter = build_interactions(lines, AS_OF)
    comp = Hybrid(PARAMS).fit(inter).components
    users = np.arange(inter.n_users)
    one = candidate_features(comp, users, 5, exclude_seen=False)
    blocked = candidate_features_blocked(comp, users, 5, exclude_seen=False, block=7)
    for a, b in zip(one, blocked, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("exclude_seen", [False, True])
def test_shared_pattern_lookup_equals_sparse_lookup(lines, exclude_seen):
    inter = build_interactions(lines, AS_OF)
    comp = Hybrid(PARAMS).fit(inter).components
    assert comp.shared_pattern
    users = np.array([4, 0, 9, 2, 30])
    fast = candidate_features(comp, users, 5, exclude_seen)
    comp.shared_pattern = False
    slow = candidate_features(comp, users, 5, exclude_seen)
    for a, b in zip(fast, slow, strict=True):
        np.testing.assert_array_equal(a, b)


def test_user_knn_searches_neighbours_in_a_capped_pool_of_active_customers(lines, monkeypatch):
    inter = build_interactions(lines, AS_OF)
    rows = np.arange(inter.n_users)
    uncapped = UserKNN(neighbours=5).fit(inter)
    assert len(uncapped.pool) == inter.n_users
    monkeypatch.setattr(neighbours, "USER_KNN_MAX_POOL", 10)
    capped = UserKNN(neighbours=5).fit(inter)
    assert len(capped.pool) == 10
    activity = np.diff(inter.binary.indptr)
    assert activity[capped.pool].min() >= np.delete(activity, capped.pool).max()
    # Scores only come from the pool's purchases, and differ from the uncapped model's.
    scores = capped.score_block(rows)
    bought_by_pool = np.asarray(inter.binary[capped.pool].sum(axis=0)).ravel() > 0
    assert (scores[:, ~bought_by_pool] == 0).all() and scores.any()
    assert not np.array_equal(scores, uncapped.score_block(rows))
    # A pooled customer is not its own neighbour: with one neighbour, its scores are another
    # customer's basket, never exactly its own when no one else bought the same set.
    baskets = inter.binary.toarray()
    nearest = UserKNN(neighbours=1).fit(inter)
    unique = [row for row in capped.pool if (baskets == baskets[row]).all(axis=1).sum() == 1]
    assert unique
    for row in unique:
        one = nearest.score_block(np.array([row]))[0]
        assert not np.array_equal(one > 0, baskets[row] > 0)


def test_dense_scoring_blocks_are_bounded_in_cells_without_changing_lists(lines, monkeypatch):
    # EASE: the one dense path whose scores are bitwise independent of the block size (ALS's
    # float32 matrix product is not: BLAS blocks differently).
    inter = build_interactions(lines, AS_OF)
    model = EASE().fit(inter)
    scorer = "head_scores"
    rows = np.arange(inter.n_users)
    whole = model.recommend(rows, 7, exclude_seen=True)
    seen_blocks = []
    score = getattr(model, scorer)
    monkeypatch.setattr(model, scorer, lambda b: seen_blocks.append(len(b)) or score(b))
    monkeypatch.setattr(base, "MAX_BLOCK_CELLS", 3 * model.block_width() + 1)  # 3 users
    small = model.recommend(rows, 7, exclude_seen=True)
    assert max(seen_blocks) == 3
    for a, b in zip(whole, small, strict=True):
        np.testing.assert_array_equal(a, b)


def _reference_top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Stable full sort: score descending, lower index first; -1 / -inf for -inf and padding."""
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    vals = np.take_along_axis(scores, order, axis=1)
    items = np.where(np.isfinite(vals), order, -1)
    pad = k - items.shape[1]
    if pad > 0:
        items = np.hstack([items, np.full((len(items), pad), -1)])
        vals = np.hstack([vals, np.full((len(vals), pad), -np.inf)])
    return items, vals


@pytest.mark.parametrize("by_value", [False, True])
@pytest.mark.parametrize("k", [1, 3, 8, 12])
def test_top_k_dense_keeps_the_lowest_index_among_ties_at_the_cut(k, by_value):
    rng = np.random.default_rng(k)
    scores = rng.integers(0, 3, (200, 9)).astype(np.float64)  # many ties at every place
    scores[rng.random(scores.shape) < 0.2] = -np.inf
    items, vals = top_k_dense(scores, k, by_value=by_value)
    expected_items, expected_vals = _reference_top_k(scores, k)
    np.testing.assert_array_equal(items, expected_items)
    np.testing.assert_array_equal(vals, expected_vals)


@pytest.mark.parametrize("k", [1, 10, 64])
def test_top_k_dense_by_value_equals_argpartition_on_float32_scores(k):
    rng = np.random.default_rng(k)
    scores = rng.standard_normal((300, 500)).astype(np.float32)
    scores[:, 7] = scores[:, 3]  # one exact tie per row
    scores[rng.random(scores.shape) < 0.05] = -np.inf
    scores[0] = -np.inf  # a row with nothing to recommend
    by_partition = top_k_dense(scores, k)
    by_value = top_k_dense(scores, k, by_value=True)
    np.testing.assert_array_equal(by_value[0], by_partition[0])
    np.testing.assert_array_equal(by_value[1], by_partition[1])


@pytest.mark.parametrize("k", [1, 4, 30])
def test_top_k_over_fill_equals_the_dense_cut(k):
    rng = np.random.default_rng(k)
    n_rows, n_items = 50, 25
    fill = rng.integers(0, 4, n_items).astype(np.float64)  # ties in the fill order
    cells = rng.random((n_rows, n_items))
    pairs = np.nonzero(cells < 0.15)
    pair_score = rng.integers(0, 6, len(pairs[0])).astype(np.float64)
    blocked = cells > 0.8
    blocked[0, :] = True  # a row with nothing left: all -1
    excluded = sp.csr_matrix(blocked)
    with_pairs = np.tile(fill, (n_rows, 1))
    with_pairs[pairs] = pair_score
    without_excluded = np.where(blocked, -np.inf, with_pairs)
    order = ranked_items(fill)
    for ex, reference in ((None, with_pairs), (excluded, without_excluded)):
        got = top_k_over_fill(n_rows, k, (*pairs, pair_score), fill, order, ex)
        expected = _reference_top_k(reference, k)
        np.testing.assert_array_equal(got[0], expected[0])
        np.testing.assert_array_equal(got[1], expected[1])


def test_fill_prefix_is_the_shortest_holding_k_free_items():
    order = np.array([4, 0, 3, 1, 2, 5])  # fill order of 6 items
    n_items = len(order)
    blocked = np.sort(np.array([0 * n_items + 4, 0 * n_items + 3, 1 * n_items + 5]))
    # Row 0: items 4 and 3 (positions 0 and 2) blocked -> 2 free items need positions 0..3.
    # Row 1: item 5 (position 5) blocked, beyond the first two -> 2 suffice. Row 2: nothing.
    np.testing.assert_array_equal(fill_needed(3, 2, blocked, order), [4, 2, 2])


@pytest.mark.parametrize("name", [m for m in METHODS if m != "als"])  # ALS is dense
@pytest.mark.parametrize("exclude_seen", [False, True])
@pytest.mark.parametrize("ratio", [0, base.SPARSE_RANKING_MIN_RATIO, 10**9])
def test_every_method_ranks_exactly_as_its_dense_scores(
    lines, name, exclude_seen, ratio, monkeypatch
):
    """Sparse fast paths (fill order + candidate cells, or head columns) change no list."""
    inter = build_interactions(lines, AS_OF)
    model = METHODS[name]().fit(inter)
    monkeypatch.setattr(base, "SPARSE_RANKING_MIN_RATIO", ratio)
    rows = np.arange(inter.n_users)
    for k in (5, inter.n_items + 3):
        got = model.recommend(rows, k, exclude_seen=exclude_seen, block_size=16)
        expected = Recommender.top_k_block(model, rows, k, exclude_seen)
        np.testing.assert_array_equal(got[0], expected[0])
        np.testing.assert_array_equal(got[1], expected[1])


def test_packed_top_k_pairs_equals_the_lexsort_order():
    rng = np.random.default_rng(5)
    n_rows, n_items = 40, 300
    cells = np.unique(rng.integers(0, n_rows * n_items, 3000))
    row, item = cells // n_items, cells % n_items
    score = rng.integers(-3, 4, len(cells)).astype(np.float32).astype(np.float64) / 4
    score[::17] = -np.inf
    score[::23] = -0.0
    got = top_k_pairs(row, item, score, n_rows, 12)
    dense = np.full((n_rows, n_items), np.nan)
    dense[row, item] = score
    for r in range(n_rows):
        stored = np.flatnonzero(~np.isnan(dense[r]))
        order = stored[np.lexsort((stored, -dense[r, stored]))][:12]
        np.testing.assert_array_equal(got[0][r, : len(order)], order)
        np.testing.assert_array_equal(got[1][r, : len(order)], dense[r, order])
        assert (got[0][r, len(order) :] == -1).all()


@pytest.mark.parametrize("k", [1, 6, 50])
def test_dense_and_sparse_neighbour_cuts_agree(k):
    rng = np.random.default_rng(k)
    full = rng.integers(0, 5, (30, 60)).astype(np.float64) / 4  # 20% zeros, many ties
    dense_cut = sparse_top_k_rows(sp.csr_matrix(full), k)  # dense branch
    sparse_input = full * (rng.random(full.shape) < 0.2)
    sparse_cut = sparse_top_k_rows(sp.csr_matrix(sparse_input), k)  # sparse branch
    for matrix, cut in ((full, dense_cut), (sparse_input, sparse_cut)):
        expected = np.zeros_like(matrix)
        for r in range(len(matrix)):
            keep = np.lexsort((np.arange(matrix.shape[1]), -matrix[r]))[:k]
            expected[r, keep] = matrix[r, keep]
        np.testing.assert_array_equal(cut.toarray(), expected)


def test_sparse_cut_orders_values_one_ulp_apart_exactly():
    value = 0.3
    above = np.nextafter(value, 1.0)
    matrix = sp.lil_matrix((1001, 50))
    matrix[1000, [1, 3, 4]] = [value, above, 0.1]  # a late row: row + value as one key would tie
    cut = sparse_top_k_rows(matrix.tocsr(), 1)  # sparse branch
    assert cut[1000].indices.tolist() == [3]


@pytest.mark.parametrize("density", [0.2, 0.9])
def test_a_cut_of_a_larger_cut_is_the_smaller_cut(density):
    rng = np.random.default_rng(3)
    matrix = rng.integers(1, 6, (40, 80)) / 5 * (rng.random((40, 80)) < density)
    matrix = sp.csr_matrix(matrix)  # many ties; density 0.9 takes the dense branch
    wide = sparse_top_k_rows(matrix, 30)
    for k in (1, 5, 12, 30):
        np.testing.assert_array_equal(
            sparse_top_k_rows(wide, k).toarray(),
            sparse_top_k_rows(matrix, k).toarray(),
        )


def test_user_knn_grid_sharing_one_neighbour_cut_gives_the_same_lists(lines):
    inter = build_interactions(lines, pd.Timestamp("2011-10-28"))
    rows = np.arange(inter.n_users)
    memo = NeighbourMemo(12)
    for k in (2, 5, 12):
        alone = UserKNN(neighbours=k).fit(inter)
        shared = UserKNN(neighbours=k).fit(inter)
        shared.shared_neighbours = memo
        for exclude_seen in (False, True):
            expected = alone.recommend(rows, 10, exclude_seen, block_size=16)
            got = shared.recommend(rows, 10, exclude_seen, block_size=16)
            np.testing.assert_array_equal(got[0], expected[0])
            np.testing.assert_array_equal(got[1], expected[1])
    assert len(memo.blocks) == -(-inter.n_users // 16)  # computed once per block


@pytest.mark.parametrize("sparse_top_k", [False, True])
def test_item_knn_grid_cut_from_its_largest_fit_is_the_same_model(lines, sparse_top_k, monkeypatch):
    """A tuning grid fits item-kNN once, at its most neighbours, and cuts the others from it:
    same similarity and lists as fitting each alone, on both similarity paths."""
    monkeypatch.setattr(
        similarity, "LARGE_CATALOGUE", 0 if sparse_top_k else similarity.LARGE_CATALOGUE
    )
    inter = build_interactions(lines, pd.Timestamp("2011-10-28"))
    rows = np.arange(inter.n_users)
    cache = FitCache()
    largest = cache("item_knn", {"neighbours": 40}, inter)
    for k in (1, 5, 12, 40):
        alone = neighbours.ItemKNN(neighbours=k).fit(inter)
        shared = cache("item_knn", {"neighbours": k}, inter)
        assert shared.cut_from is (largest if k < 40 else None)
        assert (alone.sim != shared.sim).nnz == 0
        for exclude_seen in (False, True):
            expected = alone.recommend(rows, 10, exclude_seen, block_size=16)
            got = shared.recommend(rows, 10, exclude_seen, block_size=16)
            np.testing.assert_array_equal(got[0], expected[0])
            np.testing.assert_array_equal(got[1], expected[1])


def _reference_row_top_k(row, col, value, n_rows, k):
    """The entries a full sort by (row, value descending, column) puts in each row's first k."""
    order = np.lexsort((col, -value, row))
    sorted_rows = row[order]
    rank = np.arange(len(order)) - np.searchsorted(sorted_rows, sorted_rows)
    keep = np.zeros(len(row), dtype=bool)
    keep[order[rank < k]] = True
    return keep


@pytest.mark.parametrize("grouped", [True, False])
@pytest.mark.parametrize("seed", range(6))
def test_row_top_k_mask_equals_a_full_sort_with_ties(seed, grouped):
    rng = np.random.default_rng(seed)
    n_rows, n_cols = 40, 70
    cells = np.unique(rng.integers(0, n_rows * n_cols, 1500))
    row, col = cells // n_cols, cells % n_cols
    value = rng.integers(-3, 4, len(cells)).astype(np.float32) / 2  # ties at every place
    value[rng.random(len(value)) < 0.05] = -np.inf
    value[rng.random(len(value)) < 0.05] = -0.0
    if not grouped:
        shuffle = rng.permutation(len(row))
        row, col, value = row[shuffle], col[shuffle], value[shuffle]
    for k in (0, 1, 3, 10, 35, 100):
        for max_cells in (1, 64, 1 << 22):  # one row at a time, a few, all
            np.testing.assert_array_equal(
                row_top_k_mask(row, col, value, n_rows, k, max_cells=max_cells),
                _reference_row_top_k(row, col, value, n_rows, k),
            )


def test_row_top_k_mask_keeps_the_lower_column_among_ties_at_the_cut():
    row = np.zeros(6, dtype=np.int64)
    col = np.array([5, 4, 3, 2, 1, 0])
    value = np.array([1.0, 2.0, 1.0, 1.0, 0.5, 1.0])
    keep = row_top_k_mask(row, col, value, 1, 3)
    assert sorted(col[keep].tolist()) == [0, 2, 4]


@pytest.mark.parametrize("max_cells", [1, 50, 1 << 22])
def test_row_normalised_cells_equal_the_normalised_matrix(max_cells, monkeypatch):
    rng = np.random.default_rng(max_cells)
    matrix = sp.random(60, 40, density=0.3, random_state=2, format="csr")
    matrix.data = rng.integers(-3, 4, matrix.nnz) / 3  # negatives, explicit zeros
    matrix = matrix[rng.permutation(60)][:, rng.permutation(40)]  # unsorted indices
    matrix.indices = matrix.indices.copy()
    matrix.has_sorted_indices = False
    cells = np.unique(rng.integers(0, 60 * 40, 900))
    row, item = cells // 40, cells % 40
    row_max = np.asarray(abs(matrix).max(axis=1).toarray()).ravel()
    row_max[row_max == 0] = 1.0
    normalised = sp.csr_matrix(sp.diags(1.0 / row_max) @ matrix)
    real = candidates._stored_values
    monkeypatch.setattr(
        candidates, "_stored_values", lambda m, r, i: real(m, r, i, max_cells=max_cells)
    )
    np.testing.assert_array_equal(
        candidates._row_normalised_cells(matrix, row, item),
        candidates.cell_values(normalised, row, item),
    )


@pytest.mark.parametrize("k", [1, 3, 7])
def test_top_k_over_fill_prunes_many_pairs_exactly(k):
    """Rows with many pairs (pruned to their top k before the search), ties everywhere, some
    pairs scored below the fill and some cells excluded."""
    rng = np.random.default_rng(10 + k)
    n_rows, n_items = 40, 60
    fill = rng.integers(0, 3, n_items).astype(np.float64)
    pairs = np.nonzero(rng.random((n_rows, n_items)) < 0.7)
    pair_score = rng.integers(-1, 5, len(pairs[0])).astype(np.float32)
    blocked = rng.random((n_rows, n_items)) < 0.1
    blocked[1, :] = True
    with_pairs = np.tile(fill, (n_rows, 1))
    with_pairs[pairs] = pair_score
    order = ranked_items(fill)
    for ex, reference in (
        (None, with_pairs),
        (sp.csr_matrix(blocked), np.where(blocked, -np.inf, with_pairs)),
    ):
        got = top_k_over_fill(n_rows, k, (*pairs, pair_score), fill, order, ex)
        expected = _reference_top_k(reference, k)
        np.testing.assert_array_equal(got[0], expected[0])
        np.testing.assert_array_equal(got[1], expected[1])


@pytest.mark.parametrize("max_cells", [1, 30, 1 << 24])
def test_stored_cell_lookup_by_buffer_equals_binary_search(max_cells):
    rng = np.random.default_rng(max_cells)
    matrix = sp.random(30, 20, density=0.2, random_state=4, format="csr")
    cells = np.unique(rng.integers(0, 30 * 20, 300))  # grouped by row
    row, col = cells // 20, cells % 20
    coo = matrix.tocoo()
    stored = np.sort(coo.row.astype(np.int64) * 20 + coo.col)
    np.testing.assert_array_equal(
        ranking._stored_at(matrix, row, col, cells, stored, max_cells=max_cells),
        ranking._is_member(cells, stored),
    )


@pytest.mark.parametrize("max_entries", [1, 40, 1 << 21])
@pytest.mark.parametrize("k", [1, 4])
def test_cells_reaching_top_k_keep_the_dense_cut(k, max_entries):
    """Sparse scores cut chunk of rows by chunk of rows, seen cells dropped: same lists as the
    dense cut of the full scores."""
    rng = np.random.default_rng(k)
    n_rows, n_items = 30, 50
    scores = rng.integers(0, 4, (n_rows, n_items)) * (rng.random((n_rows, n_items)) < 0.6) / 4
    seen = sp.csr_matrix(rng.random((n_rows, n_items)) < 0.15)
    fill = np.zeros(n_items)
    order = ranked_items(fill)
    for ex in (None, seen):
        pairs = ranking.cells_reaching_top_k(
            sp.csr_matrix(scores), k, fill, ex, max_entries=max_entries
        )
        got = top_k_over_fill(n_rows, k, pairs, fill, order, ex)
        reference = scores.astype(np.float32).astype(np.float64)
        if ex is not None:
            reference = np.where(seen.toarray(), -np.inf, reference)
        expected = _reference_top_k(reference, k)
        np.testing.assert_array_equal(got[0], expected[0])
        np.testing.assert_array_equal(got[1], expected[1])


@pytest.mark.parametrize("max_entries", [1, 40, 1 << 21])
def test_top_positive_cells_equal_the_masked_cut(max_entries):
    rng = np.random.default_rng(max_entries)
    scores = sp.csr_matrix(rng.integers(-1, 4, (30, 50)) * (rng.random((30, 50)) < 0.6) / 4)
    history = sp.csr_matrix((rng.random((30, 50)) < 0.2).astype(np.float64))
    for k in (1, 5, 60):
        for excluded in (None, history):
            masked = sp.csr_matrix(scores - history * 1e9 if excluded is not None else scores)
            masked.data[masked.data < 0] = 0
            masked.eliminate_zeros()
            expected = sparse_top_k_rows(masked, k).tocoo()
            row, col = ranking.top_positive_cells(scores, k, excluded, max_entries=max_entries)
            assert sorted(zip(row.tolist(), col.tolist(), strict=True)) == sorted(
                zip(expected.row.tolist(), expected.col.tolist(), strict=True)
            )


def test_similarity_assembled_in_row_chunks_is_the_same(monkeypatch):
    m = _tie_free()
    doubled = sp.vstack([m, m[:50]]).tocsr()  # shared rows
    for left in (m, doubled):
        whole = blockwise_similarity(left, left.T.tocsr(), 7, sparse_top_k=True)
        monkeypatch.setattr(similarity, "OUTPUT_CHUNK_ROWS", 7)
        chunked = blockwise_similarity(left, left.T.tocsr(), 7, sparse_top_k=True)
        monkeypatch.undo()
        assert whole.nnz == chunked.nnz
        assert (whole != chunked).nnz == 0
        np.testing.assert_array_equal(whole.indptr, chunked.indptr)
