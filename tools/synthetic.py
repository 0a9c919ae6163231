"""Deterministic synthetic transaction logs shaped like UCI Online Retail, for benchmarks and tests.

Same eight columns, same text formats (ISO timestamps, 'C' cancellation invoices, empty
CustomerID for guests) and the same kinds of mess as the real log, at any size:
- repeat customers (log-normal activity) who return to a personal set of favourite products;
- product popularity with a long tail (Zipf-like weights);
- about 25% guest lines without CustomerID, about 1.7% cancellation lines (negated copies of an
  earlier purchase by the same customer), about 1% exact duplicate lines, about 0.5% postage and
  manual lines, and about 0.3% lines with a zero price.
The same `rows` and `seed` always give the same file, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

COLUMNS = (
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
)
_ADJECTIVES = (
    "RED",
    "BLUE",
    "VINTAGE",
    "PINK",
    "WHITE",
    "RETRO",
    "GREEN",
    "HEART",
    "SMALL",
    "JUMBO",
)
_NOUNS = ("MUG", "LANTERN", "BAG", "CANDLE", "CARD", "TIN", "CLOCK", "CUSHION", "FRAME", "BOTTLE")
_COUNTRIES = ("United Kingdom", "Germany", "France", "EIRE", "Spain", "Netherlands", "Belgium")
_COUNTRY_WEIGHTS = (0.88, 0.03, 0.03, 0.02, 0.015, 0.015, 0.01)
_NON_PRODUCTS = (("POST", "POSTAGE"), ("DOT", "DOTCOM POSTAGE"), ("M", "Manual"))


@dataclass(frozen=True)
class Shape:
    """How a synthetic log of `rows` lines is laid out."""

    rows: int
    customers: int
    products: int
    lines_per_invoice: int = 20
    guest_share: float = 0.25
    cancellation_share: float = 0.017
    duplicate_share: float = 0.01
    non_product_share: float = 0.005
    zero_price_share: float = 0.003
    favourite_share: float = 0.35
    days: int = 373

    @classmethod
    def for_rows(cls, rows: int) -> Shape:
        """The Online Retail proportions (about 125 lines per customer) scaled to `rows`."""
        customers = max(10, rows // 125)
        products = int(min(50_000, max(50, 4_000 * (rows / 500_000) ** 0.5)))
        return cls(rows=rows, customers=customers, products=products)


def generate(shape: Shape, seed: int = 42) -> pa.Table:
    """Return a synthetic log as an Arrow table of text columns (the raw file's columns)."""
    rng = np.random.default_rng(seed)
    n_cancel = int(shape.rows * shape.cancellation_share)
    n_dup = int(shape.rows * shape.duplicate_share)
    n_base = shape.rows - n_cancel - n_dup
    n_invoices = max(1, n_base // shape.lines_per_invoice)

    # Customers: log-normal activity, a home country, a personal set of favourite products.
    activity = rng.lognormal(0.0, 1.2, shape.customers)
    activity /= activity.sum()
    customer_country = rng.choice(len(_COUNTRIES), shape.customers, p=_COUNTRY_WEIGHTS)
    popularity = 1.0 / np.arange(1, shape.products + 1) ** 0.9
    popularity /= popularity.sum()
    favourites = rng.choice(shape.products, (shape.customers, 8), p=popularity)

    # Invoices: a customer (or a guest), a timestamp in shop hours over `days` days.
    invoice_customer = rng.choice(shape.customers, n_invoices, p=activity)
    is_guest = rng.random(n_invoices) < shape.guest_share
    day = rng.integers(0, shape.days, n_invoices)
    second = rng.integers(8 * 3600, 18 * 3600, n_invoices)
    invoice_seconds = np.sort(day * 86_400 + second)

    invoice_of_line = np.sort(rng.integers(0, n_invoices, n_base))
    customer_of_line = invoice_customer[invoice_of_line]
    product = rng.choice(shape.products, n_base, p=popularity)
    use_favourite = rng.random(n_base) < shape.favourite_share
    favourite_pick = favourites[customer_of_line, rng.integers(0, 8, n_base)]
    product = _spread_repeats(
        invoice_of_line, np.where(use_favourite, favourite_pick, product), shape
    )
    quantity = rng.choice(
        np.array([1, 2, 3, 4, 6, 8, 12, 24, 48]),
        n_base,
        p=[0.18, 0.16, 0.1, 0.1, 0.14, 0.08, 0.14, 0.07, 0.03],
    )
    product_price = np.round(rng.lognormal(0.9, 0.8, shape.products), 2) + 0.05
    price = product_price[product]
    price = np.where(rng.random(n_base) < shape.zero_price_share, 0.0, price)
    non_product = np.where(
        rng.random(n_base) < shape.non_product_share, rng.integers(0, 3, n_base), -1
    )
    seconds = invoice_seconds[invoice_of_line]
    guest = is_guest[invoice_of_line]

    # Cancellations: negated (part of) an earlier purchase by a known customer, days later.
    known = np.flatnonzero(~guest & (non_product < 0))
    cancelled = (
        rng.choice(known, n_cancel, replace=known.size < n_cancel) if n_cancel else known[:0]
    )
    cancel_quantity = -np.maximum(1, (quantity[cancelled] * rng.random(n_cancel)).astype(np.int64))
    cancel_seconds = seconds[cancelled] + rng.integers(3_600, 30 * 86_400, n_cancel)

    lines = {
        "invoice": np.concatenate([invoice_of_line, np.arange(n_cancel) + n_invoices]),
        "is_cancellation": np.concatenate([np.zeros(n_base, bool), np.ones(n_cancel, bool)]),
        "product": np.concatenate([product, product[cancelled]]),
        "non_product": np.concatenate([non_product, np.full(n_cancel, -1)]),
        "quantity": np.concatenate([quantity, cancel_quantity]),
        "seconds": np.concatenate([seconds, cancel_seconds]),
        "price": np.concatenate([price, price[cancelled]]),
        "customer": np.concatenate([customer_of_line, customer_of_line[cancelled]]),
        "guest": np.concatenate([guest, np.zeros(n_cancel, bool)]),
    }
    duplicated = rng.choice(n_base + n_cancel, n_dup, replace=False) if n_dup else []
    order = np.sort(np.concatenate([np.arange(n_base + n_cancel), duplicated]))
    numeric = pa.table({name: values[order] for name, values in lines.items()})
    return _as_text(numeric, customer_country)


def _spread_repeats(invoice: np.ndarray, product: np.ndarray, shape: Shape) -> np.ndarray:
    """Move the 2nd, 3rd... pick of a product on one invoice to another product.

    Popular products would otherwise repeat within invoices far more often than in the real log,
    and repeated lines with equal quantities would be exact duplicates by accident.
    """
    key = invoice.astype(np.int64) * shape.products + product
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    starts = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
    positions = np.arange(key.size)
    rank_sorted = positions - np.maximum.accumulate(np.where(starts, positions, 0))
    occurrence = np.empty_like(rank_sorted)
    occurrence[order] = rank_sorted
    return (product + occurrence * 7_919) % shape.products


def _as_text(numeric: pa.Table, customer_country: np.ndarray) -> pa.Table:
    """Format the numeric columns as the raw file's text, in DuckDB (fast at 10M rows)."""
    adjectives = ", ".join(f"'{a}'" for a in _ADJECTIVES)
    nouns = ", ".join(f"'{n}'" for n in _NOUNS)
    countries = ", ".join(f"'{c}'" for c in _COUNTRIES)
    codes = ", ".join(f"'{code}'" for code, _ in _NON_PRODUCTS)
    names = ", ".join(f"'{name}'" for _, name in _NON_PRODUCTS)
    country_of = pa.table({"customer_country": customer_country})
    con = duckdb.connect()
    con.register("numeric_lines", numeric)
    con.register("countries_by_customer", country_of)
    query = f"""
        with countries_numbered as (
            select row_number() over () - 1 as customer, customer_country
            from countries_by_customer
        )
        select
            case when is_cancellation then 'C' else '' end || cast(536365 + invoice as varchar)
                as InvoiceNo,
            case when non_product >= 0 then [{codes}][non_product + 1]
                else cast(10000 + product as varchar) end as StockCode,
            case when non_product >= 0 then [{names}][non_product + 1]
                else [{adjectives}][product % 10 + 1] || ' ' || [{nouns}][(product // 10) % 10 + 1]
                    || ' ' || cast(product as varchar) end as Description,
            cast(quantity as varchar) as Quantity,
            strftime(timestamp '2010-12-01' + to_seconds(seconds), '%Y-%m-%d %H:%M:%S')
                as InvoiceDate,
            cast(cast(price as decimal(10, 2)) as varchar) as UnitPrice,
            case when guest then null else cast(12346 + customer as varchar) end as CustomerID,
            [{countries}][customer_country + 1] as Country
        from numeric_lines
        left join countries_numbered using (customer)
        order by seconds, invoice, product
    """
    return con.sql(query).to_arrow_table()


def write(shape: Shape, path: Path, seed: int = 42) -> Path:
    """Write a synthetic log to `path` (.parquet, .csv or .csv.gz) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table = generate(shape, seed)
    con = duckdb.connect()
    con.register("synthetic_lines", table)
    suffix = "".join(path.suffixes[-2:]) if path.name.endswith(".csv.gz") else path.suffix
    options = {
        ".parquet": "(format parquet, compression zstd)",
        ".csv": "(format csv, header true)",
        ".csv.gz": "(format csv, header true, compression gzip)",
    }
    if suffix not in options:
        raise ValueError(f"Unsupported output {path}: use .parquet, .csv or .csv.gz")
    con.execute(f"copy (select * from synthetic_lines) to '{path}' {options[suffix]}")
    return path
