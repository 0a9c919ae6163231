"""Weekly demand per product as a matrix, the demand class of each series and its error scale.

Weeks are ISO weeks (from Monday). Only complete weeks count: from the first Monday on or after
the log's first day to the last week that ends before as_of_date; the SQL model
`int_product_weeks_aggregated` keeps only those. A product's series starts in the week of its
first sale (NaN before: it did not exist yet) and holds 0 in every later week without a sale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

WEEKLY_COLUMNS: tuple[str, ...] = ("product_id", "week_start", "units", "revenue", "list_price")
CLASSES: tuple[str, ...] = ("smooth", "erratic", "intermittent", "lumpy")
# Syntetos and Boylan's cut-offs (2005): average inter-demand interval and squared coefficient of
# variation of the non-zero demand sizes.
ADI_CUTOFF = 1.32
CV2_CUTOFF = 0.49


def last_complete_week(as_of_date: Any) -> pd.Timestamp:
    """The Monday of the last week that ends (Sunday inclusive) before as_of_date."""
    day = pd.Timestamp(as_of_date).normalize() - pd.Timedelta(days=7)
    return day - pd.Timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeeklyDemand:
    """`units`, `revenue` and `price` are (products x weeks); `price` is the week's list price,
    carried forward over weeks without a sale."""

    product_ids: np.ndarray
    weeks: pd.DatetimeIndex
    units: np.ndarray
    revenue: np.ndarray
    price: np.ndarray

    @classmethod
    def from_frame(cls, weekly: pd.DataFrame, as_of_date: Any) -> WeeklyDemand:
        missing = sorted(set(WEEKLY_COLUMNS) - set(weekly.columns))
        if missing:
            raise ValueError(f"weekly demand lacks columns: {', '.join(missing)}")
        frame = weekly.loc[:, list(WEEKLY_COLUMNS)].copy()
        frame["week_start"] = pd.to_datetime(frame["week_start"]).astype("datetime64[ns]")
        last = last_complete_week(as_of_date)
        frame = frame[frame["week_start"] <= last]
        if frame.empty:
            raise ValueError(
                "no complete week of sales before as_of_date: demand forecasts need at least "
                "a few weeks of order lines"
            )
        if (frame["week_start"].dt.day_of_week != 0).any():
            raise ValueError("weekly demand: week_start must be a Monday (ISO weeks)")
        weeks = pd.date_range(frame["week_start"].min(), last, freq="7D")
        products = np.sort(frame["product_id"].astype(str).unique())
        row = np.searchsorted(products, frame["product_id"].astype(str).to_numpy())
        col = ((frame["week_start"] - weeks[0]).dt.days // 7).to_numpy()
        shape = (len(products), len(weeks))
        units = np.zeros(shape)
        revenue = np.zeros(shape)
        price = np.full(shape, np.nan)
        units[row, col] = frame["units"].to_numpy(float)
        revenue[row, col] = frame["revenue"].to_numpy(float)
        price[row, col] = frame["list_price"].to_numpy(float)
        first = np.full(len(products), len(weeks))
        np.minimum.at(first, row, col)
        before = np.arange(len(weeks))[None, :] < first[:, None]
        units[before] = np.nan
        price = pd.DataFrame(price).ffill(axis=1).to_numpy()
        return cls(products, weeks, units, revenue, price)

    def sample(self, max_products: int, seed: int) -> WeeklyDemand:
        """At most `max_products` products, a fixed-seed sample of them (all when fewer)."""
        if len(self.product_ids) <= max_products:
            return self
        rows = np.sort(
            np.random.default_rng(seed).choice(len(self.product_ids), max_products, replace=False)
        )
        return WeeklyDemand(
            self.product_ids[rows],
            self.weeks,
            self.units[rows],
            self.revenue[rows],
            self.price[rows],
        )

    @property
    def first_week(self) -> np.ndarray:
        """Index of each product's first week with a sale."""
        return np.argmax(~np.isnan(self.units), axis=1)


def demand_classes(history: np.ndarray) -> np.ndarray:
    """Smooth, erratic, intermittent or lumpy per row of `history` (NaN = before the series
    began), from the average interval between non-zero weeks (ADI) and the squared coefficient
    of variation of non-zero demand (CV^2). A series without a non-zero week is intermittent."""
    observed = ~np.isnan(history)
    values = np.where(observed, history, 0.0)
    nonzero = values > 0
    count = nonzero.sum(axis=1)
    weeks = observed.sum(axis=1)
    adi = np.where(count > 0, weeks / np.maximum(count, 1), np.inf)
    _, mean, variance = row_moments(np.where(nonzero, values, np.nan))
    cv2 = np.where(count > 0, variance / np.maximum(np.nan_to_num(mean), 1e-12) ** 2, 0.0)
    smooth_interval = adi < ADI_CUTOFF
    steady_size = cv2 < CV2_CUTOFF
    return np.select(
        [smooth_interval & steady_size, smooth_interval, steady_size],
        ["smooth", "erratic", "intermittent"],
        "lumpy",
    )


def row_moments(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Count, mean and population variance of each row's finite values; mean and variance are
    NaN for a row without one. (numpy's nan-functions warn on such rows, through a warnings
    filter that is not safe to change while dbt runs two models in threads.)"""
    finite = np.isfinite(values)
    count = finite.sum(axis=1)
    filled = np.where(finite, values, 0.0)
    safe = np.maximum(count, 1)
    mean = np.where(count > 0, filled.sum(axis=1) / safe, np.nan)
    spread = np.where(finite, (filled - np.where(count > 0, mean, 0.0)[:, None]) ** 2, 0.0)
    variance = np.where(count > 0, spread.sum(axis=1) / safe, np.nan)
    return count, mean, variance


def _row_mean(values: np.ndarray) -> np.ndarray:
    return row_moments(values)[1]


def rmsse_scale(history: np.ndarray) -> np.ndarray:
    """The RMSSE denominator per row: the root mean squared one-week change of the series since
    its first week (the in-sample naive forecast's error); NaN with fewer than two weeks."""
    return np.sqrt(_row_mean(np.diff(history, axis=1) ** 2))


def mase_scale(history: np.ndarray) -> np.ndarray:
    """The MASE denominator per row: the mean absolute one-week change since the first week."""
    return _row_mean(np.abs(np.diff(history, axis=1)))
