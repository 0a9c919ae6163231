"""A synthetic weekly price panel with known elasticities, a shared seasonality, and products
that fail each minimum-data rule."""

from __future__ import annotations

import numpy as np
import pandas as pd

FIRST_MONDAY = pd.Timestamp("2011-01-03")
WEEKS = 50


def season(weeks: int = WEEKS) -> np.ndarray:
    """The shop's log week effect: a slow wave and a late-year rise."""
    week = np.arange(weeks)
    return 0.3 * np.sin(week / 8.0) + np.where(week >= weeks - 10, 0.5, 0.0)


def known_panel(
    products: int = 40, seed: int = 0, noise: float = 0.3, elasticity_range=(-3.0, -0.5)
) -> tuple[pd.DataFrame, pd.Series]:
    """(int_product_weeks_priced-shaped frame, true elasticity per product). Each product's list
    price steps between two or three levels in blocks of 4-10 weeks; log units = level +
    elasticity * log price + season + noise."""
    rng = np.random.default_rng(seed)
    effect = season()
    rows, truth = [], {}
    for index in range(products):
        product = f"P{index:03d}"
        elasticity = rng.uniform(*elasticity_range)
        truth[product] = elasticity
        base = rng.uniform(1.0, 10.0)
        levels = base * np.array([1.0, 0.8, 1.15])[: rng.integers(2, 4)]
        prices, week = [], 0
        while week < WEEKS:
            length = int(rng.integers(4, 11))
            prices += [rng.choice(levels)] * length
            week += length
        prices = np.round(np.array(prices[:WEEKS]), 2)
        log_units = (
            4.0 + elasticity * np.log(prices / base) + effect + noise * rng.standard_normal(WEEKS)
        )
        for week in range(WEEKS):
            rows.append(
                (
                    product,
                    FIRST_MONDAY + pd.Timedelta(weeks=week),
                    max(int(round(np.exp(log_units[week]))), 1),
                    prices[week],
                )
            )
    frame = pd.DataFrame(rows, columns=["product_id", "week_start", "units", "list_price"])
    return frame, pd.Series(truth)


def rule_breakers() -> pd.DataFrame:
    """One product per minimum-data rule: too few weeks, one price, a one-week price slip,
    a price that moves by a fraction of a percent."""
    rows = []
    for week in range(WEEKS):
        start = FIRST_MONDAY + pd.Timedelta(weeks=week)
        if week < 8:
            rows.append(("SHORT", start, 10, 2.0 if week < 4 else 2.5))
        rows.append(("ONE_PRICE", start, 10 + week % 3, 3.0))
        rows.append(("SLIP", start, 10 + week % 3, 0.3 if week == 20 else 3.0))
        rows.append(("TINY", start, 10 + week % 3, 100.0 + (week % 7) * 0.01))
    return pd.DataFrame(rows, columns=["product_id", "week_start", "units", "list_price"])


def line_slopes(frame: pd.DataFrame) -> pd.DataFrame:
    """int_product_line_price_slopes-shaped: one row per product (a made-up tier slope)."""
    products = frame["product_id"].drop_duplicates().sort_values()
    return pd.DataFrame({"product_id": products, "line_count": 100, "line_level_elasticity": -5.0})


def products(frame: pd.DataFrame) -> pd.DataFrame:
    """dim_products-shaped: known-elasticity products alternate between two item words (MUG,
    CANDLE); the rule breakers are one group (TIN)."""
    ids = frame["product_id"].drop_duplicates().sort_values()
    words = [
        ("TIN" if not pid.startswith("P") else ("MUG" if int(pid[1:]) % 2 else "CANDLES"))
        for pid in ids
    ]
    return pd.DataFrame(
        {"product_id": ids, "product_description": [f"RED RETROSPOT {w}" for w in words]}
    )
