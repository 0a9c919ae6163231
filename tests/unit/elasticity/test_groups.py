"""Product groups: the item word of a description, and a pooled elasticity for products whose
own prices barely moved."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_intelligence.elasticity import ElasticityConfig, price_elasticities
from customer_intelligence.elasticity.groups import fit_groups, product_group
from customer_intelligence.elasticity.panel import build_panel

from .conftest import FIRST_MONDAY, WEEKS, line_slopes, season

CONFIG = ElasticityConfig()


@pytest.mark.parametrize(
    ("description", "group"),
    [
        ("WHITE HANGING HEART T-LIGHT HOLDER", "HOLDER"),
        ("SET OF 3 CAKE TINS PANTRY DESIGN", "TIN"),
        ("JUMBO BAG RED RETROSPOT", "BAG"),
        ("GLASS", "GLASS"),
        ("12 PENCILS SMALL TUBE", "TUBE"),
        ("PINK", None),
        (None, None),
    ],
)
def test_the_group_is_the_item_word_of_the_description(description, group) -> None:
    assert product_group(description) == group


def _sparse_changes(products: int, elasticity: float, seed: int) -> pd.DataFrame:
    """Products that each leave their usual price for only 3 weeks (below the per-product
    minimum of 4), at different times."""
    rng = np.random.default_rng(seed)
    effect = season()
    rows = []
    for index in range(products):
        price = np.full(WEEKS, 4.0)
        start = int(rng.integers(5, WEEKS - 5))
        price[start : start + 3] = 3.2
        units = np.exp(3.0 + elasticity * np.log(price / 4.0) + effect)
        units *= np.exp(0.15 * rng.standard_normal(WEEKS))
        for week in range(WEEKS):
            start_date = FIRST_MONDAY + pd.Timedelta(weeks=week)
            rows.append((f"G{index:02d}", start_date, round(units[week]), price[week]))
    return pd.DataFrame(rows, columns=["product_id", "week_start", "units", "list_price"])


def test_a_group_pools_products_too_sparse_on_their_own() -> None:
    frame = _sparse_changes(12, elasticity=-2.0, seed=0)
    groups = pd.Series("MUG", index=frame["product_id"].unique())
    fitted = fit_groups(build_panel(frame, CONFIG.min_sale_weeks), groups, CONFIG)
    assert (fitted["group_status"] == "estimated").all()
    assert fitted["group_products_with_price_changes"].iloc[0] == 12
    row = fitted.iloc[0]
    assert row["group_ci_low"] < -2.0 < row["group_ci_high"]
    assert row["group_elasticity"] == pytest.approx(-2.0, abs=0.3)

    products = pd.DataFrame({"product_id": groups.index, "product_description": "CERAMIC MUGS"})
    out = price_elasticities(frame, line_slopes(frame), products, CONFIG)
    assert (out["status"] == "too_few_weeks_off_usual_price").all()
    assert (out["estimate_level"] == "product_group").all()
    assert np.allclose(out["applied_elasticity"], row["group_elasticity"])
    assert out["suggestion"].isna().all()  # no move from a group's estimate


def test_a_group_with_too_few_products_that_changed_price_has_no_estimate() -> None:
    frame = _sparse_changes(2, elasticity=-2.0, seed=1)
    groups = pd.Series({"G00": "MUG", "G01": None})
    fitted = fit_groups(build_panel(frame, CONFIG.min_sale_weeks), groups, CONFIG)
    status = dict(zip(fitted["product_id"], fitted["group_status"], strict=True))
    assert status == {"G00": "too_few_products_with_price_changes", "G01": "no_group"}
    assert fitted["group_elasticity"].isna().all()
