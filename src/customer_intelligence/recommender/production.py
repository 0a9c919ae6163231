"""Production: choose the method on the latest validation window, then score every customer.

Train (`select_production`): the last `validation_days` before the as-of date are the validation
window, everything before it the fitting part; each method is tuned there and the winner per list
("all" = repeats allowed, "new" = never-bought products only) is recorded with its parameters and
learnt weights in a registry row. Apply (`score_customers`): the recorded configuration is refitted
on all lines before the as-of date and each customer gets two top-N lists with reasons. Because
only lines before the as-of date are read, a past as-of date gives lists that can be back-tested.
"""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

import numpy as np
import pandas as pd

from customer_intelligence.recommender.data import Interactions, build_interactions
from customer_intelligence.recommender.hybrid import FEATURE_GROUP, Hybrid
from customer_intelligence.recommender.methods import ContentKNN, ItemKNN, RecentPopularity
from customer_intelligence.recommender.reasons import explain
from customer_intelligence.recommender.split import temporal_split
from customer_intelligence.recommender.tuning import (
    ALL_METHODS,
    MAX_EVALUATION_USERS,
    FitCache,
    build_model,
    tune,
    winners,
)

LISTS: dict[str, str] = {"all": "all", "new": "explore"}  # list name -> evaluation task
MODEL_NAME = "product_recommender"


def select_production(
    lines: pd.DataFrame,
    as_of_date,
    validation_days: int = 91,
    k: int = 10,
    methods: tuple[str, ...] = ALL_METHODS,
    max_users: int | None = MAX_EVALUATION_USERS,
) -> dict[str, Any]:
    """Tune every method on the last validation window before `as_of_date`; return the spec.

    At most `max_users` validation customers are scored (fixed-seed sample; see `tune`).

    Output: a JSON-able dict with the winner per list (method, parameters, hybrid weights), the
    validation NDCG@k of every method per task, and the windows used.
    """
    as_of = pd.Timestamp(as_of_date).normalize()
    val_cutoff = as_of - pd.Timedelta(days=int(validation_days))
    train_lines = lines.loc[_dates(lines) < as_of]
    fit_lines, val_lines = temporal_split(train_lines, val_cutoff, validation_days)
    fit_inter = build_interactions(fit_lines, val_cutoff)
    choices, _ = tune(fit_inter, val_lines, k, methods, FitCache(), max_users=max_users)
    best = winners(choices)
    validation = {
        task: {m: round(choices[(m, task)].validation["ndcg"], 6) for m in methods}
        for task in LISTS.values()
    }
    return {
        "as_of_date": str(as_of.date()),
        "validation_start_date": str(val_cutoff.date()),
        "k": int(k),
        "max_evaluation_users": max_users,
        "lists": {name: best[task].spec() for name, task in LISTS.items()},
        "validation_ndcg": validation,
        "training_lines": int(len(train_lines)),
    }


def _dates(lines: pd.DataFrame) -> pd.Series:
    column = "invoice_date" if "invoice_date" in lines.columns else "invoiced_at"
    return pd.to_datetime(lines[column]).dt.normalize()


def encode_spec(spec: dict[str, Any]) -> str:
    """The artefact: the spec as compressed, base64-encoded canonical JSON."""
    raw = json.dumps(spec, sort_keys=True, separators=(",", ":")).encode()
    return base64.b64encode(zlib.compress(raw, 9)).decode()


def decode_spec(artefact: str) -> dict[str, Any]:
    return json.loads(zlib.decompress(base64.b64decode(artefact)))


def cold_start_list(inter: Interactions, n: int = 10, max_similarity: float = 0.5) -> pd.DataFrame:
    """Popular-this-month products, skipping near-duplicates by description (content MMR-lite).

    Output grain: one row per rank (1..n).
    """
    pop = RecentPopularity(days=30).fit(inter).pop
    content = ContentKNN(neighbours=50).fit(inter).sim
    order = np.argsort(-pop, kind="stable")
    picked: list[int] = []
    for item in order[: max(n * 20, 200)]:
        if len(picked) >= n:
            break
        if picked and np.asarray(content[picked, item].toarray()).max() > max_similarity:
            continue
        picked.append(int(item))
    # Fill with the most popular products skipped above if diversity left the list short.
    picked += [int(i) for i in order if int(i) not in set(picked)][: n - len(picked)]
    return pd.DataFrame(
        {
            "recommendation_rank": np.arange(1, len(picked) + 1, dtype=np.int32),
            "product_id": inter.item_ids[picked].astype(str),
            "product_description": inter.item_description[picked].astype(str),
            "score": np.floor(pop[picked]).astype(np.float64),
            "method": "cold_start",
            "reason_code": "cold_start_popular",
            "reason": "new customer: popular with customers in the last 30 days",
            "as_of_date": inter.reference_date.date(),
        }
    )


def score_customers(
    lines: pd.DataFrame,
    spec: dict[str, Any],
    n: int = 10,
    customer_ids=None,
    block_size: int = 4096,
) -> pd.DataFrame:
    """Two ranked lists per customer from a recorded spec, with reasons.

    Output grain: one row per customer, list (`all`/`new`) and rank. Customers unknown before the
    as-of date (when `customer_ids` names them) get the cold-start list, flagged `is_cold_start`.
    """
    inter = build_interactions(lines, spec["as_of_date"])
    customers = (
        np.array(sorted({str(c) for c in customer_ids}), dtype=object)
        if customer_ids is not None
        else inter.user_ids
    )
    rows = inter.user_rows(customers)
    warm = rows >= 0
    cache = FitCache()
    explain_knn = cache("item_knn", {"neighbours": 100}, inter)
    explain_content = cache("content", {"neighbours": 50}, inter)
    frames = []
    for list_name, task in LISTS.items():
        choice = spec["lists"][list_name]
        model = build_model(choice, inter, cache)
        frames.append(
            _score_list(
                model,
                inter,
                rows[warm],
                customers[warm],
                list_name,
                task,
                n,
                choice["method"],
                explain_knn,
                explain_content,
                block_size,
            )
        )
    out = pd.concat(frames, ignore_index=True)
    if (~warm).any():
        cold = cold_start_list(inter, n)
        for list_name in LISTS:
            block = cold.loc[cold.index.repeat((~warm).sum())].copy()
            block["customer_id"] = np.tile(customers[~warm], len(cold))
            block["list_name"] = list_name
            block["is_cold_start"] = True
            frames_cold = block[out.columns]
            out = pd.concat([out, frames_cold], ignore_index=True)
    return out.sort_values(["customer_id", "list_name", "recommendation_rank"], ignore_index=True)


def _score_list(
    model,
    inter,
    rows,
    customers,
    list_name,
    task,
    n,
    method,
    knn: ItemKNN,
    content: ContentKNN,
    block_size,
) -> pd.DataFrame:
    exclude = task == "explore"
    parts = []
    for start in range(0, len(rows), block_size):
        block = rows[start : start + block_size]
        if isinstance(model, Hybrid):
            # One candidate pass per block: the features that ranked the pairs also explain them.
            items, scores, extras = model.recommend(
                block, n, exclude_seen=exclude, block_size=len(block), with_features=True
            )
        else:
            items, scores = model.recommend(block, n, exclude_seen=exclude)
        r, c = np.nonzero(items >= 0)
        users, picked = block[r], items[r, c]
        preferred = None
        if isinstance(model, Hybrid):
            preferred = _dominant_signal(model, *extras[0], r, picked)
        codes, reasons = explain(inter, users, picked, method, knn.sim, content.sim, preferred)
        parts.append(
            pd.DataFrame(
                {
                    "customer_id": customers[start : start + block_size][r].astype(str),
                    "list_name": list_name,
                    "recommendation_rank": (c + 1).astype(np.int32),
                    "product_id": inter.item_ids[picked].astype(str),
                    "product_description": inter.item_description[picked].astype(str),
                    "score": np.round(scores[r, c].astype(np.float64), 6),
                    "method": method,
                    "reason_code": codes,
                    "reason": reasons,
                    "as_of_date": inter.reference_date.date(),
                    "is_cold_start": False,
                }
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _dominant_signal(model: Hybrid, pr, pi, f, r, picked) -> np.ndarray:
    """The signal family contributing most to each recommended pair's hybrid score.

    (pr, pi, f): the block's candidate pairs and features (`candidate_features`); (r, picked): the
    recommended pairs, as block row and item.
    """
    n_items = model.components.inter.n_items
    key = pd.Index(pr * n_items + pi)
    pos = key.get_indexer(r * n_items + picked)
    contrib = model.contributions(f[pos])
    families = [g for g in contrib.columns if g != "repeat"]
    assert set(FEATURE_GROUP.values()) >= set(families)
    return contrib[families].idxmax(axis=1).to_numpy()
