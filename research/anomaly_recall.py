"""Recall and precision of the order anomaly flags on injected anomalies, the ablation, timing.

    python research/anomaly_recall.py WAREHOUSE.duckdb [--big LOG.parquet]

Reads marts.fct_order_lines (read-only). The scoring design was chosen on injection seeds 0-2;
the figures printed here are on the held-out seeds 10-14 (AnomalyConfig's evaluation seeds).
Prints: the recall/precision table per kind; the choice of the tail threshold on the design
seeds; the ablation (tail vs rank calibration, isolation forest and burst count in the score or
not, max vs sum); for each kind how many natural orders are at least as extreme as the median
injected one in the kind's own feature, and how many natural orders score at least the median
injected order's anomaly score in any component; and timing. With --big, also times
score_orders + evaluate on a large raw log (columns of the UCI file: InvoiceNo, StockCode,
Quantity, InvoiceDate, UnitPrice, CustomerID) in a child process and prints its peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace

import duckdb
import numpy as np
import pandas as pd

from customer_intelligence.anomalies import AnomalyConfig, evaluate, score_orders, summary
from customer_intelligence.anomalies.features import LINE_COLUMNS, prepare_lines
from customer_intelligence.anomalies.injection import KINDS, inject
from customer_intelligence.anomalies.scoring import score_prepared

OWN_FEATURE = {
    "price": "price_z",
    "quantity": "quantity_z",
    "cancellation": "cancelled_ratio",
    "repeat": "repeat_orders",
}
DEFAULT = AnomalyConfig().score_components
VARIANTS = {
    "default (tail calibration, max, no forest, no burst)": {},
    "rank calibration": {"calibration": "rank"},
    "rank calibration + isolation forest": {
        "calibration": "rank",
        "score_components": DEFAULT + ",isolation_forest",
    },
    "+ isolation forest": {"score_components": DEFAULT + ",isolation_forest"},
    "+ burst count": {"score_components": DEFAULT + ",burst_orders"},
    "+ forest + burst": {"score_components": DEFAULT + ",burst_orders,isolation_forest"},
    "isolation forest alone": {"score_components": "isolation_forest"},
    "sum instead of max": {"combination": "sum"},
}

# The raw UCI-shaped file as fct_order_lines' columns: sale lines only; each customer's
# cancelled quantity of a product is netted into that product's last sale line to them.
RAW_AS_LINES = """
with raw as (
    select InvoiceNo as invoice_id, nullif(CustomerID, '') as customer_id,
        StockCode as product_id, strptime(InvoiceDate, '%Y-%m-%d %H:%M:%S') as invoiced_at,
        try_cast(Quantity as integer) as quantity, try_cast(UnitPrice as double) as unit_price
    from read_parquet('{path}')
), cancelled as (
    select customer_id, product_id, -sum(quantity) as cancelled
    from raw where invoice_id like 'C%' and quantity < 0 group by all
), sales as (
    select *, row_number() over (
        partition by customer_id, product_id order by invoiced_at desc, invoice_id desc
    ) as latest
    from raw where invoice_id not like 'C%' and quantity > 0 and unit_price >= 0
)
select s.invoice_id, s.customer_id, s.product_id, s.invoiced_at, s.quantity, s.unit_price,
    case when s.latest = 1 and s.customer_id is not null
        then least(coalesce(c.cancelled, 0), s.quantity) else 0 end::integer
        as cancelled_quantity
from sales s left join cancelled c using (customer_id, product_id)
"""


def load_lines(warehouse: str) -> pd.DataFrame:
    with duckdb.connect(warehouse, read_only=True) as con:
        return con.execute(f"select {', '.join(LINE_COLUMNS)} from marts.fct_order_lines").df()


def natural_competition(lines, config: AnomalyConfig, seed: int) -> pd.DataFrame:
    """Per kind: the median injected value of its own feature, natural orders at least as
    extreme; the median injected anomaly score, natural orders scoring at least as high (in
    any component: these are what the injected orders compete with for the budget); and the
    review budget."""
    rows = []
    for kind in KINDS:
        copy, injected = inject(lines, kind, config.injected_share, seed)
        scored = score_prepared(copy, config)
        values = scored[OWN_FEATURE[kind]].to_numpy(float)
        natural = np.ones(len(scored), dtype=bool)
        natural[injected] = False
        median = float(np.median(values[injected]))
        score = scored["anomaly_score"].to_numpy(float)
        median_score = float(np.median(score[injected]))
        rows.append(
            {
                "anomaly_kind": kind,
                "feature": OWN_FEATURE[kind],
                "median_injected_value": round(median, 2),
                "natural_orders_at_least_as_extreme": int((values[natural] >= median).sum()),
                "median_injected_score": round(median_score, 2),
                "natural_orders_scoring_as_high": int((score[natural] >= median_score).sum()),
                "injected": len(injected),
                "budget_orders": int(scored["is_flagged"].sum()),
            }
        )
    return pd.DataFrame(rows)


def recall_report(warehouse: str) -> None:
    started = time.perf_counter()
    frame = load_lines(warehouse)
    print(
        f"{len(frame):,} lines, {frame['invoice_id'].nunique():,} orders, loaded in "
        f"{time.perf_counter() - started:.1f} s"
    )
    config = AnomalyConfig()
    started = time.perf_counter()
    orders = score_orders(frame, config)
    print(
        f"score_orders: {time.perf_counter() - started:.2f} s; flagged {orders['is_flagged'].sum()}"
    )
    lines = prepare_lines(frame)

    design = replace(config, evaluation_seed=0, evaluation_repeats=3)
    print("\nDesign seeds 0-2 (where the design was chosen):")
    print(summary(evaluate(lines, design)).to_string(index=False))
    print("\nTail threshold on the design seeds, recall per kind (pooled):")
    rows = []
    for tail_share in (0.01, 0.02, 0.05):
        result = summary(evaluate(lines, replace(design, tail_share=tail_share)))
        row = {"tail_share": tail_share}
        row.update(dict(zip(result["anomaly_kind"], result["recall"].round(2), strict=True)))
        rows.append(row)
    print(pd.DataFrame(rows).to_string(index=False))

    started = time.perf_counter()
    table = evaluate(lines, config)
    seconds = time.perf_counter() - started
    print(f"\nHeld-out seeds {config.evaluation_seeds} (evaluate: {seconds:.1f} s):")
    print(table.to_string(index=False))
    print(summary(table).to_string(index=False))

    print("\nAblation, held-out seeds, recall per kind (pooled) and precision:")
    rows = []
    for name, change in VARIANTS.items():
        result = summary(evaluate(lines, replace(config, **change)))
        row = {"variant": name}
        recalls = zip(result["anomaly_kind"], result["recall"], strict=True)
        row.update({kind: round(recall, 2) for kind, recall in recalls})
        row["mean_precision"] = round(float(result["precision"].mean()), 3)
        rows.append(row)
    print(pd.DataFrame(rows).to_string(index=False))

    print("\nNatural competition (seed 10): natural orders at least as extreme as the median")
    print("injected order in the kind's own feature, and natural orders whose anomaly score is")
    print("at least the median injected order's, against the budget:")
    print(natural_competition(lines, config, config.evaluation_seed).to_string(index=False))


def big_timing(path: str) -> None:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder, duckdb.connect() as con:
        mapped = f"{folder}/lines.parquet"
        con.execute(f"copy ({RAW_AS_LINES.format(path=path)}) to '{mapped}'")
        frame = pd.read_parquet(mapped)  # ids as Arrow-backed strings, as dbt hands them over
    loaded = time.perf_counter() - started
    print(
        f"{path}: {len(frame):,} sale lines, {frame['invoice_id'].nunique():,} orders, "
        f"{frame['customer_id'].nunique():,} customers, {frame['product_id'].nunique():,} "
        f"products; read and mapped in {loaded:.1f} s"
    )
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    config = AnomalyConfig()
    started = time.perf_counter()
    lines = prepare_lines(frame)
    prepared = time.perf_counter() - started
    started = time.perf_counter()
    orders = score_orders(lines, config)
    scored = time.perf_counter() - started
    started = time.perf_counter()
    table = evaluate(lines, replace(config, evaluation_repeats=1))
    evaluated = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"prepare_lines: {prepared:.1f} s; score_orders: {scored:.1f} s for {len(orders):,} orders"
    )
    print(f"evaluate (4 kinds x 1 seed, each a full re-score): {evaluated:.1f} s")
    print(f"total {prepared + scored + evaluated:.1f} s")
    print(
        f"peak RSS: {peak:,.0f} MB ({rss_loaded:,.0f} MB after reading the log, so "
        f"{peak - rss_loaded:,.0f} MB for scoring and evaluation)"
    )
    print(summary(table).to_string(index=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", nargs="?")
    parser.add_argument("--big", help="a raw UCI-shaped parquet log to time")
    parser.add_argument("--big-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.big_only:
        big_timing(args.big)
        return
    if args.warehouse:
        recall_report(args.warehouse)
    if args.big:
        print("\nTiming on the big log (child process, so its peak RSS is its own):", flush=True)
        subprocess.run([sys.executable, __file__, "--big", args.big, "--big-only"], check=True)


if __name__ == "__main__":
    main()
