"""Global temporal split and the relevant sets of each evaluation task.

Input grain: order lines. `temporal_split` returns the lines strictly before the cutoff (train)
and the lines in [cutoff, cutoff + window) (test); the validation window is the same split applied
to the training lines, so tuning never sees the test window.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from customer_intelligence.recommender.data import Interactions, clean_lines

TASKS: tuple[str, ...] = ("all", "explore")


def temporal_split(
    lines: pd.DataFrame, cutoff, window_days: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Lines before `cutoff` and lines in [cutoff, cutoff + window_days)."""
    cutoff = pd.Timestamp(cutoff).normalize()
    end = cutoff + pd.Timedelta(days=int(window_days))
    when = line_dates(lines)
    return lines.loc[when < cutoff], lines.loc[(when >= cutoff) & (when < end)]


def line_dates(lines: pd.DataFrame) -> pd.Series:
    """The purchase date (midnight) of each line, from `invoice_date` (or `invoiced_at`)."""
    column = "invoice_date" if "invoice_date" in lines.columns else "invoiced_at"
    return pd.to_datetime(lines[column]).dt.normalize()


@dataclass
class Relevance:
    """Relevant items of the evaluated users for one task.

    `rows` are row indices into the training `Interactions`; `relevant` is a binary CSR
    (len(rows) x n_items) over the training vocabulary; `n_unseen` counts each user's relevant
    products that are not in the training vocabulary (they can never be recommended, but they
    stay in the denominator of recall and NDCG so the figures are not flattered).
    """

    task: str
    rows: np.ndarray
    relevant: sp.csr_matrix
    n_unseen: np.ndarray

    @property
    def n_users(self) -> int:
        return len(self.rows)


def relevance(train: Interactions, future_lines: pd.DataFrame, task: str) -> Relevance:
    """Relevant sets for users with purchases on both sides of the split.

    "all": every product bought in the window. "explore": only products the customer had not
    bought before the cutoff; users left with nothing are not evaluated for that task.
    """
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}")
    future = clean_lines(future_lines)[["customer_id", "product_id"]].drop_duplicates()
    rows = train.user_rows(future["customer_id"])
    future = future.assign(row=rows).loc[rows >= 0]
    item_index = pd.Index(train.item_ids)
    future = future.assign(col=item_index.get_indexer(future["product_id"]))
    if task == "explore":
        # Each (customer, product) cell is read from the history directly: selecting the
        # customers' rows first would copy a whole history row per future line.
        rows, cols = future["row"].to_numpy(), future["col"].to_numpy()
        bought = np.zeros(len(future), dtype=bool)
        known = cols >= 0
        if known.any():  # scipy returns a 1 x 0 matrix, not an array, for an empty selection
            bought[known] = np.asarray(train.counts[rows[known], cols[known]]).ravel() > 0
        future = future.loc[~bought]
    users = np.array(sorted(future["row"].unique()), dtype=np.int64)
    position = np.searchsorted(users, future["row"].to_numpy())
    in_vocab = future["col"].to_numpy() >= 0
    relevant = sp.csr_matrix(
        (
            np.ones(in_vocab.sum(), dtype=np.float32),
            (position[in_vocab], future["col"].to_numpy()[in_vocab]),
        ),
        shape=(len(users), train.n_items),
    )
    n_unseen = np.bincount(position[~in_vocab], minlength=len(users))
    return Relevance(task=task, rows=users, relevant=relevant, n_unseen=n_unseen)


def sample_users(rel: Relevance, max_users: int | None, seed: int = 42) -> Relevance:
    """At most `max_users` of the evaluated users (a fixed-seed sample, kept in row order).

    Tuning and evaluation score every method on these users only, which bounds their time and
    memory at any scale; the standard error of a mean NDCG over 20,000 users is about 0.002.
    None or a number >= the users keeps them all.
    """
    if max_users is None or rel.n_users <= max_users:
        return rel
    take = np.sort(np.random.default_rng(seed).choice(rel.n_users, int(max_users), replace=False))
    return Relevance(
        task=rel.task, rows=rel.rows[take], relevant=rel.relevant[take], n_unseen=rel.n_unseen[take]
    )
