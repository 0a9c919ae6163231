"""The back-test as one table: split x method x demand class x horizon week x metric.

- `validation` and `test` rows: RMSSE (mean over product-origins), WRMSSE (weighted by each
  product's revenue in the `horizon_weeks` before the origin), MASE and bias, over all horizon
  weeks (horizon_week 0) and per week. Method `selected` is each product's class method, chosen
  on the validation origins. Test rows add `interval_coverage` (intervals calibrated on the
  validation origins) and `service_level_achieved`: the share of product-origins whose demand
  over the lead time stayed within forecast + safety stock.
- `all` rows: the production choice per class (`is_selected`), made on every origin, with the
  scaled-error quantiles (`error_quantile_lower` / `_upper`, `lead_time_error_quantile`) the
  forecasts' intervals and the inventory policy use.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import metrics
from .backtest import (
    ALL,
    SELECTED,
    TEST,
    VALIDATION,
    OriginForecasts,
    add_selected,
    choose_methods,
    error_quantiles,
    intervals,
    methods,
    quantile_lookup,
    run_backtest,
    safety_stock,
    stack,
)
from .config import DemandConfig
from .series import CLASSES, WeeklyDemand
from .statistical import BASELINES

COLUMNS: tuple[str, ...] = (
    "split",
    "method",
    "demand_class",
    "horizon_week",
    "metric",
    "metric_value",
    "series",
    "is_baseline",
    "is_selected",
)


def _accuracy_rows(split: str, name: str, stacked: dict, horizon: int) -> list[tuple]:
    rows = []
    for label in ("all", *CLASSES):
        mask = (
            np.ones(len(stacked["classes"]), bool)
            if label == "all"
            else stacked["classes"] == label
        )
        if not mask.any():
            continue
        actual, forecast = stacked["actual"][mask], stacked["forecast"][mask]
        scale, weight = stacked["scale"][mask], stacked["weight"][mask]
        for step in range(horizon + 1):
            cols = slice(None) if step == 0 else slice(step - 1, step)
            a, f = actual[:, cols], forecast[:, cols]
            values = metrics.rmsse(a, f, scale)
            figures = {
                "rmsse": float(np.mean(values)),
                "wrmsse": metrics.weighted_mean(values, weight),
                "mase": metrics.finite_mean(metrics.mase(a, f, stacked["mase_scale"][mask])),
                "bias": metrics.bias(a, f),
            }
            rows += [(split, name, label, step, k, v, int(mask.sum())) for k, v in figures.items()]
    return rows


def _test_interval_rows(
    test: list[OriginForecasts],
    name: str,
    method_per_row: str | np.ndarray,
    lookup: dict,
    config: DemandConfig,
) -> list[tuple]:
    stacked = stack(test, name)
    lower, upper = intervals(
        stacked["forecast"], stacked["scale"], stacked["classes"], method_per_row, lookup
    )
    lead = config.lead_time_weeks
    stock = safety_stock(stacked["scale"], stacked["classes"], method_per_row, lead, lookup)
    lead_demand = stacked["actual"][:, :lead].sum(axis=1)
    reorder_point = stacked["forecast"][:, :lead].sum(axis=1) + stock
    actual = stacked["actual"]
    rows = []
    for label in ("all", *CLASSES):
        mask = np.ones(len(actual), bool) if label == "all" else stacked["classes"] == label
        if not mask.any():
            continue
        key = (TEST, name, label)
        n = int(mask.sum())
        coverage = metrics.coverage(actual[mask], lower[mask], upper[mask])
        rows.append((*key, 0, "interval_coverage", coverage, n))
        for step in range(actual.shape[1]):
            coverage = metrics.coverage(actual[mask, step], lower[mask, step], upper[mask, step])
            rows.append((*key, step + 1, "interval_coverage", coverage, n))
        achieved = float(np.mean(lead_demand[mask] <= reorder_point[mask]))
        rows.append((*key, lead, "service_level_achieved", achieved, n))
    return rows


def evaluation_table(demand: WeeklyDemand, config: DemandConfig) -> pd.DataFrame:
    """Run the back-test (on at most max_backtest_products products) and return its table."""
    sample = demand.sample(config.max_backtest_products, config.seed)
    return evaluation_from_results(run_backtest(sample, config), config)


def evaluation_from_results(results: list[OriginForecasts], config: DemandConfig) -> pd.DataFrame:
    names = methods(results)
    validation = [r for r in results if r.split == VALIDATION]
    test = [r for r in results if r.split == TEST]
    chosen = choose_methods(validation, names)
    add_selected(results, chosen)
    lookup = quantile_lookup(error_quantiles(validation, names, config))
    rows: list[tuple] = []
    for split, subset in ((VALIDATION, validation), (TEST, test)):
        for name in (*names, SELECTED):
            rows += _accuracy_rows(split, name, stack(subset, name), config.horizon_weeks)
    for name in names:
        rows += _test_interval_rows(test, name, name, lookup, config)
    per_row = np.array([chosen[c] for c in np.concatenate([r.classes for r in test])], dtype=object)
    rows += _test_interval_rows(test, SELECTED, per_row, lookup, config)
    table = pd.DataFrame(rows, columns=list(COLUMNS[:7]))
    table["is_selected"] = [
        (m == SELECTED and c == "all") or (c != "all" and chosen.get(c) == m)
        for m, c in zip(table["method"], table["demand_class"], strict=True)
    ]
    # Production: the class methods chosen on every origin, with the quantiles of every origin.
    production = choose_methods(results, names)
    everywhere = []
    for name in names:
        values, weight, classes = _scores(results, name)
        for label in CLASSES:
            mask = classes == label
            if mask.any():
                score = metrics.weighted_mean(values[mask], weight[mask])
                everywhere.append((ALL, name, label, 0, "wrmsse", score, int(mask.sum())))
    final = error_quantiles(results, names, config)
    final["split"] = ALL
    out = pd.concat(
        [
            table,
            pd.DataFrame(everywhere, columns=list(COLUMNS[:7])),
            final[list(COLUMNS[:7])],
        ],
        ignore_index=True,
    )
    is_all = out["split"] == ALL
    out.loc[is_all, "is_selected"] = [
        production.get(c) == m
        for m, c in zip(out.loc[is_all, "method"], out.loc[is_all, "demand_class"], strict=True)
    ]
    out["is_selected"] = out["is_selected"].astype(bool)
    out["is_baseline"] = out["method"].isin(BASELINES)
    out["horizon_week"] = out["horizon_week"].astype("int32")
    out["series"] = out["series"].astype("int64")
    return out.loc[:, list(COLUMNS)]


def _scores(results: list[OriginForecasts], name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    stacked = stack(results, name)
    return (
        metrics.rmsse(stacked["actual"], stacked["forecast"], stacked["scale"]),
        stacked["weight"],
        stacked["classes"],
    )
