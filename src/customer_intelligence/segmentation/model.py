"""The fitted segmenter: standardise, KMeans, ordered ids, names, PCA axes and outlier cut-offs.

Everything needed to assign a row is kept in `SegmentModel`, which round-trips through JSON (the
registry artefact), so the apply step never refits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits

from .config import SegmenterConfig
from .features import model_matrix, sort_by_id
from .naming import name_segments

MAD_TO_SIGMA = 1.4826


@dataclass
class SegmentModel:
    """A fitted segmenter. Segment i (1-based) is row i-1 of every per-segment array."""

    features: tuple[str, ...]
    log_features: tuple[str, ...]
    scaler_mean: np.ndarray
    scaler_scale: np.ndarray
    centroids: np.ndarray  # standardised units, shape (k, p)
    archetypes: list[str]
    names: list[str]
    pca_components: np.ndarray  # shape (2, p), applied to standardised features
    pca_explained_variance_ratio: np.ndarray
    distance_median: np.ndarray
    distance_mad: np.ndarray
    outlier_robust_z: float

    @property
    def k(self) -> int:
        return int(self.centroids.shape[0])

    def standardise(self, matrix: np.ndarray) -> np.ndarray:
        return (matrix - self.scaler_mean) / self.scaler_scale

    def nearest(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(0-based segment index, Euclidean distance to that centroid) per row of `z`."""
        labels = np.empty(len(z), dtype=np.int64)
        dist = np.empty(len(z), dtype=float)
        centroid_sq = (self.centroids**2).sum(axis=1)
        for start in range(0, len(z), 200_000):  # chunks bound memory at (chunk x k)
            block = z[start : start + 200_000]
            sq = (block**2).sum(axis=1)[:, None] - 2.0 * block @ self.centroids.T + centroid_sq
            best = np.argmin(sq, axis=1)
            labels[start : start + len(block)] = best
            dist[start : start + len(block)] = np.sqrt(
                np.clip(sq[np.arange(len(block)), best], 0.0, None)
            )
        return labels, dist

    def outlier_score(self, labels: np.ndarray, dist: np.ndarray) -> np.ndarray:
        """Robust z of the distance within its segment: (d - median) / (1.4826 * MAD)."""
        spread = MAD_TO_SIGMA * self.distance_mad[labels]
        return (dist - self.distance_median[labels]) / np.where(spread > 0, spread, 1.0)

    def to_json(self) -> str:
        payload = {
            "format": "customer_intelligence.segmentation/1",
            "features": list(self.features),
            "log_features": list(self.log_features),
            "scaler_mean": self.scaler_mean.tolist(),
            "scaler_scale": self.scaler_scale.tolist(),
            "centroids": self.centroids.tolist(),
            "archetypes": self.archetypes,
            "names": self.names,
            "pca_components": self.pca_components.tolist(),
            "pca_explained_variance_ratio": self.pca_explained_variance_ratio.tolist(),
            "distance_median": self.distance_median.tolist(),
            "distance_mad": self.distance_mad.tolist(),
            "outlier_robust_z": self.outlier_robust_z,
        }
        return json.dumps(payload, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> SegmentModel:
        p = json.loads(text)
        arr = {
            key: np.asarray(p[key], dtype=float)
            for key in (
                "scaler_mean",
                "scaler_scale",
                "centroids",
                "pca_components",
                "pca_explained_variance_ratio",
                "distance_median",
                "distance_mad",
            )
        }
        return cls(
            features=tuple(p["features"]),
            log_features=tuple(p["log_features"]),
            archetypes=list(p["archetypes"]),
            names=list(p["names"]),
            outlier_robust_z=float(p["outlier_robust_z"]),
            **arr,
        )


def fit_scaler(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column means and population standard deviations (1.0 where a column is constant)."""
    mean = matrix.mean(axis=0)
    scale = matrix.std(axis=0)
    return mean, np.where(scale > 0, scale, 1.0)


def fit_kmeans(z: np.ndarray, k: int, n_init: int, random_state: int) -> KMeans:
    """KMeans (Lloyd, k-means++ seeding) with a fixed seed, on one thread.

    One thread on purpose: on a small shared machine scikit-learn's OpenMP threads spin-wait and a
    fit ran 20-100x slower than single-threaded (measured: 5.1 s vs 0.05 s for 4,338 x 3, k = 3).
    """
    with threadpool_limits(limits=1):
        model = KMeans(n_clusters=k, n_init=n_init, random_state=random_state, algorithm="lloyd")
        return model.fit(z)


def order_clusters(raw_labels: np.ndarray, value: np.ndarray, k: int) -> np.ndarray:
    """Permutation `order` such that new segment i is old cluster order[i].

    Sorted by mean `value` (revenue) descending, then by size descending, then by old label, so
    segment 1 is the most valuable and ids do not depend on KMeans' arbitrary label numbering.
    """
    counts = np.bincount(raw_labels, minlength=k).astype(float)
    sums = np.bincount(raw_labels, weights=np.nan_to_num(value), minlength=k)
    means = np.divide(sums, counts, out=np.zeros(k), where=counts > 0)
    return np.array(sorted(range(k), key=lambda c: (-round(means[c], 9), -counts[c], c)))


def pca_axes(z: np.ndarray, orient_by: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Top-2 principal axes of standardised data (eigen-decomposition of the covariance).

    Signs are fixed so each axis loads non-negatively on the sum of the `orient_by` features
    (x grows with value), which keeps the scatter plot from flipping between builds.
    """
    cov = np.cov(z, rowvar=False, bias=True).reshape(z.shape[1], z.shape[1])
    eigval, eigvec = np.linalg.eigh(cov)
    order = np.argsort(eigval)[::-1]
    eigval, eigvec = eigval[order], eigvec[:, order]
    components = np.zeros((2, z.shape[1]))
    n_axes = min(2, z.shape[1])
    components[:n_axes] = eigvec[:, :n_axes].T
    for i in range(n_axes):
        weight = components[i, orient_by].sum() if orient_by else 0.0
        pivot = weight if abs(weight) > 1e-12 else components[i, np.argmax(np.abs(components[i]))]
        if pivot < 0:
            components[i] = -components[i]
    total = eigval.sum()
    ratio = np.zeros(2)
    ratio[:n_axes] = eigval[:n_axes] / total if total > 0 else 0.0
    return components, ratio


def fit_segment_model(frame: pd.DataFrame, config: SegmenterConfig, k: int) -> SegmentModel:
    """Fit the final segmenter with `k` segments.

    Input grain: one row per `config.id_column` with `config.features` and `config.value_column`.
    Output: a `SegmentModel` (no per-row output; use `assign`).
    """
    frame = sort_by_id(frame, config)
    matrix = model_matrix(frame, config)
    mean, scale = fit_scaler(matrix)
    z = (matrix - mean) / scale
    kmeans = fit_kmeans(z, k, config.n_init, config.random_state)
    value = pd.to_numeric(frame[config.value_column], errors="coerce").to_numpy(float, na_value=0)
    order = order_clusters(kmeans.labels_, value, k)
    centroids = kmeans.cluster_centers_[order]
    archetypes, names = name_segments(centroids, config)
    orient = [config.features.index(f) for f in config.value_features]
    components, ratio = pca_axes(z, orient)
    model = SegmentModel(
        features=config.features,
        log_features=config.log_features,
        scaler_mean=mean,
        scaler_scale=scale,
        centroids=centroids,
        archetypes=archetypes,
        names=names,
        pca_components=components,
        pca_explained_variance_ratio=ratio,
        distance_median=np.zeros(k),
        distance_mad=np.zeros(k),
        outlier_robust_z=config.outlier_robust_z,
    )
    labels, dist = model.nearest(z)
    for segment in range(k):
        d = dist[labels == segment]
        if len(d):
            model.distance_median[segment] = np.median(d)
            model.distance_mad[segment] = np.median(np.abs(d - np.median(d)))
    return model


def assign(frame: pd.DataFrame, config: SegmenterConfig, model: SegmentModel) -> pd.DataFrame:
    """Assign every row to a segment.

    Input grain: one row per `config.id_column`. Output grain: the same, sorted by id, with
    segment_id (1..k, 1 = highest mean value), segment_name, segment_archetype,
    distance_to_centroid (standardised units), pca_x, pca_y, outlier_score and is_segment_outlier
    (robust z of the distance within its segment above `outlier_robust_z`).
    """
    if tuple(config.features) != tuple(model.features):
        raise ValueError("config features differ from the model's features")
    frame = sort_by_id(frame, config)
    z = model.standardise(model_matrix(frame, config))
    labels, dist = model.nearest(z)
    projection = z @ model.pca_components.T
    score = model.outlier_score(labels, dist)
    names = np.asarray(model.names, dtype=object)
    archetypes = np.asarray(model.archetypes, dtype=object)
    return pd.DataFrame(
        {
            config.id_column: frame[config.id_column].to_numpy(),
            "segment_id": (labels + 1).astype("int64"),
            "segment_name": names[labels].astype(str),
            "segment_archetype": archetypes[labels].astype(str),
            "distance_to_centroid": dist,
            "pca_x": projection[:, 0],
            "pca_y": projection[:, 1],
            "outlier_score": score,
            "is_segment_outlier": score > model.outlier_robust_z,
        }
    )
