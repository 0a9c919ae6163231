"""Hand-made populations with known clusters for the segmentation tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_intelligence.segmentation import SegmenterConfig

# Three retail groups, far apart in log space: (recency_days, frequency, monetary).
RETAIL_GROUPS = {
    "loyal": (8.0, 25.0, 9000.0),
    "regular": (60.0, 4.0, 900.0),
    "lost": (300.0, 1.0, 120.0),
}
CATEGORIES = ("fresh", "milk", "grocery", "frozen", "detergents_paper", "delicatessen")


def make_retail(sizes=(60, 90, 150), seed: int = 0) -> pd.DataFrame:
    """One row per customer; `true_group` holds the planted cluster."""
    rng = np.random.default_rng(seed)
    frames = []
    for (group, centre), size in zip(RETAIL_GROUPS.items(), sizes, strict=True):
        noise = rng.normal(0.0, 0.12, size=(size, 3))
        values = np.exp(np.log(centre) + noise)
        frames.append(
            pd.DataFrame(
                {
                    "recency_days": np.maximum(1, values[:, 0].round()).astype(int),
                    "frequency": np.maximum(1, values[:, 1].round()).astype(int),
                    "monetary": values[:, 2],
                    "avg_order_value": values[:, 2] / np.maximum(1, values[:, 1].round()),
                    "true_group": group,
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "customer_id", [f"C{i:05d}" for i in range(len(out))])
    out["rfm_segment"] = np.where(out["recency_days"] < 30, "Champions", "At Risk")
    return out


def retail_config(**overrides) -> SegmenterConfig:
    settings = {
        "population": "retail_customers",
        "id_column": "customer_id",
        "features": ["recency_days", "frequency", "monetary"],
        "log_features": ["recency_days", "frequency", "monetary"],
        "value_column": "monetary",
        "naming_scheme": "retail_rfm",
        "recency_feature": "recency_days",
        "value_features": ["frequency", "monetary"],
        "profile_features": ["recency_days", "frequency", "monetary", "avg_order_value"],
        "k_min": 2,
        "k_max": 5,
        "n_bootstrap": 4,
        "n_init": 4,
        "random_state": 7,
    }
    settings.update(overrides)
    return SegmenterConfig.from_mapping(settings)


def wholesale_config(**overrides) -> SegmenterConfig:
    log_spends = [f"log_{c}_spend" for c in CATEGORIES]
    shares = [f"{c}_share" for c in CATEGORIES]
    settings = {
        "population": "wholesale_accounts",
        "id_column": "account_id",
        "features": log_spends + shares,
        "value_column": "total_spend",
        "naming_scheme": "wholesale_spend",
        "value_features": log_spends,
        "mix_features": shares,
        "k_min": 2,
        "k_max": 4,
        "n_bootstrap": 3,
        "n_init": 4,
    }
    settings.update(overrides)
    return SegmenterConfig.from_mapping(settings)


def make_wholesale(size: int = 80, seed: int = 1) -> pd.DataFrame:
    """Two planted groups: fresh-heavy (Horeca-like) and grocery-heavy (retail-like) accounts."""
    rng = np.random.default_rng(seed)
    fresh_heavy = np.array([20000, 2000, 2500, 4000, 300, 1200], dtype=float)
    grocery_heavy = np.array([4000, 9000, 15000, 1200, 6000, 1500], dtype=float)
    rows = []
    for i in range(2 * size):
        centre = fresh_heavy if i < size else grocery_heavy
        rows.append(centre * np.exp(rng.normal(0.0, 0.1, size=6)))
    spend = pd.DataFrame(rows, columns=[f"{c}_spend" for c in CATEGORIES])
    spend["total_spend"] = spend.sum(axis=1)
    for c in CATEGORIES:
        spend[f"{c}_share"] = spend[f"{c}_spend"] / spend["total_spend"]
        spend[f"log_{c}_spend"] = np.log1p(
            spend[f"{c}_spend"]
        )  # as int_wholesale_accounts_featured
    spend.insert(0, "account_id", np.arange(1, 2 * size + 1))
    spend["channel"] = np.where(spend["account_id"] <= size, "Horeca", "Retail")
    return spend


@pytest.fixture
def retail() -> pd.DataFrame:
    return make_retail()


@pytest.fixture
def wholesale() -> pd.DataFrame:
    return make_wholesale()
