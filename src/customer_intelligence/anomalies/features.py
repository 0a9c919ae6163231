"""Order features for anomaly flags, each measured against the right reference group.

Input grain: one row per order line, with `LINE_COLUMNS` (as `fct_order_lines` holds them: sale
lines with their matched cancellations netted in; `customer_id` may be NULL for guest orders).
Output grain: one row per order (`FEATURES` plus the raw figures the reasons quote).

- `price_z`: the order's most unusual line price, |log(unit price / the product's usual price at
  that quantity tier)| over the product's robust scale of that deviation (prices fall with the
  ordered quantity, so the usual price is the product's median within the line's quantity tier,
  powers of two, when the tier has enough lines). Free lines (unit price 0: samples, gifts) have
  no price to compare and are left out of it.
- `quantity_z`: how far the order's line quantities sit above what this customer usually orders
  of the products: the order's shared shift of log(quantity / the product's median quantity)
  over its lines (shrunk for orders with few lines, as one odd line says less than many), minus
  the customer's usual shift (shrunk to the median over all orders when the customer has few
  orders), robust z.
- `amount_z`: log order amount minus the customer's usual (shrunk the same way), robust z.
- `cancelled_ratio`: cancelled value of the order over the customer's usual order amount (0 when
  nothing was cancelled).
- `repeat_orders`: near-identical orders (same customer, line count and amount to the cent)
  within `burst_hours` before or after this one, this one included.
- `burst_orders`: orders by the same customer within `burst_hours` before or after this one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

LINE_COLUMNS: tuple[str, ...] = (
    "invoice_id",
    "customer_id",
    "product_id",
    "invoiced_at",
    "quantity",
    "cancelled_quantity",
    "unit_price",
)

FEATURES: tuple[str, ...] = (
    "price_z",
    "quantity_z",
    "amount_z",
    "cancelled_ratio",
    "repeat_orders",
    "burst_orders",
)

# Floor of a robust scale (in log units) so a product or customer whose values never vary does
# not turn every small difference into a huge z.
SCALE_FLOOR = 0.1
# Most weight (in lines) an order's quantity shift is shrunk with; the UCI log's own is 0.5.
MAX_LINE_PRIOR = 4.0


@dataclass(frozen=True)
class Lines:
    """Order lines as integer codes, sorted by order (orders coded in invoice_id order), then
    product, quantity and price.

    `order`, `customer` (-1 = no customer) and `product` index `invoice_ids`, `customer_ids` and
    `product_ids`; `seconds` is invoiced_at in epoch seconds."""

    order: np.ndarray
    customer: np.ndarray
    product: np.ndarray
    seconds: np.ndarray
    quantity: np.ndarray
    cancelled: np.ndarray
    price: np.ndarray
    invoice_ids: np.ndarray
    customer_ids: np.ndarray
    product_ids: np.ndarray


def prepare_lines(lines: pd.DataFrame) -> Lines:
    """Check the columns and values, code the ids as integers and sort by order."""
    missing = [c for c in LINE_COLUMNS if c not in lines.columns]
    if missing:
        raise ValueError(
            f"order lines lack the column(s) {', '.join(missing)}; "
            f"anomaly scoring needs {', '.join(LINE_COLUMNS)}"
        )
    for column in ("invoice_id", "product_id", "invoiced_at", "quantity", "unit_price"):
        if lines[column].isna().any():
            raise ValueError(f"order lines have NULL {column}; only customer_id may be NULL")
    if (lines["quantity"] <= 0).any() or (lines["unit_price"] < 0).any():
        raise ValueError("order lines need quantity > 0 and unit_price >= 0 (sale lines only)")
    order, invoice_ids = pd.factorize(lines["invoice_id"], sort=True)
    customer, customer_ids = pd.factorize(lines["customer_id"], sort=True, use_na_sentinel=True)
    product, product_ids = pd.factorize(lines["product_id"], sort=True)
    seconds = pd.to_datetime(lines["invoiced_at"]).to_numpy("datetime64[s]").astype(np.int64)
    by_order = _canonical_order(
        order, product, lines["quantity"].to_numpy(), lines["unit_price"].to_numpy()
    )
    cancelled = lines["cancelled_quantity"].fillna(0).to_numpy(np.float64)
    return Lines(
        order=order[by_order].astype(np.int64),
        customer=customer[by_order].astype(np.int64),
        product=product[by_order].astype(np.int64),
        seconds=seconds[by_order],
        quantity=lines["quantity"].to_numpy(np.float64)[by_order],
        cancelled=np.minimum(cancelled[by_order], lines["quantity"].to_numpy(np.float64)[by_order]),
        price=lines["unit_price"].to_numpy(np.float64)[by_order],
        invoice_ids=np.asarray(invoice_ids, dtype=object),
        customer_ids=np.asarray(customer_ids, dtype=object),
        product_ids=np.asarray(product_ids, dtype=object),
    )


def _canonical_order(
    order: np.ndarray, product: np.ndarray, quantity: np.ndarray, price: np.ndarray
) -> np.ndarray:
    """Row order by (order, product, quantity, price), so sums do not depend on the input's
    order: one stable integer sort, then only the rare repeated (order, product) lines sorted
    by quantity and price in place."""
    key = order.astype(np.int64) * (int(product.max()) + 1) + product
    position = np.argsort(key, kind="stable")
    sorted_key = key[position]
    repeated = np.zeros(len(key), dtype=bool)
    same = sorted_key[1:] == sorted_key[:-1]
    repeated[1:] |= same
    repeated[:-1] |= same
    rows = position[repeated]
    position[repeated] = rows[np.lexsort((price[rows], quantity[rows], key[rows]))]
    return position


def robust_z(values: np.ndarray, floor: float = 0.0) -> np.ndarray:
    """(x - median) / max(1.4826 * MAD, floor); when the MAD is 0 (more than half of the values
    equal) 1.2533 * the mean absolute deviation is the scale, and 1 when all values are equal."""
    x = np.asarray(values, dtype=float)
    if len(x) == 0:
        return x
    median = np.median(x)
    deviation = np.abs(x - median)
    scale = 1.4826 * np.median(deviation)
    if scale == 0:
        scale = 1.2533 * deviation.mean()
    if scale == 0:
        scale = 1.0
    return (x - median) / max(scale, floor)


def group_median(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Each value's group median (groups are integer codes)."""
    return pd.Series(values).groupby(groups).transform("median").to_numpy(float)


def group_scale(deviation: np.ndarray, groups: np.ndarray, floor: float) -> np.ndarray:
    """Each value's group robust scale of `deviation` (already centred), at least `floor`."""
    absolute = pd.Series(np.abs(deviation)).groupby(groups)
    mad = absolute.transform("median").to_numpy(float) * 1.4826
    mean = absolute.transform("mean").to_numpy(float) * 1.2533
    return np.maximum(np.where(mad > 0, mad, mean), floor)


def _shrunk_usual(values: np.ndarray, customer: np.ndarray, prior_orders: float) -> np.ndarray:
    """The customer's median of `values`, shrunk to the median over all orders with the weight
    of `prior_orders` orders; orders without a customer get the overall median."""
    overall = float(np.median(values))
    usual = np.full(len(values), overall)
    known = customer >= 0
    if known.any():
        median = group_median(values[known], customer[known])
        count = np.bincount(customer[known])[customer[known]]
        usual[known] = (count * median + prior_orders * overall) / (count + prior_orders)
    return usual


def _window_counts(group: np.ndarray, seconds: np.ndarray, window: int) -> np.ndarray:
    """For each row, rows of the same group within `window` seconds before or after it, itself
    included (group -1 counts 1). Vectorised: groups laid end to end on one time axis, far
    enough apart never to overlap, then two searchsorted."""
    out = np.ones(len(group), dtype=np.int64)
    known = np.flatnonzero(group >= 0)
    if len(known) == 0:
        return out
    g, t = group[known], seconds[known]
    position = np.lexsort((t, g))
    g, t, rows = g[position], t[position], known[position]
    gap = int(t.max() - t.min()) + 2 * window + 1
    axis = (t - t.min()) + g * gap
    first = np.searchsorted(axis, axis - window, side="left")
    last = np.searchsorted(axis, axis + window, side="right")
    out[rows] = last - first
    return out


def _order_shift(residual: np.ndarray, starts: np.ndarray, line_count: np.ndarray) -> np.ndarray:
    """Each order's shared shift of its line residuals, the mean shrunk towards 0 for orders
    with few lines: mean * L / (L + k), k = s2 / t2, where s2 is the spread of lines within an
    order and t2 the spread of order means beyond it (method of moments over all orders); k is
    at most `MAX_LINE_PRIOR`, so a log whose orders barely differ does not shrink every shift to
    nothing."""
    mean = np.add.reduceat(residual, starts) / line_count
    within = residual - np.repeat(mean, line_count)
    multi = line_count > 1
    if multi.any():
        s2 = float(np.add.reduceat(within**2, starts)[multi].sum() / (line_count[multi] - 1).sum())
    else:
        s2 = 0.0
    t2 = max(float(np.var(mean) - s2 * np.mean(1.0 / line_count)), 1e-9)
    return mean * line_count / (line_count + min(s2 / t2, MAX_LINE_PRIOR))


def order_features(
    lines: Lines,
    burst_hours: float,
    min_reference_lines: int,
    customer_prior_orders: float,
) -> pd.DataFrame:
    """One row per order (in invoice_id order): order, customer, seconds, lines, amount,
    cancelled_amount, usual_amount (the customer's usual order amount), price_ratio (the most
    unusual line's price / usual), quantity_ratio (line quantities / the customer's usual for
    these products), amount_ratio (amount / usual_amount), and `FEATURES`."""
    n_orders = len(lines.invoice_ids)
    starts = np.flatnonzero(np.r_[True, lines.order[1:] != lines.order[:-1]])
    line_count = np.diff(np.r_[starts, len(lines.order)])
    amount_line = lines.quantity * lines.price
    amount = np.add.reduceat(amount_line, starts)
    cancelled_amount = np.add.reduceat(lines.cancelled * lines.price, starts)
    customer = lines.customer[starts]
    seconds = lines.seconds[starts]

    # Price against the product's usual price at that quantity tier.
    product_lines = np.bincount(lines.product)[lines.product]
    log_price = np.log(np.maximum(lines.price, 1e-4))
    tier = np.floor(np.log2(lines.quantity)).astype(np.int64)
    product_tier = lines.product * 64 + np.minimum(tier, 63)
    tier_inverse = pd.factorize(product_tier)[0]
    tier_lines = np.bincount(tier_inverse)[tier_inverse]
    usual_price = np.where(
        tier_lines >= min_reference_lines,
        group_median(log_price, tier_inverse),
        group_median(log_price, lines.product),
    )
    priced = lines.price > 0
    price_deviation = np.where(priced, log_price - usual_price, 0.0)
    price_scale = group_scale(price_deviation, lines.product, SCALE_FLOOR)
    known_product = product_lines >= min_reference_lines
    line_price_z = np.where(known_product & priced, np.abs(price_deviation) / price_scale, 0.0)
    price_z = np.maximum.reduceat(line_price_z, starts)
    is_max = line_price_z == np.repeat(price_z, line_count)
    first_max = pd.Series(np.flatnonzero(is_max)).groupby(lines.order[is_max]).first()
    price_ratio = np.ones(n_orders)
    price_ratio[first_max.index.to_numpy()] = np.exp(price_deviation[first_max.to_numpy()])

    # Line quantities against the product's usual, then against the customer's usual.
    log_quantity = np.log(lines.quantity)
    quantity_deviation = np.where(
        known_product, log_quantity - group_median(log_quantity, lines.product), 0.0
    )
    order_quantity = _order_shift(quantity_deviation, starts, line_count)
    quantity_excess = order_quantity - _shrunk_usual(
        order_quantity, customer, customer_prior_orders
    )
    log_amount = np.log1p(amount)
    amount_excess = log_amount - _shrunk_usual(log_amount, customer, customer_prior_orders)
    usual_amount = np.maximum(np.expm1(log_amount - amount_excess), 0.01)

    # Repeats: same customer, line count and amount (to the cent) within the window.
    cents = np.round(amount * 100).astype(np.int64)
    signature = pd.factorize(pd.MultiIndex.from_arrays([customer, line_count, cents]))[0]
    signature = np.where(customer >= 0, signature, -1)
    window = int(round(burst_hours * 3600))
    features = pd.DataFrame(
        {
            "order": np.arange(n_orders),
            "customer": customer,
            "seconds": seconds,
            "lines": line_count,
            "amount": amount,
            "cancelled_amount": cancelled_amount,
            "usual_amount": usual_amount,
            "price_ratio": price_ratio,
            "quantity_ratio": np.exp(quantity_excess),
            "amount_ratio": amount / usual_amount,
            "price_z": price_z,
            "quantity_z": np.maximum(robust_z(quantity_excess, SCALE_FLOOR), 0.0),
            "amount_z": np.maximum(robust_z(amount_excess, SCALE_FLOOR), 0.0),
            "cancelled_ratio": cancelled_amount / usual_amount,
            "repeat_orders": _window_counts(signature, seconds, window),
            "burst_orders": _window_counts(customer, seconds, window),
        }
    )
    return features
