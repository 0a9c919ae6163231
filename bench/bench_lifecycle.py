"""Benchmark the lifecycle models on a built warehouse: seconds and peak memory per step.

Reads the orders (`marts.fct_orders`) and each customer's first purchase of each product (the
query of `int_customer_products_aggregated`, run on `marts.fct_order_lines`, so a warehouse
built before the lifecycle models works too), then runs the three steps the dbt Python models
run, with the build's default settings: the back-test (`evaluation_table`), the training
(`train_lifecycle`) and the scoring (`score_lifecycle`). Prints one line per step and the peak
resident set size of the process.

    python bench/bench_lifecycle.py warehouse/customer_intelligence.duckdb
"""

from __future__ import annotations

import resource
import sys
import time

import duckdb

from customer_intelligence.lifecycle import (
    LifecycleConfig,
    evaluation_table,
    purchase_days,
    score_lifecycle,
    train_lifecycle,
)

PRODUCT_FIRSTS = """
    select customer_id, product_id, min(invoice_date) as first_purchased_on
    from marts.fct_order_lines
    where customer_id is not null and net_quantity > 0
    group by 1, 2
"""


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    con = duckdb.connect(sys.argv[1], read_only=True)
    started = time.perf_counter()
    orders = con.execute(
        "select customer_id, invoice_date, net_amount, gross_amount, cancelled_amount, "
        "distinct_products from marts.fct_orders"
    ).df()
    firsts = con.execute(PRODUCT_FIRSTS).df()
    segment_map = con.execute("select * from reference.rfm_segment_map").df()
    as_of = con.execute("select as_of_date from intermediate.int_as_of_dates_resolved").fetchall()
    as_of = as_of[0][0]
    con.close()
    days = purchase_days(orders)
    print(
        f"read: {time.perf_counter() - started:.1f} s, {len(orders):,} orders, "
        f"{len(days):,} purchase days, {days['customer_id'].nunique():,} customers, "
        f"{len(firsts):,} customer-product pairs"
    )
    config = LifecycleConfig()
    timings = {}

    def timed(name, step):
        began = time.perf_counter()
        result = step()
        timings[name] = time.perf_counter() - began
        print(f"{name}: {timings[name]:.1f} s, {len(result):,} rows, peak {_peak_mb():,.0f} MB")
        return result

    table = timed("evaluation", lambda: evaluation_table(days, firsts, segment_map, as_of, config))
    registry = timed("training", lambda: train_lifecycle(days, firsts, table, as_of, config))
    timed("scoring", lambda: score_lifecycle(days, firsts, registry, as_of))
    print(f"fit + score + evaluation: {sum(timings.values()):.1f} s, peak {_peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
