"""Benchmark of the whole segmentation step on synthetic retail customers.

Usage: .venv/bin/python bench/bench_segmentation.py [n ...]   (default: 100000 1000000)

Each n runs in a fresh subprocess so peak memory is that run's own: peak RSS from
resource.getrusage(RUSAGE_SELF).ru_maxrss (the process high-water mark, so it includes the Python
interpreter and the generated data). Steps: k selection over k = 2..10 (fits on a seeded sample
of `selection_sample_size` rows, silhouette on `silhouette_sample_size`, 10 bootstrap fits per k),
final fit on all rows, assignment of all rows; feature profiles are timed as an extra (segment
sizes and cross-tabs are SQL).
The synthetic population mixes four overlapping log-normal RFM groups (not separable, like real
customers).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd

from customer_intelligence.segmentation import (
    SegmenterConfig,
    apply_segmenter,
    feature_profiles,
    run_k_selection,
    train_segmenter,
)

CONFIG = {
    "population": "retail_customers",
    "id_column": "customer_id",
    "features": ["recency_days", "frequency", "monetary"],
    "log_features": ["recency_days", "frequency", "monetary"],
    "value_column": "monetary",
    "naming_scheme": "retail_rfm",
    "recency_feature": "recency_days",
    "value_features": ["frequency", "monetary"],
    "profile_features": ["recency_days", "frequency", "monetary", "avg_order_value"],
    "k_min": 2,
    "k_max": 10,
    "choose_k_min": 3,
}
# (share, log-recency mean, log-frequency mean, log-monetary mean)
GROUPS = [
    (0.15, 2.3, 2.4, 8.6),
    (0.30, 3.6, 1.2, 7.0),
    (0.35, 5.0, 0.3, 5.8),
    (0.20, 4.0, 0.2, 5.0),
]


def synthetic_customers(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    group = rng.choice(len(GROUPS), size=n, p=[g[0] for g in GROUPS])
    centre = np.array([g[1:] for g in GROUPS])[group]
    logs = centre + rng.normal(0.0, [0.7, 0.5, 0.8], size=(n, 3))
    frequency = np.maximum(1, np.exp(logs[:, 1]).round()).astype(np.int32)
    monetary = np.exp(logs[:, 2])
    return pd.DataFrame(
        {
            "customer_id": np.char.add("C", np.arange(n).astype("U9")),
            "recency_days": np.clip(np.exp(logs[:, 0]).round(), 1, 400).astype(np.int32),
            "frequency": frequency,
            "monetary": monetary,
            "avg_order_value": monetary / frequency,
            "rfm_segment": np.where(group == 0, "Champions", "Others"),
        }
    )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_one(n: int) -> None:
    config = SegmenterConfig.from_mapping(CONFIG)
    rows = []

    def timed(step, fn):
        start = time.perf_counter()
        result = fn()
        rows.append((n, step, time.perf_counter() - start, peak_mb()))
        return result

    frame = timed("generate data", lambda: synthetic_customers(n))
    selection = timed("k selection 2..10", lambda: run_k_selection(frame, config))
    registry = timed("final fit", lambda: train_segmenter(frame, config, selection))
    assigned = timed("assignment", lambda: apply_segmenter(frame, config, registry))
    segment_total = sum(r[2] for r in rows[1:])
    rows.append((n, "= segmentation step", segment_total, peak_mb()))
    timed("extra: feature profiles", lambda: feature_profiles(frame, assigned, config))
    chosen = selection.loc[selection["is_chosen"]].iloc[0]
    for n_, step, seconds, mb in rows:
        print(f"{n_:>9,} | {step:<24} | {seconds:8.1f} | {mb:8.0f}")
    print(
        f"{n:>9,} | chosen k = {int(chosen['k'])}, silhouette {chosen['silhouette']:.3f}, "
        f"smallest share {chosen['smallest_cluster_share']:.3f}, "
        f"stability {chosen['stability_ari']:.3f}"
    )


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:
        run_one(int(argv[1]))
        return
    sizes = [int(a) for a in argv] or [100_000, 1_000_000]
    print(f"{'n':>9} | {'step':<24} | {'seconds':>8} | {'peak MB':>8}")
    print("-" * 60)
    for n in sizes:
        subprocess.run([sys.executable, __file__, "--one", str(n)], check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
