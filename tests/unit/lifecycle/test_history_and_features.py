"""Purchase days, the BG/NBD summary, and churn features that never read past the cutoff."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_intelligence.lifecycle.churn import fit_churn
from customer_intelligence.lifecycle.config import LifecycleConfig
from customer_intelligence.lifecycle.history import purchase_days, rfm_summary
from customer_intelligence.lifecycle.windows import Snapshots

from .conftest import product_firsts


def _orders(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "invoice_date", "net_amount"])
    frame["invoice_date"] = pd.to_datetime(frame["invoice_date"])
    frame["gross_amount"] = frame["net_amount"].clip(lower=0)
    frame["cancelled_amount"] = 0.0
    frame["distinct_products"] = 2
    return frame


def test_purchase_days_merge_a_day_and_skip_guests_and_cancelled_orders() -> None:
    days = purchase_days(
        _orders(
            [
                ("A", "2011-01-01", 10.0),
                ("A", "2011-01-01", 5.0),  # same day: one purchase of 15
                ("A", "2011-01-05", 0.0),  # fully cancelled: no purchase
                (None, "2011-01-06", 50.0),  # guest
                ("B", "2011-01-03", 7.0),
            ]
        )
    )
    assert days[["customer_id", "amount", "orders"]].values.tolist() == [
        ["A", 15.0, 2],
        ["B", 7.0, 1],
    ]


def test_rfm_summary_follows_the_bgnbd_conventions() -> None:
    days = purchase_days(
        _orders(
            [
                ("A", "2011-01-01", 10.0),
                ("A", "2011-01-11", 20.0),
                ("A", "2011-01-21", 40.0),
                ("A", "2011-02-01", 99.0),  # on the cutoff: not seen
                ("B", "2011-01-20", 5.0),
            ]
        )
    )
    summary = rfm_summary(days, pd.Timestamp("2011-02-01"))
    a, b = summary.loc["A"], summary.loc["B"]
    assert (a["frequency"], a["recency"], a["T"], a["monetary_value"]) == (2, 20, 31, 30.0)
    assert (b["frequency"], b["recency"], b["T"], b["monetary_value"]) == (0, 0, 12, 0.0)


def test_nothing_from_the_cutoff_on_changes_a_score(orders) -> None:
    """Rewrite every order on or after the cutoff (amounts, days, new customers): the training
    windows, the features at the cutoff and the churn probabilities stay the same."""
    config = LifecycleConfig(training_windows=3, window_step_days=30, cv_folds=2, xgb_trees=40)
    cutoff = pd.Timestamp("2011-02-01")
    future = orders["invoice_date"] >= cutoff
    changed = orders.copy()
    changed.loc[future, "net_amount"] *= 7
    changed.loc[future, "invoice_date"] += pd.Timedelta(3, "D")
    extra = changed[future].head(50).assign(customer_id="NEW")
    changed = pd.concat([changed[~(future & (changed.index % 3 == 0))], extra])

    def scores(frame: pd.DataFrame):
        snapshots = Snapshots(purchase_days(frame), product_firsts(frame), config)
        features = snapshots.features(cutoff)
        model, _ = fit_churn(snapshots.training_frame(cutoff), config)
        return features, model.predict(features)

    features, probability = scores(orders)
    features_changed, probability_changed = scores(changed)
    pd.testing.assert_frame_equal(features, features_changed)
    np.testing.assert_array_equal(probability, probability_changed)
    # ... while the outcomes after the cutoff did change.
    labels = Snapshots(purchase_days(orders), product_firsts(orders), config).labelled(cutoff)
    labels_changed = Snapshots(purchase_days(changed), product_firsts(changed), config).labelled(
        cutoff
    )
    assert not labels["future_amount"].equals(labels_changed["future_amount"])


def test_training_windows_end_a_horizon_before_the_cutoff(orders) -> None:
    config = LifecycleConfig(training_windows=4, window_step_days=30, min_history_days=60)
    snapshots = Snapshots(purchase_days(orders), product_firsts(orders), config)
    cutoff = pd.Timestamp("2011-02-01")
    windows = snapshots.training_cutoffs(cutoff)
    assert windows[0] == cutoff - pd.Timedelta(90, "D")
    assert all(w + pd.Timedelta(config.horizon_days, "D") <= cutoff for w in windows)
    assert all((w - snapshots.log_start).days >= 60 for w in windows)
    # A cutoff too early for one window with 60 days of history has none.
    assert snapshots.training_cutoffs(snapshots.log_start + pd.Timedelta(120, "D")) == []


def test_features_are_finite(orders) -> None:
    snapshots = Snapshots(purchase_days(orders), product_firsts(orders), LifecycleConfig())
    features = snapshots.features(pd.Timestamp("2011-02-01"))
    from customer_intelligence.lifecycle.features import FEATURES

    assert np.isfinite(features[list(FEATURES)].to_numpy(float)).all()
    assert features["p_alive"].between(0, 1).all()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"eval_cutoff_days_before": "60,90"}, "leave less than the 90-day horizon"),
        ({"horizon_days": "0"}, "lifecycle_horizon_days must be >= 1"),
        ({"calibration": "isotonic"}, "unknown lifecycle settings: calibration"),
    ],
)
def test_bad_settings_are_named(values, message) -> None:
    with pytest.raises(ValueError, match=message):
        LifecycleConfig.from_mapping(values)


def test_settings_arrive_as_text() -> None:
    config = LifecycleConfig.from_mapping(
        {"horizon_days": "60", "eval_cutoff_days_before": "60, 90", "monthly_discount_rate": "0"}
    )
    assert config.horizon_days == 60
    assert config.eval_cutoff_days_before == (60, 90)
    assert config.monthly_discount_rate == 0.0


def test_product_counts_at_a_cutoff_equal_a_group_by(orders) -> None:
    from customer_intelligence.lifecycle.features import ProductFirsts

    firsts = product_firsts(orders).sample(frac=1.0, random_state=1)  # any row order
    cutoff = pd.Timestamp("2010-09-01")
    index = pd.Index(sorted(orders["customer_id"].unique()) + ["NOBODY"])
    expected = (
        firsts[firsts["first_purchased_on"] < cutoff]
        .groupby("customer_id")
        .size()
        .reindex(index)
        .fillna(0)
        .astype(float)
    )
    counted = ProductFirsts(firsts).count_before(cutoff, index)
    pd.testing.assert_series_equal(counted, expected, check_names=False)


def test_training_rows_beyond_the_cap_are_a_fixed_sample(orders) -> None:
    config = LifecycleConfig(training_windows=3, window_step_days=30, max_training_rows=300)
    cutoff = pd.Timestamp("2011-02-01")
    full = Snapshots(
        purchase_days(orders),
        product_firsts(orders),
        LifecycleConfig(training_windows=3, window_step_days=30),
    ).training_frame(cutoff)
    capped = Snapshots(purchase_days(orders), product_firsts(orders), config).training_frame(cutoff)
    again = Snapshots(purchase_days(orders), product_firsts(orders), config).training_frame(cutoff)
    assert len(full) > 300 and len(capped) == 300
    pd.testing.assert_frame_equal(capped, again)
    # Every sampled row is a row of the full frame, in the same order.
    keys = ["customer_id", "window_cutoff"]
    merged = capped[keys].merge(full[keys].reset_index(), on=keys)
    assert merged["index"].is_monotonic_increasing and len(merged) == 300


def test_purchase_days_do_not_depend_on_the_order_rows_arrive_in(orders) -> None:
    from customer_intelligence.lifecycle.pipeline import training_data

    config = LifecycleConfig()
    # Many orders of a few customers on a few days: summed in arrival order, several days'
    # totals differ in their last bits between the two orders (a wholesaler's busy days).
    rng = np.random.default_rng(0)
    n = 2000
    busy = _orders(
        list(
            zip(
                [f"Z{c}" for c in rng.integers(0, 20, n)],
                pd.Timestamp("2011-01-03") + pd.to_timedelta(rng.integers(0, 5, n), "D"),
                rng.uniform(0, 1000, n).round(2),
                strict=True,
            )
        )
    )
    orders = pd.concat([orders, busy], ignore_index=True)
    shuffled = orders.iloc[::-1]
    days, again = purchase_days(orders), purchase_days(shuffled)
    pd.testing.assert_frame_equal(days, again)
    assert training_data(days, config, "2011-05-01") == training_data(again, config, "2011-05-01")


def test_a_window_with_too_few_repeat_buyers_is_left_out(orders) -> None:
    days = purchase_days(orders)
    config = LifecycleConfig(training_windows=5, window_step_days=30, min_repeat_customers=400)
    snapshots = Snapshots(days, product_firsts(orders), config)
    cutoff = pd.Timestamp("2011-04-01")
    windows = snapshots.training_cutoffs(cutoff)
    repeaters = {t: int((rfm_summary(days, t)["frequency"] > 0).sum()) for t in windows}
    fitted = {t for t, count in repeaters.items() if count >= 400}
    assert fitted and fitted != set(windows), repeaters  # some windows each way
    training = snapshots.training_frame(cutoff)
    assert set(training["window_cutoff"]) == fitted
