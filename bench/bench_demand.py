"""Benchmark the demand forecasts on a built warehouse: seconds and peak memory per step.

Reads the weekly series (the query of `int_product_weeks_aggregated`, run on
`marts.fct_order_lines`, so a warehouse built before the demand models works too), then runs
the three steps the dbt Python models run, with the build's default settings: the back-test
(`evaluation_table`), the training (`train_demand`) and the forecasts (`forecast_demand`).
Prints one line per step and the peak resident set size of the process.

    python bench/bench_demand.py warehouse/customer_intelligence.duckdb
"""

from __future__ import annotations

import resource
import sys
import time

import duckdb

from customer_intelligence.demand import (
    DemandConfig,
    WeeklyDemand,
    evaluation_table,
    forecast_demand,
    train_demand,
)

WEEKLY = """
    with bounds as (
        select min(invoice_date) as first_day, ? as as_of_date from marts.fct_order_lines
    ),
    weekly as (
        select product_id, cast(date_trunc('week', invoice_date) as date) as week_start,
            sum(net_quantity) as units, sum(net_amount) as revenue,
            median(unit_price) as list_price
        from marts.fct_order_lines group by 1, 2
    )
    select weekly.* from weekly cross join bounds
    where weekly.week_start >= bounds.first_day
        and weekly.week_start + interval 7 day <= bounds.as_of_date
"""


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    con = duckdb.connect(sys.argv[1], read_only=True)
    started = time.perf_counter()
    as_of = con.execute("select as_of_date from intermediate.int_as_of_dates_resolved").fetchall()
    as_of = as_of[0][0]
    weekly = con.execute(WEEKLY, [as_of]).df()
    con.close()
    demand = WeeklyDemand.from_frame(weekly, as_of)
    print(
        f"read: {time.perf_counter() - started:.1f} s, {len(weekly):,} product-weeks, "
        f"{len(demand.product_ids):,} products, {len(demand.weeks)} complete weeks"
    )
    config = DemandConfig()
    timings = {}

    def timed(name, step):
        began = time.perf_counter()
        result = step()
        timings[name] = time.perf_counter() - began
        print(f"{name}: {timings[name]:.1f} s, {len(result):,} rows, peak {_peak_mb():,.0f} MB")
        return result

    table = timed("evaluation", lambda: evaluation_table(demand, config))
    registry = timed("training", lambda: train_demand(weekly, table, as_of, config))
    timed("forecasts", lambda: forecast_demand(weekly, registry, as_of))
    total = sum(timings.values())
    print(f"evaluation + training + forecasts: {total:.1f} s, peak {_peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
