"""Small synthetic order lines (repeat buyers, co-purchased pairs) and recommender settings.

The lines stand for `fct_order_lines`, which staging has already screened: products only.
"""

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from customer_intelligence.recommender.config import RecommenderConfig

# Settings as dbt passes them (templated text); tests override what they need.
SETTINGS: dict[str, Any] = {
    "top_n": "10",
    "related_top_n": "10",
    "min_co_invoices": "3",
    "k": "10",
    "validation_days": "91",
    "eval_cutoff_days_before": "91",
    "test_window_days": "91",
    "max_evaluation_users": "20000",
    "recent_popularity_days_grid": "[14, 30, 90]",
    "item_knn_neighbours_grid": "[20, 100, 400]",
    "user_knn_neighbours_grid": "[20, 50, 200]",
    "ease_l2_grid": "[100.0, 300.0, 1000.0]",
    "als_factors_grid": "[32, 96]",
    "als_regularization_grid": "[0.05]",
    "als_alpha_grid": "[5.0, 20.0]",
    "content_neighbours_grid": "[20, 100]",
    "hybrid_l2_c_grid": "[0.1, 1.0]",
}


def settings(**overrides: Any) -> RecommenderConfig:
    """A `RecommenderConfig` from `SETTINGS` with some values replaced."""
    return RecommenderConfig.from_mapping({**SETTINGS, **overrides})


@pytest.fixture(scope="session")
def make_settings() -> Callable[..., RecommenderConfig]:
    return settings


@pytest.fixture
def settings_mapping() -> dict[str, Any]:
    return dict(SETTINGS)


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
