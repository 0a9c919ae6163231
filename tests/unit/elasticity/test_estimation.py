"""The per-product fits: recovery of known elasticities, the week-effect control, the
minimum-data rules and honest intervals."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from customer_intelligence.elasticity import ElasticityConfig
from customer_intelligence.elasticity.estimation import fit_elasticities
from customer_intelligence.elasticity.panel import build_panel
from customer_intelligence.elasticity.validation import placebo_check

from .conftest import FIRST_MONDAY, WEEKS, known_panel, rule_breakers, season

CONFIG = ElasticityConfig()


def test_known_elasticities_are_recovered_inside_their_intervals() -> None:
    frame, truth = known_panel(products=60)
    fits = fit_elasticities(build_panel(frame, CONFIG.min_sale_weeks), CONFIG).set_index(
        "product_id"
    )
    assert (fits["status"] == "estimated").mean() >= 0.9  # a few hardly leave one price
    fits = fits[fits["status"] == "estimated"]
    truth = truth.reindex(fits.index)
    error = fits["elasticity"] - truth
    assert error.abs().median() < 0.25
    covered = (fits["ci_low"] <= truth) & (truth <= fits["ci_high"])
    assert covered.mean() >= 0.88
    assert fits["is_significant"].mean() > 0.8


def test_the_week_effect_removes_the_bias_of_prices_raised_in_the_busy_season() -> None:
    # A few products priced 30% higher in the late-year rise: without the week control the
    # rise in units reads as units going up with price. Their other price moves are their own.
    effect = season()
    rng = np.random.default_rng(3)
    rows = []
    for index in range(6):
        scale = 0.8 + 0.4 * ((np.arange(WEEKS) + 2 * index) % 13 < 4)
        price = np.round(np.where(effect > 0.3, 1.3, 1.0) * scale * 2.0, 2)
        units = np.exp(3.0 - 1.5 * np.log(price) + 2.0 * effect + 0.2 * rng.standard_normal(WEEKS))
        for week in range(WEEKS):
            rows.append(
                (
                    f"S{index}",
                    FIRST_MONDAY + pd.Timedelta(weeks=week),
                    round(units[week]),
                    price[week],
                )
            )
    # Many products at one price carry the season, as in a real shop.
    for index in range(60):
        units = np.exp(3.0 + effect + 0.2 * rng.standard_normal(WEEKS))
        for week in range(WEEKS):
            rows.append(
                (f"F{index}", FIRST_MONDAY + pd.Timedelta(weeks=week), round(units[week]), 5.0)
            )
    frame = pd.DataFrame(rows, columns=["product_id", "week_start", "units", "list_price"])
    fits = fit_elasticities(build_panel(frame, CONFIG.min_sale_weeks), CONFIG)
    seasonal = fits[fits["product_id"].str.startswith("S")]
    assert seasonal["elasticity"].median() == pytest.approx(-1.5, abs=0.2)
    naive = [
        np.polyfit(np.log(group["list_price"]), np.log(group["units"]), 1)[0]
        for _, group in frame[frame["product_id"].str.startswith("S")].groupby("product_id")
    ]
    # The uncontrolled slope is off by more than twice as much.
    ours = abs(seasonal["elasticity"].median() + 1.5)
    assert abs(np.median(naive) + 1.5) > max(2 * ours, 0.3)


def test_each_minimum_data_rule_has_its_status_and_no_estimate() -> None:
    fits = fit_elasticities(build_panel(rule_breakers(), CONFIG.min_sale_weeks), CONFIG)
    status = dict(zip(fits["product_id"], fits["status"], strict=True))
    assert status == {
        "ONE_PRICE": "too_few_price_levels",
        "SHORT": "too_few_sale_weeks",
        "SLIP": "too_few_weeks_off_usual_price",
        "TINY": "too_little_price_variation",
    }
    assert fits["elasticity"].isna().all() and not fits["is_significant"].any()
    assert fits.loc[fits["product_id"] == "SLIP", "weeks_off_usual_price"].item() == 1


def test_weeks_without_a_list_price_carry_the_last_one_and_zero_weeks_are_left_out() -> None:
    frame = pd.DataFrame(
        {
            "product_id": ["A"] * 5,
            "week_start": [FIRST_MONDAY + pd.Timedelta(weeks=w) for w in range(5)],
            "units": [5, 0, 7, 8, 9],
            "list_price": [None, 2.0, None, 3.0, None],
        }
    )
    panel = build_panel(frame, min_sale_weeks=2)
    assert panel.rows == 4  # the week with 0 units is out
    assert np.round(np.exp(panel.log_price), 2).tolist() == [2.0, 2.0, 3.0, 3.0]


def test_shuffled_prices_are_significant_for_about_one_product_in_twenty() -> None:
    frame, _ = known_panel(products=200, seed=5)
    config = dataclasses.replace(CONFIG, placebo_rounds=3)
    placebo = placebo_check(build_panel(frame, config.min_sale_weeks), config)
    assert placebo["products"] == 200
    assert placebo["significant_share"] <= 0.09


def test_missing_columns_are_named() -> None:
    with pytest.raises(ValueError, match="list_price"):
        build_panel(pd.DataFrame({"product_id": [], "week_start": [], "units": []}), 20)


def test_settings_arrive_as_text_and_are_checked() -> None:
    config = ElasticityConfig.from_mapping({"min_sale_weeks": "26", "confidence": "0.9"})
    assert config.min_sale_weeks == 26 and config.confidence == 0.9
    with pytest.raises(ValueError, match="unknown elasticity settings: colour"):
        ElasticityConfig.from_mapping({"colour": "red"})
    with pytest.raises(ValueError, match="elasticity_min_weeks_off_usual_price"):
        ElasticityConfig(min_weeks_off_usual_price=30)
