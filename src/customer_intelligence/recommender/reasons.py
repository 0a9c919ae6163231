"""Short, human-readable reasons for each recommended (customer, product) pair.

Input: the training store, the pairs (user row, item index), the method that produced them, an
item-item co-purchase similarity and a content similarity (sparse, items x items). Output: one
(reason_code, reason) per pair. Repeat items explain themselves by the customer's own rhythm
("you buy this about every 6 weeks"); new items name the product in the customer's history that
is most co-purchased with (or most similar to) the recommended one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from customer_intelligence.recommender.data import Interactions, repeated

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


def _short(descriptions: np.ndarray, width: int = 40) -> np.ndarray:
    """Lower-case descriptions, cut to `width` characters with an ellipsis."""
    text = pd.Series(descriptions, dtype=object).astype(str).str.strip().str.lower()
    cut = text.str.slice(0, width - 3).str.rstrip() + "..."
    return np.where(text.str.len() <= width, text, cut).astype(object)


def _numbers(values: np.ndarray) -> pd.Series:
    return pd.Series(values.astype(np.int64)).astype(str)


def explain(
    inter: Interactions,
    users: np.ndarray,
    items: np.ndarray,
    method: str,
    co_purchase: sp.csr_matrix,
    content: sp.csr_matrix,
    preferred: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Reason code and text per pair; `preferred` (optional) is the dominant signal family.

    First rule that applies: bought at least twice -> the customer's interval; once -> how long
    ago; a popularity method (or popularity dominating the hybrid) -> popular; content
    preferred and a similar history item -> that item; a co-purchased history item -> that
    item; a similar history item -> that item; else similar customers. Anchors are looked up
    only for the pairs that reach those rules.
    """
    users = np.asarray(users, dtype=np.int64)
    items = np.asarray(items, dtype=np.int64)
    n = len(users)
    if n == 0:  # scipy returns a 1 x 0 matrix, not an array, for an empty selection
        return np.empty(0, dtype=object), np.empty(0, dtype=object)
    count = np.asarray(inter.counts[users, items]).ravel()
    last = np.asarray(inter.last_age[users, items]).ravel()
    first = np.asarray(inter.first_age[users, items]).ravel()
    pref = np.asarray(preferred, dtype=object) if preferred is not None else np.full(n, None)
    codes = repeated("similar_customers", n)
    texts = repeated("customers with similar baskets buy this", n)
    _repeat_reasons(codes, texts, count, last, first)
    new = count < 1
    popular = new & ((method in POPULARITY_METHODS) | (pref == "popularity"))
    codes[popular] = "popular"
    texts[popular] = "popular with customers in the last 30 days"
    need = np.flatnonzero(new & ~popular)
    wants_content = (method == "content") | (pref[need] == "content")
    _anchor_reasons(codes, texts, inter, users, items, need, co_purchase, content, wants_content)
    # One string object per distinct reason, shared by its rows (a million customers' lists
    # repeat a few thousand reasons).
    index, distinct = pd.factorize(texts)
    return codes, np.asarray(distinct, dtype=object)[index]


def _repeat_reasons(
    codes: np.ndarray, texts: np.ndarray, count: np.ndarray, last: np.ndarray, first: np.ndarray
) -> None:
    """In place: bought at least twice -> the customer's interval; once -> how long ago."""
    many = count >= 2
    interval = (first[many] - last[many]) / (count[many] - 1)
    in_days = interval < 14
    every = np.where(
        in_days,
        _numbers(np.maximum(1, np.round(interval))) + " days",
        _numbers(np.round(interval / 7)) + " weeks",
    )
    codes[many] = "repeat_interval"
    texts[many] = "you buy this about every " + pd.Series(every, dtype=object)

    once = count == 1
    weeks = np.maximum(1, np.round(last[once] / 7))
    codes[once] = "repeat_once"
    texts[once] = ("you bought this " + _numbers(weeks) + " weeks ago").to_numpy()


def _anchor_reasons(
    codes: np.ndarray,
    texts: np.ndarray,
    inter: Interactions,
    users: np.ndarray,
    items: np.ndarray,
    need: np.ndarray,
    co_purchase: sp.csr_matrix,
    content: sp.csr_matrix,
    wants_content: np.ndarray,
) -> None:
    """In place, for the pairs at positions `need`: content wanted (`wants_content`, one per
    position) and a similar history item -> that item; a co-purchased history item -> that item;
    a similar history item -> that item; else left as they are."""
    co_anchor, _ = _anchor(inter, co_purchase, users[need], items[need])
    ct_anchor, _ = _anchor(inter, content, users[need], items[need])
    similar = (wants_content & (ct_anchor >= 0)) | ((co_anchor < 0) & (ct_anchor >= 0))
    co = ~similar & (co_anchor >= 0)
    desc = inter.item_description
    codes[need[similar]] = "similar_description"
    texts[need[similar]] = "similar to " + _short(desc[ct_anchor[similar]])
    codes[need[co]] = "co_purchase"
    texts[need[co]] = "often bought with " + _short(desc[co_anchor[co]])
