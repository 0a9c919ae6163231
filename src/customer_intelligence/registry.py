"""Model registry rows shared by every trained model in the warehouse.

A registry row records one trained model: what it is, what it was trained on, how it scored, with
which libraries, and the artefact itself. The dbt Python models return one such row per build; the
SQL incremental model `fct_model_registry` appends each new version, so rebuilding never wipes
history.

The version is derived from content (training-data hash, parameters, library versions), not from the
clock, so two builds on the same data produce the same version and the same tables. `trained_at` is
the only field that depends on when the build ran.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

import numpy as np
import pandas as pd

REGISTRY_COLUMNS: tuple[str, ...] = (
    "model_name",
    "model_version",
    "trained_at",
    "as_of_date",
    "algorithm",
    "training_data_hash",
    "training_rows",
    "parameters_json",
    "metrics_json",
    "library_versions_json",
    "artefact_format",
    "artefact",
)

DEFAULT_LIBRARIES: tuple[str, ...] = (
    "customer-intelligence",
    "numpy",
    "pandas",
    "scikit-learn",
    "xgboost-cpu",
    "implicit",
    "duckdb",
)


def frame_hash(frame: pd.DataFrame, columns: Iterable[str] | None = None) -> str:
    """Return a sha256 of a frame's content, independent of row order.

    Input grain: any. Rows are hashed one by one and the row hashes sorted, so the same set of rows
    gives the same hash whatever order the database returned them in.
    """
    cols = list(columns) if columns is not None else sorted(frame.columns)
    if frame.empty:
        return hashlib.sha256(("|".join(cols)).encode()).hexdigest()
    row_hashes = pd.util.hash_pandas_object(frame[cols], index=False).to_numpy(dtype=np.uint64)
    digest = hashlib.sha256("|".join(cols).encode())
    digest.update(np.sort(row_hashes).tobytes())
    return digest.hexdigest()


def library_versions(names: Iterable[str] = DEFAULT_LIBRARIES) -> dict[str, str]:
    """Installed versions of the named distributions ('not installed' when absent)."""
    versions: dict[str, str] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _naive_utc(when: datetime) -> pd.Timestamp:
    stamp = pd.Timestamp(when)
    return stamp.tz_convert(None) if stamp.tzinfo is not None else stamp


def _canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=_json_default, separators=(",", ":"))


def _json_default(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def model_version(
    model_name: str,
    training_data_hash: str,
    parameters: Mapping[str, Any],
    libraries: Mapping[str, str],
) -> str:
    """A content-derived version: `<model_name>-<12 hex>`; same inputs, same version."""
    payload = _canonical_json(
        {
            "model": model_name,
            "data": training_data_hash,
            "params": parameters,
            "libs": libraries,
        }
    )
    return f"{model_name}-{hashlib.sha256(payload.encode()).hexdigest()[:12]}"


def registry_row(
    *,
    model_name: str,
    algorithm: str,
    training_data_hash: str,
    training_rows: int,
    parameters: Mapping[str, Any],
    metrics: Mapping[str, Any],
    artefact_format: str,
    artefact: str,
    as_of_date: Any = None,
    trained_at: datetime | None = None,
) -> pd.DataFrame:
    """One registry row as a one-row DataFrame with the columns of `REGISTRY_COLUMNS`.

    `artefact` is text: a model's native text format (e.g. XGBoost JSON) or base64 of a binary one;
    `artefact_format` says which, so the artefact can be loaded again without guessing.
    """
    libs = library_versions()
    version = model_version(model_name, training_data_hash, parameters, libs)
    row = {
        "model_name": model_name,
        "model_version": version,
        "trained_at": _naive_utc(trained_at or datetime.now(UTC)),
        "as_of_date": pd.Timestamp(as_of_date).date() if as_of_date is not None else None,
        "algorithm": algorithm,
        "training_data_hash": training_data_hash,
        "training_rows": int(training_rows),
        "parameters_json": _canonical_json(parameters),
        "metrics_json": _canonical_json(metrics),
        "library_versions_json": _canonical_json(libs),
        "artefact_format": artefact_format,
        "artefact": artefact,
    }
    return pd.DataFrame([row], columns=list(REGISTRY_COLUMNS))
