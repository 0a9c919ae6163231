"""The warehouse evaluation table: the temporal hold-out at one or more cutoffs.

Input grain: order lines (all before the as-of date). Output grain: one row per cutoff, method,
task and metric. Cutoffs are given as days before the as-of date (default 91, about three
months); the test window after each cutoff is `window_days` long and the validation window is
carved from the end of the training period before it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import pandas as pd

from customer_intelligence.recommender.tuning import MAX_EVALUATION_USERS, evaluate_cutoff

LOGGER = logging.getLogger(__name__)

EVALUATION_COLUMNS: dict[str, str] = {
    "as_of_date": "object",
    "cutoff_days_before": "int64",
    "cutoff_date": "object",
    "validation_start_date": "object",
    "test_end_date": "object",
    "method": "object",
    "task": "object",
    "metric": "object",
    "k": "int64",
    "metric_value": "float64",
    "validation_ndcg": "float64",
    "is_baseline": "bool",
    "is_selected": "bool",
    "parameters_json": "object",
}


def missing_windows(
    lines: pd.DataFrame, cutoff: pd.Timestamp, window_days: int, validation_days: int
) -> list[str]:
    """The windows of a cutoff that hold no purchase (fit, validation, test); empty when usable.

    A cutoff too close to the start of the log (e.g. a replay at an early as_of_date) leaves
    nothing to fit on; it is skipped rather than failing the build.
    """
    dates = pd.to_datetime(lines["invoice_date"])
    validation_start = cutoff - pd.Timedelta(days=int(validation_days))
    test_end = cutoff + pd.Timedelta(days=int(window_days))
    windows = {
        "fit (before validation)": dates < validation_start,
        "validation": (dates >= validation_start) & (dates < cutoff),
        "test": (dates >= cutoff) & (dates < test_end),
    }
    return [name for name, inside in windows.items() if not inside.any()]


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
    max_users: int | None = MAX_EVALUATION_USERS,
) -> pd.DataFrame:
    """Evaluate every method at every cutoff; see module docstring for the grain."""
    as_of = pd.Timestamp(as_of_date).normalize()
    frames = []
    for days in parse_days(cutoff_days_before):
        cutoff = as_of - pd.Timedelta(days=days)
        empty = missing_windows(lines, cutoff, window_days, validation_days)
        if empty:
            LOGGER.warning(
                "Recommender evaluation skips the cutoff %s (%s days before as_of_date %s): no "
                "purchases in its %s window(s). A short log needs shorter windows: lower the vars "
                "recommender_eval_cutoff_days_before, recommender_test_window_days and "
                "recommender_validation_days (e.g. 10, 10 and 7 for a month of data).",
                cutoff.date(),
                days,
                as_of.date(),
                ", ".join(empty),
            )
            continue
        frame = evaluate_cutoff(lines, cutoff, window_days, validation_days, k, max_users=max_users)
        if frame.empty:  # no task had customers to score (evaluate_cutoff warned)
            continue
        frame.insert(0, "cutoff_days_before", int(days))
        frames.append(frame)
    if not frames:
        return pd.DataFrame({name: pd.Series(dtype=t) for name, t in EVALUATION_COLUMNS.items()})
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "as_of_date", as_of.date())
    return out
