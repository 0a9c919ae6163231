"""Parameters of the demand forecasts and the inventory policy, from dbt config or Python."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ..settings import typed_settings


@dataclass(frozen=True)
class DemandConfig:
    """Everything that changes what the demand models learn and report.

    - `horizon_weeks`: weeks forecast ahead, from the last complete week before as_of_date.
    - Back-test: `backtest_origins` forecast origins, `origin_step_weeks` apart, the last one
      `horizon_weeks` before the last complete week (so every target week is known). The earlier
      half of them is the validation set (the method per demand class is chosen there, and the
      intervals are calibrated there), the later half the test set the figures are reported on.
    - `min_history_weeks`: a product enters the back-test and the global model at an origin once
      it has sold for this many weeks.
    - `max_backtest_products`: the back-test runs on a fixed-seed sample of this many products
      when there are more (its figures are estimates over them; the forecasts cover every
      product). Each statistical method costs per series: on 67k products the whole back-test
      took 7 minutes.
    - `interval_level`: central prediction interval (0.8 = 10% to 90%).
    - `moving_average_weeks`: window of the moving-average baseline.
    - `tsb_alpha_demand`, `tsb_alpha_probability`: TSB's smoothing of size and probability.
    - The global model: gradient-boosted trees over all products (XGBoost, one thread), on at
      most `max_training_rows` product x origin x horizon rows (a fixed-seed sample).
    - Inventory: `lead_time_weeks`, `service_level` (cycle service level the safety stock is
      sized for), used by the lead-time error quantile the back-test measures.
    """

    horizon_weeks: int = 8
    backtest_origins: int = 6
    origin_step_weeks: int = 2
    min_history_weeks: int = 4
    max_backtest_products: int = 10_000
    interval_level: float = 0.8
    moving_average_weeks: int = 4
    tsb_alpha_demand: float = 0.1
    tsb_alpha_probability: float = 0.1
    max_training_rows: int = 200_000
    xgb_trees: int = 150
    xgb_max_depth: int = 5
    xgb_learning_rate: float = 0.1
    xgb_min_child_weight: float = 20.0
    lead_time_weeks: int = 2
    service_level: float = 0.95
    seed: int = 42

    def __post_init__(self) -> None:
        if self.horizon_weeks < 1 or self.backtest_origins < 2 or self.origin_step_weeks < 1:
            raise ValueError(
                "demand_horizon_weeks must be >= 1, demand_backtest_origins >= 2 (half "
                "validation, half test) and demand_origin_step_weeks >= 1"
            )
        if not 0 < self.interval_level < 1 or not 0.5 <= self.service_level < 1:
            raise ValueError(
                "demand_interval_level must be in (0, 1) and demand_service_level in [0.5, 1)"
            )
        if not 1 <= self.lead_time_weeks <= self.horizon_weeks:
            raise ValueError("demand_lead_time_weeks must be between 1 and demand_horizon_weeks")
        if self.min_history_weeks < 2 or self.moving_average_weeks < 1:
            raise ValueError(
                "demand_min_history_weeks must be >= 2 and demand_moving_average_weeks >= 1"
            )
        if self.max_training_rows < 1000:
            raise ValueError("demand_max_training_rows must be >= 1000")
        if self.max_backtest_products < 100:
            raise ValueError("demand_max_backtest_products must be >= 100")

    @property
    def weeks_needed(self) -> int:
        """Complete weeks the back-test needs: history for the first origin, then the origins
        and the last one's horizon."""
        span = (self.backtest_origins - 1) * self.origin_step_weeks + self.horizon_weeks
        return span + self.min_history_weeks + 1

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> DemandConfig:
        """From the dbt config mapping (vars arrive as text); unknown keys raise."""
        return cls(**typed_settings(cls, values, "demand"))

    def parameters(self) -> dict[str, Any]:
        return asdict(self)
