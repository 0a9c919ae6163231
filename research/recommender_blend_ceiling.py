"""How far can the hybrid's signals go on a test window? A diagnostic, never used in evaluation.

For one evaluation cutoff and task, rebuilds the hybrid the way the evaluation does (component
parameters, blend regularisation and windows read from `marts.rpt_recommender_evaluation`, the
evaluation's customer cap from the recommender's latest `marts.fct_model_registry` row, weights
learnt on the validation window, components refitted on all of training), then scores the test
window with two sets of blend weights:

- the validation weights: what the evaluation reports (the figure should match that table's);
- weights fitted on the test window itself: an upper bound for any linear re-weighting of the
  same candidates and signals. Fitting on the test is cheating, which is the point: if even this
  ceiling falls short of a target lift over the best baseline, no honest tuning of the blend can
  reach it, and the missing lift has to come from new signals or candidates.

    .venv/bin/python research/recommender_blend_ceiling.py [--warehouse PATH] [--cutoff-days N]
        [--task all]
"""

from __future__ import annotations

import argparse
import json
import os

import duckdb
import pandas as pd

from customer_intelligence.recommender.candidates import candidate_features_blocked, cell_values
from customer_intelligence.recommender.data import build_interactions, read_lines
from customer_intelligence.recommender.hybrid import Hybrid, blend_scores, fit_blend
from customer_intelligence.recommender.metrics import evaluate_lists
from customer_intelligence.recommender.ranking import top_k_pairs
from customer_intelligence.recommender.split import relevance, sample_users, temporal_split


def ndcg_of_blend(weights, pairs, rel, n_items: int, k: int) -> float:
    pair_row, pair_item, features = pairs
    items, _ = top_k_pairs(pair_row, pair_item, blend_scores(weights, features), rel.n_users, k)
    return evaluate_lists(items, rel.relevant, rel.n_unseen, n_items)["ndcg"]


def ceiling(
    lines,
    cutoff,
    params: dict,
    task: str,
    windows: tuple[int, int],
    k: int,
    max_users: int | None,
) -> dict:
    """The hybrid's NDCG@k on the test window with both sets of weights.

    `windows`: (validation days, test days); `max_users`: customers scored per window (a
    fixed-seed sample above it, as in the evaluation; None = all).
    """
    exclude = task == "explore"
    validation_days, window_days = windows
    train_lines, test_lines = temporal_split(lines, cutoff, window_days)
    val_cutoff = cutoff - pd.Timedelta(days=validation_days)
    fit_lines, val_lines = temporal_split(train_lines, val_cutoff, validation_days)
    out = {}
    weights = None
    for name, store_lines, reference, window in (
        ("validation", fit_lines, val_cutoff, val_lines),
        ("test", train_lines, cutoff, test_lines),
    ):
        inter = build_interactions(store_lines, reference)
        rel = sample_users(relevance(inter, window, task), max_users)
        hybrid = Hybrid(params["component_params"], params["n_candidates"], params["l2_c"])
        hybrid.fit(inter)
        pairs = candidate_features_blocked(
            hybrid.components, rel.rows, params["n_candidates"], exclude
        )
        labels = cell_values(rel.relevant, pairs[0], pairs[1]) > 0
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
    parser.add_argument("--cutoff-days", type=int, help="default: the evaluation's nearest cutoff")
    parser.add_argument("--task", default="all", choices=("all", "explore"))
    args = parser.parse_args()
    with duckdb.connect(args.warehouse, read_only=True) as con:
        lines = read_lines(con.table("marts.fct_order_lines"))
        table = con.sql(
            "select cutoff_days_before, cutoff_date, validation_start_date, test_end_date,"
            " recommendation_method, is_baseline, metric_value, k, parameters_json"
            " from marts.rpt_recommender_evaluation where metric = 'ndcg' and task = $task",
            params={"task": args.task},
        ).df()
        registry = con.sql(
            "select parameters_json from marts.fct_model_registry"
            " where model_name = 'product_recommender' order by trained_at desc limit 1"
        ).df()
    days = table["cutoff_days_before"].min() if args.cutoff_days is None else args.cutoff_days
    table = table.loc[table["cutoff_days_before"] == days]
    row = table.loc[table["recommendation_method"] == "hybrid"]
    if row.empty or registry.empty:
        raise SystemExit(
            f"no hybrid row for cutoff_days_before={days} in the evaluation table, or "
            "no recommender in the registry; build it first with that cutoff (see README, "
            "Recommender evaluation)."
        )
    row = row.iloc[0]
    cutoff = pd.Timestamp(row["cutoff_date"])
    windows = (
        (cutoff - pd.Timestamp(row["validation_start_date"])).days,
        (pd.Timestamp(row["test_end_date"]) - cutoff).days,
    )
    max_users = json.loads(registry["parameters_json"].iloc[0])["max_evaluation_users"]
    params = json.loads(row["parameters_json"])
    best = table.loc[table["is_baseline"]].sort_values("metric_value").iloc[-1]
    figures = {
        f"best baseline ({best['recommendation_method']}), evaluation table": best["metric_value"],
        "hybrid, evaluation table": row["metric_value"],
        **ceiling(lines, cutoff, params, args.task, windows, int(row["k"]), max_users),
    }
    frame = pd.DataFrame({"ndcg": figures})
    frame["lift_over_best_baseline"] = frame["ndcg"] / best["metric_value"] - 1
    print(f"cutoff {cutoff.date()}, task {args.task}")
    print(frame.round(4).to_string())


if __name__ == "__main__":
    main()
