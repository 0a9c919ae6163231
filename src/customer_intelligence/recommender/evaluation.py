"""The warehouse evaluation table: the temporal hold-out at one or more cutoffs.

Input grain: order lines (all before the as-of date). Output grain: one row per cutoff, method,
task and metric. Cutoffs are given as days before the as-of date (`eval_cutoff_days_before`); the
test window after each cutoff is `test_window_days` long and the validation window
(`validation_days`) is carved from the end of the training period before it. At each cutoff
`evaluate_cutoff` tunes every method on the validation window, refits the tuned methods on all of
training and scores the test window once.
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from customer_intelligence.recommender.config import RecommenderConfig
from customer_intelligence.recommender.data import build_interactions
from customer_intelligence.recommender.method_index import ALL_METHODS, BASELINES
from customer_intelligence.recommender.metrics import METRICS
from customer_intelligence.recommender.split import (
    TASKS,
    relevance,
    sample_users,
    temporal_split,
)
from customer_intelligence.recommender.tuning import (
    Choice,
    FitCache,
    build_model,
    params_key,
    score_model,
    tune,
    winners,
)

LOGGER = logging.getLogger(__name__)

EVALUATION_COLUMNS: dict[str, str] = {
    "as_of_date": "object",
    "cutoff_days_before": "int64",
    "cutoff_date": "object",
    "validation_start_date": "object",
    "test_end_date": "object",
    "recommendation_method": "object",
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


def evaluation_table(lines: pd.DataFrame, as_of_date, settings: RecommenderConfig) -> pd.DataFrame:
    """Evaluate every method at every cutoff; see module docstring for the grain."""
    as_of = pd.Timestamp(as_of_date).normalize()
    frames = []
    for days in settings.eval_cutoff_days_before:
        cutoff = as_of - pd.Timedelta(days=days)
        empty = missing_windows(lines, cutoff, settings.test_window_days, settings.validation_days)
        if empty:
            LOGGER.warning(
                "Recommender evaluation skips the cutoff %s (%s days before as_of_date %s): no "
                "purchases in its %s window(s). A short log needs shorter windows: lower the "
                "settings eval_cutoff_days_before, test_window_days and validation_days (e.g. "
                "10, 10 and 7 for a month of data).",
                cutoff.date(),
                days,
                as_of.date(),
                ", ".join(empty),
            )
            continue
        frame = evaluate_cutoff(lines, cutoff, settings)
        if frame.empty:  # no task had customers to score (evaluate_cutoff warned)
            continue
        frame.insert(0, "cutoff_days_before", int(days))
        frames.append(frame)
    if not frames:
        return pd.DataFrame({name: pd.Series(dtype=t) for name, t in EVALUATION_COLUMNS.items()})
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "as_of_date", as_of.date())
    return out


def evaluate_cutoff(
    lines: pd.DataFrame,
    cutoff,
    settings: RecommenderConfig,
    methods: tuple[str, ...] = ALL_METHODS,
) -> pd.DataFrame:
    """Tune on the validation window, refit on training, score the test window: long frame.

    Output grain: one row per method x task x metric for this cutoff. Validation and test
    windows each score at most `settings.max_users` customers (fixed-seed sample,
    `users_evaluated`).
    """
    cutoff = pd.Timestamp(cutoff).normalize()
    window_days, validation_days = settings.test_window_days, settings.validation_days
    train_lines, test_lines = temporal_split(lines, cutoff, window_days)
    val_cutoff = cutoff - pd.Timedelta(days=int(validation_days))
    fit_lines, val_lines = temporal_split(train_lines, val_cutoff, validation_days)
    fit_inter = build_interactions(fit_lines, val_cutoff)
    train_inter = build_interactions(train_lines, cutoff)
    cache = FitCache()
    choices, _ = tune(fit_inter, val_lines, settings, methods, cache)
    chosen = winners(choices)
    dates = {
        "cutoff_date": cutoff.date(),
        "validation_start_date": val_cutoff.date(),
        "test_end_date": (cutoff + pd.Timedelta(days=int(window_days))).date(),
    }
    rows = []
    for task in TASKS:
        rel = sample_users(relevance(train_inter, test_lines, task), settings.max_users)
        validated = chosen[task].validation["users_evaluated"]
        if rel.n_users == 0 or validated == 0:
            # Metrics over no customers would read as 0.0, and a winner chosen on none is a tie.
            LOGGER.warning(
                "Recommender evaluation at the cutoff %s skips the %s task: %s validation and %s "
                "test customers bought before and within the window.",
                cutoff.date(),
                task,
                int(validated),
                rel.n_users,
            )
            continue
        for name in [m for m in methods if (m, task) in choices]:
            choice = choices[(name, task)]
            model = build_model(choice, train_inter, cache)
            scores = score_model(model, rel, settings.k, train_inter.n_items)
            selected = chosen[task].method == name
            rows.extend(_metric_rows(dates, choice, scores, settings.k, selected))
    return pd.DataFrame(rows)


def _metric_rows(
    dates: dict[str, Any], choice: Choice, scores: dict[str, float], k: int, selected: bool
) -> list[dict[str, Any]]:
    """One evaluation row per metric of one tuned method on one task's test window."""
    return [
        {
            **dates,
            "recommendation_method": choice.method,
            "task": choice.task,
            "metric": metric,
            "k": int(k),
            "metric_value": float(scores[metric]),
            "validation_ndcg": float(choice.validation["ndcg"]),
            "is_baseline": choice.method in BASELINES,
            "is_selected": selected,
            "parameters_json": params_key(choice.params),
        }
        for metric in METRICS
    ]
