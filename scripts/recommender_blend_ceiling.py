"""How far can the hybrid's signals go on a test window? A diagnostic, never used in evaluation.

For one evaluation cutoff and task, rebuilds the hybrid the way the evaluation does (component
parameters and blend regularisation read from `marts.fct_recommender_evaluation`, weights learnt
on the validation window, components refitted on all of training), then scores the test window
with two sets of blend weights:

- the validation weights: what the evaluation reports (the figure should match that table's);
- weights fitted on the test window itself: an upper bound for any linear re-weighting of the
  same candidates and signals. Fitting on the test is cheating, which is the point: if even this
  ceiling falls short of a target lift over the best baseline, no honest tuning of the blend can
  reach it, and the missing lift has to come from new signals or candidates.

    .venv/bin/python scripts/recommender_blend_ceiling.py [--warehouse PATH] [--cutoff-days 91]
        [--task all]
"""

from __future__ import annotations

import argparse
import json
import os

import duckdb
import pandas as pd

from customer_intelligence.recommender.data import build_interactions, read_lines
from customer_intelligence.recommender.hybrid import (
    Hybrid,
    blend_scores,
    candidate_features_blocked,
    fit_blend,
)
from customer_intelligence.recommender.hybrid import _lookup as lookup
from customer_intelligence.recommender.methods import top_k_pairs
from customer_intelligence.recommender.metrics import evaluate_lists
from customer_intelligence.recommender.split import relevance, sample_users, temporal_split
from customer_intelligence.recommender.tuning import MAX_EVALUATION_USERS


def ndcg_of_blend(weights, pairs, rel, n_items: int, k: int) -> float:
    pair_row, pair_item, features = pairs
    items, _ = top_k_pairs(pair_row, pair_item, blend_scores(weights, features), rel.n_users, k)
    return evaluate_lists(items, rel.relevant, rel.n_unseen, n_items)["ndcg"]


def ceiling(lines, cutoff, params: dict, task: str, days: int = 91, k: int = 10) -> dict:
    """The hybrid's NDCG@k on the test window with both sets of weights."""
    exclude = task == "explore"
    train_lines, test_lines = temporal_split(lines, cutoff, days)
    val_cutoff = cutoff - pd.Timedelta(days=days)
    fit_lines, val_lines = temporal_split(train_lines, val_cutoff, days)
    out = {}
    weights = None
    for name, store_lines, reference, window in (
        ("validation", fit_lines, val_cutoff, val_lines),
        ("test", train_lines, cutoff, test_lines),
    ):
        inter = build_interactions(store_lines, reference)
        rel = sample_users(relevance(inter, window, task), MAX_EVALUATION_USERS)
        hybrid = Hybrid(params["component_params"], params["n_candidates"], params["l2_c"])
        hybrid.fit(inter)
        pairs = candidate_features_blocked(
            hybrid.components, rel.rows, params["n_candidates"], exclude
        )
        labels = lookup(rel.relevant, pairs[0], pairs[1]) > 0
        if name == "validation":
            weights = fit_blend(pairs[2], labels, params["l2_c"])
            continue
        out["hybrid, validation weights"] = ndcg_of_blend(weights, pairs, rel, inter.n_items, k)
        on_test = fit_blend(pairs[2], labels, params["l2_c"])
        out["hybrid, weights fitted on the test (ceiling)"] = ndcg_of_blend(
            on_test, pairs, rel, inter.n_items, k
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    default = os.environ.get("WAREHOUSE_PATH", "warehouse/customer_intelligence.duckdb")
    parser.add_argument("--warehouse", default=default)
    parser.add_argument("--cutoff-days", type=int, default=91)
    parser.add_argument("--task", default="all", choices=("all", "explore"))
    args = parser.parse_args()
    with duckdb.connect(args.warehouse, read_only=True) as con:
        lines = read_lines(con.table("marts.fct_order_lines"))
        table = con.sql(
            "select cutoff_date, recommendation_method, is_baseline, metric_value, k,"
            " parameters_json from marts.fct_recommender_evaluation"
            " where metric = 'ndcg' and task = $task and cutoff_days_before = $days",
            params={"task": args.task, "days": args.cutoff_days},
        ).df()
    row = table.loc[table["recommendation_method"] == "hybrid"]
    if row.empty:
        raise SystemExit(
            f"no hybrid row for cutoff_days_before={args.cutoff_days} in the evaluation table; "
            "build it first with that cutoff (see README, Recommender evaluation)."
        )
    cutoff = pd.Timestamp(row["cutoff_date"].iloc[0])
    params = json.loads(row["parameters_json"].iloc[0])
    best = table.loc[table["is_baseline"]].sort_values("metric_value").iloc[-1]
    figures = {
        f"best baseline ({best['recommendation_method']}), evaluation table": best["metric_value"],
        "hybrid, evaluation table": row["metric_value"].iloc[0],
        **ceiling(lines, cutoff, params, args.task, k=int(row["k"].iloc[0])),
    }
    frame = pd.DataFrame({"ndcg": figures})
    frame["lift_over_best_baseline"] = frame["ndcg"] / best["metric_value"] - 1
    print(f"cutoff {cutoff.date()}, task {args.task}")
    print(frame.round(4).to_string())


if __name__ == "__main__":
    main()
