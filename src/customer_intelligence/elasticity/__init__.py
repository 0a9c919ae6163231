"""Price elasticity per product: log weekly units on log list price with the shop's week
effect, robust intervals, a suggested price move where the interval says which way revenue
goes, and the checks behind them (held-out weeks, known elasticities, shuffled prices)."""

from .config import ElasticityConfig
from .pipeline import (
    ELASTICITY_COLUMNS,
    MODEL_NAME,
    evaluate_elasticities,
    price_elasticities,
    product_groups,
    suggestions,
    train_elasticity_model,
    training_data,
)

__all__ = [
    "ELASTICITY_COLUMNS",
    "MODEL_NAME",
    "ElasticityConfig",
    "evaluate_elasticities",
    "price_elasticities",
    "product_groups",
    "suggestions",
    "train_elasticity_model",
    "training_data",
]
