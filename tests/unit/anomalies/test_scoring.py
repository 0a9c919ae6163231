"""score_orders and score_customers: budget, ranks, reasons, determinism, short logs."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from customer_intelligence.anomalies import AnomalyConfig, score_customers, score_orders
from customer_intelligence.anomalies.scoring import review_budget, tail_score


def test_review_budget_arithmetic() -> None:
    assert review_budget(18_402, 0.005) == 93
    assert review_budget(1_000, 0.005) == 5
    assert review_budget(10, 0.005) == 1
    assert review_budget(200, 0.01) == 2


def test_tail_score_is_minus_log10_of_the_share_at_least_as_extreme() -> None:
    scores = tail_score(np.array([1.0, 1.0, 2.0, 3.0]))
    assert scores == pytest.approx([0.0, 0.0, -np.log10(0.5), -np.log10(0.25)])


def test_ranks_budget_and_columns(log: pd.DataFrame, config: AnomalyConfig) -> None:
    orders = score_orders(log, config)
    assert len(orders) == log["invoice_id"].nunique()
    assert sorted(orders["anomaly_rank"]) == list(range(1, len(orders) + 1))
    assert orders["is_flagged"].sum() == review_budget(len(orders), config.review_share)
    assert orders.loc[orders["is_flagged"], "anomaly_rank"].max() == orders["is_flagged"].sum()
    by_rank = orders.sort_values("anomaly_rank")
    assert by_rank["anomaly_score"].is_monotonic_decreasing
    # ties broken by invoice_id
    for _, tied in by_rank.groupby("anomaly_score"):
        assert tied["invoice_id"].is_monotonic_increasing
    for column in ("invoice_id", "customer_id", "invoiced_at", "top_reasons", "reason_count"):
        assert column in orders.columns


def test_injected_price_is_ranked_first_with_its_reason(
    log: pd.DataFrame, config: AnomalyConfig
) -> None:
    changed = log.copy()
    changed.loc[10, "unit_price"] *= 10
    orders = score_orders(changed, config).set_index("invoice_id")
    invoice = changed.loc[10, "invoice_id"]
    assert orders.loc[invoice, "anomaly_rank"] == 1
    assert orders.loc[invoice, "is_flagged"]
    assert orders.loc[invoice, "top_reasons"].startswith("unit price 10.0x the product's usual")
    assert orders.loc[invoice, "reason_count"] >= 1
    unflagged = orders[orders["reason_count"] == 0]
    assert unflagged["top_reasons"].isna().all()


def test_a_price_divided_by_ten_reads_as_a_fraction(
    log: pd.DataFrame, config: AnomalyConfig
) -> None:
    changed = log.copy()
    changed.loc[10, "unit_price"] /= 10
    orders = score_orders(changed, config).set_index("invoice_id")
    assert (
        "unit price 1/10.0 of the product's usual"
        in orders.loc[changed.loc[10, "invoice_id"], "top_reasons"]
    )


def test_scores_are_deterministic(log: pd.DataFrame, config: AnomalyConfig) -> None:
    with_forest = replace(config, score_components=config.score_components + ",isolation_forest")
    first = score_orders(log, with_forest)
    second = score_orders(log.sample(frac=1.0, random_state=3), with_forest)
    pd.testing.assert_frame_equal(first, second)


def test_a_short_log_gets_a_clear_message(log: pd.DataFrame) -> None:
    few = log[log["invoice_id"].isin(log["invoice_id"].unique()[:30])]
    with pytest.raises(ValueError, match="has 30 orders; anomaly scoring needs at least 500"):
        score_orders(few, AnomalyConfig())


def test_customers_roll_up_without_guests(log: pd.DataFrame, config: AnomalyConfig) -> None:
    changed = log.copy()
    changed.loc[10, "unit_price"] *= 10
    guest = changed["invoice_id"] == changed["invoice_id"].iloc[-1]
    changed.loc[guest, "customer_id"] = None
    orders = score_orders(changed, config)
    assert orders["customer_id"].isna().sum() == 1
    customers = score_customers(orders, config)
    assert customers["customer_id"].notna().all()
    assert len(customers) == changed["customer_id"].nunique()
    assert customers["orders"].sum() == len(orders) - 1
    assert customers["flagged_orders"].sum() == orders["is_flagged"].sum() - int(
        orders.loc[orders["customer_id"].isna(), "is_flagged"].sum()
    )
    worst = customers.set_index("customer_id").loc[changed.loc[10, "customer_id"]]
    assert worst["customer_rank"] == 1
    assert worst["worst_invoice_id"] == changed.loc[10, "invoice_id"]
    assert "unit price" in worst["top_reasons"]
    with pytest.raises(ValueError, match="score_orders' output"):
        score_customers(orders.drop(columns="anomaly_rank"), config)
