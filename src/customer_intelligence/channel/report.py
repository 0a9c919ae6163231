"""Unpack the training tables stored in a registry row's `metrics_json` for the dbt models.

Input grain: the one-row registry frame of `train_channel_model`. Each function returns one table
with the registry row's `model_version` added; see the dbt YAML for the grain of each.
"""

from __future__ import annotations

import json

import pandas as pd

from .scoring import current_model


def _payload(registry: pd.DataFrame) -> tuple[dict, str]:
    _, version = current_model(registry)
    return json.loads(registry.iloc[0]["metrics_json"]), version


def metrics_table(registry: pd.DataFrame) -> pd.DataFrame:
    """One row per candidate, model stage and metric, with per-candidate fit times (wall clock:
    the only columns that differ between two builds)."""
    payload, version = _payload(registry)
    metrics = pd.DataFrame(payload["metrics"])
    timing = pd.DataFrame(payload["timing_seconds"])
    frame = metrics.merge(timing, on="candidate", how="left", validate="many_to_one")
    frame["selection_metric"] = payload["selection_metric"]
    frame["model_version"] = version
    return frame.astype(
        {
            "metric_mean": "float64",
            "metric_std": "float64",
            "evaluation_count": "int64",
            "is_selected": "bool",
        }
    )


def feature_importance_table(registry: pd.DataFrame) -> pd.DataFrame:
    """One row per candidate and feature: gain-type share and held-out permutation importance."""
    payload, version = _payload(registry)
    frame = pd.DataFrame(payload["feature_importance"]).assign(model_version=version)
    return frame.astype({"is_selected": "bool"})


def calibration_table(registry: pd.DataFrame) -> pd.DataFrame:
    """One row per model stage (uncalibrated, calibrated) and probability bin of the selected
    candidate's pooled out-of-fold predictions."""
    payload, version = _payload(registry)
    frame = pd.DataFrame(payload["calibration_bins"]).assign(model_version=version)
    return frame.astype(
        {
            "mean_predicted_probability": "float64",
            "observed_retail_rate": "float64",
            "prediction_count": "int64",
        }
    )
