"""Segment names read off centroid profiles: deterministic, from a closed vocabulary.

Centroids are in standardised units (z-scores against the training population), so "high" means
above the population average. Each naming scheme maps a centroid to an *archetype* from a fixed
vocabulary (the key of the marketing playbook seed); the *name* is the archetype, plus a qualifier
only when two segments share an archetype.

- `retail_rfm`: value tier from the mean z of `value_features` (e.g. log frequency, log monetary)
  crossed with recency status from the z of `recency_feature` (log days since last order; low =
  recent). Tiers: z > 0.5 high, z < -0.5 low, else mid; the same cut-offs for recency.
- `wholesale_spend`: spend tier from the mean z of `value_features` (log category spends) and the
  lead category: the `mix_features` share with the highest z (the category this segment over-buys
  most relative to the average account). Archetype "<Tier>-spend, <category>-led".
"""

from __future__ import annotations

import numpy as np

from .config import SegmenterConfig
from .features import feature_label

TIER_CUTOFF = 0.5
TIERS: tuple[str, ...] = ("high", "mid", "low")
RECENCY_STATUSES: tuple[str, ...] = ("recent", "cooling", "lapsed")

RETAIL_ARCHETYPES: dict[tuple[str, str], str] = {
    ("high", "recent"): "High-value loyal",
    ("high", "cooling"): "High-value cooling",
    ("high", "lapsed"): "Lapsing big spenders",
    ("mid", "recent"): "Promising regulars",
    ("mid", "cooling"): "Mid-value occasional",
    ("mid", "lapsed"): "Fading mid-value",
    ("low", "recent"): "Recent low-value",
    ("low", "cooling"): "Low-value occasional",
    ("low", "lapsed"): "Lost low-value",
}
WHOLESALE_TIER_WORDS: dict[str, str] = {"high": "High", "mid": "Mid", "low": "Low"}


def _tier(z: float) -> str:
    if z > TIER_CUTOFF:
        return "high"
    if z < -TIER_CUTOFF:
        return "low"
    return "mid"


def _recency_status(z: float) -> str:
    if z < -TIER_CUTOFF:
        return "recent"
    if z > TIER_CUTOFF:
        return "lapsed"
    return "cooling"


def _wholesale_archetype(tier: str, mix_feature: str) -> str:
    return f"{WHOLESALE_TIER_WORDS[tier]}-spend, {feature_label(mix_feature)}-led"


def archetype_of(centroid_z: np.ndarray, config: SegmenterConfig) -> str:
    """The archetype of one centroid (z-scores in `config.features` order)."""
    position = {name: i for i, name in enumerate(config.features)}
    value_z = float(np.mean([centroid_z[position[f]] for f in config.value_features]))
    if config.naming_scheme == "retail_rfm":
        recency_z = float(centroid_z[position[config.recency_feature]])
        return RETAIL_ARCHETYPES[(_tier(value_z), _recency_status(recency_z))]
    mix_z = [centroid_z[position[f]] for f in config.mix_features]
    lead = config.mix_features[int(np.argmax(mix_z))]  # first maximum: deterministic
    return _wholesale_archetype(_tier(value_z), lead)


def archetype_vocabulary(config: SegmenterConfig) -> list[str]:
    """Every archetype the scheme can produce for this config (what the playbook must cover)."""
    if config.naming_scheme == "retail_rfm":
        return list(RETAIL_ARCHETYPES.values())
    return [_wholesale_archetype(t, f) for t in TIERS for f in config.mix_features]


def name_segments(centroids_z: np.ndarray, config: SegmenterConfig) -> tuple[list[str], list[str]]:
    """(archetypes, names) for centroids ordered by segment id.

    Names equal archetypes unless two segments share one; those get a qualifier naming the feature
    on which the segment differs most from the others with the same archetype ("higher frequency"),
    and, if that still collides, the segment id. Same centroids in, same names out.
    """
    archetypes = [archetype_of(c, config) for c in centroids_z]
    names = list(archetypes)
    for archetype in sorted(set(archetypes)):
        members = [i for i, a in enumerate(archetypes) if a == archetype]
        if len(members) < 2:
            continue
        for i in members:
            others = centroids_z[[j for j in members if j != i]].mean(axis=0)
            diff = centroids_z[i] - others
            top = int(np.argmax(np.abs(diff)))
            word = "higher" if diff[top] > 0 else "lower"
            names[i] = f"{archetype} ({word} {feature_label(config.features[top])})"
    duplicated = {name for name in names if names.count(name) > 1}
    names = [f"{name} #{i + 1}" if name in duplicated else name for i, name in enumerate(names)]
    return archetypes, names
