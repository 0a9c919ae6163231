"""Order lines to a user x item interaction store (sparse only).

Input grain: one row per order line with `customer_id`, `product_id`, `invoice_date` (or
`invoiced_at`), and optionally `quantity`, `product_description`, `unit_price`.
Output: an `Interactions` object whose vocabularies (customers, products) and item statistics come
only from the lines it was built from; the unit of interaction is a purchase day (distinct
customer x product x invoice date), so a 500-unit line counts once, like a 1-unit line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..frames import to_pandas

# The order-line columns the recommender reads, by their `fct_order_lines` names.
LINE_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "product_id",
    "invoice_id",
    "invoice_date",
    "quantity",
    "product_description",
    "unit_price",
)


def repeated(value, n: int) -> np.ndarray:
    """An object array of n references to one `value`. (`np.full(n, "text", dtype=object)`
    makes n separate copies of a string: 70-odd bytes a row instead of 8.)"""
    out = np.empty(n, dtype=object)
    out.fill(value)
    return out


def read_lines(relation) -> pd.DataFrame:
    """The `LINE_COLUMNS` of an order-lines relation (e.g. a dbt Python model's
    `dbt.ref("fct_order_lines")`, any engine's: `frames.to_pandas`) as a frame."""
    return to_pandas(relation, LINE_COLUMNS)


def clean_lines(lines: pd.DataFrame) -> pd.DataFrame:
    """Keep lines with a customer and a positive quantity; add `purchase_date`.

    The lines are the warehouse's cleaned sales (`fct_order_lines`): staging has already
    screened out non-product stock codes (postage, fees, vouchers, ...) against the
    `non_product_stock_codes` seed, so every product id here is a product.

    The interaction is the purchase itself (gross `quantity`), not the quantity net of later
    cancellations: netting uses cancellations dated up to as_of_date, so it would let a
    cancellation after a cutoff remove a purchase made before it.
    """
    date_column = "invoice_date" if "invoice_date" in lines.columns else "invoiced_at"
    keep = lines["customer_id"].notna()
    if "quantity" in lines.columns:
        keep &= lines["quantity"].fillna(0) > 0
    frame = lines.loc[keep].copy()  # one copy of the kept lines, not two of all of them
    frame["purchase_date"] = pd.to_datetime(frame[date_column]).dt.normalize()
    frame["customer_id"] = frame["customer_id"].astype(str)
    position, distinct = pd.factorize(frame["product_id"].astype(str))
    cleaned = pd.Series(distinct, dtype=object).astype(str).str.strip().str.upper()
    frame["product_id"] = cleaned.to_numpy(dtype=object)[position]
    return frame


@dataclass
class Interactions:
    """Sparse purchase history as of `reference_date` (exclusive).

    `counts[u, i]` = purchase days, `last_age[u, i]` = days from the last purchase to the
    reference date (>= 1), `first_age[u, i]` = same for the first purchase. `events` holds one row
    per (user_idx, item_idx, age_days) for recency-decayed features.
    """

    reference_date: pd.Timestamp
    user_ids: np.ndarray
    item_ids: np.ndarray
    counts: sp.csr_matrix
    last_age: sp.csr_matrix
    first_age: sp.csr_matrix
    events: pd.DataFrame
    item_description: np.ndarray
    item_price: np.ndarray
    n_lines: int
    _user_index: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def n_users(self) -> int:
        return len(self.user_ids)

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    @property
    def binary(self) -> sp.csr_matrix:
        out = self.counts.copy()
        out.data = np.ones_like(out.data)
        return out

    def binary_rows(self, rows) -> sp.csr_matrix:
        """`binary[rows]` without copying the whole matrix first."""
        out = self.counts[rows]
        out.data = np.ones_like(out.data)
        return out

    def user_rows(self, customer_ids) -> np.ndarray:
        """Row index of each customer id, -1 for customers unknown at the reference date."""
        if not self._user_index:
            self._user_index = {u: k for k, u in enumerate(self.user_ids)}
        return np.array([self._user_index.get(str(c), -1) for c in customer_ids], dtype=np.int64)

    def item_popularity(self) -> np.ndarray:
        """Distinct customers per item."""
        return np.asarray(self.binary.sum(axis=0)).ravel().astype(np.float64)

    def recent_popularity(self, days: int) -> np.ndarray:
        """Distinct customers per item over the last `days` days before the reference date."""
        recent = self.events.loc[self.events["age_days"] <= days, ["user_idx", "item_idx"]]
        recent = recent.drop_duplicates()
        return np.bincount(recent["item_idx"].to_numpy(), minlength=self.n_items).astype(float)

    def aged_between(self, low_days: int, high_days: int) -> sp.csr_matrix:
        """Purchase days per (user, item) aged `low_days` to `high_days` (inclusive) at the
        reference date; stored on the same entries as `counts` (zeros kept)."""
        age = self.events["age_days"].to_numpy()
        inside = ((age >= low_days) & (age <= high_days)).astype(np.float64)
        return _to_csr(self.events, inside, self.n_users, self.n_items)

    def decayed(self, half_life_days: float) -> sp.csr_matrix:
        """Sum over purchase days of 2 ** (-age / half_life): repeat propensity with decay."""
        weights = np.exp2(-self.events["age_days"].to_numpy() / float(half_life_days))
        return _to_csr(self.events, weights, self.n_users, self.n_items)


def _to_csr(events: pd.DataFrame, values, n_users: int, n_items: int) -> sp.csr_matrix:
    matrix = sp.csr_matrix(
        (np.asarray(values, dtype=np.float64), (events["user_idx"], events["item_idx"])),
        shape=(n_users, n_items),
    )
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix


def build_interactions(lines: pd.DataFrame, reference_date) -> Interactions:
    """Build the interaction store from lines strictly before `reference_date`.

    Lines on or after the reference date are dropped here, whatever the caller passed, so no
    vocabulary or statistic can see the future.
    """
    reference = pd.Timestamp(reference_date).normalize()
    frame = clean_lines(lines)
    frame = frame.loc[frame["purchase_date"] < reference]
    user_ids = np.array(sorted(frame["customer_id"].unique()), dtype=object)
    item_ids = np.array(sorted(frame["product_id"].unique()), dtype=object)
    frame["user_idx"] = pd.Categorical(frame["customer_id"], categories=user_ids).codes
    frame["item_idx"] = pd.Categorical(frame["product_id"], categories=item_ids).codes
    frame["age_days"] = (reference - frame["purchase_date"]).dt.days.astype(np.int64)
    events = (
        frame[["user_idx", "item_idx", "age_days"]]
        .drop_duplicates()
        .sort_values(["user_idx", "item_idx", "age_days"])
        .reset_index(drop=True)
    )
    pair = events.groupby(["user_idx", "item_idx"], sort=True)["age_days"].agg(
        ["size", "min", "max"]
    )
    pair = pair.reset_index()
    shape = (len(user_ids), len(item_ids))
    counts = _to_csr(pair, pair["size"], *shape)
    last_age = _to_csr(pair, pair["min"], *shape)
    first_age = _to_csr(pair, pair["max"], *shape)
    description, price = _item_metadata(frame, len(item_ids))
    return Interactions(
        reference_date=reference,
        user_ids=user_ids,
        item_ids=item_ids,
        counts=counts,
        last_age=last_age,
        first_age=first_age,
        events=events,
        item_description=description,
        item_price=price,
        n_lines=len(frame),
    )


def _item_metadata(frame: pd.DataFrame, n_items: int) -> tuple[np.ndarray, np.ndarray]:
    """Most frequent description and median unit price per item, from the given lines only."""
    description = repeated("", n_items)
    price = np.zeros(n_items, dtype=np.float64)
    if "product_description" in frame.columns:
        desc = frame[["item_idx", "product_description"]].dropna()
        desc = desc.assign(product_description=desc["product_description"].astype(str))
        top = (
            desc.groupby(["item_idx", "product_description"])
            .size()
            .reset_index(name="n")
            .sort_values(["item_idx", "n", "product_description"], ascending=[True, False, True])
            .drop_duplicates("item_idx")
        )
        description[top["item_idx"].to_numpy()] = top["product_description"].to_numpy()
    if "unit_price" in frame.columns:
        med = frame.groupby("item_idx")["unit_price"].median()
        price[med.index.to_numpy()] = med.to_numpy()
    return description, price
