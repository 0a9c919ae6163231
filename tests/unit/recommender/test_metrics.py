import numpy as np
import pytest
import scipy.sparse as sp

from customer_intelligence.recommender.metrics import evaluate_lists


def test_metrics_match_hand_computed_example():
    # User A: list [1, 2, 3], relevant {1, 3}. User B: list [4, 5, empty], relevant {5} plus one
    # product unknown at training time (counts in R but can never be recommended).
    items = np.array([[1, 2, 3], [4, 5, -1]])
    relevant = sp.csr_matrix(([1.0, 1.0, 1.0], ([0, 0, 1], [1, 3, 5])), shape=(2, 10))
    out = evaluate_lists(items, relevant, n_unseen=np.array([0, 1]), n_catalogue=10)
    # A: P=2/3 R=1 DCG=1+1/log2(4)=1.5 IDCG=1+1/log2(3) AP=(1+2/3)/2
    # B: P=1/3 R=1/2 DCG=1/log2(3) IDCG=1+1/log2(3) AP=(1/2)/2
    assert out["precision"] == pytest.approx(0.5)
    assert out["recall"] == pytest.approx(0.75)
    assert out["ndcg"] == pytest.approx((0.91972078 + 0.38685281) / 2, abs=1e-7)
    assert out["hit_rate"] == pytest.approx(1.0)
    assert out["map"] == pytest.approx((0.83333333 + 0.25) / 2)
    assert out["catalogue_coverage"] == pytest.approx(0.5)
    assert out["users_evaluated"] == 2


def test_no_hits_gives_zero():
    items = np.array([[0, 1]])
    relevant = sp.csr_matrix(([1.0], ([0], [2])), shape=(1, 3))
    out = evaluate_lists(items, relevant)
    assert out["ndcg"] == 0.0 and out["hit_rate"] == 0.0 and out["map"] == 0.0
