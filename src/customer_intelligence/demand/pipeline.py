"""The steps the dbt Python models call: back-test, train (registry row), forecast.

The registry artefact (format `demand-model-json-v1`) is plain JSON:

    {"format": "demand-model-json-v1", "config": {...}, "methods": {"smooth": "combined", ...},
     "quantiles": [[method, class, horizon_week, metric, value], ...],
     "global_model": <global_model.GlobalModel.to_dict()>}

`methods` is the production method per demand class, chosen on every back-test origin;
`quantiles` are the scaled-error quantiles measured there (intervals, safety stock).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ..registry import frame_hash, library_versions, registry_row
from ..retraining import TrainingData, settings_hash
from .backtest import (
    ALL,
    COMBINATION,
    COMBINED,
    GLOBAL,
    intervals,
    quantile_lookup,
    safety_stock,
    week_of_year,
    with_combination,
)
from .config import DemandConfig
from .global_model import GlobalModel, fit_global_model, model_scale
from .series import WEEKLY_COLUMNS, WeeklyDemand, demand_classes
from .statistical import statistical_forecasts

MODEL_NAME = "demand_forecast"
ARTEFACT_FORMAT = "demand-model-json-v1"
LIBRARIES = ["statsforecast", "xgboost-cpu"]


def training_data(weekly: pd.DataFrame, config: DemandConfig, as_of_date: Any) -> TrainingData:
    """The fingerprint `retraining.decide` compares: the weekly series, their hash, the settings
    (with the library versions), and mean weekly units as the key measure."""
    ordered = weekly.sort_values(["product_id", "week_start"], kind="stable")
    settings = {**config.parameters(), "libraries": library_versions(LIBRARIES)}
    return TrainingData(
        rows=len(weekly),
        data_hash=frame_hash(ordered, list(WEEKLY_COLUMNS)),
        settings_hash=settings_hash(settings),
        as_of_date=pd.Timestamp(as_of_date).date(),
        mean=float(weekly["units"].mean()) if len(weekly) else 0.0,
    )


def _summary(evaluation: pd.DataFrame) -> dict[str, Any]:
    """Test-origin WRMSSE of the selected methods, the combination and the best baseline, and
    the interval coverage: the registry's metrics."""
    test = evaluation[
        (evaluation["split"] == "test")
        & (evaluation["demand_class"] == "all")
        & (evaluation["horizon_week"] == 0)
    ]
    wrmsse = test[test["metric"] == "wrmsse"].set_index("method")["metric_value"]
    coverage = test[test["metric"] == "interval_coverage"].set_index("method")["metric_value"]
    baselines = test.loc[test["is_baseline"] & (test["metric"] == "wrmsse"), "method"].unique()
    best = wrmsse.loc[baselines].idxmin()
    return {
        "test_wrmsse_selected": float(wrmsse.get("selected", np.nan)),
        "test_wrmsse_combined": float(wrmsse.get("combined", np.nan)),
        "best_baseline": best,
        "test_wrmsse_best_baseline": float(wrmsse.loc[best]),
        "test_interval_coverage_selected": float(coverage.get("selected", np.nan)),
    }


def train_demand(
    weekly: pd.DataFrame, evaluation: pd.DataFrame, as_of_date: Any, config: DemandConfig
) -> pd.DataFrame:
    """The registry row: methods per class and quantiles from the back-test's `all` rows, and the
    global model fitted on every week before as_of_date."""
    demand = WeeklyDemand.from_frame(weekly, as_of_date)
    chosen = evaluation[
        (evaluation["split"] == ALL)
        & evaluation["is_selected"]
        & (evaluation["metric"] == "wrmsse")
    ]
    methods = dict(zip(chosen["demand_class"], chosen["method"], strict=True))
    quantiles = evaluation[
        (evaluation["split"] == ALL) & evaluation["metric"].str.contains("quantile")
    ]
    origin = len(demand.weeks) - 1
    model = fit_global_model(demand.units, demand.price, week_of_year(demand), origin, config)
    artefact = {
        "format": ARTEFACT_FORMAT,
        "config": config.parameters(),
        "methods": methods,
        "quantiles": quantiles[
            ["method", "demand_class", "horizon_week", "metric", "metric_value"]
        ].values.tolist(),
        "global_model": model.to_dict(),
    }
    row = registry_row(
        model_name=MODEL_NAME,
        algorithm="method per demand class (statsforecast baselines, ADIDA, IMAPA, SES, "
        "global XGBoost, their combination), chosen on a rolling-origin back-test",
        training_data_hash=frame_hash(
            weekly.sort_values(["product_id", "week_start"], kind="stable"), list(WEEKLY_COLUMNS)
        ),
        training_rows=len(weekly),
        parameters={**config.parameters(), "methods": methods},
        metrics=_summary(evaluation),
        artefact_format=ARTEFACT_FORMAT,
        artefact=json.dumps(artefact, sort_keys=True, default=float),
        as_of_date=pd.Timestamp(as_of_date).date(),
    )
    row["as_of_date"] = pd.array(row["as_of_date"].tolist(), dtype=pd.ArrowDtype(pa.date32()))
    return row


def forecast_demand(weekly: pd.DataFrame, registry: pd.DataFrame, as_of_date: Any) -> pd.DataFrame:
    """One row per product and week ahead, from the registered model: the forecast with its
    interval, the product's demand class and method, and (repeated on each of its weeks) the
    safety stock for the lead time and service level the model was trained for."""
    if len(registry) != 1:
        raise ValueError(f"expected one {MODEL_NAME} registry row, got {len(registry)}")
    artefact = json.loads(registry["artefact"].iloc[0])
    if artefact.get("format") != ARTEFACT_FORMAT:
        raise ValueError(f"unknown demand artefact format {artefact.get('format')!r}")
    config = DemandConfig(**artefact["config"])
    demand = WeeklyDemand.from_frame(weekly, as_of_date)
    h = config.horizon_weeks
    origin = len(demand.weeks) - 1
    needed = set(artefact["methods"].values())
    if COMBINED in needed:
        needed |= set(COMBINATION)
    forecasts = statistical_forecasts(demand.units, demand.weeks, config, frozenset(needed))
    if GLOBAL in needed:
        model = GlobalModel.from_dict(artefact["global_model"])
        calendar = week_of_year(demand, h)[origin + 1 :]
        forecasts[GLOBAL] = model.predict(demand.units, demand.price, calendar, origin, h)
    forecasts = with_combination(forecasts)
    classes = demand_classes(demand.units)
    method = np.array([artefact["methods"][c] for c in classes], dtype=object)
    forecast = np.vstack([forecasts[m][i] for i, m in enumerate(method)])
    scale = model_scale(demand.units)
    lookup = quantile_lookup(
        pd.DataFrame(
            artefact["quantiles"],
            columns=["method", "demand_class", "horizon_week", "metric", "metric_value"],
        )
    )
    lower, upper = intervals(forecast, scale, classes, method, lookup)
    stock = safety_stock(scale, classes, method, config.lead_time_weeks, lookup)
    age = (~np.isnan(demand.units)).sum(axis=1)
    n = len(demand.product_ids)
    targets = pd.date_range(demand.weeks[-1] + pd.Timedelta(days=7), periods=h, freq="7D")
    out = pd.DataFrame(
        {
            "product_id": np.repeat(demand.product_ids, h),
            "horizon_week": np.tile(np.arange(1, h + 1, dtype=np.int32), n),
            "week_start": np.tile(targets.date, n),
            "forecast_units": forecast.ravel(),
            "lower_units": lower.ravel(),
            "upper_units": upper.ravel(),
            "interval_level": config.interval_level,
            "demand_class": np.repeat(classes, h),
            "forecast_method": np.repeat(method, h),
            "weeks_of_history": np.repeat(age.astype(np.int32), h),
            "error_scale": np.repeat(scale, h),
            "safety_stock_units": np.repeat(stock, h),
            "lead_time_weeks": np.int32(config.lead_time_weeks),
            "service_level": config.service_level,
        }
    )
    out["week_start"] = pd.array(list(out["week_start"]), dtype=pd.ArrowDtype(pa.date32()))
    out["demand_model_version"] = registry["model_version"].iloc[0]
    return out
