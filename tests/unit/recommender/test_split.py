import numpy as np
import pandas as pd

from customer_intelligence.recommender.data import LINE_COLUMNS, build_interactions, read_lines
from customer_intelligence.recommender.method_index import METHODS
from customer_intelligence.recommender.split import relevance, sample_users, temporal_split
from customer_intelligence.recommender.tuning import tune

CUTOFF = pd.Timestamp("2011-09-01")


def test_temporal_split_keeps_windows_apart(lines):
    train, test = temporal_split(lines, CUTOFF, 60)
    assert pd.to_datetime(train["invoice_date"]).max() < CUTOFF
    assert pd.to_datetime(test["invoice_date"]).min() >= CUTOFF
    assert pd.to_datetime(test["invoice_date"]).max() < CUTOFF + pd.Timedelta(days=60)


def test_interactions_never_see_the_test_window(lines):
    # Even when handed every line, the store keeps only lines before its reference date.
    inter = build_interactions(lines, CUTOFF)
    assert inter.events["age_days"].min() >= 1
    train, _ = temporal_split(lines, CUTOFF, 60)
    assert set(inter.item_ids) == set(train["product_id"])
    late = lines.loc[pd.to_datetime(lines["invoice_date"]) >= CUTOFF, "customer_id"]
    early = set(train["customer_id"])
    assert not (set(late) - early) & set(inter.user_ids)


def test_stock_codes_are_trusted_not_screened_again(lines):
    # Staging screens non-product codes against the seed `non_product_stock_codes`; the
    # recommender reads the screened lines and keeps every code it is given.
    odd = lines.iloc[[0]].assign(product_id="C3", invoice_date=pd.Timestamp("2011-03-01"))
    inter = build_interactions(pd.concat([lines, odd], ignore_index=True), CUTOFF)
    assert "C3" in set(inter.item_ids)


def test_explore_relevance_excludes_already_bought(lines):
    train, test = temporal_split(lines, CUTOFF, 120)
    inter = build_interactions(train, CUTOFF)
    rel = relevance(inter, test, "explore")
    overlap = rel.relevant.multiply(inter.counts[rel.rows] > 0)
    assert overlap.nnz == 0
    rel_all = relevance(inter, test, "all")
    assert rel_all.relevant.nnz > rel.relevant.nnz


def test_explore_lists_never_contain_bought_items(lines):
    inter = build_interactions(lines, CUTOFF)
    rows = np.arange(inter.n_users)
    for name in ("popularity", "personal_top_frequency", "item_knn", "ease", "content"):
        items, _ = METHODS[name]().fit(inter).recommend(rows, 5, exclude_seen=True)
        bought = np.asarray(inter.counts[np.repeat(rows, 5), items.ravel()]).ravel()
        assert (bought[items.ravel() >= 0] == 0).all(), name


def test_a_purchase_cancelled_after_the_cutoff_is_still_known_at_the_cutoff(lines):
    """Netting uses cancellations up to as_of_date; the store must not see them at a cutoff."""
    cutoff = pd.Timestamp("2011-07-01")
    before = lines[pd.to_datetime(lines["invoice_date"]) < cutoff].iloc[[0]]
    cancelled_later = lines.assign(net_quantity=1)
    cancelled_later.loc[before.index, "net_quantity"] = 0  # fully cancelled after the cutoff
    inter = build_interactions(cancelled_later, cutoff)
    customer = str(before["customer_id"].iloc[0])
    product = str(before["product_id"].iloc[0]).upper()
    row = int(np.flatnonzero(inter.user_ids == customer)[0])
    column = int(np.flatnonzero(inter.item_ids == product)[0])
    assert inter.counts[row, column] > 0


def test_sample_users_caps_evaluated_customers_deterministically(lines):
    inter = build_interactions(lines, CUTOFF)
    _, future = temporal_split(lines, CUTOFF, 60)
    rel = relevance(inter, future, "all")
    assert rel.n_users > 10
    small = sample_users(rel, 10, seed=3)
    assert small.n_users == 10 and np.all(np.diff(small.rows) > 0)
    assert set(small.rows) <= set(rel.rows)
    # Each kept customer keeps exactly their own relevant set.
    position = np.searchsorted(rel.rows, small.rows)
    assert (small.relevant != rel.relevant[position]).nnz == 0
    np.testing.assert_array_equal(small.n_unseen, rel.n_unseen[position])
    np.testing.assert_array_equal(sample_users(rel, 10, seed=3).rows, small.rows)
    assert sample_users(rel, None) is rel and sample_users(rel, rel.n_users) is rel


def test_tuning_scores_every_method_on_the_capped_sample(lines, make_settings):
    fit_lines, val_lines = temporal_split(lines, CUTOFF, 60)
    fit_inter = build_interactions(fit_lines, CUTOFF)
    capped = make_settings(k=5, max_evaluation_users=12)
    _, log = tune(fit_inter, val_lines, capped, methods=("popularity", "hybrid"))
    assert (log["users_evaluated"] <= 12).all()
    every = make_settings(k=5, max_evaluation_users=0)
    _, full = tune(fit_inter, val_lines, every, methods=("popularity",))
    assert full["users_evaluated"].max() > 12  # the cap is what limited the first run
    assert set(log["method"]) == {"popularity", "hybrid"}


def test_read_lines_takes_the_gross_purchase_columns_from_a_relation(lines):
    import duckdb

    con = duckdb.connect()
    relation = con.from_df(lines.assign(net_quantity=0, country="UK"))
    frame = read_lines(relation)
    assert list(frame.columns) == list(LINE_COLUMNS)
    assert "quantity" in LINE_COLUMNS and "net_quantity" not in LINE_COLUMNS
    assert len(frame) == len(lines) and (frame["quantity"] == lines["quantity"]).all()
