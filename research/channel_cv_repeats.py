"""How many repeats of the channel classifier's outer CV the build needs.

Trains the classifier on the shipped accounts with 1, 2, 3, 5 and 10 repeats of the stratified
5-fold CV, under three seeds each, and prints per run: the selected candidate, its CV Brier
score and ROC-AUC (mean and std over folds), the decision threshold and the seconds it took.
If the selection and the reported figures barely move beyond a few repeats, the build's default
can stop there. Takes a few minutes.

    python research/channel_cv_repeats.py
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pandas as pd

from customer_intelligence.channel import ChannelConfig, from_uci_frame, train_channel_model

DATA = Path(__file__).resolve().parents[1] / "data" / "wholesale_customers.csv"
REPEATS = (1, 2, 3, 5, 10)
SEEDS = (42, 7, 2024)


def main() -> None:
    accounts = from_uci_frame(pd.read_csv(DATA))
    print(
        f"{'repeats':>7} {'seed':>5} {'selected':<10} {'brier':>14} {'roc_auc':>14} "
        f"{'threshold':>9} {'seconds':>7}"
    )
    for repeats in REPEATS:
        for seed in SEEDS:
            config = dataclasses.replace(ChannelConfig(), cv_repeats=repeats, seed=seed, n_jobs=1)
            started = time.perf_counter()
            result = train_channel_model(accounts, config)
            seconds = time.perf_counter() - started
            metrics = result.metrics
            chosen = metrics[metrics["is_selected"] & (metrics["model_stage"] == "uncalibrated")]
            figures = chosen.set_index("metric")[["metric_mean", "metric_std"]]
            brier, auc = figures.loc["brier"], figures.loc["roc_auc"]
            print(
                f"{repeats:>7} {seed:>5} {result.selected_candidate:<10} "
                f"{brier.metric_mean:.4f}±{brier.metric_std:.4f} "
                f"{auc.metric_mean:.4f}±{auc.metric_std:.4f} "
                f"{result.model.threshold:>9.3f} {seconds:>7.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
