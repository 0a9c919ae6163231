"""Benchmark the merchandising models on a built warehouse: demand forecasts, price elasticities
and order anomaly flags, each step timed, in one process (as a build runs them), with the
build's default settings.

- Demand: `intermediate.int_product_weeks_aggregated`, then the back-test, the training and
  the forecasts.
- Elasticity: `intermediate.int_product_weeks_priced` and `int_product_line_price_slopes`, then
  the estimates, the evaluation and the registry row.
- Anomalies: the sale lines before as_of_date, then every order's score, the customers' and
  the evaluation on injected anomalies.

On a warehouse built before these models, build their inputs first: `dbt run --select
int_week_bounds_resolved int_product_weeks_aggregated int_product_weeks_priced
int_product_line_price_slopes`.

Prints one line per step with the process's peak resident set size, and the total against the
bar (the three together under 5 minutes and 6 GB).

    python bench/bench_merchandising.py warehouse/customer_intelligence.duckdb
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable
from typing import Any

import duckdb

from customer_intelligence.anomalies import (
    AnomalyConfig,
    evaluate,
    score_customers,
    score_orders,
    summary,
)
from customer_intelligence.anomalies.features import LINE_COLUMNS
from customer_intelligence.demand import (
    DemandConfig,
    WeeklyDemand,
    evaluation_table,
    forecast_demand,
    train_demand,
)
from customer_intelligence.elasticity import (
    ElasticityConfig,
    evaluate_elasticities,
    price_elasticities,
    train_elasticity_model,
)

BAR_SECONDS = 300
BAR_MB = 6 * 1024


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timer:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def __call__(self, name: str, step: Callable[[], Any]) -> Any:
        began = time.perf_counter()
        result = step()
        self.seconds[name] = time.perf_counter() - began
        rows = f", {len(result):,} rows" if hasattr(result, "__len__") else ""
        print(f"{name}: {self.seconds[name]:.1f} s{rows}, peak {_peak_mb():,.0f} MB", flush=True)
        return result


def bench_demand(con: duckdb.DuckDBPyConnection, as_of: Any, timed: Timer) -> None:
    weekly = timed(
        "demand: read",
        lambda: con.execute("select * from intermediate.int_product_weeks_aggregated").df(),
    )
    demand = WeeklyDemand.from_frame(weekly, as_of)
    config = DemandConfig()
    table = timed("demand: back-test", lambda: evaluation_table(demand, config))
    registry = timed("demand: training", lambda: train_demand(weekly, table, as_of, config))
    timed("demand: forecasts", lambda: forecast_demand(weekly, registry, as_of))


def bench_elasticity(con: duckdb.DuckDBPyConnection, as_of: Any, timed: Timer) -> None:
    def read():
        return (
            con.execute("select * from intermediate.int_product_weeks_priced").df(),
            con.execute("select * from intermediate.int_product_line_price_slopes").df(),
            con.execute("select product_id, product_description from marts.dim_products").df(),
        )

    priced, slopes, products = timed("elasticity: read", read)
    config = ElasticityConfig()
    timed("elasticity: estimates", lambda: price_elasticities(priced, slopes, products, config))
    checks = timed(
        "elasticity: evaluation", lambda: evaluate_elasticities(priced, slopes, products, config)
    )
    timed(
        "elasticity: registry",
        lambda: train_elasticity_model(priced, products, checks, as_of, config),
    )


def bench_anomalies(con: duckdb.DuckDBPyConnection, as_of: Any, timed: Timer) -> None:
    query = f"select {', '.join(LINE_COLUMNS)} from marts.fct_order_lines where invoice_date < ?"
    lines = timed("anomalies: read", lambda: con.execute(query, [as_of]).df())
    config = AnomalyConfig()
    orders = timed("anomalies: orders", lambda: score_orders(lines, config))
    timed("anomalies: customers", lambda: score_customers(orders, config))
    table = timed("anomalies: evaluation", lambda: evaluate(lines, config))
    for row in summary(table).itertuples(index=False):
        print(f"  {row.anomaly_kind}: recall {row.recall:.2f} over {row.injected} injected")


def main() -> None:
    timed = Timer()
    with duckdb.connect(sys.argv[1], read_only=True) as con:
        as_of = con.execute("select as_of_date from intermediate.int_as_of_dates_resolved")
        as_of = as_of.fetchall()[0][0]
        bench_demand(con, as_of, timed)
        bench_elasticity(con, as_of, timed)
        bench_anomalies(con, as_of, timed)
    total = sum(timed.seconds.values())
    verdict = "within" if total <= BAR_SECONDS and _peak_mb() <= BAR_MB else "beyond"
    print(
        f"all three: {total:.1f} s, peak {_peak_mb():,.0f} MB ({verdict} the bar of "
        f"{BAR_SECONDS} s and {BAR_MB:,} MB)"
    )


if __name__ == "__main__":
    main()
