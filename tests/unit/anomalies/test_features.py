"""Each feature catches its kind of anomaly on a hand-made log; robust z edge cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_intelligence.anomalies.features import order_features, prepare_lines, robust_z


def features(log: pd.DataFrame) -> pd.DataFrame:
    return order_features(prepare_lines(log), 1.0, 5, 3.0)


def test_robust_z_uses_the_mad() -> None:
    z = robust_z(np.array([1.0, 2.0, 3.0, 4.0, 100.0]))
    # median 3, MAD 1 -> scale 1.4826
    assert z[2] == 0
    assert z[4] == pytest.approx(97 / 1.4826)


def test_robust_z_falls_back_when_the_mad_is_zero() -> None:
    x = np.array([5.0, 5.0, 5.0, 5.0, 9.0])
    z = robust_z(x)
    # MAD 0: scale = 1.2533 * mean absolute deviation (4 / 5)
    assert z[4] == pytest.approx(4 / (1.2533 * 0.8))
    assert np.all(np.isfinite(z))
    assert np.all(robust_z(np.full(4, 3.0)) == 0)
    assert robust_z(x, floor=10.0)[4] == pytest.approx(0.4)
    assert len(robust_z(np.array([]))) == 0


def test_a_price_typed_ten_times_is_the_most_unusual_price(log: pd.DataFrame) -> None:
    changed = log.copy()
    changed.loc[5, "unit_price"] *= 10
    out = features(changed)
    target = out.index[prepare_lines(changed).invoice_ids == changed.loc[5, "invoice_id"]][0]
    assert out["price_z"].idxmax() == target
    assert out.loc[target, "price_ratio"] == pytest.approx(10.0, rel=0.01)


def test_quantity_tier_discounts_are_not_unusual_prices(log: pd.DataFrame) -> None:
    out = features(log)
    # Every price in the log is a tier price: no order is more than a few scales off.
    assert out["price_z"].max() < 3
    assert out["price_ratio"].between(0.99, 1.01).all()


def test_an_order_with_quantities_twenty_times_tops_quantity_and_amount(
    log: pd.DataFrame,
) -> None:
    changed = log.copy()
    invoice = changed["invoice_id"].iloc[100]
    hit = changed["invoice_id"] == invoice
    changed.loc[hit, "quantity"] *= 20
    out = features(changed).assign(invoice_id=prepare_lines(changed).invoice_ids)
    top = out.set_index("invoice_id")
    assert top["quantity_z"].idxmax() == invoice
    assert top["amount_z"].idxmax() == invoice
    assert top.loc[invoice, "quantity_ratio"] > 5


def test_a_large_cancelled_order_tops_the_cancelled_ratio(log: pd.DataFrame) -> None:
    changed = log.copy()
    small = changed["invoice_id"] == changed["invoice_id"].iloc[50]
    changed.loc[small.idxmax(), "cancelled_quantity"] = 1  # an ordinary partial cancellation
    invoice = changed["invoice_id"].iloc[300]
    hit = changed["invoice_id"] == invoice
    changed.loc[hit, "quantity"] *= 5
    changed.loc[hit, "cancelled_quantity"] = changed.loc[hit, "quantity"]
    out = features(changed).assign(invoice_id=prepare_lines(changed).invoice_ids)
    top = out.set_index("invoice_id")
    assert top["cancelled_ratio"].idxmax() == invoice
    assert top.loc[invoice, "cancelled_ratio"] > 2
    assert (top["cancelled_ratio"] > 0).sum() == 2


def test_resubmitted_orders_count_as_repeats_and_bursts(log: pd.DataFrame) -> None:
    original = log[log["invoice_id"] == log["invoice_id"].iloc[0]]
    copies = [
        original.assign(
            invoice_id=f"R{k}", invoiced_at=original["invoiced_at"] + pd.Timedelta(minutes=10 * k)
        )
        for k in (1, 2)
    ]
    late = original.assign(
        invoice_id="LATE", invoiced_at=original["invoiced_at"] + pd.Timedelta(hours=3)
    )
    changed = pd.concat([log, *copies, late], ignore_index=True)
    out = features(changed).set_index(pd.Index(prepare_lines(changed).invoice_ids))
    cluster = [original["invoice_id"].iloc[0], "R1", "R2"]
    assert (out.loc[cluster, "repeat_orders"] == 3).all()
    assert out.loc["LATE", "repeat_orders"] == 1  # outside the one-hour window
    assert (out.loc[cluster, "burst_orders"] >= 3).all()
    assert (out.drop(index=[*cluster, "LATE"])["repeat_orders"] == 1).all()


def test_guest_orders_are_not_one_customer(log: pd.DataFrame) -> None:
    guests = log.copy()
    first = guests["invoice_id"].isin(guests["invoice_id"].unique()[:5])
    guests.loc[first, "customer_id"] = None
    # five guest orders at one moment are not a burst: nobody is known to have placed them all
    guests.loc[first, "invoiced_at"] = guests.loc[first, "invoiced_at"].min()
    out = features(guests)
    assert (out.loc[out["customer"] < 0, ["repeat_orders", "burst_orders"]] == 1).all().all()
    assert (out["customer"] < 0).sum() == 5


def test_missing_columns_and_bad_values_raise(log: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="lack the column.*unit_price"):
        prepare_lines(log.drop(columns="unit_price"))
    with pytest.raises(ValueError, match="quantity > 0"):
        prepare_lines(log.assign(quantity=-log["quantity"]))


def test_free_lines_are_not_unusual_prices(log: pd.DataFrame) -> None:
    changed = log.copy()
    changed.loc[[10, 200, 400], "unit_price"] = 0.0
    orders = features(changed)
    assert orders["price_z"].max() == 0
    changed.loc[30, "unit_price"] *= 10
    assert features(changed)["price_z"].max() > 10
