"""Hyper-parameter tuning on a validation window, and the winner per task.

`tune` fits every method over its grid (`method_grids`, from the settings) on the part of training
before the validation window and scores NDCG@k on that window, per task; the hybrid's weights are
learnt on the same window, and its validation score is cross-fitted (weights learnt on one half of
the validation customers, scored on the other, and vice versa) so it competes with the baselines
on equal terms.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from customer_intelligence.recommender.base import Recommender
from customer_intelligence.recommender.candidates import candidate_features_blocked, cell_values
from customer_intelligence.recommender.config import RecommenderConfig
from customer_intelligence.recommender.data import Interactions
from customer_intelligence.recommender.hybrid import Hybrid, blend_scores, fit_blend
from customer_intelligence.recommender.method_index import ALL_METHODS, METHODS
from customer_intelligence.recommender.metrics import evaluate_lists
from customer_intelligence.recommender.neighbours import NeighbourMemo
from customer_intelligence.recommender.ranking import top_k_pairs
from customer_intelligence.recommender.split import TASKS, Relevance, relevance, sample_users

LOGGER = logging.getLogger(__name__)

HYBRID_COMPONENTS: tuple[str, ...] = ("item_knn", "ease", "als", "content")
# Largest shared neighbour cut kept while tuning user-kNN (entries; about 12 bytes each).
NEIGHBOUR_MEMO_MAX_ENTRIES = 10_000_000


def method_grids(settings: RecommenderConfig) -> dict[str, list[dict[str, Any]]]:
    """The parameter sets tuning tries for each method, in order (the first wins a tie)."""
    return {
        "popularity": [{}],
        "recent_popularity": [{"days": d} for d in settings.recent_popularity_days_grid],
        "personal_top_frequency": [{}],
        "item_knn": [{"neighbours": k} for k in settings.item_knn_neighbours_grid],
        "user_knn": [{"neighbours": k} for k in settings.user_knn_neighbours_grid],
        "ease": [{"l2": v} for v in settings.ease_l2_grid],
        "als": [
            {"factors": f, "regularization": r, "alpha": a}
            for f in settings.als_factors_grid
            for r in settings.als_regularization_grid
            for a in settings.als_alpha_grid
        ],
        "content": [{"neighbours": k} for k in settings.content_neighbours_grid],
    }


def params_key(params: dict[str, Any]) -> str:
    """Canonical JSON of a parameter set (cache key and the evaluation's `parameters_json`)."""
    return json.dumps(params, sort_keys=True, default=str)


@dataclass
class FitCache:
    """Fitted models keyed by (training store, method, parameters): each fit happens once."""

    models: dict[tuple[int, str, str], Recommender] = field(default_factory=dict)

    def __call__(self, name: str, params: dict[str, Any], inter: Interactions) -> Recommender:
        key = (id(inter), name, params_key(params))
        if key not in self.models:
            model = METHODS[name](**params)
            if name == "item_knn":
                model.cut_from = self._larger_item_knn(params, inter)
            self.models[key] = model.fit(inter)
        return self.models[key]

    def _larger_item_knn(self, params: dict[str, Any], inter: Interactions):
        """The fitted item-kNN on `inter` with the fewest neighbours >= `params`' (and the same
        other parameters), to cut its similarity from; None when there is none."""
        others = {name: value for name, value in params.items() if name != "neighbours"}
        larger = [
            model
            for (store, name, _), model in self.models.items()
            if store == id(inter)
            and name == "item_knn"
            and model.params["neighbours"] >= params["neighbours"]
            and {n: v for n, v in model.params.items() if n != "neighbours"} == others
        ]
        return min(larger, key=lambda model: model.params["neighbours"], default=None)


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


def score_model(model: Recommender, rel: Relevance, k: int, n_items: int) -> dict[str, float]:
    """Metrics of a fitted model's top-k lists for the customers of `rel` (its task's lists)."""
    items, _ = model.recommend(rel.rows, k, exclude_seen=rel.task == "explore")
    return evaluate_lists(items, rel.relevant, rel.n_unseen, n_items)


def tune(
    fit_inter: Interactions,
    val_lines: pd.DataFrame,
    settings: RecommenderConfig,
    methods: tuple[str, ...] = ALL_METHODS,
    cache: FitCache | None = None,
    seed: int = 42,
) -> tuple[dict[tuple[str, str], Choice], pd.DataFrame]:
    """Best parameters per (method, task) by validation NDCG@k, and the full tuning log.

    Every method, the hybrid's weights included, is scored on the same validation customers: all
    of them, or a fixed-seed sample of `settings.max_users` (see `sample_users`).
    """
    cache = cache or FitCache()
    grids = method_grids(settings)
    rels = {
        task: sample_users(relevance(fit_inter, val_lines, task), settings.max_users, seed)
        for task in TASKS
    }
    choices, log = _tune_grids(fit_inter, rels, settings.k, methods, grids, cache)
    if "hybrid" in methods:
        for task, rel in rels.items():
            started = time.perf_counter()
            component_params = {
                c: choices[(c, task)].params if (c, task) in choices else grids[c][0]
                for c in HYBRID_COMPONENTS
            }
            hybrid_grid = [{"l2_c": c} for c in settings.hybrid_l2_c_grid]
            choice, rows = _tune_hybrid(
                fit_inter, rel, settings.k, component_params, hybrid_grid, cache, seed
            )
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


def _tune_grids(
    fit_inter: Interactions,
    rels: dict[str, Relevance],
    k: int,
    methods: tuple[str, ...],
    grids: dict[str, list[dict[str, Any]]],
    cache: FitCache,
) -> tuple[dict[tuple[str, str], Choice], list[dict[str, Any]]]:
    """Every single method over its grid: the best parameters per (method, task) and the log."""
    log, choices = [], {}
    for name in [m for m in methods if m != "hybrid"]:
        if name == "item_knn":
            # The most neighbours first: the smaller fits of the grid cut its similarity.
            cache(name, max(grids[name], key=lambda p: p["neighbours"]), fit_inter)
        memo = _neighbour_memo(name, rels, grids)
        for params in grids[name]:
            started = time.perf_counter()
            model = cache(name, params, fit_inter)
            fitted = time.perf_counter()
            if memo is not None:
                model.shared_neighbours = memo
            for task, rel in rels.items():
                scores = score_model(model, rel, k, fit_inter.n_items)
                log.append({"method": name, "task": task, "params": params, **scores})
                best = choices.get((name, task))
                if best is None or scores["ndcg"] > best.validation["ndcg"] + 1e-12:
                    choices[(name, task)] = Choice(name, task, dict(params), scores)
            LOGGER.info(
                "tuned %s %s: fit %.1f s, validation lists %.1f s",
                name,
                params_key(params),
                fitted - started,
                time.perf_counter() - fitted,
            )
            if memo is not None:
                model.shared_neighbours = None  # the cached model may score other customers
    return choices, log


def _neighbour_memo(
    name: str, rels: dict[str, Relevance], grids: dict[str, list[dict[str, Any]]]
) -> NeighbourMemo | None:
    """One cut of the most neighbours per block of customers, shared by user-kNN's grid, when
    it holds at most `NEIGHBOUR_MEMO_MAX_ENTRIES` (e.g. 2 tasks x 20,000 customers x 200
    neighbours = 8M); None otherwise (each fit then cuts its own)."""
    if name != "user_knn":
        return None
    k = max(grid["neighbours"] for grid in grids[name])
    if sum(rel.n_users for rel in rels.values()) * k > NEIGHBOUR_MEMO_MAX_ENTRIES:
        return None
    return NeighbourMemo(k)


def _tune_hybrid(
    fit_inter: Interactions,
    rel: Relevance,
    k: int,
    component_params: dict[str, dict[str, Any]],
    hybrid_grid: list[dict[str, Any]],
    cache: FitCache,
    seed: int,
) -> tuple[Choice | None, list[dict[str, Any]]]:
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
    pairs = candidate_features_blocked(hybrid.components, rel.rows, n_cand, exclude)
    labels = cell_values(rel.relevant, pairs[0], pairs[1]) > 0
    fold = np.random.default_rng(seed).integers(0, 2, rel.n_users)
    if any(np.unique(labels[fold[pairs[0]] != part]).size < 2 for part in (0, 1)):
        return None, []
    rows, best = [], None
    for grid in hybrid_grid:
        items = _cross_fitted_lists(pairs, labels, fold, grid["l2_c"], rel.n_users, k)
        scores = evaluate_lists(items, rel.relevant, rel.n_unseen, fit_inter.n_items)
        params = {"component_params": component_params, "n_candidates": n_cand, **grid}
        rows.append({"method": "hybrid", "task": rel.task, "params": params, **scores})
        if best is None or scores["ndcg"] > best.validation["ndcg"] + 1e-12:
            best = Choice("hybrid", rel.task, params, scores)
    best.weights = fit_blend(pairs[2], labels, best.params["l2_c"])
    return best, rows


def _cross_fitted_lists(
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    labels: np.ndarray,
    fold: np.ndarray,
    l2_c: float,
    n_users: int,
    k: int,
) -> np.ndarray:
    """Top-k lists of each half of the customers (`fold`) under blend weights learnt on the
    other half."""
    pr, pi, f = pairs
    items = np.full((n_users, k), -1, dtype=np.int64)
    for part in (0, 1):
        learn = fold[pr] != part
        weights = fit_blend(f[learn], labels[learn], l2_c)
        score = blend_scores(weights, f)
        held = np.flatnonzero(fold == part)
        remap = np.full(n_users, -1)
        remap[held] = np.arange(len(held))
        sel = fold[pr] == part
        top, _ = top_k_pairs(remap[pr[sel]], pi[sel], score[sel], len(held), k)
        items[held] = top
    return items


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
