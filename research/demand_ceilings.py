"""How far the demand forecasts can get on a warehouse's weekly series: reference points.

Runs the back-test of the build's default settings once on `int_product_weeks_aggregated`
(as_of_date from the warehouse) and prints, on the test origins:

1. WRMSSE, RMSSE and bias of every method, of `selected` (the class method chosen on the
   validation origins) and of `combined`.
2. The ceiling of choosing one method per demand class: the per-class choice made on the test
   origins themselves (an oracle no honest rule can beat), and the best single method there.
3. Bias on validation against test for every method: when every method under-forecasts the test
   weeks by a similar share, the test period holds a rise that no earlier week shows (a season
   seen for the first time), and no choice among these methods can anticipate it.

    python research/demand_ceilings.py warehouse/customer_intelligence.duckdb

Takes about a minute on the shipped data.
"""

from __future__ import annotations

import sys
import time

import duckdb
import numpy as np
import pandas as pd

from customer_intelligence.demand import DemandConfig, WeeklyDemand
from customer_intelligence.demand import metrics as m
from customer_intelligence.demand.backtest import (
    SELECTED,
    TEST,
    VALIDATION,
    add_selected,
    choose_methods,
    methods,
    run_backtest,
    stack,
)
from customer_intelligence.demand.series import CLASSES
from customer_intelligence.demand.statistical import BASELINES


def _scores(results, name: str) -> dict[str, float]:
    s = stack(results, name)
    values = m.rmsse(s["actual"], s["forecast"], s["scale"])
    return {
        "wrmsse": m.weighted_mean(values, s["weight"]),
        "rmsse": float(values.mean()),
        "bias": m.bias(s["actual"], s["forecast"]),
    }


def main(warehouse: str) -> int:
    with duckdb.connect(warehouse, read_only=True) as con:
        weekly = con.execute("select * from intermediate.int_product_weeks_aggregated").df()
        (as_of,) = con.execute(
            "select as_of_date from intermediate.int_as_of_dates_resolved"
        ).fetchall()[0]
    config = DemandConfig()
    started = time.perf_counter()
    results = run_backtest(WeeklyDemand.from_frame(weekly, as_of), config)
    names = methods(results)
    validation = [r for r in results if r.split == VALIDATION]
    test = [r for r in results if r.split == TEST]
    chosen = choose_methods(validation, names)
    add_selected(results, chosen)
    print(f"as_of_date {as_of}; back-test {time.perf_counter() - started:.0f} s")
    print(f"validation origins (week index): {[r.origin for r in validation]}")
    print(f"test origins: {[r.origin for r in test]}; chosen on validation: {chosen}\n")

    rows = []
    for name in (*names, SELECTED):
        rows.append(
            {
                "method": name,
                "baseline": name in BASELINES,
                **{f"test {k}": v for k, v in _scores(test, name).items()},
                "validation bias": _scores(validation, name)["bias"],
            }
        )
    table = pd.DataFrame(rows).set_index("method").sort_values("test wrmsse")
    print(table.round(4).to_string())
    best_baseline = table[table["baseline"]]["test wrmsse"].min()

    oracle = choose_methods(test, names)
    add_selected(test, oracle)
    ceiling = _scores(test, SELECTED)["wrmsse"]
    best_single = table.drop(index=SELECTED)["test wrmsse"].min()
    print(f"\nbest baseline on test: {best_baseline:.4f}")
    for label, value in (
        ("selected (chosen on validation)", table.loc[SELECTED, "test wrmsse"]),
        ("combined (fixed in advance)", table.loc["combined", "test wrmsse"]),
        ("best single method, chosen on test", best_single),
        (f"per-class oracle, chosen on test {oracle}", ceiling),
    ):
        print(f"{label}: {value:.4f} ({1 - value / best_baseline:+.1%} against the best baseline)")
    print("\nproducts per class at the test origins:")
    classes = np.concatenate([r.classes for r in test])
    print({label: int((classes == label).sum()) for label in CLASSES})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
