"""The steps the dbt Python models call: estimates with suggested price moves, their
evaluation, and the registry row.

The registry artefact (format `price-elasticity-json-v1`) is plain JSON:

    {"format": "price-elasticity-json-v1", "config": {...},
     "week_effects": {"2011-01-03": 0.12, ...},
     "products": {"85123A": [intercept, elasticity, week_effect_coefficient, std_error], ...},
     "groups": {"HOLDER": [elasticity, std_error], ...}}

for the products with an estimate: log(units) = intercept + elasticity * log(list price) +
week_effect_coefficient * week effect; and the product groups with one.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ..registry import frame_hash, registry_row
from ..retraining import TrainingData, settings_hash
from .config import ElasticityConfig
from .estimation import FIT_COLUMNS, STATUSES, fit_elasticities, with_unpriced_products
from .groups import GROUP_COLUMNS, fit_groups, groups_for, product_group
from .panel import PANEL_COLUMNS, PricePanel, build_panel
from .validation import holdout_check, placebo_check, synthetic_check

MODEL_NAME = "price_elasticity"
ARTEFACT_FORMAT = "price-elasticity-json-v1"
SLOPE_COLUMNS: tuple[str, ...] = ("product_id", "line_count", "line_level_elasticity")
PRODUCT_COLUMNS: tuple[str, ...] = ("product_id", "product_description")

ELASTICITY_COLUMNS: tuple[str, ...] = (
    *(c for c in FIT_COLUMNS if c not in ("intercept", "week_effect_coefficient")),
    "status_reason",
    "current_list_price",
    "line_count",
    "line_level_elasticity",
    "suggestion",
    "suggested_price_change",
    "expected_revenue_change",
    "expected_revenue_change_low",
    "expected_revenue_change_high",
    *GROUP_COLUMNS,
    "estimate_level",
    "applied_elasticity",
    "applied_ci_low",
    "applied_ci_high",
)


def product_groups(products: pd.DataFrame) -> pd.Series:
    """product_id -> product group (see `groups.product_group`) from `dim_products`."""
    _require(products, PRODUCT_COLUMNS, "the products")
    descriptions = products.drop_duplicates("product_id").set_index("product_id")
    return descriptions["product_description"].map(product_group)


def price_elasticities(
    weekly: pd.DataFrame,
    line_slopes: pd.DataFrame,
    products: pd.DataFrame,
    config: ElasticityConfig,
) -> pd.DataFrame:
    """One row per product with a sale week (`ELASTICITY_COLUMNS`), sorted by product_id.

    `weekly`: `int_product_weeks_priced` (product x week: units, list_price). `line_slopes`:
    one row per product, the line-level slope of log quantity on log unit price (the
    tier-confounded estimate, shown beside the weekly one). `products`: product_id and
    product_description, for the product groups. estimate_level says which estimate the
    applied_* columns hold: the product's own, else its group's, else none."""
    _require(line_slopes, SLOPE_COLUMNS, "the line-level price slopes")
    panel = build_panel(weekly, config.min_sale_weeks)
    group_of = product_groups(products)
    fits = with_unpriced_products(fit_elasticities(panel, config), weekly, config.min_sale_weeks)
    groups = groups_for(fits["product_id"], group_of, fit_groups(panel, group_of, config))
    out = fits.drop(columns=["intercept", "week_effect_coefficient"])
    out["status_reason"] = out["status"].map(STATUSES)
    last = np.flatnonzero(np.r_[panel.product[1:] != panel.product[:-1], True])
    current = pd.Series(
        np.round(np.exp(panel.log_price[last]), 2), index=panel.product_ids[panel.product[last]]
    )
    out["current_list_price"] = current.reindex(out["product_id"]).to_numpy()
    slopes = line_slopes[list(SLOPE_COLUMNS)].drop_duplicates("product_id").set_index("product_id")
    out = out.join(slopes, on="product_id")
    out["line_count"] = out["line_count"].fillna(0).astype(np.int64)
    out = pd.concat([out, suggestions(out, config.price_move, config.max_abs_elasticity)], axis=1)
    out = out.merge(groups, on="product_id", how="left", validate="one_to_one")
    own = (out["status"] == "estimated").to_numpy()
    group = ~own & (out["group_status"] == "estimated").to_numpy()
    out["estimate_level"] = np.select([own, group], ["product", "product_group"], default=None)
    for applied, mine, theirs in (
        ("applied_elasticity", "elasticity", "group_elasticity"),
        ("applied_ci_low", "ci_low", "group_ci_low"),
        ("applied_ci_high", "ci_high", "group_ci_high"),
    ):
        out[applied] = np.where(own, out[mine], np.where(group, out[theirs], np.nan))
    return out[list(ELASTICITY_COLUMNS)].reset_index(drop=True)


def suggestions(
    estimates: pd.DataFrame, price_move: float, max_abs_elasticity: float
) -> pd.DataFrame:
    """A price move per product, only where the interval says which way revenue goes.

    Constant elasticity e: a price change m multiplies revenue by (1 + m) ** (1 + e). Elastic
    products (interval below -1) earn more at a lower price, inelastic ones (interval between
    -1 and 0) at a higher price; an interval that holds 0 gives no move, one above 0 (units
    rising with price) is taken as confounding, one across -1 leaves the direction unknown, and
    an estimate beyond `max_abs_elasticity` is taken as a markdown or a stock-out, not a
    response to extrapolate. Revenue only: the log has no costs, so margins are not judged."""
    low, high, e = (estimates[c].to_numpy(float) for c in ("ci_low", "ci_high", "elasticity"))
    estimated = (estimates["status"] == "estimated").to_numpy()
    extreme = estimated & (np.abs(e) > max_abs_elasticity)
    plausible = estimated & ~extreme
    elastic, inelastic = plausible & (high < -1), plausible & (low > -1) & (high < 0)
    suggestion = np.select(
        [
            ~estimated,
            extreme,
            elastic,
            inelastic,
            estimated & (low <= 0) & (high >= 0),
            estimated & (low > 0),
        ],
        [
            None,
            f"no move: |elasticity| above {max_abs_elasticity:g}, likely a markdown or stock-out",
            "lower price",
            "raise price",
            "no move: the interval includes 0",
            "no move: units rise with price (likely confounded)",
        ],
        default="no move: the interval spans -1, so the revenue effect's sign is unknown",
    )
    move = np.where(elastic, -price_move, np.where(inelastic, price_move, np.nan))
    factor = 1.0 + move

    def revenue(elasticity: np.ndarray) -> np.ndarray:
        return factor ** (1.0 + elasticity) - 1.0

    bounds = np.sort(np.column_stack([revenue(low), revenue(high)]), axis=1)
    return pd.DataFrame(
        {
            "suggestion": suggestion,
            "suggested_price_change": move,
            "expected_revenue_change": revenue(e),
            "expected_revenue_change_low": bounds[:, 0],
            "expected_revenue_change_high": bounds[:, 1],
        },
        index=estimates.index,
    )


def evaluate_elasticities(
    weekly: pd.DataFrame,
    line_slopes: pd.DataFrame,
    products: pd.DataFrame,
    config: ElasticityConfig,
) -> pd.DataFrame:
    """One row per check and metric (check_name, metric, metric_value): `estimates` (products
    per status, median elasticities), `line_level` (the tier-confounded slopes: their median
    over every product with one, and over the estimated products), `groups` (groups estimated
    and significant, their median, the products that take a group's estimate), `holdout`,
    `synthetic` and `placebo` (see `validation`; the placebo covers the groups too)."""
    _require(line_slopes, SLOPE_COLUMNS, "the line-level price slopes")
    panel = build_panel(weekly, config.min_sale_weeks)
    fits = fit_elasticities(panel, config)
    groups = product_groups(products)
    all_fits = with_unpriced_products(fits, weekly, config.min_sale_weeks)
    by_product = groups_for(all_fits["product_id"], groups, fit_groups(panel, groups, config))
    by_group = by_product.drop_duplicates("product_group")
    by_group = by_group[by_group["group_status"] == "estimated"]
    estimated = fits[fits["status"] == "estimated"]
    negative = estimated[estimated["ci_high"] < 0]
    rows: list[tuple[str, str, float]] = [
        ("estimates", f"products_{status}", float((all_fits["status"] == status).sum()))
        for status in STATUSES
    ]
    rows += [
        ("estimates", "products_significant", float(estimated["is_significant"].sum())),
        ("estimates", "median_elasticity", _median(estimated["elasticity"])),
        ("estimates", "median_significant_negative", _median(negative["elasticity"])),
        ("estimates", "mean_significant_negative", _mean(negative["elasticity"])),
    ]
    slopes = line_slopes.set_index("product_id")["line_level_elasticity"]
    rows += [
        ("line_level", "products", float(slopes.notna().sum())),
        ("line_level", "median_elasticity", _median(slopes)),
        ("line_level", "median_same_products", _median(slopes.reindex(estimated["product_id"]))),
    ]
    group_significant = (by_group["group_ci_low"] > 0) | (by_group["group_ci_high"] < 0)
    taken = (all_fits["status"] != "estimated").to_numpy() & (
        by_product["group_status"] == "estimated"
    ).to_numpy()
    rows += [
        ("groups", "groups_estimated", float(len(by_group))),
        ("groups", "groups_significant", float(group_significant.sum())),
        ("groups", "median_elasticity", _median(by_group["group_elasticity"])),
        ("groups", "products_taking_group_estimate", float(taken.sum())),
    ]
    checks = {
        "holdout": holdout_check(panel, config),
        "synthetic": synthetic_check(panel, fits, config),
        "placebo": placebo_check(panel, config, groups),
    }
    rows += [
        (check, metric, value) for check, found in checks.items() for metric, value in found.items()
    ]
    return pd.DataFrame(rows, columns=["check_name", "metric", "metric_value"])


def train_elasticity_model(
    weekly: pd.DataFrame,
    products: pd.DataFrame,
    evaluation: pd.DataFrame,
    as_of_date: Any,
    config: ElasticityConfig,
) -> pd.DataFrame:
    """The registry row: every estimated product's coefficients, every estimated group's
    elasticity and the week effects, with the evaluation as metrics."""
    panel = build_panel(weekly, config.min_sale_weeks)
    fits = fit_elasticities(panel, config)
    estimated = fits[fits["status"] == "estimated"]
    groups = fit_groups(panel, product_groups(products), config).drop_duplicates("product_group")
    groups = groups[groups["group_status"] == "estimated"]
    artefact = {
        "format": ARTEFACT_FORMAT,
        "config": config.parameters(),
        "week_effects": _week_effects(panel),
        "products": {
            row.product_id: [
                row.intercept,
                row.elasticity,
                row.week_effect_coefficient,
                row.std_error,
            ]
            for row in estimated.itertuples()
        },
        "groups": {
            row.product_group: [row.group_elasticity, row.group_std_error]
            for row in groups.itertuples()
        },
    }
    metrics = {
        f"{check}_{metric}": None if pd.isna(value) else float(value)
        for check, metric, value in evaluation[["check_name", "metric", "metric_value"]].itertuples(
            index=False
        )
    }
    row = registry_row(
        model_name=MODEL_NAME,
        algorithm="per-product OLS of log weekly units on log list price with the shop's week "
        "effect, HC3 standard errors",
        training_data_hash=training_data(weekly, config, as_of_date).data_hash,
        training_rows=len(weekly),
        parameters=config.parameters(),
        metrics=metrics,
        artefact_format=ARTEFACT_FORMAT,
        artefact=json.dumps(artefact, sort_keys=True, default=float),
        as_of_date=pd.Timestamp(as_of_date).date(),
    )
    row["as_of_date"] = pd.array(row["as_of_date"].tolist(), dtype=pd.ArrowDtype(pa.date32()))
    return row


def training_data(weekly: pd.DataFrame, config: ElasticityConfig, as_of_date: Any) -> TrainingData:
    """The fingerprint `retraining.decide` compares: the weekly panel, its hash, the settings,
    and mean weekly units as the key measure."""
    ordered = weekly.sort_values(["product_id", "week_start"], kind="stable")
    return TrainingData(
        rows=len(weekly),
        data_hash=frame_hash(ordered, list(PANEL_COLUMNS)),
        settings_hash=settings_hash(config.parameters()),
        as_of_date=pd.Timestamp(as_of_date).date(),
        mean=float(weekly["units"].mean()) if len(weekly) else 0.0,
    )


def _week_effects(panel: PricePanel) -> dict[str, float]:
    first = np.unique(panel.week, return_index=True)
    return {
        str(panel.weeks[week].date()): float(panel.week_effect[row])
        for week, row in zip(*first, strict=True)
    }


def _median(values: pd.Series) -> float:
    values = values.dropna()
    return float(values.median()) if len(values) else float("nan")


def _mean(values: pd.Series) -> float:
    values = values.dropna()
    return float(values.mean()) if len(values) else float("nan")


def _require(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} need the columns {', '.join(missing)}")
