"""Churn features of every customer at a cutoff, from purchase days strictly before it.

Nothing at or after the cutoff is read: each feature is a function of `history.before(days,
cutoff)` and of the customer's first purchase of each product before the cutoff.

No calendar-season feature: learning one needs labelled windows from the same season of an
earlier year. The share of past purchases in the coming window's calendar span was tried: with a
year of log it is 0 in every training window of the back-test (there is no earlier year to fall
in it), so it cannot be learned, and it only varies at as_of_date, where it could only be
extrapolated.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import probabilistic
from .history import before, rfm_summary
from .probabilistic import Probabilistic

FEATURES: tuple[str, ...] = (
    "recency_days",
    "tenure_days",
    "purchases",
    "log_amount",
    "log_mean_purchase",
    "purchases_30d",
    "purchases_90d",
    "purchases_180d",
    "log_amount_90d",
    "mean_gap_days",
    "gap_std_days",
    "last_gap_days",
    "gap_trend",
    "recency_over_mean_gap",
    "purchase_rate",
    "mean_products_per_order",
    "distinct_products",
    "new_product_share_90d",
    "cancelled_share",
    "p_alive",
    "expected_purchases_horizon",
)


def churn_features(
    days: pd.DataFrame,
    product_firsts: pd.DataFrame,
    cutoff: pd.Timestamp,
    horizon_days: int,
    model: Probabilistic,
) -> pd.DataFrame:
    """One row per customer with a purchase before `cutoff` (index customer_id, sorted): the
    `FEATURES`; those not computed here (purchases) come with the `history.rfm_summary` columns.

    `days`: `history.purchase_days`; `product_firsts`: one row per customer and product with
    `first_purchased_on` (the day of its first purchase), or a `ProductFirsts`; `model`:
    BG/NBD fitted on data before `cutoff`, for p_alive and the expected purchases over the
    horizon.
    """
    cutoff = pd.Timestamp(cutoff)
    past = before(days, cutoff)
    summary = rfm_summary(past, cutoff)
    out = pd.DataFrame(index=summary.index)
    out["recency_days"] = (cutoff - summary["last_day"]).dt.days.astype(float)
    out["tenure_days"] = summary["T"]
    out["log_amount"] = np.log1p(summary["amount"].clip(lower=0))
    out["log_mean_purchase"] = np.log1p((summary["amount"] / summary["purchases"]).clip(lower=0))
    age = (cutoff - past["day"]).dt.days
    for window in (30, 90, 180):
        out[f"purchases_{window}d"] = _count(past[age <= window], out.index)
    recent_amount = past.loc[age <= 90].groupby("customer_id")["amount"].sum()
    out["log_amount_90d"] = np.log1p(recent_amount.reindex(out.index).fillna(0).clip(lower=0))

    gaps = past.groupby("customer_id")["day"].diff().dt.days
    gap_frame = pd.DataFrame({"customer_id": past["customer_id"], "gap": gaps}).dropna()
    by_customer = gap_frame.groupby("customer_id")["gap"]
    mean_gap = by_customer.mean().reindex(out.index)
    out["mean_gap_days"] = mean_gap.fillna(out["tenure_days"])
    out["gap_std_days"] = by_customer.std(ddof=0).reindex(out.index).fillna(0.0)
    out["last_gap_days"] = by_customer.last().reindex(out.index).fillna(out["tenure_days"])
    out["gap_trend"] = out["last_gap_days"] / out["mean_gap_days"].clip(lower=1)
    out["recency_over_mean_gap"] = out["recency_days"] / out["mean_gap_days"].clip(lower=1)
    out["purchase_rate"] = summary["purchases"] / out["tenure_days"].clip(lower=1) * 30

    totals = past.groupby("customer_id")[["orders", "products", "gross_amount"]].sum()
    cancelled = past.groupby("customer_id")["cancelled_amount"].sum()
    totals = totals.reindex(out.index)
    out["mean_products_per_order"] = totals["products"] / totals["orders"].clip(lower=1)
    out["cancelled_share"] = (
        cancelled.reindex(out.index).fillna(0) / totals["gross_amount"].clip(lower=1e-9)
    ).clip(0, 1)

    firsts = ProductFirsts.of(product_firsts)
    distinct = firsts.count_before(cutoff, out.index)
    out["distinct_products"] = distinct
    recent = distinct - firsts.count_before(cutoff - pd.Timedelta(90, "D"), out.index)
    out["new_product_share_90d"] = recent / distinct.clip(lower=1)

    out["p_alive"] = probabilistic.probability_alive(model, summary)
    out["expected_purchases_horizon"] = probabilistic.expected_purchases(
        model, summary, horizon_days
    )
    return pd.concat([out, summary], axis=1)


class ProductFirsts:
    """Each customer's first purchase of each product, prepared once for counts at any cutoff:
    customers as integer codes and first days as datetime64, so a count is a mask and a
    bincount instead of a group-by over millions of customer-product rows."""

    def __init__(self, product_firsts: pd.DataFrame) -> None:
        codes, customers = pd.factorize(product_firsts["customer_id"].astype(str), sort=True)
        self.codes = codes
        self.customers = pd.Index(customers)
        self.first_days = pd.to_datetime(product_firsts["first_purchased_on"]).to_numpy(
            "datetime64[ns]"
        )

    @classmethod
    def of(cls, product_firsts: pd.DataFrame | ProductFirsts) -> ProductFirsts:
        return product_firsts if isinstance(product_firsts, cls) else cls(product_firsts)

    def count_before(self, cutoff: pd.Timestamp, index: pd.Index) -> pd.Series:
        """Distinct products each customer in `index` first bought before `cutoff` (>= 0)."""
        mask = self.first_days < np.datetime64(pd.Timestamp(cutoff).to_datetime64(), "ns")
        counts = np.bincount(self.codes[mask], minlength=len(self.customers))
        return pd.Series(counts, index=self.customers, dtype=float).reindex(index).fillna(0.0)


def _count(frame: pd.DataFrame, index: pd.Index) -> pd.Series:
    return frame.groupby("customer_id").size().reindex(index).fillna(0).astype(float)
