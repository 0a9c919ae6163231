"""Factorisation methods: EASE (closed-form item-item regression) and implicit-feedback ALS.

EASE is dense in items and is fitted on the `max_items` most popular items only when the
catalogue is larger (documented fallback, default `EASE_MAX_ITEMS_DEFAULT` = 6,000 items = 288 MB
of float64); it ranks its head columns only. ALS ranks dense blocks of user x item dot products.
"""

from __future__ import annotations

import numpy as np

from customer_intelligence.recommender.base import Recommender
from customer_intelligence.recommender.ranking import top_k_dense

EASE_MAX_ITEMS_DEFAULT = 6000
# implicit's own threads; factors do not depend on it. One: dbt runs two models side by side.
ALS_THREADS = 1


class EASE(Recommender):
    """EASE (Steck 2019): closed-form item-item ridge regression, dense in items.

    Above `max_items` the model is fitted on the `max_items` most popular items only; the other
    items get no EASE score (-inf when EASE ranks alone, 0 as a hybrid feature).
    """

    def __init__(self, l2: float = 300.0, max_items: int = EASE_MAX_ITEMS_DEFAULT, **params):
        super().__init__(
            name="ease", params={"l2": float(l2), "max_items": int(max_items), **params}
        )

    def _fit(self, inter):
        pop = inter.item_popularity()
        n_head = min(inter.n_items, self.params["max_items"])
        self.head = np.sort(np.argsort(-pop, kind="stable")[:n_head])
        x = inter.binary[:, self.head].astype(np.float64)
        gram = np.asarray((x.T @ x).toarray(), dtype=np.float32)
        gram[np.diag_indices_from(gram)] += self.params["l2"]
        inv = _spd_inverse(gram)
        weights = inv / (-np.diag(inv))
        weights[np.diag_indices_from(weights)] = 0.0
        self.weights = weights.astype(np.float32)
        self.x_head = inter.binary[:, self.head].astype(np.float32).tocsr()

    def head_scores(self, rows) -> np.ndarray:
        return np.asarray(self.x_head[rows] @ self.weights, dtype=np.float32)

    def score_block(self, rows):
        out = np.full((len(rows), self.inter.n_items), -np.inf, dtype=np.float32)
        out[:, self.head] = self.head_scores(rows)
        return out

    def block_width(self) -> int:
        return len(self.head)

    def top_k_block(self, block, k, exclude_seen):
        """Ranks the head columns only: the other items are -inf, which `top_k_dense` never
        returns, and the head is in item order, so ties still go to the lower item index."""
        scores = self.head_scores(block)
        if exclude_seen:
            seen = self.x_head[block].tocoo()
            scores[seen.row, seen.col] = -np.inf
        items, vals = top_k_dense(scores, k)
        return np.where(items >= 0, self.head[np.maximum(items, 0)], -1), vals.astype(np.float64)


def _spd_inverse(matrix: np.ndarray) -> np.ndarray:
    """Inverse of a symmetric positive-definite matrix via Cholesky (float32, in LAPACK)."""
    from scipy.linalg import lapack

    factor, info = lapack.spotrf(np.asfortranarray(matrix), lower=0, overwrite_a=1)
    if info != 0:
        raise np.linalg.LinAlgError(f"Cholesky failed (info={info})")
    inv, info = lapack.spotri(factor, lower=0, overwrite_c=1)
    if info != 0:
        raise np.linalg.LinAlgError(f"inverse failed (info={info})")
    return np.triu(inv) + np.triu(inv, 1).T


class ALS(Recommender):
    """Implicit-feedback ALS (`implicit` package), confidence = alpha * log1p(purchase days).

    BLAS is limited to one thread and `random_state` is fixed, so two fits on the same data give
    the same factors. `implicit` solves each user (item) independently of the others, so its own
    threads (`ALS_THREADS`) do not change the factors: they are bitwise those of one thread.
    """

    rank_by_value = True  # see `top_k_dense`

    def __init__(
        self,
        factors: int = 64,
        regularization: float = 0.05,
        alpha: float = 10.0,
        iterations: int = 15,
        random_state: int = 42,
        **params,
    ):
        super().__init__(
            name="als",
            params={
                "factors": int(factors),
                "regularization": float(regularization),
                "alpha": float(alpha),
                "iterations": int(iterations),
                "random_state": int(random_state),
                **params,
            },
        )

    def _fit(self, inter):
        from implicit.cpu.als import AlternatingLeastSquares
        from threadpoolctl import threadpool_limits

        weighted = inter.counts.astype(np.float32).copy()
        weighted.data = np.log1p(weighted.data)
        p = self.params
        with threadpool_limits(limits=1, user_api="blas"):
            model = AlternatingLeastSquares(
                factors=p["factors"],
                regularization=p["regularization"],
                alpha=p["alpha"],
                iterations=p["iterations"],
                random_state=p["random_state"],
                num_threads=ALS_THREADS,
                calculate_training_loss=False,
            )
            model.fit(weighted, show_progress=False)
        self.user_factors = np.asarray(model.user_factors, dtype=np.float32)
        self.item_factors = np.asarray(model.item_factors, dtype=np.float32)

    def score_block(self, rows):
        return self.user_factors[rows] @ self.item_factors.T

    def score_pairs(self, users: np.ndarray, items: np.ndarray, chunk: int = 65536) -> np.ndarray:
        """Dot product of each (user, item) pair, in chunks (no pairs x factors array)."""
        out = np.empty(len(users), dtype=np.float32)
        for start in range(0, len(users), chunk):
            part = slice(start, start + chunk)
            out[part] = np.einsum(
                "ij,ij->i", self.user_factors[users[part]], self.item_factors[items[part]]
            )
        return out
