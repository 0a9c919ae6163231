"""Parameters of the price elasticities, from dbt config or Python."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ..settings import typed_settings


@dataclass(frozen=True)
class ElasticityConfig:
    """Everything that changes which products get an elasticity and what it is.

    The weekly list price itself is built in SQL (`int_product_weeks_priced`, vars
    `elasticity_small_order_quantile` and `elasticity_off_list_premium`).

    - Minimum data: `min_sale_weeks` weeks with sales, `min_price_levels` distinct list prices
      (to the penny), `min_weeks_off_usual_price` sale weeks away from the most frequent list
      price (a price seen in one or two weeks is a slip or a clearance, not a price to learn
      from) and a spread of log list price of at least `min_log_price_spread`.
    - Product groups (`groups`): a group gets a pooled elasticity when at least
      `min_group_products` of its products with `min_group_product_weeks` sale weeks change
      price; its members without an estimate of their own take it.
    - `confidence`: level of the intervals; `hac_lags`: Newey-West lags of the standard errors,
      0 for heteroskedasticity-robust (HC3) errors alone. Residuals of the week-effect model
      are nearly uncorrelated from week to week on the shipped log (lag-1 correlation 0.04),
      and at 20-50 weeks every lag costs interval coverage, so the default is 0.
    - `price_move`: the size of a suggested price change (0.05 = 5%); no move is suggested for
      an estimate beyond `max_abs_elasticity` (a clearance markdown or a stock-out moves units
      far more than a list price change would).
    - `holdout_blocks`: consecutive blocks of weeks held out in turn for validation;
      `min_holdout_change`: a held-out week counts as a price change when its log list price
      differs from the product's usual one in the fitted weeks by at least this.
    - `synthetic_rounds`, `placebo_rounds`: repetitions of the known-elasticity and shuffled-price
      checks; `seed` fixes them.
    """

    min_sale_weeks: int = 20
    min_price_levels: int = 2
    min_weeks_off_usual_price: int = 4
    min_log_price_spread: float = 0.02
    min_group_products: int = 3
    min_group_product_weeks: int = 8
    confidence: float = 0.95
    hac_lags: int = 0
    price_move: float = 0.05
    max_abs_elasticity: float = 8.0
    holdout_blocks: int = 4
    min_holdout_change: float = 0.02
    synthetic_rounds: int = 5
    placebo_rounds: int = 10
    seed: int = 42

    def __post_init__(self) -> None:
        if self.min_sale_weeks < 6 or self.min_price_levels < 2:
            raise ValueError(
                "elasticity_min_sale_weeks must be >= 6 and elasticity_min_price_levels >= 2"
            )
        if self.min_group_products < 2 or self.min_group_product_weeks < 4:
            raise ValueError(
                "elasticity_min_group_products must be >= 2 and "
                "elasticity_min_group_product_weeks >= 4"
            )
        if not 1 <= self.min_weeks_off_usual_price < self.min_sale_weeks:
            raise ValueError(
                "elasticity_min_weeks_off_usual_price must be between 1 and "
                "elasticity_min_sale_weeks - 1"
            )
        if not 0.5 < self.confidence < 1 or self.hac_lags < 0:
            raise ValueError(
                "elasticity_confidence must be in (0.5, 1) and elasticity_hac_lags >= 0"
            )
        if not 0 < self.price_move < 0.5 or self.max_abs_elasticity <= 1:
            raise ValueError(
                "elasticity_price_move must be in (0, 0.5) and elasticity_max_abs_elasticity > 1"
            )
        if self.holdout_blocks < 2 or self.synthetic_rounds < 1 or self.placebo_rounds < 1:
            raise ValueError(
                "elasticity_holdout_blocks must be >= 2, elasticity_synthetic_rounds and "
                "elasticity_placebo_rounds >= 1"
            )

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> ElasticityConfig:
        """From the dbt config mapping (vars arrive as text); unknown keys raise."""
        return cls(**typed_settings(cls, values, "elasticity"))

    def parameters(self) -> dict[str, Any]:
        return asdict(self)
