"""Hyper-parameter tuning on the validation window and the temporal hold-out evaluation.

`tune` fits every method (grid by grid) on the part of training before the validation window and
scores NDCG@K on that window, per task; the hybrid's weights are learnt on the same window, and its
validation score is cross-fitted (weights learnt on one half of the validation customers, scored
on the other, and vice versa) so it competes with the baselines on equal terms. `evaluate_cutoff`
then refits each tuned method on all of training and scores the test window once.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from customer_intelligence.recommender.data import Interactions, build_interactions
from customer_intelligence.recommender.hybrid import (
    Hybrid,
    blend_scores,
    candidate_features_blocked,
    fit_blend,
)
from customer_intelligence.recommender.hybrid import _lookup as lookup
from customer_intelligence.recommender.methods import (
    BASELINES,
    GRIDS,
    METHODS,
    NeighbourMemo,
    Recommender,
    top_k_pairs,
)
from customer_intelligence.recommender.metrics import METRICS, evaluate_lists
from customer_intelligence.recommender.split import (
    TASKS,
    Relevance,
    relevance,
    sample_users,
    temporal_split,
)

LOGGER = logging.getLogger(__name__)

ALL_METHODS: tuple[str, ...] = (*METHODS, "hybrid")
HYBRID_GRID: tuple[dict[str, Any], ...] = ({"l2_c": 0.1}, {"l2_c": 1.0})
HYBRID_COMPONENTS: tuple[str, ...] = ("item_knn", "ease", "als", "content")
# Customers scored per validation or test window (a fixed-seed sample above it; see sample_users).
MAX_EVALUATION_USERS = 20_000
# Largest shared neighbour cut kept while tuning user-kNN (entries; about 12 bytes each).
NEIGHBOUR_MEMO_MAX_ENTRIES = 10_000_000


def _key(params: dict[str, Any]) -> str:
    return json.dumps(params, sort_keys=True, default=str)


@dataclass
class FitCache:
    """Fitted models keyed by (training store, method, parameters): each fit happens once."""

    models: dict[tuple[int, str, str], Recommender] = field(default_factory=dict)

    def __call__(self, name: str, params: dict[str, Any], inter: Interactions) -> Recommender:
        key = (id(inter), name, _key(params))
        if key not in self.models:
            self.models[key] = METHODS[name](**params).fit(inter)
        return self.models[key]


@dataclass
class Choice:
    """The tuned configuration of one method for one task."""

    method: str
    task: str
    params: dict[str, Any]
    validation: dict[str, float]
    weights: dict[str, Any] | None = None

    def spec(self) -> dict[str, Any]:
        return {"method": self.method, "params": self.params, "weights": self.weights}


def _evaluate(model: Recommender, rel: Relevance, k: int, n_items: int) -> dict[str, float]:
    items, _ = model.recommend(rel.rows, k, exclude_seen=rel.task == "explore")
    return evaluate_lists(items, rel.relevant, rel.n_unseen, n_items)


def tune(
    fit_inter: Interactions,
    val_lines: pd.DataFrame,
    k: int = 10,
    methods: tuple[str, ...] = ALL_METHODS,
    cache: FitCache | None = None,
    seed: int = 42,
    max_users: int | None = MAX_EVALUATION_USERS,
) -> tuple[dict[tuple[str, str], Choice], pd.DataFrame]:
    """Best parameters per (method, task) by validation NDCG@k, and the full tuning log.

    Every method, the hybrid's weights included, is scored on the same validation customers: all
    of them, or a fixed-seed sample of `max_users` (see `sample_users`).
    """
    cache = cache or FitCache()
    rels = {
        task: sample_users(relevance(fit_inter, val_lines, task), max_users, seed) for task in TASKS
    }
    log, choices = [], {}
    for name in [m for m in methods if m != "hybrid"]:
        memo = _neighbour_memo(name, rels)
        for params in GRIDS[name]:
            started = time.perf_counter()
            model = cache(name, params, fit_inter)
            fitted = time.perf_counter()
            if memo is not None:
                model.shared_neighbours = memo
            for task, rel in rels.items():
                scores = _evaluate(model, rel, k, fit_inter.n_items)
                log.append({"method": name, "task": task, "params": params, **scores})
                best = choices.get((name, task))
                if best is None or scores["ndcg"] > best.validation["ndcg"] + 1e-12:
                    choices[(name, task)] = Choice(name, task, dict(params), scores)
            LOGGER.info(
                "tuned %s %s: fit %.1f s, validation lists %.1f s",
                name,
                _key(params),
                fitted - started,
                time.perf_counter() - fitted,
            )
            if memo is not None:
                model.shared_neighbours = None  # the cached model may score other customers
    if "hybrid" in methods:
        for task, rel in rels.items():
            started = time.perf_counter()
            component_params = {
                c: choices[(c, task)].params if (c, task) in choices else GRIDS[c][0]
                for c in HYBRID_COMPONENTS
            }
            choice, rows = _tune_hybrid(fit_inter, rel, k, component_params, cache, seed)
            if choice is None:
                LOGGER.warning(
                    "The hybrid is left out of the %s task: its blend needs validation candidates "
                    "that were bought and ones that were not, in each half of the %s validation "
                    "customers (too few customers or products in the validation window).",
                    task,
                    rel.n_users,
                )
                continue
            choices[("hybrid", task)] = choice
            log.extend(rows)
            LOGGER.info("tuned hybrid (%s): %.1f s", task, time.perf_counter() - started)
    return choices, pd.DataFrame(log)


def _neighbour_memo(name: str, rels: dict[str, Relevance]) -> NeighbourMemo | None:
    """One cut of the most neighbours per block of customers, shared by user-kNN's grid, when
    it holds at most `NEIGHBOUR_MEMO_MAX_ENTRIES` (the default sample: 2 tasks x 20,000
    customers x 200 neighbours = 8M); None otherwise (each fit then cuts its own)."""
    if name != "user_knn":
        return None
    k = max(grid["neighbours"] for grid in GRIDS[name])
    if sum(rel.n_users for rel in rels.values()) * k > NEIGHBOUR_MEMO_MAX_ENTRIES:
        return None
    return NeighbourMemo(k)


def _tune_hybrid(fit_inter, rel, k, component_params, cache, seed):
    """Cross-fitted validation score of the blend for each regularisation; final weights on all.

    Returns (None, []) when the blend cannot be learnt: each half of the validation customers must
    have candidates that were bought and candidates that were not (a tiny log has neither).
    """
    if rel.n_users < 2:
        return None, []
    hybrid = Hybrid(component_params)
    hybrid.fitter = cache
    hybrid.fit(fit_inter)
    exclude = rel.task == "explore"
    n_cand = hybrid.params["n_candidates"]
    pr, pi, f = candidate_features_blocked(hybrid.components, rel.rows, n_cand, exclude)
    y = lookup(rel.relevant, pr, pi) > 0
    fold = np.random.default_rng(seed).integers(0, 2, rel.n_users)
    if any(np.unique(y[fold[pr] != part]).size < 2 for part in (0, 1)):
        return None, []
    rows, best = [], None
    for grid in HYBRID_GRID:
        items = np.full((rel.n_users, k), -1, dtype=np.int64)
        for part in (0, 1):
            learn = fold[pr] != part
            weights = fit_blend(f[learn], y[learn], grid["l2_c"])
            score = blend_scores(weights, f)
            held = np.flatnonzero(fold == part)
            remap = np.full(rel.n_users, -1)
            remap[held] = np.arange(len(held))
            sel = fold[pr] == part
            top, _ = top_k_pairs(remap[pr[sel]], pi[sel], score[sel], len(held), k)
            items[held] = top
        scores = evaluate_lists(items, rel.relevant, rel.n_unseen, fit_inter.n_items)
        params = {"component_params": component_params, "n_candidates": n_cand, **grid}
        rows.append({"method": "hybrid", "task": rel.task, "params": params, **scores})
        if best is None or scores["ndcg"] > best.validation["ndcg"] + 1e-12:
            best = Choice("hybrid", rel.task, params, scores)
    best.weights = fit_blend(f, y, best.params["l2_c"])
    return best, rows


def build_model(choice: Choice | dict[str, Any], inter: Interactions, cache=None) -> Recommender:
    """Fit a tuned configuration on a (new) training store; hybrids keep their learnt weights."""
    spec = choice.spec() if isinstance(choice, Choice) else choice
    if spec["method"] == "hybrid":
        params = dict(spec["params"])
        model = Hybrid(params.pop("component_params"), weights=spec["weights"], **params)
        model.fitter = cache
        return model.fit(inter)
    if cache is not None:
        return cache(spec["method"], spec["params"], inter)
    return METHODS[spec["method"]](**spec["params"]).fit(inter)


def winners(choices: dict[tuple[str, str], Choice]) -> dict[str, Choice]:
    """The method with the best validation NDCG per task (ties: first in ALL_METHODS order)."""
    out = {}
    for task in TASKS:
        ranked = [choices[(m, task)] for m in ALL_METHODS if (m, task) in choices]
        out[task] = max(ranked, key=lambda c: c.validation["ndcg"])
    return out


def evaluate_cutoff(
    lines: pd.DataFrame,
    cutoff,
    window_days: int = 91,
    validation_days: int = 91,
    k: int = 10,
    methods: tuple[str, ...] = ALL_METHODS,
    max_users: int | None = MAX_EVALUATION_USERS,
) -> pd.DataFrame:
    """Tune on the validation window, refit on training, score the test window: long frame.

    Output grain: one row per method x task x metric for this cutoff. Validation and test
    windows each score at most `max_users` customers (fixed-seed sample, `users_evaluated`).
    """
    cutoff = pd.Timestamp(cutoff).normalize()
    train_lines, test_lines = temporal_split(lines, cutoff, window_days)
    val_cutoff = cutoff - pd.Timedelta(days=int(validation_days))
    fit_lines, val_lines = temporal_split(train_lines, val_cutoff, validation_days)
    fit_inter = build_interactions(fit_lines, val_cutoff)
    train_inter = build_interactions(train_lines, cutoff)
    cache = FitCache()
    choices, _ = tune(fit_inter, val_lines, k, methods, cache, max_users=max_users)
    chosen = winners(choices)
    rows = []
    for task in TASKS:
        rel = sample_users(relevance(train_inter, test_lines, task), max_users)
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
            scores = _evaluate(model, rel, k, train_inter.n_items)
            for metric in METRICS:
                rows.append(
                    {
                        "cutoff_date": cutoff.date(),
                        "validation_start_date": val_cutoff.date(),
                        "test_end_date": (cutoff + pd.Timedelta(days=int(window_days))).date(),
                        "method": name,
                        "task": task,
                        "metric": metric,
                        "k": int(k),
                        "metric_value": float(scores[metric]),
                        "validation_ndcg": float(choice.validation["ndcg"]),
                        "is_baseline": name in BASELINES,
                        "is_selected": chosen[task].method == name,
                        "parameters_json": _key(choice.params),
                    }
                )
    return pd.DataFrame(rows)
