"""score_orders and score_customers: budget, ranks, reasons, determinism, short logs."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from customer_intelligence.anomalies import (
    AnomalyConfig,
    calibration,
    score_customers,
    score_orders,
)
from customer_intelligence.anomalies.calibration import (
    MAX_SCORE,
    pareto_fit,
    rank_score,
    tail_score,
)
from customer_intelligence.anomalies.scoring import review_budget


def test_review_budget_arithmetic() -> None:
    assert review_budget(18_402, 0.005) == 93
    assert review_budget(1_000, 0.005) == 5
    assert review_budget(10, 0.005) == 1
    assert review_budget(200, 0.01) == 2


def test_rank_score_is_minus_log10_of_the_share_at_least_as_extreme() -> None:
    scores = rank_score(np.array([1.0, 1.0, 2.0, 3.0]))
    assert scores == pytest.approx([0.0, 0.0, -np.log10(0.5), -np.log10(0.25)])


def test_pareto_fit_recovers_scale_and_shape() -> None:
    rng = np.random.default_rng(0)
    scale, shape = pareto_fit(rng.exponential(2.0, 20_000))
    assert scale == pytest.approx(2.0, rel=0.05)
    assert shape == pytest.approx(0.0, abs=0.03)
    heavy = 1.5 * (rng.uniform(size=20_000) ** -0.3 - 1) / 0.3  # shape 0.3, scale 1.5
    scale, shape = pareto_fit(heavy)
    assert scale == pytest.approx(1.5, rel=0.1)
    assert shape == pytest.approx(0.3, abs=0.05)
    assert pareto_fit(np.zeros(5)) == (0.0, 0.0)


def test_tail_score_is_the_rank_share_below_the_threshold_and_extrapolates_above() -> None:
    rng = np.random.default_rng(1)
    values = rng.exponential(1.0, 10_000)
    scores = tail_score(values, tail_share=0.02)
    below = values <= np.quantile(values, 0.98)
    assert np.allclose(scores[below], rank_score(values)[below])
    # above the threshold the fitted tail follows the exponential's own tail, -log10(exp(-x))
    top = values >= np.quantile(values, 0.999)
    assert np.allclose(scores[top], values[top] / np.log(10), atol=0.4)
    # beyond the sample maximum: above log10(n) and growing with the distance
    far = np.r_[values, values.max() * 1.5, values.max() * 3]
    far_scores = tail_score(far, tail_share=0.02)
    assert far_scores[-2] > np.log10(len(far))
    assert far_scores[-1] > far_scores[-2] + 1
    ordered = np.argsort(far, kind="stable")
    assert np.all(np.diff(far_scores[ordered]) >= 0)
    strictly = far[ordered] > np.quantile(far, 0.98)
    assert np.all(np.diff(far_scores[ordered][strictly]) > 0)


def test_rank_calibration_caps_at_log10_n_the_tail_does_not() -> None:
    values = np.r_[np.random.default_rng(2).exponential(1.0, 999), 1e6]
    assert rank_score(values)[-1] == pytest.approx(3.0)
    # the outlier itself makes the fitted tail heavy, yet it still scores well beyond log10(n)
    assert tail_score(values)[-1] > 4.0


def test_a_degenerate_component_scores_any_deviation_at_the_cap() -> None:
    values = np.zeros(1_000)
    values[[3, 7]] = 23.0
    scores = tail_score(values)
    assert scores[[3, 7]] == pytest.approx([MAX_SCORE, MAX_SCORE])
    assert np.all(scores[values == 0] == 0)
    assert np.all(tail_score(np.ones(50)) == 0)


def test_equal_scores_are_ranked_by_raw_value_then_invoice_id(
    log: pd.DataFrame, config: AnomalyConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(calibration, "MAX_SCORE", 1.0)  # many orders tie at the cap
    quantity_only = replace(config, score_components="quantity_z")
    orders = score_orders(log, quantity_only).sort_values("anomaly_rank")
    capped = orders[orders["anomaly_score"] == 1.0]
    assert len(capped) >= 10 and capped["quantity_z"].nunique() >= 10
    assert capped["quantity_z"].is_monotonic_decreasing
    for _, tied in capped.groupby("quantity_z"):
        assert tied["invoice_id"].is_monotonic_increasing


def test_ranks_budget_and_columns(log: pd.DataFrame, config: AnomalyConfig) -> None:
    orders = score_orders(log, config)
    assert len(orders) == log["invoice_id"].nunique()
    assert sorted(orders["anomaly_rank"]) == list(range(1, len(orders) + 1))
    assert orders["is_flagged"].sum() == review_budget(len(orders), config.review_share)
    assert orders.loc[orders["is_flagged"], "anomaly_rank"].max() == orders["is_flagged"].sum()
    by_rank = orders.sort_values("anomaly_rank")
    assert by_rank["anomaly_score"].is_monotonic_decreasing
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
    # prices are exact tier prices, so a tenfold one is beyond anything the log holds
    assert orders.loc[invoice, "score_price_z"] == MAX_SCORE
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
