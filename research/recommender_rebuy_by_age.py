"""Re-buy rate of already-bought products by days since their last purchase, per window.

For each window (the test window after the evaluation cutoff and the validation window before it),
takes every product in the history of the customers evaluated on the "all" task and reports the
share re-bought in the window, by the age of the last purchase at the window's start. It shows
whether old purchases come back (e.g. last Christmas's range), which a validation window without
that much history cannot teach the hybrid. The windows are those of one cutoff of the built
evaluation (`marts.rpt_recommender_evaluation`; by default its nearest cutoff).

    .venv/bin/python research/recommender_rebuy_by_age.py [--warehouse PATH] [--cutoff-days N]
"""

from __future__ import annotations

import argparse
import os

import duckdb
import numpy as np
import pandas as pd

from customer_intelligence.recommender.data import build_interactions, read_lines
from customer_intelligence.recommender.split import relevance, temporal_split

BANDS: tuple[tuple[int, int], ...] = ((0, 30), (30, 90), (90, 180), (180, 270), (270, 400))


def rebuy_by_age(lines: pd.DataFrame, reference, window_days: int) -> dict[str, float]:
    """Band label -> re-buy rate (NaN when no pair falls in the band), for one window."""
    inter = build_interactions(lines, reference)
    _, future = temporal_split(lines, reference, window_days)
    rel = relevance(inter, future, "all")
    history = inter.last_age[rel.rows].tocoo()
    bought_again = np.asarray(rel.relevant[history.row, history.col]).ravel() > 0
    out = {}
    for low, high in BANDS:
        inside = (history.data >= low) & (history.data < high)
        out[f"{low}-{high} d"] = float(bought_again[inside].mean()) if inside.any() else np.nan
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    default = os.environ.get("WAREHOUSE_PATH", "warehouse/customer_intelligence.duckdb")
    parser.add_argument("--warehouse", default=default)
    parser.add_argument("--cutoff-days", type=int, help="default: the evaluation's nearest cutoff")
    args = parser.parse_args()
    with duckdb.connect(args.warehouse, read_only=True) as con:
        lines = read_lines(con.table("marts.fct_order_lines"))
        windows = con.sql(
            "select distinct cutoff_days_before, validation_start_date, cutoff_date, test_end_date"
            " from marts.rpt_recommender_evaluation order by cutoff_days_before"
        ).df()
    if args.cutoff_days is not None:
        windows = windows.loc[windows["cutoff_days_before"] == args.cutoff_days]
    if windows.empty:
        raise SystemExit("no such cutoff in the evaluation table; build it first (see README).")
    validation, cutoff, test_end = (
        pd.Timestamp(windows[c].iloc[0])
        for c in ("validation_start_date", "cutoff_date", "test_end_date")
    )
    rows = {
        f"validation from {validation.date()}": rebuy_by_age(
            lines, validation, (cutoff - validation).days
        ),
        f"test from {cutoff.date()}": rebuy_by_age(lines, cutoff, (test_end - cutoff).days),
    }
    print(pd.DataFrame(rows).T.round(3).to_string())


if __name__ == "__main__":
    main()
