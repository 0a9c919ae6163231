"""The back-test: origins, methods that never read past their origin, the choice per class,
intervals that cover what they claim, and the table's shape."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from customer_intelligence.demand import metrics
from customer_intelligence.demand.backtest import (
    COMBINED,
    GLOBAL,
    forecasts_at,
    intervals,
    origins,
    quantile_lookup,
    safety_stock,
)
from customer_intelligence.demand.evaluation import COLUMNS, evaluation_table
from customer_intelligence.demand.series import CLASSES, WeeklyDemand

from .conftest import FAST, as_of, weekly_frame


def test_metrics_on_known_values() -> None:
    actual = np.array([[2.0, 4.0], [0.0, 0.0]])
    forecast = np.array([[3.0, 1.0], [1.0, 1.0]])
    np.testing.assert_allclose(
        metrics.rmsse(actual, forecast, np.array([1.0, 2.0])), [np.sqrt(5), 0.5]
    )
    np.testing.assert_allclose(metrics.mase(actual, forecast, np.array([2.0, 0.0])), [1.0, np.nan])
    assert metrics.bias(actual, forecast) == pytest.approx((6 - 6) / 6)
    assert metrics.coverage(actual, actual - 1, actual + 0.5) == 1.0
    assert metrics.weighted_mean(np.array([1.0, 3.0, np.nan]), np.array([1.0, 3.0, 5.0])) == 2.5
    assert metrics.weighted_mean(np.array([1.0, 3.0]), np.zeros(2)) == 2.0


def test_origins_leave_a_whole_horizon_and_a_short_log_names_the_settings(config) -> None:
    assert origins(40, config) == [32, 33, 34, 35]  # the last: 40 - 1 - 4
    with pytest.raises(ValueError, match="demand_backtest_origins") as error:
        origins(config.weeks_needed - 1, config)
    assert f"needs {config.weeks_needed} complete weeks" in str(error.value)


def test_no_method_reads_past_its_origin(config) -> None:
    frame = weekly_frame()
    demand = WeeklyDemand.from_frame(frame, as_of())
    origin = 30
    changed = frame.copy()
    later = changed["week_start"] > demand.weeks[origin]
    changed.loc[later, "units"] *= 7
    changed.loc[later, "list_price"] /= 3
    other = WeeklyDemand.from_frame(changed, as_of())
    first = forecasts_at(demand, origin, config)
    second = forecasts_at(other, origin, config)
    assert {GLOBAL, COMBINED, "naive", "tsb", "ses"} <= set(first)
    for name in first:
        np.testing.assert_array_equal(first[name], second[name], err_msg=name)


def test_intervals_and_safety_stock_scale_the_class_quantiles() -> None:
    quantiles = pd.DataFrame(
        [
            ("m", "smooth", 1, "error_quantile_lower", -1.0),
            ("m", "smooth", 1, "error_quantile_upper", 2.0),
            ("m", "smooth", 2, "lead_time_error_quantile", 1.5),
            ("m", "lumpy", 1, "error_quantile_lower", -0.5),
            ("m", "lumpy", 1, "error_quantile_upper", 0.5),
            ("m", "lumpy", 2, "lead_time_error_quantile", -0.2),
        ],
        columns=["method", "demand_class", "horizon_week", "metric", "metric_value"],
    )
    lookup = quantile_lookup(quantiles)
    forecast = np.array([[5.0], [1.0]])
    scale = np.array([2.0, 4.0])
    classes = np.array(["smooth", "lumpy"])
    lower, upper = intervals(forecast, scale, classes, "m", lookup)
    np.testing.assert_allclose(lower[:, 0], [3.0, 0.0])  # 1 - 4 clipped at 0
    np.testing.assert_allclose(upper[:, 0], [9.0, 3.0])
    # A negative quantile (the method over-forecasts) needs no safety stock.
    np.testing.assert_allclose(safety_stock(scale, classes, "m", 2, lookup), [3.0, 0.0])


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    config = FAST
    return evaluation_table(WeeklyDemand.from_frame(weekly_frame(), as_of()), config)


def test_the_table_scores_every_method_and_class_per_split(table: pd.DataFrame) -> None:
    assert list(table.columns) == list(COLUMNS)
    assert set(table["split"]) == {"validation", "test", "all"}
    keys = ["split", "method", "demand_class", "horizon_week", "metric"]
    assert not table.duplicated(keys).any()
    test = table[(table["split"] == "test") & (table["horizon_week"] == 0)]
    methods = set(test["method"])
    # No year of history: no seasonal naive.
    assert methods == {
        "naive",
        "moving_average",
        "croston",
        "sba",
        "tsb",
        "adida",
        "imapa",
        "ses",
        GLOBAL,
        COMBINED,
        "selected",
    }
    assert set(test.loc[test["is_baseline"], "method"]) == {
        "naive",
        "moving_average",
        "croston",
        "sba",
        "tsb",
    }
    production = table[
        (table["split"] == "all") & table["is_selected"] & (table["metric"] == "wrmsse")
    ]
    assert sorted(production["demand_class"]) == sorted(CLASSES)
    coverage = test[(test["metric"] == "interval_coverage") & (test["demand_class"] == "all")]
    assert coverage["metric_value"].between(0, 1).all()


def test_the_selected_forecast_is_the_class_method_chosen_on_validation(
    table: pd.DataFrame,
) -> None:
    test = table[(table["split"] == "test") & (table["metric"] == "rmsse")]
    for label in CLASSES:
        rows = test[(test["demand_class"] == label) & (test["horizon_week"] == 0)]
        chosen = rows[rows["is_selected"] & (rows["method"] != "selected")]
        assert len(chosen) == 1
        selected = rows.loc[rows["method"] == "selected", "metric_value"].iloc[0]
        assert selected == pytest.approx(chosen["metric_value"].iloc[0])


def test_the_back_test_is_deterministic(table: pd.DataFrame) -> None:
    config = FAST
    again = evaluation_table(WeeklyDemand.from_frame(weekly_frame(), as_of()), config)
    pd.testing.assert_frame_equal(table, again)


def test_intervals_calibrated_on_validation_cover_steady_demand_near_nominal(config) -> None:
    """On stationary Poisson demand the validation quantiles carry over: test coverage lands
    near the nominal 80%."""
    rng = np.random.default_rng(3)
    rows = [
        (f"P{p:03d}", pd.Timestamp("2011-01-03") + pd.Timedelta(weeks=w), units, units * 2.0, 2.0)
        for p in range(120)
        for w in range(40)
        for units in [max(int(rng.poisson(5 + p % 7)), 0)]
        if units or w == 0
    ]
    frame = pd.DataFrame(
        rows, columns=["product_id", "week_start", "units", "revenue", "list_price"]
    )
    frame.loc[frame["units"] == 0, "units"] = 1
    table = evaluation_table(
        WeeklyDemand.from_frame(frame, as_of()), replace(config, backtest_origins=6)
    )
    coverage = table[
        (table["split"] == "test")
        & (table["metric"] == "interval_coverage")
        & (table["demand_class"] == "all")
        & (table["horizon_week"] == 0)
    ].set_index("method")["metric_value"]
    assert coverage["moving_average"] == pytest.approx(0.8, abs=0.06)
    assert coverage["selected"] == pytest.approx(0.8, abs=0.06)


def test_the_global_model_samples_its_rows_with_a_fixed_seed(config) -> None:
    from customer_intelligence.demand.backtest import week_of_year
    from customer_intelligence.demand.global_model import fit_global_model

    demand = WeeklyDemand.from_frame(weekly_frame(products=60), as_of())
    small = replace(config, max_training_rows=1000)

    def fit(settings) -> str:
        weeks = week_of_year(demand)
        return fit_global_model(demand.units, demand.price, weeks, 35, settings).booster_json

    assert fit(small) == fit(small)
    assert fit(small) != fit(replace(small, seed=7))
    assert fit(small) != fit(config)  # the sample is a sample: fewer rows than all of them
