"""A small synthetic order log with quantity-tier prices, and settings small enough for it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_intelligence.anomalies import AnomalyConfig

START = pd.Timestamp("2011-01-03 09:00")


def order_log(orders: int = 600, seed: int = 0) -> pd.DataFrame:
    """`orders` orders by 40 customers over a year (one order a day at most per customer, so no
    bursts), 2 to 8 lines each from 30 products; a product's unit price is its list price, 15%
    off from 12 units and 30% off from 48."""
    rng = np.random.default_rng(seed)
    list_price = np.round(rng.uniform(0.5, 10.0, 30), 2)
    rows = []
    day = rng.permutation(np.repeat(np.arange(365), 2))[:orders]
    for number in range(orders):
        customer = f"C{number % 40:02d}"
        at = START + pd.Timedelta(days=int(day[number])) + pd.Timedelta(minutes=number % 480)
        products = rng.choice(30, size=int(rng.integers(2, 9)), replace=False)
        for product in products:
            quantity = int(rng.choice([1, 2, 4, 6, 12, 24, 48]))
            discount = 0.7 if quantity >= 48 else 0.85 if quantity >= 12 else 1.0
            rows.append(
                {
                    "invoice_id": f"{500000 + number}",
                    "customer_id": customer,
                    "product_id": f"P{product:02d}",
                    "invoiced_at": at,
                    "quantity": quantity,
                    "cancelled_quantity": 0,
                    "unit_price": round(float(list_price[product]) * discount, 2),
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture(scope="session")
def log() -> pd.DataFrame:
    return order_log()


@pytest.fixture(scope="session")
def config() -> AnomalyConfig:
    return AnomalyConfig(min_orders=100, isolation_trees=20, evaluation_repeats=2)
