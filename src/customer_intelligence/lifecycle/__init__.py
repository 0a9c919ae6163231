"""Customer lifecycle: probability alive, expected purchases and lifetime value (BG/NBD and
Gamma-Gamma), churn risk (calibrated gradient boosting or logistic regression), their back-test
against baselines, and the registry row the scoring step reads."""

from .config import LifecycleConfig
from .evaluation import evaluation_table
from .history import purchase_days, read_purchase_days
from .pipeline import MODEL_NAME, score_lifecycle, train_lifecycle, training_data

__all__ = [
    "MODEL_NAME",
    "LifecycleConfig",
    "evaluation_table",
    "purchase_days",
    "read_purchase_days",
    "score_lifecycle",
    "train_lifecycle",
    "training_data",
]
