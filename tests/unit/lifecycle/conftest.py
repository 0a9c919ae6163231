"""A synthetic order log drawn from the BG/NBD story: each customer buys at a gamma-distributed
rate and drops out after any purchase with a beta-distributed probability; spend per order is
gamma. Fixed seed; small enough for fast tests, large enough to fit every model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

START = pd.Timestamp("2010-01-01")
DAYS = 500


def synthetic_orders(customers: int = 600, seed: int = 7, days: int = DAYS) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for customer in range(customers):
        rate = rng.gamma(0.8, 1 / 25)  # purchases per day
        dropout = rng.beta(1.0, 6.0)
        spend = rng.gamma(4.0, 20.0)
        day = float(rng.integers(0, days // 2))
        while day < days:
            rows.append(
                (f"C{customer:04d}", START + pd.Timedelta(int(day), "D"), rng.gamma(3.0, spend / 3))
            )
            if rng.random() < dropout:
                break
            day += rng.exponential(1 / rate)
    frame = pd.DataFrame(rows, columns=["customer_id", "invoice_date", "net_amount"])
    frame["gross_amount"] = frame["net_amount"]
    frame["cancelled_amount"] = 0.0
    frame["distinct_products"] = 3
    return frame


def product_firsts(orders: pd.DataFrame) -> pd.DataFrame:
    """Every order brings one new product: first purchase = the order day."""
    return pd.DataFrame(
        {
            "customer_id": orders["customer_id"],
            "product_id": [f"P{i}" for i in range(len(orders))],
            "first_purchased_on": orders["invoice_date"],
        }
    )


@pytest.fixture(scope="session")
def orders() -> pd.DataFrame:
    return synthetic_orders()


@pytest.fixture(scope="session")
def segment_map() -> pd.DataFrame:
    from pathlib import Path

    return pd.read_csv(Path(__file__).resolve().parents[3] / "seeds" / "rfm_segment_map.csv")
