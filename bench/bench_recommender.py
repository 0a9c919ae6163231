"""Benchmark of the production recommender on a synthetic purchase log.

Default: 10M order lines, 1M customers, 50k products, Zipf item popularity, customers who
re-buy a personal set of favourites. Measures the chosen production method (the hybrid):
fitting its signals on the part of history before the validation window, learning its blend
weights on the validation window, refitting on the full history, and scoring top-10 for every
customer (both lists would double the last step; one list is timed, as the issue asks).
Prints one row per step: wall seconds and the process's peak resident memory (MB, from
resource.getrusage ru_maxrss, i.e. the high-water mark so far). The catalogue is above
`LARGE_CATALOGUE` (methods.py), so the scalable paths are the ones measured.

Usage: .venv/bin/python bench/bench_recommender.py [--lines 10000000] [--customers 1000000]
       [--products 50000] [--block 8192] [--full-tune]

--full-tune times what `dbt build` runs instead: every method tuned over its whole grid on the
validation window (at most 20,000 validation customers, see `MAX_EVALUATION_USERS`), the winners
refitted on the full history, and both lists scored for every customer.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pandas as pd


def peak_mb() -> float:
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
    if args.full_tune:
        full_tune(args)
        return
    from customer_intelligence.recommender.data import build_interactions
    from customer_intelligence.recommender.hybrid import Hybrid
    from customer_intelligence.recommender.split import relevance, temporal_split

    steps = []

    def step(name, t0):
        steps.append((name, time.perf_counter() - t0, peak_mb()))
        print(f"{name:<44} {steps[-1][1]:>9.1f} {steps[-1][2]:>10.0f}", flush=True)

    print(f"{'step':<44} {'seconds':>9} {'peak_MB':>10}")
    t = time.perf_counter()
    lines = synthetic_lines(args.lines, args.customers, args.products)
    step("generate synthetic log (not counted)", t)
    as_of = pd.Timestamp("2012-01-01")
    val_cutoff = as_of - pd.Timedelta(days=91)
    total = time.perf_counter()
    t = time.perf_counter()
    fit_lines, val_lines = temporal_split(lines, val_cutoff, 91)
    fit_inter = build_interactions(fit_lines, val_cutoff)
    rel = relevance(fit_inter, val_lines, "all")
    step("validation: interactions + relevant sets", t)
    params = {
        "item_knn": {"neighbours": 20},
        "ease": {"l2": 300.0},
        "content": {"neighbours": 20},
        "als": {"factors": 64, "alpha": 5.0, "iterations": 10},
    }
    t = time.perf_counter()
    hybrid = Hybrid(params).fit(fit_inter)
    step("validation: fit signals (kNN, EASE head, ALS, content)", t)
    t = time.perf_counter()
    hybrid.learn_weights(rel, exclude_seen=False)
    step("validation: learn blend weights (20k customers)", t)
    del fit_inter, rel, hybrid.components
    t = time.perf_counter()
    inter = build_interactions(lines, as_of)
    final = Hybrid(params, weights=hybrid.weights).fit(inter)
    step("final: interactions + fit signals", t)
    t = time.perf_counter()
    rows = np.arange(inter.n_users)
    n_scored = 0
    for start in range(0, len(rows), args.block * 8):
        items, _ = final.recommend(rows[start : start + args.block * 8], 10, block_size=args.block)
        n_scored += len(items)
    step(f"score top-10 for {n_scored:,} customers", t)
    print(
        f"{'TOTAL (training incl. validation + scoring)':<44} "
        f"{time.perf_counter() - total:>9.1f} {peak_mb():>10.0f}"
    )
    als_head = final.components.als_head
    print(
        f"catalogue {inter.n_items:,} products; EASE head {len(final.components.ease.head):,}; "
        f"ALS candidate items {inter.n_items if als_head is None else len(als_head):,}"
    )


def full_tune(args) -> None:
    """The production path of the dbt models: select_production, then score_customers."""
    import logging

    from customer_intelligence.recommender.production import score_customers, select_production

    logging.basicConfig(level=logging.INFO, format="  %(message)s")

    print(f"{'step':<44} {'seconds':>9} {'peak_MB':>10}")
    lines = synthetic_lines(args.lines, args.customers, args.products)
    as_of = pd.Timestamp("2012-01-01")
    total = time.perf_counter()
    spec = select_production(lines, as_of)
    tuned = time.perf_counter() - total
    print(f"{'tune every method (validation window)':<44} {tuned:>9.1f} {peak_mb():>10.0f}")
    winners = {name: entry["method"] for name, entry in spec["lists"].items()}
    print(f"winners: {winners}", flush=True)
    t = time.perf_counter()
    scored = score_customers(lines, spec, n=10)
    print(
        f"{f'refit winners + score {len(scored):,} list rows':<44} "
        f"{time.perf_counter() - t:>9.1f} {peak_mb():>10.0f}"
    )
    print(f"{'TOTAL':<44} {time.perf_counter() - total:>9.1f} {peak_mb():>10.0f}")


if __name__ == "__main__":
    main()
