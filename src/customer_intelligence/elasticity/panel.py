"""The weekly product panel an elasticity is read from: log units, log list price and the
shop's week effect.

Input grain: one row per product and week with a sale (`int_product_weeks_priced`): product_id,
week_start, units, list_price (NULL in weeks without a small order on the usual price list).
Output grain: one row per product and week with positive net units and a known list price,
sorted by product and week.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

PANEL_COLUMNS: tuple[str, ...] = ("product_id", "week_start", "units", "list_price")


@dataclass(frozen=True)
class PricePanel:
    """Parallel arrays over the product-week rows, sorted by product then week; `product` is
    each row's index into `product_ids`, `week` its index into `weeks`."""

    product_ids: np.ndarray
    weeks: pd.DatetimeIndex
    product: np.ndarray
    week: np.ndarray
    log_units: np.ndarray
    log_price: np.ndarray
    week_effect: np.ndarray

    @property
    def rows(self) -> int:
        return len(self.product)

    def subset(self, keep: np.ndarray) -> PricePanel:
        """The rows where `keep` is true (same products and weeks; week effects as they were)."""
        return PricePanel(
            self.product_ids,
            self.weeks,
            self.product[keep],
            self.week[keep],
            self.log_units[keep],
            self.log_price[keep],
            self.week_effect[keep],
        )

    def with_log_price(self, log_price: np.ndarray) -> PricePanel:
        return PricePanel(
            self.product_ids,
            self.weeks,
            self.product,
            self.week,
            self.log_units,
            log_price,
            self.week_effect,
        )

    def with_log_units(self, log_units: np.ndarray) -> PricePanel:
        return PricePanel(
            self.product_ids,
            self.weeks,
            self.product,
            self.week,
            log_units,
            self.log_price,
            self.week_effect,
        )


def build_panel(weekly: pd.DataFrame, min_sale_weeks: int) -> PricePanel:
    """The panel of weeks with positive units. A week without its own list price takes the
    product's last one (a list price holds until it changes), or its first one before that.

    The week effect is the shop's common seasonality: two-way fixed effects (product and week)
    of log units, fitted by alternating means over the products with at least `min_sale_weeks`
    such weeks (most of them at one price all year, so it is not the price effect)."""
    missing = [c for c in PANEL_COLUMNS if c not in weekly.columns]
    if missing:
        raise ValueError(f"the weekly price panel needs the columns {', '.join(missing)}")
    frame = weekly[list(PANEL_COLUMNS)].sort_values(["product_id", "week_start"], kind="stable")
    carried = frame.groupby("product_id", sort=False)["list_price"].ffill()
    frame = frame.assign(list_price=carried.groupby(frame["product_id"], sort=False).bfill())
    frame = frame[(frame["units"] > 0) & (frame["list_price"] > 0)]
    product_ids, product = np.unique(frame["product_id"].to_numpy(str), return_inverse=True)
    week_starts = pd.to_datetime(frame["week_start"])
    weeks = pd.DatetimeIndex(np.sort(week_starts.unique()))
    week = weeks.get_indexer(week_starts)
    log_units = np.log(frame["units"].to_numpy(float))
    counts = np.bincount(product, minlength=len(product_ids))
    effect = _week_effects(product, week, log_units, counts[product] >= min_sale_weeks, len(weeks))
    return PricePanel(
        product_ids,
        weeks,
        product.astype(np.int64),
        week.astype(np.int64),
        log_units,
        np.log(frame["list_price"].to_numpy(float)),
        effect[week],
    )


def _week_effects(
    product: np.ndarray,
    week: np.ndarray,
    log_units: np.ndarray,
    used: np.ndarray,
    n_weeks: int,
    iterations: int = 20,
) -> np.ndarray:
    """Week effects of log units with product effects removed (alternating means), centred on
    0; 0 for weeks no used product sold in."""
    effect = np.zeros(n_weeks)
    if not used.any():
        return effect
    p, w, y = product[used], week[used], log_units[used]
    per_week = np.bincount(w, minlength=n_weeks)
    per_product = np.bincount(p)
    for _ in range(iterations):
        level = np.bincount(p, weights=y - effect[w]) / np.maximum(per_product, 1)
        new = np.bincount(w, weights=y - level[p], minlength=n_weeks) / np.maximum(per_week, 1)
        new = np.where(per_week > 0, new - new[per_week > 0].mean(), 0.0)
        if np.max(np.abs(new - effect)) < 1e-10:
            effect = new
            break
        effect = new
    return effect
