"""Labelled anomalies injected into a copy of the order lines, to measure what the flags catch.

Input and output grain: order lines as `features.Lines` (the caller's data is never changed).
Each kind alters a fixed-seed sample of orders that have a customer, `share` of all orders:
- `price`: one random line's unit price typed x10 or /10 (even odds);
- `quantity`: every line's quantity x20 (an order keyed with an extra digit or a wrong unit);
- `cancellation`: every line's quantity x5, then the whole order cancelled (a large order
  placed and cancelled);
- `repeat`: the order re-submitted 3 more times by the same customer, each 2 to 15 minutes
  after the previous (all within an hour); the 3 re-submissions are the labelled anomalies, so
  share / 3 of the orders are re-submitted.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .features import Lines

KINDS: tuple[str, ...] = ("price", "quantity", "cancellation", "repeat")
REPEATS = 3


def inject(lines: Lines, kind: str, share: float, seed: int) -> tuple[Lines, np.ndarray]:
    """(a copy of `lines` with `kind` injected, the order codes of the injected anomalies).
    The random stream depends on (seed, kind) only."""
    if kind not in KINDS:
        raise ValueError(f"unknown anomaly kind {kind!r}; expected one of {', '.join(KINDS)}")
    rng = np.random.default_rng([seed, KINDS.index(kind)])
    n_orders = len(lines.invoice_ids)
    starts = np.flatnonzero(np.r_[True, lines.order[1:] != lines.order[:-1]])
    eligible = np.flatnonzero(lines.customer[starts] >= 0)
    wanted = share * n_orders / (REPEATS if kind == "repeat" else 1)
    count = min(max(int(round(wanted)), 1), len(eligible))
    if count == 0:
        raise ValueError("no order has a customer; anomalies cannot be injected")
    chosen = np.sort(rng.choice(eligible, count, replace=False))
    hit = np.isin(lines.order, chosen)
    if kind == "price":
        ends = np.r_[starts[1:], len(lines.order)]
        line = starts[chosen] + (rng.random(count) * (ends[chosen] - starts[chosen])).astype(int)
        price = lines.price.copy()
        price[line] *= np.where(rng.random(count) < 0.5, 10.0, 0.1)
        return replace(lines, price=price), chosen
    if kind == "quantity":
        return replace(lines, quantity=np.where(hit, lines.quantity * 20, lines.quantity)), chosen
    if kind == "cancellation":
        quantity = np.where(hit, lines.quantity * 5, lines.quantity)
        cancelled = np.where(hit, quantity, lines.cancelled)
        return replace(lines, quantity=quantity, cancelled=cancelled), chosen
    return _repeat(lines, chosen, hit, rng)


def _repeat(lines: Lines, chosen: np.ndarray, hit: np.ndarray, rng: np.random.Generator):
    rows = np.flatnonzero(hit)
    gaps = rng.integers(120, 901, size=(len(chosen), REPEATS)).cumsum(axis=1)
    position = np.searchsorted(chosen, lines.order[rows])
    n_orders = len(lines.invoice_ids)
    parts = {name: [getattr(lines, name)] for name in ("customer", "product", "quantity", "price")}
    order_parts, second_parts, cancelled_parts = [lines.order], [lines.seconds], [lines.cancelled]
    for repeat in range(REPEATS):
        order_parts.append(n_orders + repeat * len(chosen) + position)
        second_parts.append(lines.seconds[rows] + gaps[position, repeat])
        cancelled_parts.append(np.zeros(len(rows)))
        for name, values in parts.items():
            values.append(getattr(lines, name)[rows])
    new_ids = [
        lines.invoice_ids[chosen].astype(str) + f"-R{repeat + 1}" for repeat in range(REPEATS)
    ]
    injected = lines.__class__(
        order=np.concatenate(order_parts),
        seconds=np.concatenate(second_parts),
        cancelled=np.concatenate(cancelled_parts),
        invoice_ids=np.concatenate([lines.invoice_ids, *[ids.astype(object) for ids in new_ids]]),
        customer_ids=lines.customer_ids,
        product_ids=lines.product_ids,
        **{name: np.concatenate(values) for name, values in parts.items()},
    )
    return injected, np.arange(n_orders, n_orders + REPEATS * len(chosen))
