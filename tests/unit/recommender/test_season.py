"""The `same_season_last_year` signal: purchases in last year's version of the coming window."""

import numpy as np
import pandas as pd

from customer_intelligence.recommender.data import build_interactions
from customer_intelligence.recommender.hybrid import (
    FEATURES,
    Hybrid,
    candidate_features,
    fit_blend,
)

REFERENCE = pd.Timestamp("2012-01-01")
PARAMS = {"als": {"factors": 4, "iterations": 2}, "item_knn": {"neighbours": 5}}


def _lines() -> pd.DataFrame:
    """C1 bought P1 300 and 10 days ago, P2 200 days ago, P3 366 days ago; others add history."""
    purchases = [("C1", "P1", 300), ("C1", "P1", 10), ("C1", "P2", 200), ("C1", "P3", 366)]
    purchases += [(f"C{c}", p, age) for c in range(2, 8) for p, age in (("P1", 30), ("P2", 90))]
    frame = pd.DataFrame(purchases, columns=["customer_id", "product_id", "age"])
    frame["invoice_date"] = REFERENCE - pd.to_timedelta(frame.pop("age"), unit="D")
    frame["invoice_id"] = [f"I{n}" for n in range(len(frame))]
    frame["quantity"] = 1
    frame["product_description"] = "ITEM " + frame["product_id"]
    frame["unit_price"] = 1.0
    return frame


def test_counts_only_last_years_window():
    inter = build_interactions(_lines(), REFERENCE)
    comp = Hybrid(PARAMS).fit(inter).components
    assert comp.shared_pattern  # stored on the same entries as the purchase counts
    user = int(np.flatnonzero(inter.user_ids == "C1")[0])
    pr, pi, f = candidate_features(comp, np.array([user]), 5, exclude_seen=False)
    season = dict(
        zip(inter.item_ids[pi], f[:, FEATURES.index("same_season_last_year")], strict=True)
    )
    # Age 300 is inside 275..365; ages 10, 200 and 366 are not.
    assert season == {"P1": np.log1p(1.0), "P2": 0.0, "P3": 0.0}
    comp.shared_pattern = False  # the general lookup path gives the same values
    slow = candidate_features(comp, np.array([user]), 5, exclude_seen=False)
    np.testing.assert_array_equal(slow[2], f)


def test_a_signal_absent_from_the_validation_window_gets_no_weight():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(400, len(FEATURES)))
    features[:, FEATURES.index("same_season_last_year")] = 0.0
    labels = features[:, 1] + rng.normal(size=400) > 0
    weights = fit_blend(features, labels, l2_c=1.0)
    assert weights["coef"][FEATURES.index("same_season_last_year")] == 0.0
    assert weights["coef"][1] > 0.5
