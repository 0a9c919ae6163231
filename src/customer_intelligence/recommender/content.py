"""Content method: TF-IDF description and price-band vectors, and the content-kNN on them.

`content_vectors` also serves the hybrid's content signal, the content fallback of the product
associations and the reasons ("similar to ...").
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from customer_intelligence.recommender.base import SparseScores
from customer_intelligence.recommender.data import Interactions
from customer_intelligence.recommender.similarity import blockwise_similarity


def content_vectors(inter: Interactions, price_weight: float = 0.5, bands: int = 5):
    """TF-IDF over product descriptions plus a one-hot price band, rows L2-normalised.

    A product whose description has no word (missing, or only digits and signs) gets no vector:
    its price band alone would make it identical (similarity 1) to every such product of the band.
    """
    text = [str(d) if d else "" for d in inter.item_description]
    vectoriser = TfidfVectorizer(
        lowercase=True, ngram_range=(1, 2), min_df=1, sublinear_tf=True, token_pattern=r"[a-z]{2,}"
    )
    empty = sp.csr_matrix((inter.n_items, 0))
    tfidf = vectoriser.fit_transform(text) if any(text) else empty
    price = np.log1p(np.maximum(inter.item_price, 0.0))
    edges = np.unique(np.quantile(price, np.linspace(0, 1, bands + 1)[1:-1])) if len(price) else []
    band = np.searchsorted(edges, price, side="right")
    has_words = np.diff(tfidf.tocsr().indptr) > 0
    onehot = sp.csr_matrix(
        (np.where(has_words, price_weight, 0.0), (np.arange(inter.n_items), band)),
        shape=(inter.n_items, len(edges) + 1),
    )
    onehot.eliminate_zeros()
    return normalize(sp.hstack([tfidf, onehot]).tocsr(), norm="l2", axis=1), band


class ContentKNN(SparseScores):
    """Content-based: items similar (TF-IDF description + price band) to what the user bought."""

    def __init__(self, neighbours: int = 50, price_weight: float = 0.5, **params):
        super().__init__(
            name="content",
            params={"neighbours": int(neighbours), "price_weight": float(price_weight), **params},
        )

    def _fit(self, inter):
        vectors, self.price_band = content_vectors(inter, self.params["price_weight"])
        self.sim = blockwise_similarity(vectors, vectors.T.tocsr(), self.params["neighbours"])

    def score_sparse(self, rows):
        return sp.csr_matrix(self.inter.binary_rows(rows) @ self.sim)
