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
import logging
import time
import zlib
from typing import Any

import numpy as np
import pandas as pd

from customer_intelligence.recommender.data import Interactions, build_interactions, repeated
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

LOGGER = logging.getLogger(__name__)

LISTS: dict[str, str] = {"all": "all", "new": "explore"}  # list name -> evaluation task
MODEL_NAME = "product_recommender"
# The list's method when the validation window has no customer to choose on (a log shorter than
# the window, or an early as_of_date): the strongest simple baselines, untuned.
FALLBACK_METHODS: dict[str, str] = {"all": "personal_top_frequency", "new": "popularity"}


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
    choices: dict = {}
    if len(fit_lines) and len(val_lines):
        fit_inter = build_interactions(fit_lines, val_cutoff)
        choices, _ = tune(fit_inter, val_lines, k, methods, FitCache(), max_users=max_users)
    lists, validation = {}, {}
    for name, task in LISTS.items():
        tuned = {m: choices[(m, task)] for m in methods if (m, task) in choices}
        if tuned and next(iter(tuned.values())).validation["users_evaluated"] > 0:
            lists[name] = winners(choices)[task].spec()
            validation[task] = {m: round(c.validation["ndcg"], 6) for m, c in tuned.items()}
            continue
        method = FALLBACK_METHODS[name]
        reason = (
            f"no customer bought both before {val_cutoff.date()} and in the {validation_days} "
            f"validation days to {as_of.date()} (lines {_span(train_lines)}): {method} is used "
            "untuned. If the log is short, lower the var recommender_validation_days to choose on "
            "a shorter window."
        )
        LOGGER.warning("Recommender list '%s': %s", name, reason)
        lists[name] = {"method": method, "params": {}, "weights": None, "fallback": reason}
        validation[task] = {}
    return {
        "as_of_date": str(as_of.date()),
        "validation_start_date": str(val_cutoff.date()),
        "k": int(k),
        "max_evaluation_users": max_users,
        "lists": lists,
        "validation_ndcg": validation,
        "training_lines": int(len(train_lines)),
    }


def registry_parameters(spec: dict[str, Any]) -> dict[str, Any]:
    """The registry's parameters of a spec: method and parameters per list, the reason when a list
    fell back to an untuned baseline (only then, so the version of a tuned spec is unchanged),
    and the evaluation cap."""
    lists = {
        name: {
            "method": s["method"],
            **s["params"],
            **({"fallback": s["fallback"]} if s.get("fallback") else {}),
        }
        for name, s in spec["lists"].items()
    }
    return {**lists, "max_evaluation_users": spec["max_evaluation_users"]}


def _span(lines: pd.DataFrame) -> str:
    if lines.empty:
        return "none"
    dates = _dates(lines)
    return f"{dates.min().date()} to {dates.max().date()}"


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
    recent = np.floor(pop[picked])
    # Past the products bought in the last 30 days, the order is all-time popularity: say so.
    reason = np.where(
        recent > 0,
        "new customer: popular with customers in the last 30 days",
        "new customer: popular with customers before the last 30 days",
    )
    return pd.DataFrame(
        {
            "recommendation_rank": np.arange(1, len(picked) + 1, dtype=np.int32),
            "product_id": inter.item_ids[picked].astype(str),
            "product_description": inter.item_description[picked].astype(str),
            "score": recent.astype(np.float64),
            "method": "cold_start",
            "reason_code": "cold_start_popular",
            "reason": reason.astype(object),
            "as_of_date": inter.reference_date.date(),
        }
    )


OUTPUT_DTYPES: dict[str, str] = {
    "customer_id": "str",
    "list_name": "str",
    "recommendation_rank": "int32",
    "product_id": "str",
    "product_description": "str",
    "score": "float64",
    "method": "str",
    "reason_code": "str",
    "reason": "str",
    "as_of_date": "object",
    "is_cold_start": "bool",
}
OUTPUT_COLUMNS: tuple[str, ...] = tuple(OUTPUT_DTYPES)


def score_customers(
    lines: pd.DataFrame,
    spec: dict[str, Any],
    n: int = 10,
    customer_ids=None,
    block_size: int = 4096,
) -> pd.DataFrame:
    """Two ranked lists per customer from a recorded spec, with reasons.

    Output grain: one row per customer, list (`all`/`new`) and rank, in that order. Customers
    unknown before the as-of date (when `customer_ids` names them) get the cold-start list,
    flagged `is_cold_start`.

    Memory: each column is gathered block by block as arrays whose strings are the store's own
    objects, shared by the rows (about 80 bytes a row in all), then joined, ordered and turned
    into an Arrow-backed column one column at a time.
    """
    inter = build_interactions(lines, spec["as_of_date"])
    customers = (
        np.array(sorted({str(c) for c in customer_ids}), dtype=object)
        if customer_ids is not None
        else inter.user_ids
    )
    rows = inter.user_rows(customers)
    warm = np.flatnonzero(rows >= 0)
    cache = FitCache()
    explain_knn = cache("item_knn", {"neighbours": 100}, inter)
    explain_content = cache("content", {"neighbours": 50}, inter)
    parts: dict[str, list[np.ndarray]] = {c: [] for c in (*OUTPUT_COLUMNS, "_customer", "_list")}
    for list_position, (list_name, task) in enumerate(LISTS.items()):
        started = time.perf_counter()
        choice = spec["lists"][list_name]
        model = build_model(choice, inter, cache)
        LOGGER.info(
            "list %s: refitted %s in %.1f s",
            list_name,
            choice["method"],
            time.perf_counter() - started,
        )
        started = time.perf_counter()
        for start in range(0, len(warm), block_size):
            block = _score_block(
                model,
                inter,
                rows[warm[start : start + block_size]],
                task,
                n,
                choice["method"],
                explain_knn,
                explain_content,
            )
            block["_customer"] = warm[start : start + block_size][block.pop("_row")]
            block["customer_id"] = customers[block["_customer"]]
            block["list_name"] = repeated(list_name, len(block["_customer"]))
            block["_list"] = np.full(len(block["_customer"]), list_position, dtype=np.int8)
            block["is_cold_start"] = np.zeros(len(block["_customer"]), dtype=bool)
            for name, values in block.items():
                parts[name].append(values)
        LOGGER.info(
            "list %s: scored and explained in %.1f s", list_name, time.perf_counter() - started
        )
    cold = np.setdiff1d(np.arange(len(customers)), warm)
    if len(cold):
        ranks = cold_start_list(inter, n)
        for list_position, list_name in enumerate(LISTS):
            for name in ranks.columns:
                parts[name].append(np.repeat(ranks[name].to_numpy(), len(cold)))
            parts["_customer"].append(np.tile(cold, len(ranks)))
            parts["customer_id"].append(np.tile(customers[cold], len(ranks)))
            parts["list_name"].append(repeated(list_name, len(cold) * len(ranks)))
            parts["_list"].append(np.full(len(cold) * len(ranks), list_position, dtype=np.int8))
            parts["is_cold_start"].append(np.ones(len(cold) * len(ranks), dtype=bool))
    if not parts["customer_id"]:
        return pd.DataFrame({name: pd.Series(dtype=t) for name, t in OUTPUT_DTYPES.items()})
    # Join each column once and put it in (customer, list, rank) order, one column at a time,
    # freeing its blocks as it goes (strings become Arrow-backed `str` columns here).
    rank = np.concatenate(parts.pop("recommendation_rank"))
    order = np.lexsort(
        (rank, np.concatenate(parts.pop("_list")), np.concatenate(parts.pop("_customer")))
    )
    columns = {"recommendation_rank": pd.Series(rank[order], dtype="int32")}
    del rank
    for name in OUTPUT_COLUMNS:
        if name != "recommendation_rank":
            values = np.concatenate(parts.pop(name))[order]
            columns[name] = pd.Series(values, dtype=OUTPUT_DTYPES[name])
            del values
    return pd.DataFrame({name: columns.pop(name) for name in OUTPUT_COLUMNS}, copy=False)


def _score_block(
    model, inter, users, task, n, method, knn: ItemKNN, content: ContentKNN
) -> dict[str, np.ndarray]:
    """One block of customers' top-n for one list: arrays per output column, plus `_row` (the
    position of each row's customer in `users`)."""
    exclude = task == "explore"
    if isinstance(model, Hybrid):
        # One candidate pass per block: the features that ranked the pairs also explain them.
        items, scores, extras = model.recommend(
            users, n, exclude_seen=exclude, block_size=len(users), with_features=True
        )
    else:
        items, scores = model.recommend(users, n, exclude_seen=exclude)
    r, c = np.nonzero(items >= 0)
    picked = items[r, c]
    preferred = (
        _dominant_signal(model, *extras[0], r, picked) if isinstance(model, Hybrid) else None
    )
    codes, reasons = explain(inter, users[r], picked, method, knn.sim, content.sim, preferred)
    return {
        "_row": r,
        "recommendation_rank": (c + 1).astype(np.int32),
        "product_id": inter.item_ids[picked],
        "product_description": inter.item_description[picked],
        "score": np.round(scores[r, c].astype(np.float64), 6),
        "method": repeated(method, len(r)),
        "reason_code": codes,
        "reason": reasons,
        "as_of_date": repeated(inter.reference_date.date(), len(r)),
    }


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
