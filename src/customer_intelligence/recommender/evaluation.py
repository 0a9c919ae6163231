"""The warehouse evaluation table: the temporal hold-out at one or more cutoffs.

Input grain: order lines (all before the as-of date). Output grain: one row per cutoff, method,
task and metric. Cutoffs are given as days before the as-of date (default 91, about three
months); the test window after each cutoff is `window_days` long and the validation window is
carved from the end of the training period before it.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from customer_intelligence.recommender.tuning import evaluate_cutoff


def parse_days(value) -> list[int]:
    """'91,182' or 91 or [91, 182] -> [91, 182] (dbt YAML-templated config arrives as text)."""
    if isinstance(value, str):
        return [int(float(v)) for v in value.replace(";", ",").split(",") if v.strip()]
    if isinstance(value, Iterable):
        return [int(v) for v in value]
    return [int(value)]


def evaluation_table(
    lines: pd.DataFrame,
    as_of_date,
    cutoff_days_before=(91,),
    window_days: int = 91,
    validation_days: int = 91,
    k: int = 10,
) -> pd.DataFrame:
    """Evaluate every method at every cutoff; see module docstring for the grain."""
    as_of = pd.Timestamp(as_of_date).normalize()
    frames = []
    for days in parse_days(cutoff_days_before):
        cutoff = as_of - pd.Timedelta(days=days)
        frame = evaluate_cutoff(lines, cutoff, window_days, validation_days, k)
        frame.insert(0, "cutoff_days_before", int(days))
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "as_of_date", as_of.date())
    return out
