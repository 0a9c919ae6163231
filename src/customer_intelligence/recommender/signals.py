"""The hybrid's signals: the fitted component models and per-item / per-pair statistics.

Signals per (customer, product) pair: repeat propensity (purchase days, recency-decayed counts,
days since last purchase against the customer's own buying interval), co-purchase (item-kNN),
collaborative (EASE, ALS), content (TF-IDF + price band), popularity and annual re-buys
(`same_season_last_year`, see `SEASON_DAYS`). `fit_components` fits them all on one training
store; candidates.py turns them into a feature row per candidate pair (`FEATURES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from customer_intelligence.recommender.content import ContentKNN
from customer_intelligence.recommender.data import Interactions
from customer_intelligence.recommender.factorisation import ALS, EASE
from customer_intelligence.recommender.method_index import METHODS
from customer_intelligence.recommender.neighbours import ItemKNN
from customer_intelligence.recommender.similarity import LARGE_CATALOGUE

FEATURES: tuple[str, ...] = (
    "is_bought",
    "log_purchase_days",
    "decay_30d",
    "decay_180d",
    "log_days_since_last",
    "due_ratio",
    "share_of_customer",
    "item_repeat_rate",
    "co_purchase",
    "ease",
    "als",
    "content",
    "log_popularity",
    "log_recent_popularity",
    "bought_x_repeat_rate",
    "same_season_last_year",
)

# Which reason family each feature supports (used to explain a recommendation).
FEATURE_GROUP: dict[str, str] = {
    "is_bought": "repeat",
    "log_purchase_days": "repeat",
    "decay_30d": "repeat",
    "decay_180d": "repeat",
    "log_days_since_last": "repeat",
    "due_ratio": "repeat",
    "share_of_customer": "repeat",
    "bought_x_repeat_rate": "repeat",
    "same_season_last_year": "repeat",
    "item_repeat_rate": "popularity",
    "co_purchase": "co_purchase",
    "ease": "collaborative",
    "als": "collaborative",
    "content": "content",
    "log_popularity": "popularity",
    "log_recent_popularity": "popularity",
}

# `same_season_last_year` counts the customer's purchase days of the item in the 91 days that
# followed the same date one year earlier (ages 275..365 days at the reference date): annual
# re-buys, such as a wholesaler's Christmas range. It is a fixed definition, not tied to the
# evaluation windows. A store whose history does not reach back 365 days would see only part of
# that window, so there the feature is zero for every pair (see `season_covered`). Its weight is
# learnt like any other; when the validation store lacks a full year it is zero there, and the
# weight stays 0 wherever the weights are applied.
SEASON_DAYS = 91

# Above `LARGE_CATALOGUE` items (similarity.py) ALS candidates are searched among this many most
# popular items only (every candidate still gets its exact ALS feature), and EASE candidates are
# cut with a value threshold (ties at the k-th value: lower index) instead of `argpartition`.
ALS_CANDIDATE_MAX_ITEMS = 10_000


@dataclass
class Components:
    """The fitted signal models of a hybrid on one training store."""

    inter: Interactions
    knn: ItemKNN
    ease: EASE
    als: ALS
    content: ContentKNN
    popularity: np.ndarray
    recent_popularity: np.ndarray
    repeat_rate: np.ndarray
    decay_30: sp.csr_matrix
    decay_180: sp.csr_matrix
    same_season: sp.csr_matrix
    user_days: np.ndarray
    als_head: np.ndarray | None = None
    shared_pattern: bool = False


def fit_components(
    inter: Interactions, params: dict[str, dict[str, Any]], fitter=None
) -> Components:
    """Fit every signal of the hybrid with the (already tuned) parameters given.

    `fitter(name, params, inter)` may return an already fitted model (a cache), else a new fit.
    """

    def fit(name):
        if fitter is not None:
            return fitter(name, params.get(name, {}), inter)
        return METHODS[name](**params.get(name, {})).fit(inter)

    counts = inter.counts
    buyers = np.asarray((counts > 0).sum(axis=0)).ravel()
    repeaters = np.asarray((counts > 1).sum(axis=0)).ravel()
    comp = Components(
        inter=inter,
        knn=fit("item_knn"),
        ease=fit("ease"),
        als=fit("als"),
        content=fit("content"),
        popularity=inter.item_popularity(),
        recent_popularity=inter.recent_popularity(30),
        repeat_rate=(repeaters + 1.0) / (buyers + 10.0),
        decay_30=inter.decayed(30),
        decay_180=inter.decayed(180),
        same_season=(
            inter.aged_between(365 - SEASON_DAYS + 1, 365)
            if season_covered(inter)
            else inter.aged_between(1, 0)  # nothing: all zero, same stored entries
        ),
        user_days=user_purchase_days(inter),
        als_head=als_candidate_items(inter.n_items, inter.item_popularity()),
    )
    comp.shared_pattern = same_pattern(
        counts, inter.last_age, inter.first_age, comp.decay_30, comp.decay_180, comp.same_season
    )
    return comp


def season_covered(inter: Interactions) -> bool:
    """True when the store's history reaches back 365 days, so last year's window is complete."""
    return bool(len(inter.events)) and int(inter.events["age_days"].max()) >= 365


def als_candidate_items(n_items: int, popularity: np.ndarray) -> np.ndarray | None:
    """Items searched for ALS candidates: all (None) up to `LARGE_CATALOGUE` items, else the
    `ALS_CANDIDATE_MAX_ITEMS` most popular (ties: lower index), in index order."""
    if n_items <= LARGE_CATALOGUE:
        return None
    return np.sort(np.argsort(-popularity, kind="stable")[:ALS_CANDIDATE_MAX_ITEMS])


def user_purchase_days(inter: Interactions) -> np.ndarray:
    """Distinct purchase days per customer."""
    days = inter.events[["user_idx", "age_days"]].drop_duplicates()
    return np.bincount(days["user_idx"], minlength=inter.n_users).astype(np.float64)


def same_pattern(first: sp.csr_matrix, *others: sp.csr_matrix) -> bool:
    """True if every matrix stores exactly the entries of `first`, with sorted indices."""
    if not first.has_sorted_indices:
        return False
    return all(
        m.has_sorted_indices
        and np.array_equal(m.indptr, first.indptr)
        and np.array_equal(m.indices, first.indices)
        for m in others
    )
