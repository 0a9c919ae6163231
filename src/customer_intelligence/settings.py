"""Typed settings from dbt config: vars arrive as text, the dataclass defaults give the types."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def typed_settings(
    cls: type,
    values: Mapping[str, Any] | None,
    label: str,
    parsers: Mapping[str, Callable[[Any], Any]] | None = None,
) -> dict[str, Any]:
    """The keyword arguments for the dataclass `cls` from a dbt config mapping: each value cast
    to its field default's type (bool, int, float or text), or by `parsers[name]` where given.
    Unknown keys and values of the wrong kind raise, naming `label` and the setting."""
    values = dict(values or {})
    known = cls.__dataclass_fields__
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ValueError(
            f"unknown {label} settings: {', '.join(unknown)}; known: {', '.join(known)}"
        )
    parsers = parsers or {}
    cast: dict[str, Any] = {}
    for name, value in values.items():
        parse = parsers.get(name) or (lambda v, d=known[name].default: _cast(v, d))
        try:
            cast[name] = parse(value)
        except ValueError as error:
            raise ValueError(f"{label} setting {name}={value!r}: {error}") from None
    return cast


def _cast(value: Any, default: Any) -> Any:
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        raise ValueError("expected true or false")
    if isinstance(default, int):
        number = float(value)
        if number != int(number):
            raise ValueError("expected a whole number")
        return int(number)
    if isinstance(default, float):
        return float(value)
    return str(value).strip()
