"""Parameters of the channel classifier, read from dbt config (strings) or given in Python."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

CANDIDATES: tuple[str, ...] = ("logistic_regression", "random_forest", "xgboost", "soft_voting")
CALIBRATION_METHODS: tuple[str, ...] = ("isotonic", "sigmoid", "none")
# cost_minimising: the threshold with the least cost on inner out-of-fold calibrated predictions
# (the default); bayes: cost_horeca_as_retail / (sum of costs), right when the
# calibrated probabilities are right, with nothing fitted.
THRESHOLD_RULES: tuple[str, ...] = ("cost_minimising", "bayes")
# Metrics where a smaller value is better; every other selection metric is maximised.
LOWER_IS_BETTER: frozenset[str] = frozenset({"log_loss", "brier"})


@dataclass(frozen=True)
class ChannelConfig:
    """Everything that changes what the channel model learns or how it decides.

    Defaults: selection by Brier score (a proper scoring rule; the decision is made on calibrated
    probabilities and costs), sigmoid calibration (isotonic overfits with ~230 rows per inner fit).
    Costs are per misclassified account: `cost_retail_as_horeca` is a Retail account called HORECA
    (a missed Retail opportunity), `cost_horeca_as_retail` a HORECA account called Retail.
    """

    seed: int = 42
    cv_splits: int = 5
    cv_repeats: int = 3
    selection_metric: str = "brier"
    calibration_method: str = "sigmoid"
    calibration_folds: int = 3
    cost_retail_as_horeca: float = 12_000.0
    cost_horeca_as_retail: float = 5_000.0
    threshold_rule: str = "cost_minimising"
    use_region: bool = False
    class_weight_balanced: bool = False
    logreg_cs: tuple[float, ...] = (1.0,)
    rf_trees: int = 100
    rf_min_samples_leaf: int = 2
    rf_max_depth: int = 8
    xgb_trees: int = 200
    xgb_max_depth: int = 3
    xgb_learning_rate: float = 0.05
    xgb_subsample: float = 0.8
    xgb_colsample_bytree: float = 0.8
    reliability_bins: int = 10
    permutation_repeats: int = 3
    n_jobs: int = 1  # random-forest fitting threads (results do not depend on it)

    def __post_init__(self) -> None:
        if self.selection_metric.removeprefix("neg_") not in METRIC_NAMES:
            raise ValueError(f"unknown selection_metric {self.selection_metric!r}")
        if self.calibration_method not in CALIBRATION_METHODS:
            raise ValueError(f"calibration_method must be one of {CALIBRATION_METHODS}")
        if self.threshold_rule not in THRESHOLD_RULES:
            raise ValueError(f"threshold_rule must be one of {THRESHOLD_RULES}")
        if self.cv_splits < 2 or self.cv_repeats < 1 or self.calibration_folds < 2:
            raise ValueError("cv_splits and calibration_folds must be >= 2, cv_repeats >= 1")
        if self.cost_retail_as_horeca < 0 or self.cost_horeca_as_retail < 0:
            raise ValueError("costs must be >= 0")

    def as_parameters(self) -> dict[str, Any]:
        """JSON-ready parameters (what the registry records and hashes into the version)."""
        params = asdict(self)
        params["logreg_cs"] = list(self.logreg_cs)
        params.pop("n_jobs")  # how fast, not what is learned
        return params


METRIC_NAMES: tuple[str, ...] = (
    "accuracy",
    "balanced_accuracy",
    "precision_horeca",
    "recall_horeca",
    "f1_horeca",
    "precision_retail",
    "recall_retail",
    "f1_retail",
    "roc_auc",
    "pr_auc",
    "log_loss",
    "brier",
)


def _cast(value: Any, target: Any) -> Any:
    if isinstance(target, bool):
        return str(value).strip().lower() in {"1", "true", "yes", "y"}
    if isinstance(target, int):
        return int(float(value))
    if isinstance(target, float):
        return float(value)
    if isinstance(target, tuple):
        items = value if isinstance(value, list | tuple) else str(value).strip("[]() ").split(",")
        return tuple(float(item) for item in items if str(item).strip())
    return str(value).strip()


def config_from_mapping(values: Mapping[str, Any]) -> ChannelConfig:
    """Build a config from a mapping whose values may be strings (dbt YAML-templated vars).

    Keys that are absent or None keep their defaults; unknown keys are ignored.
    """
    defaults = ChannelConfig()
    kwargs = {
        field.name: _cast(values[field.name], getattr(defaults, field.name))
        for field in fields(ChannelConfig)
        if values.get(field.name) not in (None, "", "None")
    }
    return ChannelConfig(**kwargs)
