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


ROC_CURVE_COLUMNS = ("false_positive_rate", "true_positive_rate_mean", "true_positive_rate_std")


def roc_table(registry: pd.DataFrame) -> pd.DataFrame:
    """One row per candidate, model stage and fixed false positive rate: the fold-averaged ROC
    curves of the out-of-fold predictions (every candidate uncalibrated, the selected one also
    calibrated; method in `roc`), each row carrying its curve's AUC over the folds."""
    payload, version = _payload(registry)
    curves = []
    for curve in payload["roc_points"]:
        frame = pd.DataFrame({column: curve[column] for column in ROC_CURVE_COLUMNS})
        for key in ("candidate", "model_stage", "is_selected", "auc_mean", "auc_std"):
            frame[key] = curve[key]
        frame["evaluation_count"] = curve["evaluation_count"]
        curves.append(frame)
    frame = pd.concat(curves, ignore_index=True).assign(model_version=version)
    return frame.astype(
        {
            "false_positive_rate": "float64",
            "true_positive_rate_mean": "float64",
            "true_positive_rate_std": "float64",
            "auc_mean": "float64",
            "auc_std": "float64",
            "evaluation_count": "int64",
            "is_selected": "bool",
        }
    )
