"""Selection-inclusive (nested) CV estimate of the channel classifier on the shipped accounts.

The metrics table reports the selected candidate's own CV figures; this prints what picking the
candidate by inner CV and then fitting it scores on the same outer folds (uncalibrated, at 0.5),
so the optimism of picking the best of four noisy estimates is visible. Takes about a minute.

    python research/channel_nested_cv.py
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
from threadpoolctl import threadpool_limits

from customer_intelligence.channel import ChannelConfig, from_uci_frame
from customer_intelligence.channel.evaluation import nested_selection_cv
from customer_intelligence.channel.features import feature_matrix, labels

DATA = Path(__file__).resolve().parents[1] / "data" / "wholesale_customers.csv"


def main() -> None:
    accounts = from_uci_frame(pd.read_csv(DATA))
    config = ChannelConfig()
    # The rows training uses: labelled accounts in account_id order.
    labelled = accounts.loc[labels(accounts) >= 0].sort_values("account_id", kind="stable")
    x, y = feature_matrix(labelled, config.use_region), labels(labelled)
    started = time.perf_counter()
    with threadpool_limits(1):
        folds = nested_selection_cv(x, y, config)
    seconds = time.perf_counter() - started
    summary = folds[["accuracy", "balanced_accuracy", "roc_auc", "brier"]].agg(["mean", "std"])
    print(f"nested CV: {len(folds)} outer folds, selection by {config.selection_metric}")
    print(summary.round(4).to_string())
    print("picks per outer fold:", folds["selected_candidate"].value_counts().to_dict())
    print(f"{seconds:.1f} s")


if __name__ == "__main__":
    main()
