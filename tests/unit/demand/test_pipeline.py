"""The registry row and the forecasts scored from it."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from customer_intelligence.demand import (
    evaluation_table,
    forecast_demand,
    train_demand,
    training_data,
)
from customer_intelligence.demand.series import WeeklyDemand

from .conftest import FAST, as_of, weekly_frame


@pytest.fixture(scope="module")
def trained():
    config = FAST
    frame = weekly_frame()
    evaluation = evaluation_table(WeeklyDemand.from_frame(frame, as_of()), config)
    registry = train_demand(frame, evaluation, as_of(), config)
    return frame, evaluation, registry, config


def test_the_registry_row_carries_the_class_methods_and_the_test_figures(trained) -> None:
    _, evaluation, registry, _ = trained
    assert len(registry) == 1
    artefact = json.loads(registry["artefact"].iloc[0])
    production = evaluation[
        (evaluation["split"] == "all")
        & evaluation["is_selected"]
        & (evaluation["metric"] == "wrmsse")
    ]
    assert artefact["methods"] == dict(
        zip(production["demand_class"], production["method"], strict=True)
    )
    metrics = json.loads(registry["metrics_json"].iloc[0])
    assert metrics["best_baseline"] in {"naive", "moving_average", "croston", "sba", "tsb"}
    assert set(metrics) >= {
        "test_wrmsse_selected",
        "test_wrmsse_combined",
        "test_interval_coverage_selected",
    }


def test_forecasts_cover_every_product_and_week_with_ordered_intervals(trained) -> None:
    frame, _, registry, config = trained
    out = forecast_demand(frame, registry, as_of())
    products = frame["product_id"].nunique()
    assert len(out) == products * config.horizon_weeks
    assert not out.duplicated(["product_id", "horizon_week"]).any()
    assert (out["forecast_units"] >= 0).all() and (out["lower_units"] >= 0).all()
    assert (out["lower_units"] <= out["upper_units"]).all()
    first = pd.Timestamp(out["week_start"].min())
    assert first == as_of()  # the week after the last complete one
    per_product = out.groupby("product_id")["safety_stock_units"].nunique()
    assert (per_product == 1).all()
    assert (out["demand_model_version"] == registry["model_version"].iloc[0]).all()
    late = out[out["product_id"] == "P23"]
    assert (late["weeks_of_history"] == 20).all()


def test_forecasting_twice_gives_the_same_rows(trained) -> None:
    frame, _, registry, _ = trained
    pd.testing.assert_frame_equal(
        forecast_demand(frame, registry, as_of()), forecast_demand(frame, registry, as_of())
    )


def test_an_unknown_artefact_is_refused(trained) -> None:
    frame, _, registry, _ = trained
    broken = registry.assign(artefact=json.dumps({"format": "other"}))
    with pytest.raises(ValueError, match="unknown demand artefact format"):
        forecast_demand(frame, broken, as_of())


def test_the_fingerprint_ignores_row_order_and_sees_a_change(trained) -> None:
    frame, _, _, config = trained
    one = training_data(frame, config, as_of())
    shuffled = training_data(frame.sample(frac=1, random_state=1), config, as_of())
    assert one.data_hash == shuffled.data_hash
    changed = frame.copy()
    changed.loc[0, "units"] += 1
    assert training_data(changed, config, as_of()).data_hash != one.data_hash
    assert np.isclose(one.mean, frame["units"].mean())


def test_running_only_the_chosen_methods_gives_the_same_forecasts(trained) -> None:
    from customer_intelligence.demand.statistical import statistical_forecasts

    frame, _, _, config = trained
    demand = WeeklyDemand.from_frame(frame, as_of())
    every = statistical_forecasts(demand.units, demand.weeks, config)
    some = statistical_forecasts(demand.units, demand.weeks, config, frozenset({"tsb", "ses"}))
    assert set(some) == {"tsb", "ses"}
    for name in some:
        np.testing.assert_array_equal(some[name], every[name])
