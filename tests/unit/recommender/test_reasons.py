"""Reasons: each rule of `explain`, in its order of precedence, on a hand-made history."""

import numpy as np
import pandas as pd
import scipy.sparse as sp

from customer_intelligence.recommender.data import build_interactions
from customer_intelligence.recommender.reasons import explain

AS_OF = pd.Timestamp("2011-06-01")
LONG = "A VERY LONG PRODUCT DESCRIPTION THAT GOES ON AND ON"


def _store():
    days_before = {  # customer C1: product -> purchase days before AS_OF
        "P1": [70, 49, 28],  # every 21 days -> 3 weeks
        "P2": [12, 7],  # every 5 days
        "P3": [71],  # once, about 10 weeks ago
    }
    rows = [
        ("C1", p, AS_OF - pd.Timedelta(days=d), f"ITEM {p}")
        for p, ds in days_before.items()
        for d in ds
    ]
    rows += [("C2", p, AS_OF - pd.Timedelta(days=3), f"ITEM {p}") for p in ("P4", "P5", "P6")]
    rows.append(("C2", "P7", AS_OF - pd.Timedelta(days=3), LONG))
    frame = pd.DataFrame(
        rows, columns=["customer_id", "product_id", "invoice_date", "product_description"]
    )
    frame["invoice_id"] = frame["customer_id"] + frame["invoice_date"].dt.strftime("%m%d")
    frame["quantity"] = 1
    frame["unit_price"] = 1.0
    return build_interactions(frame, AS_OF)


def test_each_rule_in_order_of_precedence():
    inter = _store()
    item = {p: i for i, p in enumerate(inter.item_ids)}
    c1 = 0
    n = inter.n_items
    co = sp.lil_matrix((n, n))
    co[item["P1"], item["P4"]] = 0.5  # P4 is often bought with P1
    co[item["P3"], item["P6"]] = 0.2
    content = sp.lil_matrix((n, n))
    content[item["P3"], item["P6"]] = 0.9  # P6 looks like P3 (and is co-bought with it)
    content[item["P2"], item["P5"]] = 0.3  # P5 only looks like P2
    pairs = ["P1", "P2", "P3", "P4", "P5", "P6", "P6", "P7", "P7"]
    preferred = np.array(
        [None, None, None, "co_purchase", None, "content", None, "popularity", None],
        dtype=object,
    )
    codes, texts = explain(
        inter,
        np.full(len(pairs), c1),
        np.array([item[p] for p in pairs]),
        "hybrid",
        sp.csr_matrix(co),
        sp.csr_matrix(content),
        preferred,
    )
    assert list(codes) == [
        "repeat_interval",
        "repeat_interval",
        "repeat_once",
        "co_purchase",
        "similar_description",
        "similar_description",  # content preferred: the content anchor wins
        "co_purchase",  # otherwise co-purchase comes first
        "popular",
        "similar_customers",
    ]
    assert list(texts[:4]) == [
        "you buy this about every 3 weeks",
        "you buy this about every 5 days",
        "you bought this 10 weeks ago",
        "often bought with item p1",
    ]
    assert texts[4] == "similar to item p2"
    assert texts[5] == "similar to item p3"
    assert texts[6] == "often bought with item p3"


def test_popularity_methods_and_long_names():
    inter = _store()
    item = {p: i for i, p in enumerate(inter.item_ids)}
    n = inter.n_items
    co = sp.lil_matrix((n, n))
    co[item["P7"], item["P4"]] = 1.0
    users = np.array([0, 1])  # C1 never bought P4; C2 bought P7 (long name)
    empty = sp.csr_matrix((n, n))
    codes, _ = explain(inter, users[:1], np.array([item["P4"]]), "popularity", co.tocsr(), empty)
    assert list(codes) == ["popular"]
    codes, texts = explain(inter, users[1:], np.array([item["P1"]]), "item_knn", empty, empty)
    assert list(codes) == ["similar_customers"]
    co[item["P7"], item["P1"]] = 1.0
    _, texts = explain(inter, users[1:], np.array([item["P1"]]), "item_knn", co.tocsr(), empty)
    assert texts[0] == "often bought with " + LONG.lower()[:37].rstrip() + "..."
    assert len(texts[0]) <= len("often bought with ") + 40
