"""A synthetic weekly log with products of every demand class, and small settings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_intelligence.demand.config import DemandConfig

FIRST_MONDAY = pd.Timestamp("2011-01-03")


def weekly_frame(weeks: int = 40, seed: int = 0, products: int = 24) -> pd.DataFrame:
    """`products` series over `weeks` weeks, a quarter of each shape: smooth (Poisson 30),
    erratic (a sale most weeks, sizes from 1 to 200), intermittent (a sale one week in four, 6
    units) and lumpy (one week in four, sizes from 1 to 300); the last product starts late."""
    rng = np.random.default_rng(seed)
    rows = []
    for product in range(products):
        shape = product % 4
        start = weeks // 2 if product == products - 1 else 0
        for week in range(start, weeks):
            if shape == 0:
                units = rng.poisson(30)
            elif shape == 1:
                units = int(rng.choice([1, 200])) if rng.random() < 0.9 else 0
            elif shape == 2:
                units = 6 if rng.random() < 0.25 else 0
            else:
                units = int(rng.choice([1, 300])) if rng.random() < 0.25 else 0
            if week == start and units == 0:
                units = 1  # every series starts with a sale
            if units:
                price = 2.0 + product / 10
                rows.append(
                    (
                        f"P{product:02d}",
                        FIRST_MONDAY + pd.Timedelta(weeks=week),
                        units,
                        units * price,
                        price,
                    )
                )
    return pd.DataFrame(
        rows, columns=["product_id", "week_start", "units", "revenue", "list_price"]
    )


def as_of(weeks: int = 40) -> pd.Timestamp:
    """The day after the last of `weeks` complete weeks."""
    return FIRST_MONDAY + pd.Timedelta(weeks=weeks)


# Small settings: every code path, few trees and origins (the shipped data measures quality).
FAST = DemandConfig(
    horizon_weeks=4,
    backtest_origins=4,
    origin_step_weeks=1,
    min_history_weeks=4,
    xgb_trees=20,
    max_training_rows=5000,
    lead_time_weeks=2,
)


@pytest.fixture
def config() -> DemandConfig:
    return FAST
