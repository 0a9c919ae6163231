"""Estimates with suggestions, the evaluation table and the registry row."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from customer_intelligence.elasticity import (
    ELASTICITY_COLUMNS,
    ElasticityConfig,
    evaluate_elasticities,
    price_elasticities,
    suggestions,
    train_elasticity_model,
    training_data,
)

from .conftest import known_panel, line_slopes, products, rule_breakers

CONFIG = dataclasses.replace(ElasticityConfig(), synthetic_rounds=2, placebo_rounds=2)


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    frame, _ = known_panel(products=60, seed=1)
    return pd.concat([frame, rule_breakers()], ignore_index=True)


def test_every_product_gets_a_row_with_a_status_and_its_reason(panel) -> None:
    out = price_elasticities(panel, line_slopes(panel), products(panel), CONFIG)
    assert list(out.columns) == list(ELASTICITY_COLUMNS)
    assert sorted(out["product_id"]) == sorted(panel["product_id"].unique())
    assert out["status_reason"].notna().all()
    assert out.loc[out["status"] != "estimated", "suggestion"].isna().all()
    assert (out["line_level_elasticity"] == -5.0).all()
    last_price = panel.sort_values("week_start").groupby("product_id")["list_price"].last()
    assert out.set_index("product_id")["current_list_price"].equals(
        last_price.reindex(out["product_id"]).rename("current_list_price").rename_axis("product_id")
    )


def _estimates(elasticity: float, low: float, high: float) -> pd.DataFrame:
    return pd.DataFrame(
        {"status": ["estimated"], "elasticity": [elasticity], "ci_low": [low], "ci_high": [high]}
    )


@pytest.mark.parametrize(
    ("elasticity", "low", "high", "move", "text"),
    [
        (-2.5, -3.0, -2.0, -0.05, "lower price"),
        (-0.5, -0.8, -0.2, 0.05, "raise price"),
        (-0.4, -1.0, 0.2, None, "no move: the interval includes 0"),
        (0.8, 0.2, 1.4, None, "no move: units rise with price (likely confounded)"),
        (-1.2, -2.0, -0.4, None, "no move: the interval spans -1"),
        (-12.0, -15.0, -9.0, None, "no move: |elasticity| above 8"),
    ],
)
def test_a_move_is_suggested_only_when_the_interval_says_which_way_revenue_goes(
    elasticity, low, high, move, text
) -> None:
    out = suggestions(_estimates(elasticity, low, high), 0.05, 8.0).iloc[0]
    assert out["suggestion"].startswith(text)
    if move is None:
        assert np.isnan(out["suggested_price_change"])
        assert np.isnan(out["expected_revenue_change"])
        return
    assert out["suggested_price_change"] == move
    assert out["expected_revenue_change"] == pytest.approx((1 + move) ** (1 + elasticity) - 1)
    ends = sorted([(1 + move) ** (1 + low) - 1, (1 + move) ** (1 + high) - 1])
    assert out["expected_revenue_change_low"] == pytest.approx(ends[0])
    assert out["expected_revenue_change_high"] == pytest.approx(ends[1])
    assert out["expected_revenue_change_low"] > 0  # the move raises revenue at both ends


def test_the_evaluation_finds_the_price_effect_on_held_out_weeks_and_covers_known_values(
    panel,
) -> None:
    evaluation = evaluate_elasticities(panel, line_slopes(panel), products(panel), CONFIG)
    assert not evaluation.duplicated(["check_name", "metric"]).any()
    value = evaluation.set_index(["check_name", "metric"])["metric_value"]
    assert value[("estimates", "products_too_few_sale_weeks")] == 1
    assert value[("line_level", "median_elasticity")] == -5.0
    assert value[("holdout", "products")] >= 30
    assert value[("holdout", "mae_elasticity_model")] < value[("holdout", "mae_without_price")]
    assert value[("holdout", "direction_accuracy")] > 0.6
    assert value[("synthetic", "coverage")] >= 0.88
    assert value[("placebo", "significant_share")] <= 0.12


def test_the_registry_artefact_reproduces_the_fitted_values(panel) -> None:
    evaluation = evaluate_elasticities(panel, line_slopes(panel), products(panel), CONFIG)
    row = train_elasticity_model(panel, products(panel), evaluation, "2012-01-01", CONFIG)
    assert row["model_name"].item() == "price_elasticity"
    artefact = json.loads(row["artefact"].item())
    estimates = price_elasticities(panel, line_slopes(panel), products(panel), CONFIG).set_index(
        "product_id"
    )
    estimated = estimates[estimates["status"] == "estimated"]
    assert set(artefact["products"]) == set(estimated.index)
    product = estimated.index[0]
    intercept, elasticity, control, std_error = artefact["products"][product]
    assert elasticity == pytest.approx(estimated.loc[product, "elasticity"])
    assert std_error == pytest.approx(estimated.loc[product, "std_error"])
    weeks = panel[panel["product_id"] == product].sort_values("week_start")
    effect = np.array([artefact["week_effects"][str(w.date())] for w in weeks["week_start"]])
    fitted = intercept + elasticity * np.log(weeks["list_price"]) + control * effect
    residual = np.log(weeks["units"]) - fitted
    assert residual.std(ddof=3) == pytest.approx(estimated.loc[product, "residual_std"], rel=1e-6)
    metrics = json.loads(row["metrics_json"].item())
    assert metrics["placebo_significant_share"] == pytest.approx(
        evaluation.set_index(["check_name", "metric"]).loc[
            ("placebo", "significant_share"), "metric_value"
        ]
    )


def test_the_fingerprint_ignores_row_order_and_the_estimates_are_deterministic(panel) -> None:
    shuffled = panel.sample(frac=1.0, random_state=0)
    assert (
        training_data(panel, CONFIG, "2012-01-01").data_hash
        == training_data(shuffled, CONFIG, "2012-01-01").data_hash
    )
    first = price_elasticities(panel, line_slopes(panel), products(panel), CONFIG)
    second = price_elasticities(shuffled, line_slopes(panel), products(panel), CONFIG)
    pd.testing.assert_frame_equal(first, second)


def test_line_slopes_without_their_columns_are_refused(panel) -> None:
    with pytest.raises(ValueError, match="line_level_elasticity"):
        price_elasticities(panel, pd.DataFrame({"product_id": ["P000"]}), products(panel), CONFIG)


def test_products_the_panel_cannot_use_keep_a_row_with_the_reason(panel) -> None:
    weeks = sorted(panel["week_start"].unique())
    unpriced = pd.DataFrame(
        {"product_id": "BULK", "week_start": weeks, "units": 500, "list_price": None}
    )
    returned = pd.DataFrame(
        {"product_id": "RETURNED", "week_start": weeks[:3], "units": 0, "list_price": 2.0}
    )
    frame = pd.concat([panel, unpriced, returned], ignore_index=True)
    out = price_elasticities(frame, line_slopes(frame), products(frame), CONFIG)
    assert len(out) == frame["product_id"].nunique()
    row = out.set_index("product_id")
    assert row.loc["BULK", "status"] == "no_list_price"
    assert row.loc["BULK", "sale_weeks"] == len(weeks)
    assert row.loc["RETURNED", "status"] == "too_few_sale_weeks"
    assert row.loc["RETURNED", "sale_weeks"] == 0
    assert not row.loc[["BULK", "RETURNED"], "is_significant"].any()
    evaluation = evaluate_elasticities(frame, line_slopes(frame), products(frame), CONFIG)
    counts = evaluation[evaluation["check_name"] == "estimates"].set_index("metric")
    assert counts.loc["products_no_list_price", "metric_value"] == 1
