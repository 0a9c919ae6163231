"""Rolling-origin back-test of every method, the choice of a method per demand class, and the
scaled-error quantiles the prediction intervals and the safety stock are built from.

Origins are `origin_step_weeks` apart, the last `horizon_weeks` before the last complete week.
The earlier half is the validation set: the method per demand class is the one with the lowest
WRMSSE there, and the interval and lead-time quantiles are measured there. The later half is
the test set: the figures reported are those of that choice and those intervals on weeks they
never saw. Production then chooses and calibrates on every origin.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import metrics
from .config import DemandConfig
from .global_model import fit_global_model
from .series import CLASSES, WeeklyDemand, demand_classes, mase_scale, rmsse_scale
from .statistical import statistical_forecasts

GLOBAL = "global_xgboost"
COMBINED = "combined"
# The equal-weight mean of the non-baseline methods, fixed in advance (combinations are hard to
# beat: the M4 competition's lesson), not chosen on the back-test.
COMBINATION: tuple[str, ...] = ("adida", "imapa", "ses", GLOBAL)
SELECTED = "selected"
VALIDATION, TEST, ALL = "validation", "test", "all"


@dataclass
class OriginForecasts:
    """Every method's forecasts from one origin, for the products eligible there."""

    origin: int
    split: str
    products: np.ndarray
    classes: np.ndarray
    scale: np.ndarray
    mase_scale: np.ndarray
    weight: np.ndarray
    actual: np.ndarray
    forecasts: dict[str, np.ndarray] = field(default_factory=dict)


def origins(weeks: int, config: DemandConfig) -> list[int]:
    """Week indexes of the back-test origins, oldest first."""
    if weeks < config.weeks_needed:
        raise ValueError(
            f"the demand back-test needs {config.weeks_needed} complete weeks of sales before "
            f"as_of_date and the log has {weeks}: lower demand_backtest_origins, "
            "demand_origin_step_weeks, demand_horizon_weeks or demand_min_history_weeks"
        )
    last = weeks - 1 - config.horizon_weeks
    return [last - config.origin_step_weeks * k for k in reversed(range(config.backtest_origins))]


def week_of_year(demand: WeeklyDemand, extra: int = 0) -> np.ndarray:
    weeks = demand.weeks.append(
        pd.date_range(demand.weeks[-1] + pd.Timedelta(days=7), periods=extra, freq="7D")
    )
    return weeks.isocalendar().week.to_numpy(int)


def forecasts_at(demand: WeeklyDemand, origin: int, config: DemandConfig) -> dict[str, np.ndarray]:
    """Every method's forecasts from `origin` for every product (NaN for those not yet sold)."""
    history = demand.units[:, : origin + 1]
    out = statistical_forecasts(history, demand.weeks, config)
    model = fit_global_model(history, demand.price, week_of_year(demand), origin, config)
    calendar = week_of_year(demand, config.horizon_weeks)[
        origin + 1 : origin + 1 + config.horizon_weeks
    ]
    out[GLOBAL] = model.predict(history, demand.price, calendar, origin, config.horizon_weeks)
    return with_combination(out)


def with_combination(forecasts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """`forecasts` with the combination added (when all its methods are there)."""
    if all(name in forecasts for name in COMBINATION):
        forecasts[COMBINED] = np.mean([forecasts[name] for name in COMBINATION], axis=0)
    return forecasts


def run_backtest(demand: WeeklyDemand, config: DemandConfig) -> list[OriginForecasts]:
    points = origins(len(demand.weeks), config)
    validation = len(points) // 2
    h = config.horizon_weeks
    out = []
    for index, origin in enumerate(points):
        history = demand.units[:, : origin + 1]
        age = (~np.isnan(history)).sum(axis=1)
        scale = rmsse_scale(history)
        eligible = (age >= config.min_history_weeks) & np.isfinite(scale) & (scale > 0)
        rows = np.flatnonzero(eligible)
        everything = forecasts_at(demand, origin, config)
        recent = demand.revenue[rows, max(0, origin + 1 - h) : origin + 1].sum(axis=1)
        out.append(
            OriginForecasts(
                origin=origin,
                split=VALIDATION if index < validation else TEST,
                products=rows,
                classes=demand_classes(history[rows]),
                scale=scale[rows],
                mase_scale=mase_scale(history[rows]),
                weight=recent,
                actual=demand.units[rows, origin + 1 : origin + 1 + h],
                forecasts={name: values[rows] for name, values in everything.items()},
            )
        )
    return out


def methods(results: list[OriginForecasts]) -> list[str]:
    """Methods with a forecast for every product at every origin (seasonal naive drops out
    without a year of history)."""
    names = results[0].forecasts.keys()
    return [
        name
        for name in names
        if all(not np.isnan(r.forecasts[name]).any() for r in results if name in r.forecasts)
        and all(name in r.forecasts for r in results)
    ]


def stack(results: list[OriginForecasts], method: str) -> dict[str, np.ndarray]:
    return {
        "actual": np.vstack([r.actual for r in results]),
        "forecast": np.vstack([r.forecasts[method] for r in results]),
        "scale": np.concatenate([r.scale for r in results]),
        "mase_scale": np.concatenate([r.mase_scale for r in results]),
        "weight": np.concatenate([r.weight for r in results]),
        "classes": np.concatenate([r.classes for r in results]),
    }


def choose_methods(results: list[OriginForecasts], names: list[str]) -> dict[str, str]:
    """Per demand class, the method with the lowest WRMSSE over `results`; a class without a
    product there gets the overall winner."""
    scores = {}
    for name in names:
        stacked = stack(results, name)
        scores[name] = (
            metrics.rmsse(stacked["actual"], stacked["forecast"], stacked["scale"]),
            stacked["weight"],
            stacked["classes"],
        )
    overall = min(names, key=lambda n: metrics.weighted_mean(scores[n][0], scores[n][1]))
    chosen = {}
    for label in CLASSES:
        best, best_score = overall, np.inf
        for name in names:
            values, weight, classes = scores[name]
            mask = classes == label
            if not mask.any():
                continue
            score = metrics.weighted_mean(values[mask], weight[mask])
            if score < best_score:
                best, best_score = name, score
        chosen[label] = best
    return chosen


def add_selected(results: list[OriginForecasts], chosen: dict[str, str]) -> None:
    """The forecast of each product's class method, as method `selected`."""
    for r in results:
        selected = np.empty_like(r.actual, dtype=float)
        for label, name in chosen.items():
            mask = r.classes == label
            selected[mask] = r.forecasts[name][mask]
        r.forecasts[SELECTED] = selected


def scaled_errors(results: list[OriginForecasts], method: str) -> tuple[np.ndarray, np.ndarray]:
    """(actual - forecast) / scale per product-origin and horizon week, with the classes."""
    stacked = stack(results, method)
    return (stacked["actual"] - stacked["forecast"]) / stacked["scale"][:, None], stacked["classes"]


def error_quantiles(
    results: list[OriginForecasts], names: list[str], config: DemandConfig
) -> pd.DataFrame:
    """Per method x class (and 'all') x horizon week: the scaled-error quantiles of the
    interval's ends; per method x class at horizon lead_time_weeks: the quantile at
    service_level of the scaled error of demand summed over the lead time."""
    low = (1 - config.interval_level) / 2
    high = 1 - low
    lead = config.lead_time_weeks
    rows = []
    for name in names:
        errors, classes = scaled_errors(results, name)
        lead_errors = errors[:, :lead].sum(axis=1)
        for label in ("all", *CLASSES):
            mask = np.ones(len(classes), bool) if label == "all" else classes == label
            if not mask.any():
                mask = np.ones(len(classes), bool)  # a class unseen here borrows every product
            for step in range(errors.shape[1]):
                for metric, q in (("error_quantile_lower", low), ("error_quantile_upper", high)):
                    rows.append(
                        (
                            name,
                            label,
                            step + 1,
                            metric,
                            metrics.quantile(errors[mask, step], q),
                            int(mask.sum()),
                        )
                    )
            rows.append(
                (
                    name,
                    label,
                    lead,
                    "lead_time_error_quantile",
                    metrics.quantile(lead_errors[mask], config.service_level),
                    int(mask.sum()),
                )
            )
    return pd.DataFrame(
        rows, columns=["method", "demand_class", "horizon_week", "metric", "metric_value", "series"]
    )


def quantile_lookup(quantiles: pd.DataFrame) -> dict[tuple[str, str, int, str], float]:
    return {
        (m, c, int(h), k): float(v)
        for m, c, h, k, v in quantiles[
            ["method", "demand_class", "horizon_week", "metric", "metric_value"]
        ].itertuples(index=False)
    }


def intervals(
    forecast: np.ndarray,
    scale: np.ndarray,
    classes: np.ndarray,
    method: str | np.ndarray,
    lookup: dict[tuple[str, str, int, str], float],
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper ends: forecast + scale x the class's scaled-error quantile at each
    horizon week, the lower end at least 0. `method` is one name or one per row."""
    names = np.broadcast_to(np.asarray(method, dtype=object), classes.shape)
    lower = np.empty_like(forecast)
    upper = np.empty_like(forecast)
    for step in range(forecast.shape[1]):
        ql = np.array(
            [
                lookup[(m, c, step + 1, "error_quantile_lower")]
                for m, c in zip(names, classes, strict=True)
            ]
        )
        qu = np.array(
            [
                lookup[(m, c, step + 1, "error_quantile_upper")]
                for m, c in zip(names, classes, strict=True)
            ]
        )
        lower[:, step] = np.clip(forecast[:, step] + scale * ql, 0.0, None)
        upper[:, step] = np.maximum(forecast[:, step] + scale * qu, lower[:, step])
    return lower, upper


def safety_stock(
    scale: np.ndarray,
    classes: np.ndarray,
    method: str | np.ndarray,
    lead: int,
    lookup: dict[tuple[str, str, int, str], float],
) -> np.ndarray:
    """scale x the class's lead-time scaled-error quantile, at least 0."""
    names = np.broadcast_to(np.asarray(method, dtype=object), classes.shape)
    q = np.array(
        [
            lookup[(m, c, lead, "lead_time_error_quantile")]
            for m, c in zip(names, classes, strict=True)
        ]
    )
    return np.clip(scale * q, 0.0, None)
