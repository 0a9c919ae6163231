"""The list for a customer with no purchase history: recent popularity, near-duplicates skipped.

Input: an `Interactions` store (lines before the as-of date). Output grain: one row per rank.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from customer_intelligence.recommender.baselines import RecentPopularity
from customer_intelligence.recommender.content import ContentKNN
from customer_intelligence.recommender.data import Interactions


def cold_start_list(inter: Interactions, n: int, max_similarity: float = 0.5) -> pd.DataFrame:
    """Popular-this-month products, skipping near-duplicates by description (content MMR-lite).

    Output grain: one row per rank (1..n).
    """
    pop = RecentPopularity(days=30).fit(inter).pop
    content = ContentKNN(neighbours=50).fit(inter).sim
    order = np.argsort(-pop, kind="stable")
    picked: list[int] = []
    for item in order[: max(n * 20, 200)]:
        if len(picked) >= n:
            break
        if picked and np.asarray(content[picked, item].toarray()).max() > max_similarity:
            continue
        picked.append(int(item))
    # Fill with the most popular products skipped above if diversity left the list short.
    picked += [int(i) for i in order if int(i) not in set(picked)][: n - len(picked)]
    recent = np.floor(pop[picked])
    # Past the products bought in the last 30 days, the order is all-time popularity: say so.
    reason = np.where(
        recent > 0,
        "new customer: popular with customers in the last 30 days",
        "new customer: popular with customers before the last 30 days",
    )
    return pd.DataFrame(
        {
            "recommendation_rank": np.arange(1, len(picked) + 1, dtype=np.int32),
            "product_id": inter.item_ids[picked].astype(str),
            "product_description": inter.item_description[picked].astype(str),
            "score": recent.astype(np.float64),
            "recommendation_method": "cold_start",
            "reason_code": "cold_start_popular",
            "reason": reason.astype(object),
            "as_of_date": inter.reference_date.date(),
        }
    )
