"""Describing segments: sizes and revenue, per-feature profiles with one-way ANOVA, cross-tabs."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from .config import SegmenterConfig


def _joined(frame: pd.DataFrame, assignments: pd.DataFrame, config: SegmenterConfig):
    key = config.id_column
    cols = ["segment_id", "segment_name", "segment_archetype", "is_outlier"]
    joined = frame.merge(assignments[[key, *cols]], on=key, how="inner", validate="one_to_one")
    if len(joined) != len(assignments):
        raise ValueError("assignments reference ids missing from the feature frame")
    return joined.sort_values(["segment_id", key], kind="mergesort").reset_index(drop=True)


def segment_profiles(
    frame: pd.DataFrame,
    assignments: pd.DataFrame,
    config: SegmenterConfig,
    playbook: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per segment: size, share, revenue and revenue share, outliers, playbook action.

    Inputs: `frame` one row per id with `value_column`; `assignments` from `model.assign`;
    `playbook` one row per (population, segment_archetype) with `marketing_action` and
    `action_priority` (optional). Shares are over all assigned rows and sum to 1.
    """
    joined = _joined(frame, assignments, config)
    joined["_value"] = pd.to_numeric(joined[config.value_column], errors="coerce").fillna(0.0)
    grouped = joined.groupby(["segment_id", "segment_name", "segment_archetype"], sort=True)
    out = grouped.agg(
        members=("_value", "size"),
        revenue=("_value", "sum"),
        mean_value=("_value", "mean"),
        median_value=("_value", "median"),
        outliers=("is_outlier", "sum"),
    ).reset_index()
    total_revenue = out["revenue"].sum()
    out.insert(0, "population", config.population)
    out["member_share"] = out["members"] / out["members"].sum()
    out["revenue_share"] = out["revenue"] / total_revenue if total_revenue else 0.0
    out["outlier_share"] = out["outliers"] / out["members"]
    out["members"] = out["members"].astype("int64")
    out["outliers"] = out["outliers"].astype("int64")
    if playbook is not None:
        book = playbook[playbook["population"] == config.population]
        book = book[["segment_archetype", "marketing_action", "action_priority"]]
        out = out.merge(book, on="segment_archetype", how="left", validate="many_to_one")
    else:
        out["marketing_action"] = None
        out["action_priority"] = None
    return out


def feature_profiles(
    frame: pd.DataFrame, assignments: pd.DataFrame, config: SegmenterConfig
) -> pd.DataFrame:
    """One row per (segment, feature) of `config.described_features`, in original units.

    Mean and median per segment and over everyone (nulls skipped), plus the one-way ANOVA F and
    p-value of the feature across segments (same on every row of a feature). The ANOVA is run on
    ln(1 + x) for `log_features` (the scale the model sees; raw spends are too skewed for an
    F-test) and on the raw value otherwise; `anova_scale` says which.
    """
    joined = _joined(frame, assignments, config)
    rows = []
    for feature in config.described_features:
        values = pd.to_numeric(joined[feature], errors="coerce").astype(float)
        scale = "log1p" if feature in config.log_features else "raw"
        tested = np.log1p(values.clip(lower=0)) if scale == "log1p" else values
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
                    "is_model_feature": feature in config.features,
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


def _anova(groups: list[np.ndarray]) -> tuple[float, float]:
    groups = [g for g in groups if len(g) > 0]
    if len(groups) < 2 or sum(len(g) for g in groups) <= len(groups):
        return float("nan"), float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = stats.f_oneway(*groups)
    return float(result.statistic), float(result.pvalue)


def segment_crosstab(
    assignments: pd.DataFrame,
    reference: pd.DataFrame,
    config: SegmenterConfig,
    reference_column: str,
) -> pd.DataFrame:
    """One row per (segment, reference category) present: counts and three shares.

    `reference` is one row per id with `reference_column` (e.g. the rule-based `rfm_segment`).
    share_of_segment sums to 1 within a segment, share_of_reference within a reference category,
    share_of_total over the table.
    """
    key = config.id_column
    joined = assignments[[key, "segment_id", "segment_name"]].merge(
        reference[[key, reference_column]], on=key, how="inner", validate="one_to_one"
    )
    joined[reference_column] = joined[reference_column].fillna("(none)").astype(str)
    out = (
        joined.groupby(["segment_id", "segment_name", reference_column], sort=True)
        .size()
        .rename("members")
        .reset_index()
        .rename(columns={reference_column: "reference_segment"})
    )
    out.insert(0, "population", config.population)
    out.insert(4, "reference_column", reference_column)
    out["members"] = out["members"].astype("int64")
    out["share_of_segment"] = out["members"] / out.groupby("segment_id")["members"].transform("sum")
    out["share_of_reference"] = out["members"] / out.groupby("reference_segment")[
        "members"
    ].transform("sum")
    out["share_of_total"] = out["members"] / out["members"].sum()
    return out
