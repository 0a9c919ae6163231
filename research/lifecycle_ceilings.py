"""How far the lifecycle models can get on a warehouse's orders: ablations and reference points.

For each evaluation cutoff of the build's settings (as_of_date from the warehouse), prints:

1. Churn ROC-AUC and Brier of both churn methods under other training-window layouts and
   XGBoost settings, beside the best baseline's, so the margin over the baselines can be read
   against what the settings buy.
2. Purchases in the horizon: mean absolute error of BG/NBD, of the naive past rate, of a
   Poisson gradient-boosted model on the churn features (trained on the same windows: a
   flexible model of the conditional mean), and of predicting 0 for everyone. MAE rewards the
   median, not the mean: when "0 for everyone" is close to the best, the MAE bar measures how
   skewed the counts are more than how good an expectation is.

    python research/lifecycle_ceilings.py warehouse/customer_intelligence.duckdb

Takes a few minutes on the shipped data.
"""

from __future__ import annotations

import dataclasses
import sys
import time

import duckdb
import numpy as np
import pandas as pd
import xgboost as xgb

from customer_intelligence.lifecycle import LifecycleConfig, purchase_days
from customer_intelligence.lifecycle.baselines import (
    CHURN_BASELINES,
    ChurnBaselines,
    naive_purchases,
)
from customer_intelligence.lifecycle.churn import fit_churn, usable_features
from customer_intelligence.lifecycle.evaluation import evaluation_cutoffs
from customer_intelligence.lifecycle.metrics import churn_metrics
from customer_intelligence.lifecycle.windows import Snapshots

VARIANTS: dict[str, dict] = {
    "default (6 windows, 20-day step)": {},
    "4 windows, 30-day step": {"training_windows": 4, "window_step_days": 30},
    "8 windows, 15-day step, 45 days history": {
        "training_windows": 8,
        "window_step_days": 15,
        "min_history_days": 45,
    },
    "xgboost 600 trees, depth 2, eta 0.02": {
        "xgb_trees": 600,
        "xgb_max_depth": 2,
        "xgb_learning_rate": 0.02,
    },
    "sigmoid calibration": {"calibration_method": "sigmoid"},
}


def _read(path: str):
    con = duckdb.connect(path, read_only=True)
    orders = con.execute(
        "select customer_id, invoice_date, net_amount, gross_amount, cancelled_amount, "
        "distinct_products from marts.fct_orders"
    ).df()
    firsts = con.execute("select * from intermediate.int_customer_products_aggregated").df()
    segment_map = con.execute("select * from reference.rfm_segment_map").df()
    as_of = con.execute("select as_of_date from intermediate.int_as_of_dates_resolved").fetchall()
    con.close()
    return purchase_days(orders), firsts, segment_map, as_of[0][0]


def churn_ablation(days, firsts, segment_map, as_of) -> None:
    print("churn: ROC-AUC / Brier per cutoff (best baseline first)")
    for name, overrides in VARIANTS.items():
        config = dataclasses.replace(LifecycleConfig(), **overrides)
        snapshots = Snapshots(days, firsts, config)
        started = time.perf_counter()
        cells = []
        for cutoff in evaluation_cutoffs(as_of, config):
            training, test = snapshots.training_frame(cutoff), snapshots.labelled(cutoff)
            _, trained = fit_churn(training, config)
            baselines = ChurnBaselines(training, segment_map)
            base = max(
                churn_metrics(baselines.predict(b, test), test["churned"])["roc_auc"]
                for b in CHURN_BASELINES
            )
            scores = {
                m: churn_metrics(t.model.predict(test), test["churned"]) for m, t in trained.items()
            }
            cells.append(
                f"{cutoff.date()} base {base:.4f} "
                + " ".join(
                    f"{m[:3]} {s['roc_auc']:.4f}/{s['brier']:.4f}" for m, s in scores.items()
                )
            )
        print(f"  {name} ({time.perf_counter() - started:.0f} s)")
        for cell in cells:
            print(f"    {cell}")


def purchases_reference(days, firsts, as_of) -> None:
    config = LifecycleConfig()
    snapshots = Snapshots(days, firsts, config)
    print("purchases in the horizon: MAE (mean predicted / mean actual)")
    for cutoff in evaluation_cutoffs(as_of, config):
        training, test = snapshots.training_frame(cutoff), snapshots.labelled(cutoff)
        names = list(usable_features(training))
        booster = xgb.train(
            {"objective": "count:poisson", "max_depth": 3, "eta": 0.03, "seed": 42, "nthread": 1},
            xgb.DMatrix(training[names].to_numpy(float), label=training["future_purchases"]),
            300,
        )
        actual = test["future_purchases"].to_numpy(float)
        predictions = {
            "bgnbd": test["expected_purchases_horizon"].to_numpy(float),
            "naive_rate": naive_purchases(test, config.horizon_days),
            "poisson_gbm": booster.predict(xgb.DMatrix(test[names].to_numpy(float))),
            "zero": np.zeros(len(test)),
        }
        print(
            f"  {cutoff.date()} "
            + " ".join(
                f"{k} {np.abs(v - actual).mean():.3f} ({v.mean():.2f}/{actual.mean():.2f})"
                for k, v in predictions.items()
            )
        )


def main() -> None:
    days, firsts, segment_map, as_of = _read(sys.argv[1])
    pd.set_option("display.width", 200)
    purchases_reference(days, firsts, as_of)
    churn_ablation(days, firsts, segment_map, as_of)


if __name__ == "__main__":
    main()
