"""Product recommender: temporal evaluation, baselines, hybrid, item-to-item, production lists.

Every function here reads order lines (one row per kept sales line, the `fct_order_lines` grain)
and never looks past the date it is given: vocabularies, popularity and item statistics are all
computed from the lines strictly before the cutoff. The dbt Python models under
`python_models/recommender/` are thin shells over `production`, `scoring`, `cold_start`,
`associations` and `evaluation`, configured by one `RecommenderConfig`.

Modules by job: `config` (settings), `data` (interaction store), `split` and `metrics`
(hold-out and ranking metrics), `ranking` and `similarity` (top-k kernels), `base`, `baselines`,
`neighbours`, `factorisation` and `content` (the methods, indexed by name in `method_index`),
`signals`, `candidates` and `hybrid` (the learnt blend), `tuning` (grids and winners),
`reasons` (explanations).
"""

from customer_intelligence.recommender.config import RecommenderConfig
from customer_intelligence.recommender.data import Interactions, build_interactions
from customer_intelligence.recommender.metrics import evaluate_lists
from customer_intelligence.recommender.split import temporal_split

__all__ = [
    "Interactions",
    "RecommenderConfig",
    "build_interactions",
    "evaluate_lists",
    "temporal_split",
]
