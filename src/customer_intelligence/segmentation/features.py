"""Feature preparation: from a one-row-per-entity frame to the matrix the model sees."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .config import SegmenterConfig


def sort_by_id(frame: pd.DataFrame, config: SegmenterConfig) -> pd.DataFrame:
    """Rows in id order, so results never depend on the order the database returned them in.

    Input grain: one row per `config.id_column` (checked); output: same rows, sorted, fresh index.
    """
    missing = [c for c in (config.id_column, *config.features) if c not in frame.columns]
    if missing:
        raise KeyError(f"missing columns: {missing}")
    if frame[config.id_column].duplicated().any():
        raise ValueError(f"{config.id_column} is not unique")
    return frame.sort_values(config.id_column, kind="mergesort").reset_index(drop=True)


def model_matrix(frame: pd.DataFrame, config: SegmenterConfig) -> np.ndarray:
    """The unscaled model features as float64, in `config.features` order.

    `log_features` become ln(1 + x) (negative values are clipped to 0 first: spends and counts).
    Missing values are filled with the column median of the transformed feature (0 if all missing);
    standardisation happens inside the fit, not here.
    """
    columns = []
    for name in config.features:
        values = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if name in config.log_features:
            values = np.log1p(np.clip(values, 0.0, None))
        if np.isnan(values).any():
            fill = np.nanmedian(values) if not np.isnan(values).all() else 0.0
            values = np.where(np.isnan(values), fill, values)
        columns.append(values)
    return np.column_stack(columns)


def feature_label(name: str) -> str:
    """Human label of a feature column: `detergents_paper_share` -> `detergents & paper`."""
    for suffix in ("_share", "_spend"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    if name.startswith("log_"):
        name = name[4:]
    if name == "detergents_paper":
        return "detergents & paper"
    return name.replace("_", " ")
