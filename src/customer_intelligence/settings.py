"""Typed settings from dbt config: vars arrive as text, the dataclass defaults give the types."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def typed_settings(cls: type, values: Mapping[str, Any] | None, label: str) -> dict[str, Any]:
    """The keyword arguments for the dataclass `cls` from a dbt config mapping: each value cast
    to its field default's type (bool, int or float); unknown keys raise, naming `label`."""
    values = dict(values or {})
    known = cls.__dataclass_fields__
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ValueError(f"unknown {label} settings: {', '.join(unknown)}")
    cast: dict[str, Any] = {}
    for name, value in values.items():
        default = known[name].default
        if isinstance(default, bool):
            cast[name] = str(value).strip().lower() in ("1", "true", "yes")
        elif isinstance(default, int):
            cast[name] = int(float(value))
        elif isinstance(default, float):
            cast[name] = float(value)
        else:
            cast[name] = value
    return cast
