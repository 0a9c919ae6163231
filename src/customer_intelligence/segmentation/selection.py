"""Choosing k: internal-validity metrics and bootstrap stability for each k, then a stated rule.

Cost control for large populations: the fits behind the table run on a seeded uniform sample of at
most `selection_sample_size` rows (all rows when the population is smaller), silhouette on at most
`silhouette_sample_size` of those. Everything else (final fit, assignment) uses every row.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from sklearn import config_context
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_score,
)
from threadpoolctl import threadpool_limits

from .config import SegmenterConfig
from .features import model_matrix, sort_by_id
from .model import fit_kmeans, fit_scaler

SELECTION_COLUMNS: tuple[str, ...] = (
    "k",
    "inertia",
    "silhouette",
    "davies_bouldin",
    "calinski_harabasz",
    "smallest_cluster_share",
    "largest_cluster_share",
    "stability_ari",
    "stability_ari_min",
    "fit_rows",
    "silhouette_rows",
)


def bootstrap_stability(
    z: np.ndarray, k: int, resamples: list[np.ndarray], n_init: int, random_state: int
) -> tuple[float, float]:
    """Mean and minimum adjusted Rand index between KMeans fits on bootstrap resamples.

    Each resample (rows drawn with replacement) gets its own fit; every fit then labels all rows of
    `z`, and the ARI is taken over all pairs of fits on those shared rows. 1.0 = the same partition
    every time; values well below 0.9 mean the k-cluster solution depends on which rows you drew.
    """
    labelings = []
    for b, rows in enumerate(resamples):
        fit = fit_kmeans(z[rows], k, n_init, random_state + b + 1)
        with threadpool_limits(limits=1):
            labelings.append(fit.predict(z))
    scores = [adjusted_rand_score(a, b) for a, b in itertools.combinations(labelings, 2)]
    if not scores:
        return float("nan"), float("nan")
    return float(np.mean(scores)), float(np.min(scores))


def evaluate_k_range(frame: pd.DataFrame, config: SegmenterConfig) -> pd.DataFrame:
    """One row per k in `k_min..k_max` with the metrics of `SELECTION_COLUMNS`.

    Input grain: one row per `config.id_column`. Features are standardised on all rows; fits run on
    the selection sample. Silhouette, Davies-Bouldin and Calinski-Harabasz use Euclidean distance
    in standardised units; inertia is the within-cluster sum of squares on the fit rows.
    """
    z_all = _standardised(frame, config)
    rng = np.random.default_rng(config.random_state)
    n = len(z_all)
    if n > config.selection_sample_size:
        z = z_all[np.sort(rng.choice(n, config.selection_sample_size, replace=False))]
    else:
        z = z_all
    m = len(z)
    if config.fixed_k is None:
        check_rows_for_k_range(n, m, config)
    sil_rows = (
        np.sort(rng.choice(m, config.silhouette_sample_size, replace=False))
        if m > config.silhouette_sample_size
        else np.arange(m)
    )
    resamples = [rng.integers(0, m, m) for _ in range(config.n_bootstrap)]
    rows = []
    for k in range(config.k_min, min(config.k_max, m - 1) + 1):
        fit = fit_kmeans(z, k, config.n_init, config.random_state)
        labels = fit.labels_
        shares = np.bincount(labels, minlength=k) / m
        distinct = len(np.unique(labels)) > 1
        sil_labels = labels[sil_rows]
        mean_ari, min_ari = bootstrap_stability(z, k, resamples, config.n_init, config.random_state)
        rows.append(
            {
                "k": k,
                "inertia": float(fit.inertia_),
                "silhouette": bounded_silhouette(z[sil_rows], sil_labels),
                "davies_bouldin": float(davies_bouldin_score(z, labels)) if distinct else np.nan,
                "calinski_harabasz": float(calinski_harabasz_score(z, labels))
                if distinct
                else np.nan,
                "smallest_cluster_share": float(shares.min()),
                "largest_cluster_share": float(shares.max()),
                "stability_ari": mean_ari,
                "stability_ari_min": min_ari,
                "fit_rows": m,
                "silhouette_rows": len(sil_rows),
            }
        )
    return pd.DataFrame(rows, columns=list(SELECTION_COLUMNS))


def check_rows_for_k_range(n: int, m: int, config: SegmenterConfig) -> None:
    """Raise ValueError when no k in `k_min..k_max` can be evaluated on `m` fit rows (of `n`).

    Silhouette needs 2 <= k <= rows - 1, so the range is capped at `m - 1` and is empty when
    `m <= k_min`. With a fixed k there is nothing to compare and this check does not apply.
    """
    if m > config.k_min:
        return
    rows = f"{n} row{'s' if n != 1 else ''}"
    if m < n:
        rows += f", {m} in the selection sample"
    if m >= 3 and config.k_min > 2:
        remedy = (
            f"add rows, lower the setting k_min to at most {m - 1}, or set the setting "
            f"fixed_k to a k from 2 to {n - 1}"
        )
    elif n >= 3:
        remedy = f"add rows or set the setting fixed_k to a k from 2 to {n - 1}"
        if m < n:
            remedy += ", or raise the setting selection_sample_size"
    else:
        remedy = "add rows: segmenting needs at least 3, and no setting can lower that"
    raise ValueError(
        f"{config.population} segmentation needs at least k_min + 1 = {config.k_min + 1} rows "
        f"(one per {config.id_column}) to compare cluster counts (k_min = {config.k_min}); "
        f"found {rows}. Fix: {remedy}."
    )


def selection_rule(config: SegmenterConfig) -> str:
    """The rule in words (stored beside the table)."""
    if config.fixed_k is not None:
        return f"fixed k = {config.fixed_k} (var)"
    return (
        f"best silhouette among k >= {config.choose_k_min} whose smallest cluster share >= "
        f"{config.min_cluster_share:g} and bootstrap stability ARI >= {config.min_stability:g}; "
        "if none qualifies, best silhouette among k meeting the size bar; else best silhouette"
    )


def choose_k(table: pd.DataFrame, config: SegmenterConfig) -> tuple[int, str]:
    """(chosen k, reason). Ties on silhouette go to the smaller k.

    1. `fixed_k` when set.
    2. Best silhouette among k >= `choose_k_min` with smallest_cluster_share >= `min_cluster_share`
       and stability_ari >= `min_stability`.
    3. Else best silhouette among k >= `choose_k_min` meeting only the size bar.
    4. Else best silhouette among k >= `choose_k_min` (or among all k if that range is empty).
    """
    if config.fixed_k is not None:
        return config.fixed_k, "fixed k from configuration"
    if table.empty:
        raise ValueError(
            f"{config.population} segmentation: the k-selection table is empty (no k from "
            f"k_min = {config.k_min} to k_max = {config.k_max} could be evaluated: the "
            f"population needs more than k_min rows). Add rows, lower the setting k_min, or "
            "set the setting fixed_k."
        )
    candidates = table[table["k"] >= config.choose_k_min]
    if candidates.empty:
        candidates = table
    sized = candidates[candidates["smallest_cluster_share"] >= config.min_cluster_share]
    stable = sized[sized["stability_ari"] >= config.min_stability]
    for pool, reason in (
        (stable, "best silhouette among k meeting the size and stability bars"),
        (sized, "fallback: no k met the stability bar; best silhouette meeting the size bar"),
        (candidates, "fallback: no k met the size bar; best silhouette"),
    ):
        pool = pool.dropna(subset=["silhouette"])
        if not pool.empty:
            best = pool.sort_values(["silhouette", "k"], ascending=[False, True], kind="mergesort")
            return int(best["k"].iloc[0]), reason
    return int(table["k"].min()), "fallback: no silhouette available; smallest k"


def bounded_silhouette(z: np.ndarray, labels: np.ndarray) -> float:
    """Silhouette with pairwise distances computed in 128 MB chunks (bounded memory)."""
    if len(np.unique(labels)) < 2:
        return float("nan")
    with config_context(working_memory=128), threadpool_limits(limits=1):
        return float(silhouette_score(z, labels))


def _standardised(frame: pd.DataFrame, config: SegmenterConfig) -> np.ndarray:
    matrix = model_matrix(sort_by_id(frame, config), config)
    mean, scale = fit_scaler(matrix)
    return (matrix - mean) / scale
