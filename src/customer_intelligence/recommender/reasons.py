"""Short, human-readable reasons for each recommended (customer, product) pair.

Input: the training store, the pairs (user row, item index), the method that produced them, an
item-item co-purchase similarity and a content similarity (sparse, items x items). Output: one
(reason_code, reason) per pair. Repeat items explain themselves by the customer's own rhythm
("you buy this about every 6 weeks"); new items name the product in the customer's history that
is most co-purchased with (or most similar to) the recommended one.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from customer_intelligence.recommender.data import Interactions

POPULARITY_METHODS = {"popularity", "recent_popularity", "cold_start"}


def _anchor(
    inter: Interactions, sim: sp.csr_matrix, users: np.ndarray, items: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each pair, the history item with the highest similarity to the item (-1 if none)."""
    hist = inter.binary
    lengths = np.diff(hist.indptr)[users]
    pair = np.repeat(np.arange(len(users)), lengths)
    starts = np.repeat(hist.indptr[users], lengths)
    offset = np.arange(len(pair)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    hist_items = hist.indices[starts + offset]
    anchor = np.full(len(users), -1, dtype=np.int64)
    best = np.zeros(len(users))
    if len(pair) == 0:
        return anchor, best
    values = np.asarray(sim[hist_items, items[pair]]).ravel()
    order = np.lexsort((hist_items, -values, pair))
    first = np.ones(len(order), dtype=bool)
    first[1:] = pair[order][1:] != pair[order][:-1]
    winner = order[first]
    ok = values[winner] > 0
    anchor[pair[winner][ok]] = hist_items[winner][ok]
    best[pair[winner][ok]] = values[winner][ok]
    return anchor, best


def _short(text: str, width: int = 40) -> str:
    text = str(text).strip().lower()
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def explain(
    inter: Interactions,
    users: np.ndarray,
    items: np.ndarray,
    method: str,
    co_purchase: sp.csr_matrix,
    content: sp.csr_matrix,
    preferred: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Reason code and text per pair; `preferred` (optional) is the dominant signal family."""
    users = np.asarray(users, dtype=np.int64)
    items = np.asarray(items, dtype=np.int64)
    count = np.asarray(inter.counts[users, items]).ravel()
    last = np.asarray(inter.last_age[users, items]).ravel()
    first = np.asarray(inter.first_age[users, items]).ravel()
    co_anchor, _ = _anchor(inter, co_purchase, users, items)
    ct_anchor, _ = _anchor(inter, content, users, items)
    desc = inter.item_description
    codes = np.empty(len(users), dtype=object)
    texts = np.empty(len(users), dtype=object)
    for p in range(len(users)):
        pref = preferred[p] if preferred is not None else None
        if count[p] >= 2:
            interval = (first[p] - last[p]) / (count[p] - 1)
            if interval < 14:
                every = f"{max(1, round(interval))} days"
            else:
                every = f"{round(interval / 7)} weeks"
            codes[p], texts[p] = "repeat_interval", f"you buy this about every {every}"
        elif count[p] == 1:
            weeks = max(1, round(last[p] / 7))
            codes[p], texts[p] = "repeat_once", f"you bought this {weeks} weeks ago"
        elif method in POPULARITY_METHODS or pref == "popularity":
            codes[p], texts[p] = "popular", "popular with customers in the last 30 days"
        elif (method == "content" or pref == "content") and ct_anchor[p] >= 0:
            codes[p] = "similar_description"
            texts[p] = f"similar to {_short(desc[ct_anchor[p]])}"
        elif co_anchor[p] >= 0:
            codes[p] = "co_purchase"
            texts[p] = f"often bought with {_short(desc[co_anchor[p]])}"
        elif ct_anchor[p] >= 0:
            codes[p] = "similar_description"
            texts[p] = f"similar to {_short(desc[ct_anchor[p]])}"
        else:
            codes[p], texts[p] = "similar_customers", "customers with similar baskets buy this"
    return codes, texts
