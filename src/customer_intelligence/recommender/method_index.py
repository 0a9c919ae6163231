"""Every recommender method by the name the evaluation, the registry and the tuning use.

`METHODS` maps a name to its class (fitted with `METHODS[name](**params).fit(inter)`); the hybrid
blends several of them and is named `"hybrid"` (hybrid.py). `BASELINES` are the methods the
evaluation table flags as baselines (`is_baseline`).
"""

from __future__ import annotations

from customer_intelligence.recommender.base import Recommender
from customer_intelligence.recommender.baselines import (
    PersonalTopFrequency,
    Popularity,
    RecentPopularity,
)
from customer_intelligence.recommender.content import ContentKNN
from customer_intelligence.recommender.factorisation import ALS, EASE
from customer_intelligence.recommender.neighbours import ItemKNN, UserKNN

METHODS: dict[str, type[Recommender]] = {
    "popularity": Popularity,
    "recent_popularity": RecentPopularity,
    "personal_top_frequency": PersonalTopFrequency,
    "item_knn": ItemKNN,
    "user_knn": UserKNN,
    "ease": EASE,
    "als": ALS,
    "content": ContentKNN,
}

ALL_METHODS: tuple[str, ...] = (*METHODS, "hybrid")

BASELINES: tuple[str, ...] = (
    "popularity",
    "recent_popularity",
    "personal_top_frequency",
    "item_knn",
    "ease",
    "als",
)
