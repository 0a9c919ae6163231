"""Item-to-item table: products bought together (invoice level), with a content fallback.

Input grain: order lines before the as-of date. Output grain: one row per product and related
rank: related product, relation type (`co_purchase` or `similar_description` for products with
too few co-purchases), invoices containing both, confidence P(related | product), lift, and a
similarity (cosine of invoice co-occurrence, or TF-IDF cosine for the content fallback).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from customer_intelligence.recommender.content import content_vectors
from customer_intelligence.recommender.data import Interactions, build_interactions, clean_lines
from customer_intelligence.recommender.similarity import blockwise_similarity

_BEST_FIRST = {"by": ["a", "similarity", "b"], "ascending": [True, False, True]}


def product_associations(
    lines: pd.DataFrame, as_of_date, top_n: int, min_co_invoices: int
) -> pd.DataFrame:
    """Top `top_n` related products per product; see module docstring for columns.

    A co-purchase needs at least `min_co_invoices` invoices holding both products; the ranks left
    are filled with the most similar descriptions.
    """
    reference = pd.Timestamp(as_of_date).normalize()
    inter = build_interactions(lines, reference)
    pairs = _co_purchase_pairs(_basket_matrix(lines, inter, reference), top_n, min_co_invoices)
    fallback = _content_pairs(inter, top_n)
    fallback = fallback.merge(pairs[["a", "b"]], on=["a", "b"], how="left", indicator=True)
    fallback = fallback.loc[fallback["_merge"] == "left_only"].drop(columns="_merge")
    fallback = fallback.sort_values(**_BEST_FIRST)
    combined = pd.concat([pairs, fallback], ignore_index=True)
    combined = combined.groupby("a", sort=False).head(top_n).copy()
    combined["related_rank"] = combined.groupby("a").cumcount() + 1
    return pd.DataFrame(
        {
            "product_id": inter.item_ids[combined["a"].to_numpy()].astype(str),
            "related_rank": combined["related_rank"].astype(np.int32).to_numpy(),
            "related_product_id": inter.item_ids[combined["b"].to_numpy()].astype(str),
            "relation_type": combined["relation_type"].to_numpy(),
            "co_invoice_count": combined["co_invoice_count"].astype(np.int64).to_numpy(),
            "confidence": combined["confidence"].to_numpy(dtype=np.float64),
            "lift": combined["lift"].to_numpy(dtype=np.float64),
            "similarity": combined["similarity"].to_numpy(dtype=np.float64),
            "as_of_date": reference.date(),
        }
    ).sort_values(["product_id", "related_rank"], ignore_index=True)


def _basket_matrix(
    lines: pd.DataFrame, inter: Interactions, reference: pd.Timestamp
) -> sp.csr_matrix:
    """Invoice x product incidence (1.0 when the invoice holds the product), lines before the
    reference date, products in the store's order."""
    frame = clean_lines(lines)
    frame = frame.loc[frame["purchase_date"] < reference]
    item_index = pd.Index(inter.item_ids)
    baskets = frame[["invoice_id", "product_id"]].drop_duplicates()
    inv_codes, _ = pd.factorize(baskets["invoice_id"], sort=True)
    item_codes = item_index.get_indexer(baskets["product_id"])
    return sp.csr_matrix(
        (np.ones(len(baskets), dtype=np.float32), (inv_codes, item_codes)),
        shape=(inv_codes.max() + 1 if len(inv_codes) else 0, inter.n_items),
    )


def _co_purchase_pairs(basket: sp.csr_matrix, top_n: int, min_co_invoices: int) -> pd.DataFrame:
    """Per product a, its top `top_n` co-purchased products b by invoice cosine, with support,
    confidence and lift (pairs sharing fewer than `min_co_invoices` invoices dropped)."""
    n_invoices = basket.shape[0]
    item_invoices = np.asarray(basket.sum(axis=0)).ravel()
    by_item = basket.T.tocsr()
    co = blockwise_similarity(by_item, basket, k=max(top_n * 5, 50))
    co = co.tocoo()
    support = co.data.astype(np.float64)
    a, b = co.row, co.col
    keep = support >= min_co_invoices
    a, b, support = a[keep], b[keep], support[keep]
    pairs = pd.DataFrame(
        {
            "a": a,
            "b": b,
            "co_invoice_count": support.astype(np.int64),
            "confidence": support / item_invoices[a],
            "lift": support * n_invoices / (item_invoices[a] * item_invoices[b]),
            "similarity": support / np.sqrt(item_invoices[a] * item_invoices[b]),
            "relation_type": "co_purchase",
        }
    )
    pairs = pairs.sort_values(**_BEST_FIRST)
    return pairs.groupby("a", sort=False).head(top_n)


def _content_pairs(inter: Interactions, top_n: int) -> pd.DataFrame:
    """Per product a, its top `top_n` products b by description (TF-IDF + price band) cosine."""
    vectors, _ = content_vectors(inter)
    content = blockwise_similarity(vectors, vectors.T.tocsr(), k=top_n).tocoo()
    return pd.DataFrame(
        {
            "a": content.row,
            "b": content.col,
            "co_invoice_count": 0,
            "confidence": np.nan,
            "lift": np.nan,
            "similarity": content.data.astype(np.float64),
            "relation_type": "similar_description",
        }
    )
