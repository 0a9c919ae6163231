"""HORECA-vs-Retail channel classifier for wholesale accounts.

Train: `train_channel_model(accounts, config)` compares logistic regression, random forest, XGBoost
and their soft-voting ensemble by repeated stratified CV, selects, calibrates, picks the
cost-minimising threshold and returns the registry row (artefact inside). Score:
`score_accounts(accounts, registry)`. Unpack training tables: `metrics_table`,
`feature_importance_table`, `calibration_table`, `roc_table`.
"""

from .artefact import ARTEFACT_FORMAT, ChannelModel
from .config import CANDIDATES, ChannelConfig, config_from_mapping
from .features import feature_matrix, from_uci_frame, labels
from .report import calibration_table, feature_importance_table, metrics_table, roc_table
from .scoring import score_accounts
from .training import MODEL_NAME, TrainingResult, train_channel_model, training_data

__all__ = [
    "ARTEFACT_FORMAT",
    "CANDIDATES",
    "MODEL_NAME",
    "ChannelConfig",
    "ChannelModel",
    "TrainingResult",
    "calibration_table",
    "config_from_mapping",
    "feature_importance_table",
    "feature_matrix",
    "from_uci_frame",
    "labels",
    "metrics_table",
    "roc_table",
    "score_accounts",
    "train_channel_model",
    "training_data",
]
