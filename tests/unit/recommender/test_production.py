import numpy as np
import pandas as pd
import pytest

from customer_intelligence.recommender.data import build_interactions, repeated
from customer_intelligence.recommender.factorisation import ALS, EASE
from customer_intelligence.recommender.production import decode_spec, encode_spec, select_production
from customer_intelligence.recommender.ranking import top_k_dense
from customer_intelligence.recommender.scoring import score_customers

AS_OF = pd.Timestamp("2011-10-01")


@pytest.fixture(scope="module")
def spec(lines, make_settings):
    return select_production(lines, AS_OF, make_settings(validation_days=60, k=5))


@pytest.fixture(scope="module")
def recommendations(lines, spec):
    customers = sorted(set(lines["customer_id"])) + ["NEW-CUSTOMER"]
    return score_customers(lines, spec, n=5, customer_ids=customers)


def test_spec_round_trips_and_names_a_winner_per_list(spec):
    assert set(spec["lists"]) == {"all", "new"}
    assert (
        decode_spec(encode_spec(spec))["lists"]["all"]["method"] == spec["lists"]["all"]["method"]
    )


def test_lists_are_complete_and_ranked(recommendations):
    sizes = recommendations.groupby(["customer_id", "list_name"])["recommendation_rank"]
    assert (sizes.count() == 5).all()
    assert (sizes.apply(lambda r: sorted(r) == [1, 2, 3, 4, 5])).all()
    assert not recommendations.duplicated(["customer_id", "list_name", "product_id"]).any()


def test_new_list_has_only_never_bought_products(lines, recommendations):
    before = lines.loc[pd.to_datetime(lines["invoice_date"]) < AS_OF]
    bought = set(zip(before["customer_id"], before["product_id"], strict=True))
    new = recommendations.loc[recommendations["list_name"] == "new"]
    assert not any(
        (c, p) in bought for c, p in zip(new["customer_id"], new["product_id"], strict=True)
    )


def test_cold_start_customer_gets_flagged_popularity_list(recommendations):
    cold = recommendations.loc[recommendations["customer_id"] == "NEW-CUSTOMER"]
    assert len(cold) == 10 and cold["is_cold_start"].all()
    assert set(cold["recommendation_method"]) == {"cold_start"}
    warm = recommendations.loc[recommendations["customer_id"] != "NEW-CUSTOMER"]
    assert not warm["is_cold_start"].any()
    assert warm["reason"].str.len().gt(0).all()


def test_scoring_is_deterministic(lines, spec, recommendations):
    customers = sorted(set(lines["customer_id"])) + ["NEW-CUSTOMER"]
    again = score_customers(lines, spec, n=5, customer_ids=customers)
    pd.testing.assert_frame_equal(recommendations, again)


def test_als_is_deterministic(lines):
    inter = build_interactions(lines, AS_OF)
    one, two = ALS(factors=8).fit(inter), ALS(factors=8).fit(inter)
    np.testing.assert_array_equal(one.item_factors, two.item_factors)


def test_ease_falls_back_to_the_most_popular_items(lines):
    inter = build_interactions(lines, AS_OF)
    model = EASE(max_items=10).fit(inter)
    assert len(model.head) == 10
    top = set(np.argsort(-inter.item_popularity(), kind="stable")[:10])
    assert set(model.head) == top
    scores = model.score_block(np.arange(3))
    assert np.isneginf(scores[:, np.setdiff1d(np.arange(inter.n_items), model.head)]).all()


def test_top_k_breaks_ties_by_index():
    items, _ = top_k_dense(np.array([[1.0, 3.0, 3.0, -np.inf]]), 4)
    assert items.tolist() == [[1, 2, 0, -1]]


def test_rows_come_in_customer_list_rank_order_whatever_the_block_size(
    lines, spec, recommendations
):
    keys = ["customer_id", "list_name", "recommendation_rank"]
    expected = recommendations.sort_values(keys, ignore_index=True)
    pd.testing.assert_frame_equal(recommendations, expected)
    customers = sorted(set(lines["customer_id"])) + ["NEW-CUSTOMER"]
    small_blocks = score_customers(lines, spec, n=5, customer_ids=customers, block_size=7)
    # Hybrid scores may move in the 6th decimal: float32 BLAS products (ALS) block differently.
    pd.testing.assert_frame_equal(
        recommendations.drop(columns="score"), small_blocks.drop(columns="score")
    )
    np.testing.assert_allclose(recommendations["score"], small_blocks["score"], atol=1e-5)


def test_no_customers_give_an_empty_typed_frame(lines, spec):
    empty = score_customers(lines, spec, n=5, customer_ids=[])
    assert empty.empty
    assert list(empty.columns)[:3] == ["customer_id", "list_name", "recommendation_rank"]
    assert str(empty["recommendation_rank"].dtype) == "int32"


def test_repeated_shares_one_object():
    out = repeated("a reason", 1000)
    assert len(out) == 1000 and len({id(v) for v in out}) == 1
