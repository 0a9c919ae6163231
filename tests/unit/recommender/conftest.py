"""Small synthetic order lines: repeat buyers, co-purchased pairs, and non-product lines."""

import numpy as np
import pandas as pd
import pytest


def make_lines(seed: int = 7, n_customers: int = 60, n_products: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2011-01-01")
    rows = []
    for c in range(n_customers):
        favourites = rng.choice(n_products, size=4, replace=False)
        for _ in range(int(rng.integers(3, 9))):
            day = start + pd.Timedelta(days=int(rng.integers(0, 300)))
            invoice = f"INV{c:03d}{day:%m%d}"
            basket = set(rng.choice(favourites, size=2, replace=False))
            basket |= set(rng.choice(n_products, size=2, replace=False, p=_zipf(n_products)))
            if 3 in basket:
                basket.add(4)  # 3 and 4 are bought together
            for p in basket:
                rows.append((invoice, f"C{c:03d}", f"P{p:03d}", f"PRODUCT {p % 7} ITEM {p}", day))
            if rng.random() < 0.5:
                rows.append((invoice, f"C{c:03d}", "POST", "POSTAGE", day))
            if rng.random() < 0.1:
                rows.append((invoice, f"C{c:03d}", "BANK CHARGES", "Bank Charges", day))
    frame = pd.DataFrame(
        rows, columns=["invoice_id", "customer_id", "product_id", "product_description", "d"]
    )
    frame["invoice_date"] = frame.pop("d")
    frame["quantity"] = 1
    frame["unit_price"] = 1.0 + frame["product_id"].str.len() * 0.1
    return frame.drop_duplicates(["invoice_id", "product_id"], ignore_index=True)


def _zipf(n: int) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1)
    return weights / weights.sum()


@pytest.fixture(scope="session")
def lines() -> pd.DataFrame:
    return make_lines()
