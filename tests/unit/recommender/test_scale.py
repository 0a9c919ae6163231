"""The scalable paths (large catalogues) agree with the exact ones and switch on by size only."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from customer_intelligence.recommender import hybrid, methods
from customer_intelligence.recommender.data import build_interactions
from customer_intelligence.recommender.hybrid import (
    Hybrid,
    _dense_top,
    als_candidate_items,
    candidate_features,
    candidate_features_blocked,
    threshold_top,
)
from customer_intelligence.recommender.methods import blockwise_similarity, unique_sorted

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
        methods, "_distinct_rows", lambda x: (np.arange(x.shape[0]), np.arange(x.shape[0]))
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
    real = methods._dense_blockwise
    monkeypatch.setattr(methods, "_dense_blockwise", lambda *a: calls.append(1) or real(*a))
    m = _tie_free(50, 30)
    blockwise_similarity(m, m.T.tocsr(), 5)  # 50 columns: far below the threshold
    assert calls == [1]
    monkeypatch.setattr(methods, "LARGE_CATALOGUE", 40)
    blockwise_similarity(m, m.T.tocsr(), 5)
    assert calls == [1]


def test_threshold_top_equals_argpartition_set_without_ties():
    scores = np.random.default_rng(0).random((64, 500)).astype(np.float32)
    scores[3, :] = -np.inf
    scores[5, :10] = -np.inf
    for k in (1, 10, 50):
        r1, c1 = _dense_top(scores, k)
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
    monkeypatch.setattr(hybrid, "LARGE_CATALOGUE", 10)
    monkeypatch.setattr(hybrid, "ALS_CANDIDATE_MAX_ITEMS", 8)
    head = als_candidate_items(inter.n_items, pop)
    assert len(head) == 8
    assert set(head) == set(np.argsort(-pop, kind="stable")[:8])
    model = Hybrid(PARAMS).fit(inter)
    assert model.components.als_head is not None
    users = np.arange(inter.n_users)
    pr, pi, f = candidate_features(model.components, users, 5, exclude_seen=True)
    assert len(pr) and np.isfinite(f).all()
    items, _ = hybrid._als_top(
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
    uncapped = methods.UserKNN(neighbours=5).fit(inter)
    assert len(uncapped.pool) == inter.n_users
    monkeypatch.setattr(methods, "USER_KNN_MAX_POOL", 10)
    capped = methods.UserKNN(neighbours=5).fit(inter)
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
    nearest = methods.UserKNN(neighbours=1).fit(inter)
    unique = [row for row in capped.pool if (baskets == baskets[row]).all(axis=1).sum() == 1]
    assert unique
    for row in unique:
        one = nearest.score_block(np.array([row]))[0]
        assert not np.array_equal(one > 0, baskets[row] > 0)


@pytest.mark.parametrize("name", ["personal_top_frequency", "ease", "user_knn"])
def test_dense_scoring_blocks_are_bounded_in_cells_without_changing_lists(lines, name, monkeypatch):
    inter = build_interactions(lines, AS_OF)
    model = methods.METHODS[name]().fit(inter)
    rows = np.arange(inter.n_users)
    whole = model.recommend(rows, 7, exclude_seen=True)
    seen_blocks = []
    score_block = model.score_block
    monkeypatch.setattr(
        model, "score_block", lambda b: seen_blocks.append(len(b)) or score_block(b)
    )
    monkeypatch.setattr(methods, "MAX_BLOCK_CELLS", 3 * inter.n_items + 1)  # 3 users per block
    small = model.recommend(rows, 7, exclude_seen=True)
    assert max(seen_blocks) == 3
    for a, b in zip(whole, small, strict=True):
        np.testing.assert_array_equal(a, b)
