"""Purchase histories at a cutoff: the customer-level summary the lifecycle models read.

A purchase is a customer's day with at least one order of positive net amount (cancellations are
already netted into their orders in `fct_orders`); several orders on one day are one purchase,
as in the BG/NBD literature. Everything at a cutoff uses only days strictly before it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ORDER_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "invoice_date",
    "net_amount",
    "gross_amount",
    "cancelled_amount",
    "distinct_products",
)


def purchase_days(orders: pd.DataFrame) -> pd.DataFrame:
    """One row per customer and purchase day, sorted by customer then day.

    Input grain: one row per order (columns `ORDER_COLUMNS`); orders without a customer or with
    a net amount <= 0 (fully cancelled) are not purchases. Output: customer_id, day (datetime64
    at midnight), amount (net), gross_amount, cancelled_amount, orders, products (sum of
    distinct products per order).
    """
    missing = [c for c in ORDER_COLUMNS if c not in orders.columns]
    if missing:
        raise ValueError(f"orders need the columns {', '.join(missing)}")
    kept = orders.loc[
        orders["customer_id"].notna() & (orders["net_amount"].astype(float) > 0),
        list(ORDER_COLUMNS),
    ]
    frame = _days_frame(
        kept["customer_id"],
        kept["invoice_date"],
        kept["net_amount"],
        kept["gross_amount"],
        kept["cancelled_amount"],
        np.ones(len(kept), np.int64),
        kept["distinct_products"],
    )
    # Sums in one canonical order: the database returns orders in any order, and a float sum
    # in another order can differ in its last bits (then the fingerprint and every model would).
    frame = frame.sort_values(list(frame.columns), kind="stable", ignore_index=True)
    days = frame.groupby(["customer_id", "day"], sort=True, as_index=False).sum()
    return days.reset_index(drop=True)


DAY_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "purchased_on",
    "amount",
    "gross_amount",
    "cancelled_amount",
    "orders",
    "products",
)


def read_purchase_days(rows: pd.DataFrame) -> pd.DataFrame:
    """`purchase_days`'s output from rows the warehouse aggregated already.

    Input grain: one row per customer and purchase day (`int_customer_purchase_days`, columns
    `DAY_COLUMNS`), as `purchase_days` would make them from the orders; the engine does the
    aggregation. Output: as `purchase_days`, sorted by customer then day.
    """
    missing = [c for c in DAY_COLUMNS if c not in rows.columns]
    if missing:
        raise ValueError(f"purchase days need the columns {', '.join(missing)}")
    frame = _days_frame(*(rows[column] for column in DAY_COLUMNS))
    if frame.duplicated(["customer_id", "day"]).any():
        raise ValueError("purchase days must be one row per customer and day")
    return frame.sort_values(["customer_id", "day"], kind="stable", ignore_index=True)


def _days_frame(
    customer_id: pd.Series,
    day: pd.Series,
    amount: pd.Series,
    gross_amount: pd.Series,
    cancelled_amount: pd.Series,
    orders,
    products: pd.Series,
) -> pd.DataFrame:
    """The purchase-day columns with their types: ids as text, days at midnight, amounts as
    floats (no cancellation: 0), orders as integers."""
    return pd.DataFrame(
        {
            "customer_id": customer_id.astype(str).to_numpy(),
            "day": pd.to_datetime(day).dt.normalize().astype("datetime64[ns]"),
            "amount": amount.astype(float).to_numpy(),
            "gross_amount": gross_amount.astype(float).to_numpy(),
            "cancelled_amount": cancelled_amount.fillna(0).astype(float).to_numpy(),
            "orders": np.asarray(orders, dtype=np.int64),
            "products": products.astype(float).to_numpy(),
        }
    )


def before(days: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    """The purchase days strictly before `cutoff`."""
    return days[days["day"] < pd.Timestamp(cutoff)]


def rfm_summary(days: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    """One row per customer with a purchase before `cutoff`, indexed by customer_id, sorted.

    BG/NBD / Gamma-Gamma inputs in days: `frequency` = repeat purchase days, `recency` = days from
    the first to the last purchase, `T` = days from the first purchase to the cutoff,
    `monetary_value` = mean amount of the repeat purchases (0 without repeats), plus
    `first_day`, `last_day`, `purchases` (all days) and `amount` (total).
    """
    cutoff = pd.Timestamp(cutoff)
    past = before(days, cutoff)
    grouped = past.groupby("customer_id", sort=True)
    first = grouped["day"].min()
    last = grouped["day"].max()
    count = grouped["day"].size()
    total = grouped["amount"].sum()
    first_amount = grouped["amount"].first()
    repeats = count - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        monetary = np.where(repeats > 0, (total - first_amount) / repeats.clip(lower=1), 0.0)
    return pd.DataFrame(
        {
            "frequency": repeats.astype(float),
            "recency": (last - first).dt.days.astype(float),
            "T": (cutoff - first).dt.days.astype(float),
            "monetary_value": monetary,
            "first_day": first,
            "last_day": last,
            "purchases": count.astype(np.int64),
            "amount": total,
        }
    )


def outcomes(days: pd.DataFrame, cutoff: pd.Timestamp, horizon_days: int) -> pd.DataFrame:
    """Per customer with a purchase in [cutoff, cutoff + horizon): purchases and amount there."""
    cutoff = pd.Timestamp(cutoff)
    window = days[
        (days["day"] >= cutoff) & (days["day"] < cutoff + pd.Timedelta(horizon_days, "D"))
    ]
    grouped = window.groupby("customer_id", sort=True)
    return pd.DataFrame(
        {"future_purchases": grouped["day"].size(), "future_amount": grouped["amount"].sum()}
    )


def labelled(summary: pd.DataFrame, future: pd.DataFrame) -> pd.DataFrame:
    """`summary` with future_purchases, future_amount and `churned` (no purchase in the window)."""
    out = summary.join(future, how="left")
    out["future_purchases"] = out["future_purchases"].fillna(0).astype(np.int64)
    out["future_amount"] = out["future_amount"].fillna(0.0)
    out["churned"] = (out["future_purchases"] == 0).astype(np.int64)
    return out
