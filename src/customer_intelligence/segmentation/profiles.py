"""Describing segments: per-feature profiles with a one-way ANOVA across segments.

Sizes, revenue shares and cross-tabs are plain aggregations and live in SQL (dim_segment_profiles,
rpt_segment_crosstabs).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from .config import SegmenterConfig


def _joined(frame: pd.DataFrame, assignments: pd.DataFrame, config: SegmenterConfig):
    key = config.id_column
    cols = ["segment_id", "segment_name"]
    joined = frame.merge(assignments[[key, *cols]], on=key, how="inner", validate="one_to_one")
    if len(joined) != len(assignments):
        raise ValueError("assignments reference ids missing from the feature frame")
    return joined.sort_values(["segment_id", key], kind="mergesort").reset_index(drop=True)


def feature_profiles(
    frame: pd.DataFrame, assignments: pd.DataFrame, config: SegmenterConfig
) -> pd.DataFrame:
    """One row per (segment, feature) of `config.described_features`, in original units.

    Mean and median per segment and over everyone (nulls skipped), plus the one-way ANOVA F and
    p-value of the feature across segments (same on every row of a feature). The ANOVA is run on
    the scale the model sees (raw spends are too skewed for an F-test): ln(1 + x) for
    `log_features`, the input's own `log_<feature>` column when that is a model feature (log
    spends computed in SQL), the raw value otherwise; `anova_scale` says which.
    """
    joined = _joined(frame, assignments, config)
    rows = []
    for feature in config.described_features:
        values = pd.to_numeric(joined[feature], errors="coerce").astype(float)
        scale, tested = _tested_scale(joined, feature, values, config)
        groups = [g.dropna().to_numpy() for _, g in tested.groupby(joined["segment_id"])]
        f_stat, p_value = _anova(groups)
        for (segment_id, segment_name), part in values.groupby(
            [joined["segment_id"], joined["segment_name"]], sort=True
        ):
            rows.append(
                {
                    "population": config.population,
                    "segment_id": int(segment_id),
                    "segment_name": segment_name,
                    "feature_name": feature,
                    "is_model_feature": feature in config.features
                    or f"log_{feature}" in config.features,
                    "segment_mean": float(part.mean()),
                    "segment_median": float(part.median()),
                    "population_mean": float(values.mean()),
                    "population_median": float(values.median()),
                    "anova_f": f_stat,
                    "anova_p_value": p_value,
                    "anova_scale": scale,
                }
            )
    return pd.DataFrame(rows)


def _tested_scale(
    joined: pd.DataFrame, feature: str, values: pd.Series, config: SegmenterConfig
) -> tuple[str, pd.Series]:
    if feature in config.log_features:
        return "log1p", np.log1p(values.clip(lower=0))
    if f"log_{feature}" in config.features:
        return "log1p", pd.to_numeric(joined[f"log_{feature}"], errors="coerce").astype(float)
    return "raw", values


def _anova(groups: list[np.ndarray]) -> tuple[float, float]:
    groups = [g for g in groups if len(g) > 0]
    if len(groups) < 2 or sum(len(g) for g in groups) <= len(groups):
        return float("nan"), float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = stats.f_oneway(*groups)
    return float(result.statistic), float(result.pvalue)
