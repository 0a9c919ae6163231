"""Settings of the recommender: list lengths, windows, evaluation sample and tuning grids.

The dbt Python models read one `recommender` mapping from their YAML config (values templated from
`var()` arrive as strings: "10", "91,152,213", "[20, 50]") and pass it to
`RecommenderConfig.from_mapping`, which parses and checks every setting. The settings have no
defaults here: the one place they are written is the project's vars.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class RecommenderConfig:
    """Everything that changes what the recommender lists, evaluates or tunes.

    - `top_n`: products per customer list (and the cold-start list); `related_top_n`: related
      products per product; `min_co_invoices`: invoices two products must share to be related.
    - `k`: list length at which tuning and evaluation score (NDCG@k, ...).
    - `validation_days`: the window before the as-of date (or an evaluation cutoff) on which each
      method is tuned and the production method chosen.
    - `eval_cutoff_days_before`: evaluation cutoffs, in days before the as-of date; each is
      followed by a test window of `test_window_days`.
    - `max_evaluation_users`: customers scored per validation or test window (a fixed-seed
      sample above it); 0 = every customer.
    - `*_grid`: the values tuning tries for each method's parameter (ALS: every combination of
      factors, regularization and alpha; the hybrid: its blend's inverse L2 strength `l2_c`). On a
      tie the first value listed wins.
    """

    top_n: int
    related_top_n: int
    min_co_invoices: int
    k: int
    validation_days: int
    eval_cutoff_days_before: tuple[int, ...]
    test_window_days: int
    max_evaluation_users: int
    recent_popularity_days_grid: tuple[int, ...]
    item_knn_neighbours_grid: tuple[int, ...]
    user_knn_neighbours_grid: tuple[int, ...]
    ease_l2_grid: tuple[float, ...]
    als_factors_grid: tuple[int, ...]
    als_regularization_grid: tuple[float, ...]
    als_alpha_grid: tuple[float, ...]
    content_neighbours_grid: tuple[int, ...]
    hybrid_l2_c_grid: tuple[float, ...]

    def __post_init__(self) -> None:
        for item in fields(self):
            _check(item.name, getattr(self, item.name), _KINDS[item.name])

    @property
    def max_users(self) -> int | None:
        """`max_evaluation_users` as the tuning and evaluation read it: None = every customer."""
        return self.max_evaluation_users or None

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any] | None) -> RecommenderConfig:
        """Parse a mapping of every setting, whose values may be text (dbt YAML-templated config).

        Raises ValueError naming the setting when one is missing, unknown, empty or malformed.
        """
        if not isinstance(mapping, Mapping):
            raise ValueError(
                "the recommender settings must be a mapping of setting name to value (the model's "
                f"`recommender` config); got {mapping!r}"
            )
        unknown = sorted(set(mapping) - set(_KINDS))
        if unknown:
            raise ValueError(f"unknown recommender setting(s): {', '.join(map(str, unknown))}")
        missing = [name for name in _KINDS if name not in mapping]
        if missing:
            raise ValueError(f"missing recommender setting(s): {', '.join(missing)}")
        return cls(**{name: _parse(name, mapping[name], kind) for name, kind in _KINDS.items()})


@dataclass(frozen=True)
class _Kind:
    """How a setting is read: a number or a tuple of numbers, of `number` type, >= `low` (or >
    `low` when `strict`)."""

    number: type
    many: bool
    low: float
    strict: bool = False


_WHOLE = _Kind(int, many=False, low=1)
_WHOLE_OR_ZERO = _Kind(int, many=False, low=0)
_WHOLES = _Kind(int, many=True, low=1)
_POSITIVE_REALS = _Kind(float, many=True, low=0, strict=True)
_NON_NEGATIVE_REALS = _Kind(float, many=True, low=0)

_KINDS: dict[str, _Kind] = {
    "top_n": _WHOLE,
    "related_top_n": _WHOLE,
    "min_co_invoices": _WHOLE,
    "k": _WHOLE,
    "validation_days": _WHOLE,
    "eval_cutoff_days_before": _WHOLES,
    "test_window_days": _WHOLE,
    "max_evaluation_users": _WHOLE_OR_ZERO,
    "recent_popularity_days_grid": _WHOLES,
    "item_knn_neighbours_grid": _WHOLES,
    "user_knn_neighbours_grid": _WHOLES,
    "ease_l2_grid": _POSITIVE_REALS,
    "als_factors_grid": _WHOLES,
    "als_regularization_grid": _NON_NEGATIVE_REALS,
    "als_alpha_grid": _POSITIVE_REALS,
    "content_neighbours_grid": _WHOLES,
    "hybrid_l2_c_grid": _POSITIVE_REALS,
}
_EMPTY_TEXT = ("", "none", "null")


def _parse(name: str, value: Any, kind: _Kind) -> Any:
    """One setting from its config value: a number, or for a tuple a list, a tuple, a number, or
    text such as "91,152" or "[20, 50]"."""
    if value is None or (isinstance(value, str) and value.strip().lower() in _EMPTY_TEXT):
        raise ValueError(f"setting {name} is empty; give it a value")
    if not kind.many:
        return _number(name, value, kind.number)
    if isinstance(value, str):
        parts = [p.strip() for p in re.split(r"[,;]", value.strip().strip("[]()")) if p.strip()]
    elif isinstance(value, list | tuple):
        parts = list(value)
    else:
        parts = [value]
    if not parts:
        raise ValueError(f"setting {name} needs at least one value, got {value!r}")
    return tuple(_number(name, part, kind.number) for part in parts)


def _number(name: str, value: Any, number: type) -> int | float:
    """A whole (`int`) or real (`float`) number from a number or its text; no booleans."""
    text = value.strip() if isinstance(value, str) else value
    try:
        if isinstance(text, bool):
            raise TypeError
        real = float(text)
    except (TypeError, ValueError):
        raise ValueError(f"setting {name}: {value!r} is not a number") from None
    if not math.isfinite(real):
        raise ValueError(f"setting {name}: {value!r} is not a finite number")
    if number is int:
        if not real.is_integer():
            raise ValueError(f"setting {name}: {value!r} is not a whole number")
        return int(real)
    return real


def _check(name: str, value: Any, kind: _Kind) -> None:
    """Type and range of a set value (also when the config is built in Python)."""
    values = value if kind.many else (value,)
    if kind.many and (not isinstance(value, tuple) or not value):
        raise ValueError(f"setting {name} must be a non-empty tuple, got {value!r}")
    for one in values:
        if isinstance(one, bool) or not isinstance(one, kind.number):
            raise ValueError(f"setting {name}: {one!r} is not of type {kind.number.__name__}")
        if one < kind.low or (kind.strict and one == kind.low):
            bound = f"> {kind.low:g}" if kind.strict else f">= {kind.low:g}"
            raise ValueError(f"setting {name} must be {bound}, got {one!r}")
    if len(set(values)) < len(values):
        raise ValueError(f"setting {name} lists a value twice: {value!r}")
