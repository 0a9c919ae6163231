"""The steps the dbt Python models call: select k, train (registry row), assign.

Train and apply are separate: `train_segmenter` returns one registry row whose artefact is the
fitted `SegmentModel` as JSON; `apply_segmenter` reads it back and labels every row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ..registry import frame_hash, registry_row
from ..retraining import TrainingData, settings_hash
from .config import SegmenterConfig
from .features import model_matrix, sort_by_id
from .model import SegmentModel, assign, fit_segment_model
from .selection import bounded_silhouette, choose_k, evaluate_k_range, selection_rule

ALGORITHM = "standardised k-means (lloyd, k-means++), distance-based outliers, PCA projection"


def model_name(config: SegmenterConfig) -> str:
    return f"segmentation_{config.population}"


def training_data(
    frame: pd.DataFrame, config: SegmenterConfig, as_of_date: Any = None
) -> TrainingData:
    """The fingerprint `retraining.decide` compares for a population: its rows, their hash, the
    settings, and the mean of the value column (the key measure whose shift forces a refit)."""
    columns = list(dict.fromkeys([config.id_column, *config.features, config.value_column]))
    return TrainingData(
        rows=len(frame),
        data_hash=frame_hash(frame, columns),
        settings_hash=settings_hash(config.parameters()),
        as_of_date=pd.Timestamp(as_of_date).date() if as_of_date is not None else None,
        mean=float(frame[config.value_column].mean()) if len(frame) else 0.0,
    )


def run_k_selection(frame: pd.DataFrame, config: SegmenterConfig) -> pd.DataFrame:
    """One row per evaluated k: metrics, `is_chosen`, the rule and the reason for the choice.

    Input grain: one row per `config.id_column`.
    """
    table = evaluate_k_range(frame, config)
    chosen, reason = choose_k(table, config)
    table.insert(0, "population", config.population)
    table["meets_size_bar"] = table["smallest_cluster_share"] >= config.min_cluster_share
    table["meets_stability_bar"] = table["stability_ari"] >= config.min_stability
    table["is_chosen"] = table["k"] == chosen
    table["selection_rule"] = selection_rule(config)
    table["selection_reason"] = np.where(table["is_chosen"], reason, None)
    return table


def chosen_k(selection: pd.DataFrame, config: SegmenterConfig, n_rows: int | None = None) -> int:
    """`fixed_k` when set, else the k flagged `is_chosen` in the selection table.

    With `n_rows` (rows to be segmented) a fixed k must leave at least one row more than
    clusters (silhouette needs 2 <= k <= rows - 1); a larger one raises naming the var.
    """
    if config.fixed_k is not None:
        if n_rows is not None and config.fixed_k > n_rows - 1:
            remedy = (
                f"set the setting fixed_k to a k from 2 to {n_rows - 1}, or to none to choose "
                "k from the data"
                if n_rows >= 3
                else "add rows: segmenting needs at least 3"
            )
            raise ValueError(
                f"{config.population} segmentation: fixed k = {config.fixed_k} (setting "
                f"fixed_k) needs at least {config.fixed_k + 1} rows (one per "
                f"{config.id_column}); found {n_rows}. Fix: {remedy}."
            )
        return config.fixed_k
    chosen = selection.loc[selection["is_chosen"].astype(bool), "k"]
    if len(chosen) != 1:
        raise ValueError(f"selection table must flag exactly one k, found {len(chosen)}")
    return int(chosen.iloc[0])


def train_segmenter(
    frame: pd.DataFrame,
    config: SegmenterConfig,
    selection: pd.DataFrame,
    as_of_date: Any = None,
) -> pd.DataFrame:
    """Fit the final model at the chosen k; return one registry row (REGISTRY_COLUMNS).

    Metrics: k, silhouette of the final partition (on at most `silhouette_sample_size` rows),
    segment shares, bootstrap stability at that k (from the selection table), PCA variance
    explained, outlier share. `as_of_date` (the build's anchor date, optional) is stored as a
    typed DATE column even when missing, so the SQL registry can union the row.
    """
    frame = sort_by_id(frame, config)
    k = chosen_k(selection, config, n_rows=len(frame))
    model = fit_segment_model(frame, config, k)
    assigned = assign(frame, config, model)
    metrics = _final_metrics(frame, config, model, assigned, selection)
    data_columns = [config.id_column, *config.features, config.value_column]
    row = registry_row(
        model_name=model_name(config),
        algorithm=ALGORITHM,
        training_data_hash=frame_hash(frame, list(dict.fromkeys(data_columns))),
        training_rows=len(frame),
        parameters={**config.parameters(), "k": k},
        metrics=metrics,
        artefact_format="json",
        artefact=model.to_json(),
        as_of_date=as_of_date,
    )
    row["as_of_date"] = pd.array(row["as_of_date"].tolist(), dtype=pd.ArrowDtype(pa.date32()))
    return row


def apply_segmenter(
    frame: pd.DataFrame, config: SegmenterConfig, registry: pd.DataFrame
) -> pd.DataFrame:
    """Label every row with the model in `registry` (one row for this population).

    Output grain: one row per `config.id_column`, the columns of `model.assign` plus population
    and segment_model_version (the registry row's model_version).
    """
    row = registry[registry["model_name"] == model_name(config)]
    if len(row) != 1:
        raise ValueError(f"expected one registry row for {model_name(config)}, got {len(row)}")
    model = SegmentModel.from_json(row["artefact"].iloc[0])
    out = assign(frame, config, model)
    out.insert(1, "population", config.population)
    out["segment_model_version"] = row["model_version"].iloc[0]
    return out


def _final_metrics(
    frame: pd.DataFrame,
    config: SegmenterConfig,
    model: SegmentModel,
    assigned: pd.DataFrame,
    selection: pd.DataFrame,
) -> dict:
    labels = assigned["segment_id"].to_numpy()
    shares = np.bincount(labels - 1, minlength=model.k) / len(labels)
    z = model.standardise(model_matrix(frame, config))
    rng = np.random.default_rng(config.random_state)
    rows = (
        np.sort(rng.choice(len(z), config.silhouette_sample_size, replace=False))
        if len(z) > config.silhouette_sample_size
        else np.arange(len(z))
    )
    silhouette = bounded_silhouette(z[rows], labels[rows])
    at_k = selection[selection["k"] == model.k]
    stability = float(at_k["stability_ari"].iloc[0]) if len(at_k) else None
    return {
        "k": model.k,
        "silhouette": None if np.isnan(silhouette) else silhouette,
        "silhouette_rows": len(rows),
        "smallest_cluster_share": float(shares.min()),
        "segment_shares": [float(s) for s in shares],
        "segment_names": model.names,
        "stability_ari": stability,
        "pca_explained_variance_ratio": model.pca_explained_variance_ratio.tolist(),
        "outlier_share": float(assigned["is_segment_outlier"].mean()),
    }
