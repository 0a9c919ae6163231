"""The `same_season_last_year` signal: purchases in last year's version of the coming window."""

import numpy as np
import pandas as pd

from customer_intelligence.recommender.candidates import candidate_features
from customer_intelligence.recommender.data import build_interactions
from customer_intelligence.recommender.hybrid import Hybrid
from customer_intelligence.recommender.signals import FEATURES

REFERENCE = pd.Timestamp("2012-01-01")
PARAMS = {"als": {"factors": 4, "iterations": 2}, "item_knn": {"neighbours": 5}}


def _lines() -> pd.DataFrame:
    """C1's purchases around the edges of the 275..365-day window; others add history."""
    purchases = [("C1", "P1", 300), ("C1", "P1", 10), ("C1", "P2", 200), ("C1", "P3", 366)]
    purchases += [("C1", "P4", 274), ("C1", "P5", 275), ("C1", "P6", 365), ("C1", "P6", 280)]
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
    pr, pi, f = candidate_features(comp, np.array([user]), 10, exclude_seen=False)
    season = dict(
        zip(inter.item_ids[pi], f[:, FEATURES.index("same_season_last_year")], strict=True)
    )
    # Ages 275..365 count (P6 twice); 10, 200, 274 and 366 do not.
    one, two = np.log1p(1.0), np.log1p(2.0)
    assert season == {"P1": one, "P2": 0.0, "P3": 0.0, "P4": 0.0, "P5": one, "P6": two}
    comp.shared_pattern = False  # the general lookup path gives the same values
    slow = candidate_features(comp, np.array([user]), 10, exclude_seen=False)
    np.testing.assert_array_equal(slow[2], f)


def test_a_history_shorter_than_a_year_gives_no_season_signal():
    """Less than 365 days of history would show only part of last year's window: zero."""
    lines = _lines()
    recent = lines[lines["invoice_date"] > REFERENCE - pd.Timedelta(days=364)]
    inter = build_interactions(recent, REFERENCE)
    assert inter.events["age_days"].max() < 365
    comp = Hybrid(PARAMS).fit(inter).components
    assert comp.shared_pattern and comp.same_season.sum() == 0
    _, _, f = candidate_features(comp, np.arange(inter.n_users), 10, exclude_seen=False)
    assert (f[:, FEATURES.index("same_season_last_year")] == 0).all()
