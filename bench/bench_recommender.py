"""Benchmark of the production recommender on a synthetic purchase log.

Default: 10M order lines, 1M customers, 50k products, Zipf item popularity, customers who
re-buy a personal set of favourites. Measures the chosen production method (the hybrid):
fitting its signals on the part of history before the validation window, learning its blend
weights on the validation window, refitting on the full history, and scoring top-n for every
customer (both lists would double the last step; one list is timed).
Prints one row per step: wall seconds and the process's peak resident memory (MB, from
resource.getrusage ru_maxrss, i.e. the high-water mark so far). The catalogue is above
`LARGE_CATALOGUE` (similarity.py), so the scalable paths are the ones measured.

Usage: .venv/bin/python bench/bench_recommender.py [--lines 10000000] [--customers 1000000]
       [--products 50000] [--block 8192] [--full-tune]

--full-tune times what `dbt build` runs instead: every method tuned over its whole grid on the
validation window (at most `max_evaluation_users` validation customers), the winners refitted on
the full history, and both lists scored for every customer. Both modes take the recommender's
settings from the `recommender_<setting>` vars of dbt_project.yml, as `dbt build` does.
"""

from __future__ import annotations

import argparse
import resource
import time
from dataclasses import fields
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from customer_intelligence.recommender.config import RecommenderConfig

PROJECT = Path(__file__).resolve().parents[1]


def project_settings() -> RecommenderConfig:
    """The settings `dbt build` uses: the `recommender_<setting>` vars of dbt_project.yml."""
    variables = yaml.safe_load((PROJECT / "dbt_project.yml").read_text())["vars"]
    names = [f.name for f in fields(RecommenderConfig)]
    return RecommenderConfig.from_mapping(
        {n: variables[f"recommender_{n}"] for n in names if f"recommender_{n}" in variables}
    )


def peak_mb() -> float:
    """Peak resident memory of this process so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def synthetic_lines(n_lines: int, n_customers: int, n_products: int, seed: int = 0):
    """Zipf products; 60% of each customer's lines re-buy one of 5 personal favourites."""
    rng = np.random.default_rng(seed)
    activity = rng.zipf(1.8, n_customers).astype(np.float64)
    activity = np.minimum(activity, 500)
    customer = rng.choice(n_customers, n_lines, p=activity / activity.sum())
    ranks = np.arange(1, n_products + 1, dtype=np.float64)
    item_p = ranks**-1.05
    item_p /= item_p.sum()
    random_item = rng.choice(n_products, n_lines, p=item_p)
    favourites = rng.choice(n_products, (n_customers, 5), p=item_p)
    fav_item = favourites[customer, rng.integers(0, 5, n_lines)]
    product = np.where(rng.random(n_lines) < 0.6, fav_item, random_item)
    day = rng.integers(0, 365, n_lines)
    start = np.datetime64("2011-01-01")
    colours = ("RED", "BLUE", "GREEN", "IVORY")
    descriptions = np.array(
        [f"{colours[i % 4]} ITEM {i % 997} SET" for i in range(n_products)], dtype=object
    )
    return pd.DataFrame(
        {
            "customer_id": pd.Categorical.from_codes(
                customer, [f"C{i:07d}" for i in range(n_customers)]
            ).astype(str),
            "product_id": pd.Categorical.from_codes(
                product, [f"P{i:05d}" for i in range(n_products)]
            ).astype(str),
            "invoice_date": start + day.astype("timedelta64[D]"),
            "quantity": 1,
            "product_description": descriptions[product],
            "unit_price": (1.0 + product % 50 / 10.0),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--block", type=int, default=8192)
    parser.add_argument("--full-tune", action="store_true")
    args = parser.parse_args()
    settings = project_settings()
    print(f"{'step':<44} {'seconds':>9} {'peak_MB':>10}")
    if args.full_tune:
        full_tune(args, settings)
    else:
        hybrid_only(args, settings)


def step(name: str, started: float) -> None:
    """Print one step's row: wall seconds since `started` and the peak memory so far."""
    print(f"{name:<44} {time.perf_counter() - started:>9.1f} {peak_mb():>10.0f}", flush=True)


# The hybrid's component parameters timed by default (a typical tuned configuration).
HYBRID_PARAMS = {
    "item_knn": {"neighbours": 20},
    "ease": {"l2": 300.0},
    "content": {"neighbours": 20},
    "als": {"factors": 64, "alpha": 5.0, "iterations": 10},
}


def hybrid_only(args, settings: RecommenderConfig) -> None:
    """The chosen production method: the hybrid's validation fit, its final fit and one list."""
    from customer_intelligence.recommender.data import build_interactions
    from customer_intelligence.recommender.hybrid import Hybrid
    from customer_intelligence.recommender.split import relevance, temporal_split

    t = time.perf_counter()
    lines = synthetic_lines(args.lines, args.customers, args.products)
    step("generate synthetic log (not counted)", t)
    as_of = pd.Timestamp("2012-01-01")
    val_cutoff = as_of - pd.Timedelta(days=settings.validation_days)
    total = t = time.perf_counter()
    fit_lines, val_lines = temporal_split(lines, val_cutoff, settings.validation_days)
    fit_inter = build_interactions(fit_lines, val_cutoff)
    rel = relevance(fit_inter, val_lines, "all")
    step("validation: interactions + relevant sets", t)
    t = time.perf_counter()
    hybrid = Hybrid(HYBRID_PARAMS).fit(fit_inter)
    step("validation: fit signals (kNN, EASE head, ALS, content)", t)
    t = time.perf_counter()
    hybrid.learn_weights(rel, exclude_seen=False, max_users=settings.max_users)
    learnt_on = min(rel.n_users, settings.max_users or rel.n_users)
    step(f"validation: learn blend weights ({learnt_on:,} customers)", t)
    del fit_inter, rel, hybrid.components
    t = time.perf_counter()
    inter = build_interactions(lines, as_of)
    final = Hybrid(HYBRID_PARAMS, weights=hybrid.weights).fit(inter)
    step("final: interactions + fit signals", t)
    t = time.perf_counter()
    rows, n, chunk = np.arange(inter.n_users), settings.top_n, args.block * 8
    n_scored = 0
    for start in range(0, len(rows), chunk):
        items, _ = final.recommend(rows[start : start + chunk], n, block_size=args.block)
        n_scored += len(items)
    step(f"score top-{n} for {n_scored:,} customers", t)
    step("TOTAL (training incl. validation + scoring)", total)
    als_head = final.components.als_head
    print(
        f"catalogue {inter.n_items:,} products; EASE head {len(final.components.ease.head):,}; "
        f"ALS candidate items {inter.n_items if als_head is None else len(als_head):,}"
    )


def full_tune(args, settings: RecommenderConfig) -> None:
    """The production path of the dbt models: select_production, then score_customers."""
    import logging

    from customer_intelligence.recommender.production import select_production
    from customer_intelligence.recommender.scoring import score_customers

    logging.basicConfig(level=logging.INFO, format="  %(message)s")

    lines = synthetic_lines(args.lines, args.customers, args.products)
    as_of = pd.Timestamp("2012-01-01")
    total = time.perf_counter()
    spec = select_production(lines, as_of, settings)
    step("tune every method (validation window)", total)
    winners = {name: entry["method"] for name, entry in spec["lists"].items()}
    print(f"winners: {winners}", flush=True)
    t = time.perf_counter()
    scored = score_customers(lines, spec, n=settings.top_n)
    step(f"refit winners + score {len(scored):,} list rows", t)
    step("TOTAL", total)


if __name__ == "__main__":
    main()
