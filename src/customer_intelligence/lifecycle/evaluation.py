"""Back-test of the lifecycle models: one row per cutoff, target, method and metric.

At each evaluation cutoff c (days before as_of_date) the churn methods and baselines are trained
on the windows before c (`windows.Snapshots.training_frame`), the BG/NBD and Gamma-Gamma models
are fitted on purchases before c, and everything is scored on the customers active before c
against what they did in [c, c + H). Nothing from c on is read to build a prediction.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from . import probabilistic
from .baselines import CHURN_BASELINES, ChurnBaselines, naive_purchases, naive_revenue
from .churn import fit_churn
from .config import CHURN_METHODS, LifecycleConfig
from .metrics import churn_metrics, value_metrics
from .windows import Snapshots

LOGGER = logging.getLogger(__name__)
# Deciles of the value calibration check count only when they hold this many customers.
MIN_DECILE_CUSTOMERS = 100

# Not `training_rows`: the table also carries the retraining fingerprint of the purchases it was
# computed from (`retraining.with_decision`), whose `training_rows` a next build compares.
EVALUATION_COLUMNS: tuple[str, ...] = (
    "cutoff_date",
    "target",
    "method",
    "is_baseline",
    "is_selected",
    "metric",
    "metric_value",
    "customers",
    "training_examples",
    "training_windows",
)


def evaluation_cutoffs(as_of_date, config: LifecycleConfig) -> list[pd.Timestamp]:
    as_of = pd.Timestamp(as_of_date)
    return [as_of - pd.Timedelta(d, "D") for d in sorted(set(config.eval_cutoff_days_before))]


def evaluate_cutoff(
    snapshots: Snapshots, cutoff: pd.Timestamp, segment_map: pd.DataFrame
) -> list[dict]:
    """Every method's metrics at one cutoff (empty when it has no training window)."""
    config = snapshots.config
    training = snapshots.training_frame(cutoff)
    if training.empty:
        LOGGER.warning("lifecycle evaluation: no training window before %s, skipped", cutoff)
        return []
    test = snapshots.labelled(cutoff)
    selected, trained = fit_churn(training, config)
    baselines = ChurnBaselines(training, segment_map)
    context = {
        "cutoff_date": cutoff.date(),
        "customers": len(test),
        "training_examples": len(training),
        "training_windows": int(training["window_cutoff"].nunique()),
    }
    rows: list[dict] = []

    def add(target: str, method: str, baseline: bool, chosen: bool, metrics: dict) -> None:
        for metric, value in metrics.items():
            if metric == "customers":  # a column of its own
                continue
            rows.append(
                {
                    **context,
                    "target": target,
                    "method": method,
                    "is_baseline": baseline,
                    "is_selected": chosen,
                    "metric": metric,
                    "metric_value": value,
                }
            )

    churned = test["churned"].to_numpy()
    for method in CHURN_METHODS:
        probability = trained[method].model.predict(test)
        add("churn", method, False, method == selected.method, churn_metrics(probability, churned))
    for name in CHURN_BASELINES:
        add("churn", name, True, False, churn_metrics(baselines.predict(name, test), churned))

    model = snapshots.model(cutoff)
    horizon = config.horizon_days
    purchases = probabilistic.expected_purchases(model, test, horizon)
    revenue = purchases * probabilistic.expected_order_value(model, test)
    actual_purchases = test["future_purchases"].to_numpy(float)
    actual_revenue = test["future_amount"].to_numpy(float)
    for target, predicted, naive, actual in (
        ("purchases", purchases, naive_purchases(test, horizon), actual_purchases),
        ("revenue", revenue, naive_revenue(test, horizon), actual_revenue),
    ):
        add(
            target,
            "bgnbd_gamma_gamma",
            False,
            True,
            value_metrics(predicted, actual, MIN_DECILE_CUSTOMERS),
        )
        add(target, "naive_rate", True, False, value_metrics(naive, actual, MIN_DECILE_CUSTOMERS))
    return rows


def evaluation_table(
    days: pd.DataFrame,
    product_firsts: pd.DataFrame,
    segment_map: pd.DataFrame,
    as_of_date,
    config: LifecycleConfig,
    snapshots: Snapshots | None = None,
) -> pd.DataFrame:
    """The whole back-test (`EVALUATION_COLUMNS`), ordered by cutoff, target, method, metric."""
    snapshots = snapshots or Snapshots(days, product_firsts, config)
    rows: list[dict] = []
    for cutoff in evaluation_cutoffs(as_of_date, config):
        try:
            rows.extend(evaluate_cutoff(snapshots, cutoff, segment_map))
        except ValueError as error:  # too little history at this cutoff: say so, go on
            LOGGER.warning("lifecycle evaluation: cutoff %s skipped: %s", cutoff.date(), error)
    table = pd.DataFrame(rows, columns=list(EVALUATION_COLUMNS))
    table = table.sort_values(["cutoff_date", "target", "method", "metric"], kind="stable")
    table = table.reset_index(drop=True)
    for column in ("customers", "training_examples", "training_windows"):
        table[column] = table[column].astype(np.int64)
    table["metric_value"] = table["metric_value"].astype(float)
    table["is_baseline"] = table["is_baseline"].astype(bool)
    table["is_selected"] = table["is_selected"].astype(bool)
    return table
