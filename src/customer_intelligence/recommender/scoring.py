"""Production scoring: two ranked lists per customer from a recorded spec, with reasons.

The configuration recorded by `select_production` (production.py) is refitted on all lines before
the as-of date and each customer gets the top-n of each list ("all", "new"); customers unknown
before the as-of date get the cold-start list. Output grain: one row per customer, list and rank.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np
import pandas as pd

from customer_intelligence.recommender.cold_start import cold_start_list
from customer_intelligence.recommender.content import ContentKNN
from customer_intelligence.recommender.data import Interactions, build_interactions, repeated
from customer_intelligence.recommender.hybrid import Hybrid
from customer_intelligence.recommender.neighbours import ItemKNN
from customer_intelligence.recommender.production import LISTS
from customer_intelligence.recommender.reasons import explain
from customer_intelligence.recommender.signals import FEATURE_GROUP
from customer_intelligence.recommender.tuning import FitCache, build_model

LOGGER = logging.getLogger(__name__)

OUTPUT_DTYPES: dict[str, str] = {
    "customer_id": "str",
    "list_name": "str",
    "recommendation_rank": "int32",
    "product_id": "str",
    "product_description": "str",
    "score": "float64",
    "recommendation_method": "str",
    "reason_code": "str",
    "reason": "str",
    "as_of_date": "object",
    "is_cold_start": "bool",
}
OUTPUT_COLUMNS: tuple[str, ...] = tuple(OUTPUT_DTYPES)
# Column blocks gathered per list and block of customers, joined once at the end.
Parts = dict[str, list[np.ndarray]]


def score_customers(
    lines: pd.DataFrame,
    spec: dict[str, Any],
    n: int,
    customer_ids=None,
    block_size: int = 4096,
    as_of_date=None,
) -> pd.DataFrame:
    """Two ranked lists of `n` products per customer from a recorded spec, with reasons.

    The spec's methods are refitted on the lines before `as_of_date` (default: the spec's own,
    the date it was tuned at; a build that reuses the spec passes its own date).

    Output grain: one row per customer, list (`all`/`new`) and rank, in that order. Customers
    unknown before the as-of date (when `customer_ids` names them) get the cold-start list,
    flagged `is_cold_start`.

    Memory: each column is gathered block by block as arrays whose strings are the store's own
    objects, shared by the rows (about 80 bytes a row in all), then joined, ordered and turned
    into an Arrow-backed column one column at a time.
    """
    inter = build_interactions(lines, as_of_date or spec["as_of_date"])
    customers = (
        np.array(sorted({str(c) for c in customer_ids}), dtype=object)
        if customer_ids is not None
        else inter.user_ids
    )
    rows = inter.user_rows(customers)
    warm = np.flatnonzero(rows >= 0)
    parts: Parts = {c: [] for c in (*OUTPUT_COLUMNS, "_customer", "_list")}
    _add_warm_lists(parts, inter, spec, customers, rows, warm, n, block_size)
    cold = np.setdiff1d(np.arange(len(customers)), warm)
    if len(cold):
        _add_cold_start_lists(parts, cold_start_list(inter, n), customers, cold)
    if not parts["customer_id"]:
        return pd.DataFrame({name: pd.Series(dtype=t) for name, t in OUTPUT_DTYPES.items()})
    return _joined_in_order(parts)


def _add_warm_lists(
    parts: Parts,
    inter: Interactions,
    spec: dict[str, Any],
    customers: np.ndarray,
    rows: np.ndarray,
    warm: np.ndarray,
    n: int,
    block_size: int,
) -> None:
    """Both lists of the customers with a history (`warm`: positions in `customers`), block by
    block, appended to `parts`."""
    cache = FitCache()
    explain_knn = cache("item_knn", {"neighbours": 100}, inter)
    explain_content = cache("content", {"neighbours": 50}, inter)
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


def _add_cold_start_lists(
    parts: Parts, ranks: pd.DataFrame, customers: np.ndarray, cold: np.ndarray
) -> None:
    """The cold-start list `ranks` as both lists of each customer without a history (`cold`)."""
    for list_position, list_name in enumerate(LISTS):
        for name in ranks.columns:
            parts[name].append(np.repeat(ranks[name].to_numpy(), len(cold)))
        parts["_customer"].append(np.tile(cold, len(ranks)))
        parts["customer_id"].append(np.tile(customers[cold], len(ranks)))
        parts["list_name"].append(repeated(list_name, len(cold) * len(ranks)))
        parts["_list"].append(np.full(len(cold) * len(ranks), list_position, dtype=np.int8))
        parts["is_cold_start"].append(np.ones(len(cold) * len(ranks), dtype=bool))


def _joined_in_order(parts: Parts) -> pd.DataFrame:
    """Join each column once and put it in (customer, list, rank) order, one column at a time,
    freeing its blocks as it goes (strings become Arrow-backed `str` columns here)."""
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
        "recommendation_method": repeated(method, len(r)),
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
