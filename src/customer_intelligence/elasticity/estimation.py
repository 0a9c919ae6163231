"""Per-product constant-elasticity fits: log units on log list price with the shop's week effect
as a control, by ordinary least squares, all products at once.

For product i and week t with a sale: log(units) = a_i + b_i * log(list price) + c_i * week
effect + error. b_i is the price elasticity (the % change in weekly units for a 1% change in
price). Its standard error is Newey-West (Bartlett weights over `hac_lags` neighbouring sale
weeks, with the n / (n - 3) small-sample factor): sales and list prices are both persistent
from week to week, so errors are not independent. Intervals use Student's t with n - 3 degrees
of freedom.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .config import ElasticityConfig
from .panel import PricePanel

STATUSES: dict[str, str] = {
    "estimated": "elasticity estimated",
    "too_few_sale_weeks": "fewer weeks with sales than elasticity_min_sale_weeks",
    "no_list_price": (
        "no week with a small order on the usual price list (only large orders or off-list "
        "customers), so no list price"
    ),
    "too_few_price_levels": "fewer distinct list prices than elasticity_min_price_levels",
    "too_few_weeks_off_usual_price": (
        "fewer weeks away from the usual (most frequent) list price than "
        "elasticity_min_weeks_off_usual_price"
    ),
    "too_little_price_variation": "list price spread below elasticity_min_log_price_spread",
}

FIT_COLUMNS: tuple[str, ...] = (
    "product_id",
    "status",
    "sale_weeks",
    "price_levels",
    "weeks_off_usual_price",
    "log_price_spread",
    "elasticity",
    "std_error",
    "ci_low",
    "ci_high",
    "is_significant",
    "r_squared",
    "intercept",
    "week_effect_coefficient",
    "residual_std",
)


def fit_elasticities(panel: PricePanel, config: ElasticityConfig) -> pd.DataFrame:
    """One row per product of the panel (`FIT_COLUMNS`), sorted by product_id; the estimate
    columns are NULL unless status is `estimated`. is_significant: the interval excludes 0."""
    n_products = len(panel.product_ids)
    p = panel.product
    n = np.bincount(p, minlength=n_products).astype(float)
    safe_n = np.maximum(n, 1)

    def per_product(values: np.ndarray) -> np.ndarray:
        return np.bincount(p, weights=values, minlength=n_products)

    means = [per_product(v) / safe_n for v in (panel.log_units, panel.log_price, panel.week_effect)]
    y, x, e = (
        v - m[p]
        for v, m in zip((panel.log_units, panel.log_price, panel.week_effect), means, strict=True)
    )
    sxx, sxe, see = per_product(x * x), per_product(x * e), per_product(e * e)
    sxy, sey, syy = per_product(x * y), per_product(e * y), per_product(y * y)
    # With no week-effect variation (one product, or all weeks alike) the control is dropped.
    has_control = see > 1e-12 * np.maximum(n, 1)
    see_used = np.where(has_control, see, 1.0)
    sxe_used = np.where(has_control, sxe, 0.0)
    det = sxx * see_used - sxe_used**2
    safe_det = np.where(det > 0, det, 1.0)
    slope = (see_used * sxy - sxe_used * sey * has_control) / safe_det
    control = np.where(has_control, (sxx * sey - sxe_used * sxy) / safe_det, 0.0)
    residual = y - slope[p] * x - control[p] * e
    ssr = per_product(residual**2)

    # Newey-West over the slope's score, (see * x - sxe * e) / det times the residual, each
    # residual scaled by 1 / (1 - leverage) as in HC3: a price held for a few weeks gives those
    # weeks high leverage, and unscaled residuals there understate the error.
    leverage = (
        1.0 / safe_n[p]
        + (see_used[p] * x * x - 2.0 * sxe_used[p] * x * e + sxx[p] * e * e * has_control[p])
        / safe_det[p]
    )
    adjusted = residual / np.maximum(1.0 - leverage, 1e-3)
    score = (see_used[p] * x - sxe_used[p] * e) / safe_det[p] * adjusted
    variance = per_product(score**2)
    for lag in range(1, config.hac_lags + 1):
        same = np.zeros(len(p), dtype=bool)
        same[lag:] = p[lag:] == p[:-lag]
        weight = 1.0 - lag / (config.hac_lags + 1)
        lagged = np.zeros(len(p))
        lagged[lag:] = score[lag:] * score[:-lag]
        variance += 2.0 * weight * per_product(np.where(same, lagged, 0.0))
    dof = n - 3
    variance *= n / np.maximum(dof, 1)
    std_error = np.sqrt(np.maximum(variance, 0.0))
    critical = stats.t.ppf(0.5 + config.confidence / 2, np.maximum(dof, 1))

    levels, off_usual = _price_levels(p, panel.log_price, n_products)
    spread = np.sqrt(sxx / np.maximum(n - 1, 1))
    status = np.select(
        [
            n < config.min_sale_weeks,
            levels < config.min_price_levels,
            off_usual < config.min_weeks_off_usual_price,
            spread < config.min_log_price_spread,
        ],
        [
            "too_few_sale_weeks",
            "too_few_price_levels",
            "too_few_weeks_off_usual_price",
            "too_little_price_variation",
        ],
        default="estimated",
    )
    ok = (status == "estimated") & (det > 0)
    status = np.where((status == "estimated") & ~ok, "too_little_price_variation", status)

    def estimate(values: np.ndarray) -> np.ndarray:
        return np.where(ok, values, np.nan)

    low, high = slope - critical * std_error, slope + critical * std_error
    frame = pd.DataFrame(
        {
            "product_id": panel.product_ids,
            "status": status,
            "sale_weeks": n.astype(np.int64),
            "price_levels": levels,
            "weeks_off_usual_price": off_usual,
            "log_price_spread": spread,
            "elasticity": estimate(slope),
            "std_error": estimate(std_error),
            "ci_low": estimate(low),
            "ci_high": estimate(high),
            "is_significant": ok & ((low > 0) | (high < 0)),
            "r_squared": estimate(1.0 - ssr / np.where(syy > 0, syy, 1.0)),
            "intercept": estimate(means[0] - slope * means[1] - control * means[2]),
            "week_effect_coefficient": estimate(control),
            "residual_std": estimate(np.sqrt(ssr / np.maximum(dof, 1))),
        }
    )
    return frame[list(FIT_COLUMNS)]


def with_unpriced_products(
    fits: pd.DataFrame, weekly: pd.DataFrame, min_sale_weeks: int
) -> pd.DataFrame:
    """`fits` with a row for every product of `weekly` the panel left out (no week with positive
    units and a known list price): status too_few_sale_weeks, or no_list_price when it sold in
    at least `min_sale_weeks` weeks; sorted by product_id."""
    products = pd.Index(weekly["product_id"].unique()).difference(fits["product_id"])
    if products.empty:
        return fits
    positive = weekly.loc[weekly["units"] > 0].groupby("product_id").size()
    sale_weeks = positive.reindex(products, fill_value=0).to_numpy(np.int64)
    extra = pd.DataFrame(
        {
            "product_id": products.to_numpy(),
            "status": np.where(sale_weeks >= min_sale_weeks, "no_list_price", "too_few_sale_weeks"),
            "sale_weeks": sale_weeks,
            "price_levels": np.zeros(len(products), np.int64),
            "weeks_off_usual_price": np.zeros(len(products), np.int64),
            "is_significant": False,
        }
    )
    merged = pd.concat([fits, extra.reindex(columns=fits.columns)], ignore_index=True)
    merged["is_significant"] = merged["is_significant"].astype(bool)
    for column in ("sale_weeks", "price_levels", "weeks_off_usual_price"):
        merged[column] = merged[column].astype(np.int64)
    return merged.sort_values("product_id", kind="stable").reset_index(drop=True)


def usual_prices(product: np.ndarray, log_price: np.ndarray) -> pd.DataFrame:
    """Per product code (the index): its most frequent list price (to the penny; ties: the
    lower), the weeks at it, and its distinct list prices (`price`, `weeks`, `levels`)."""
    frame = pd.DataFrame({"p": product, "price": np.round(np.exp(log_price), 2)})
    weeks = frame.groupby(["p", "price"]).size().rename("weeks").reset_index()
    usual = weeks.sort_values(["p", "weeks", "price"], ascending=[True, False, True])
    usual = usual.drop_duplicates("p").set_index("p")
    usual["levels"] = weeks.groupby("p").size()
    return usual


def _price_levels(
    product: np.ndarray, log_price: np.ndarray, n_products: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per product: distinct list prices (to the penny), and weeks not at the most frequent
    one (`usual_prices`)."""
    usual = usual_prices(product, log_price).reindex(range(n_products))
    total = pd.Series(np.bincount(product, minlength=n_products))
    levels = usual["levels"].fillna(0).to_numpy(np.int64)
    off = (total - usual["weeks"].fillna(0)).to_numpy(np.int64)
    return levels, off
