"""Parameters of the customer-lifecycle models, from dbt config (strings) or given in Python."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ..settings import typed_settings

CHURN_METHODS: tuple[str, ...] = ("logistic_regression", "xgboost")


def _days_list(value: Any) -> tuple[int, ...]:
    if isinstance(value, int | float):
        return (int(value),)
    if isinstance(value, list | tuple):
        return tuple(int(v) for v in value)
    return tuple(int(part) for part in str(value).replace(";", ",").split(",") if part.strip())


@dataclass(frozen=True)
class LifecycleConfig:
    """Everything that changes what the lifecycle models learn.

    - `horizon_days` (H): churn means no purchase in the H days from a cutoff; expected purchases
      are also given for H and for 365 days.
    - `eval_cutoff_days_before`: evaluation cutoffs, days before as_of_date; each must leave a
      whole H-day window before as_of_date (>= H).
    - Training windows for a cutoff c end at c - H, c - H - window_step_days, ... (at most
      `training_windows`), each with at least `min_history_days` of history before it, so every
      label is known at c.
    - The churn models train on at most `max_training_rows` customer-window rows (a fixed-seed
      sample beyond that: on a million customers, more rows cost minutes and add nothing).
    - CLV: expected margin-free spend over `clv_horizon_months` months, discounted at
      `monthly_discount_rate`.
    """

    horizon_days: int = 90
    eval_cutoff_days_before: tuple[int, ...] = (90, 120, 150)
    training_windows: int = 6
    window_step_days: int = 20
    min_history_days: int = 60
    clv_horizon_months: int = 12
    monthly_discount_rate: float = 0.01
    bgnbd_penalizer: float = 0.0
    gamma_gamma_penalizer: float = 0.0
    min_repeat_customers: int = 50
    max_training_rows: int = 200_000
    calibration_method: str = "isotonic"
    cv_folds: int = 3
    xgb_trees: int = 300
    xgb_max_depth: int = 3
    xgb_learning_rate: float = 0.03
    xgb_min_child_weight: float = 5.0
    xgb_subsample: float = 0.8
    seed: int = 42

    def __post_init__(self) -> None:
        if self.horizon_days < 1:
            raise ValueError("lifecycle_horizon_days must be >= 1")
        if not self.eval_cutoff_days_before:
            raise ValueError("lifecycle_eval_cutoff_days_before needs at least one cutoff")
        short = [d for d in self.eval_cutoff_days_before if d < self.horizon_days]
        if short:
            raise ValueError(
                f"lifecycle_eval_cutoff_days_before {short} leave less than the "
                f"{self.horizon_days}-day horizon before as_of_date: each must be >= "
                "lifecycle_horizon_days so the evaluation window is complete"
            )
        if self.training_windows < 1 or self.window_step_days < 1 or self.min_history_days < 1:
            raise ValueError(
                "lifecycle_training_windows, lifecycle_window_step_days and "
                "lifecycle_min_history_days must be >= 1"
            )
        if self.clv_horizon_months < 1 or not 0 <= self.monthly_discount_rate < 1:
            raise ValueError(
                "lifecycle_clv_horizon_months must be >= 1 and lifecycle_monthly_discount_rate "
                "in [0, 1)"
            )
        if self.calibration_method not in ("isotonic", "sigmoid"):
            raise ValueError("lifecycle_calibration_method must be isotonic or sigmoid")
        if self.max_training_rows < 100:
            raise ValueError("lifecycle_max_training_rows must be >= 100")
        if self.cv_folds < 2:
            raise ValueError("lifecycle_cv_folds must be >= 2")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> LifecycleConfig:
        """From the dbt config mapping (vars arrive as text); unknown keys raise."""
        return cls(
            **typed_settings(cls, values, "lifecycle", {"eval_cutoff_days_before": _days_list})
        )

    def parameters(self) -> dict[str, Any]:
        """JSON-ready parameters (recorded in the registry and hashed into the version)."""
        params = asdict(self)
        params["eval_cutoff_days_before"] = list(self.eval_cutoff_days_before)
        return params
