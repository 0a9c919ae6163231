"""Score accounts with the current registry row: channel, probabilities, confidence, reasons.

Input grain: one row per account (labelled or not) with the columns `features` needs; the registry
frame holds the current `channel_classifier` row. Output grain: one row per input account.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from .artefact import ChannelModel
from .features import CHANNELS, SPEND_COLUMNS, feature_matrix, labels, validate_accounts

TOP_FEATURES = 3
CONFIDENCE_LEVELS: tuple[str, str, str] = ("High", "Medium", "Low")


def confidence_level(probability_of_call: np.ndarray, high: float, medium: float) -> np.ndarray:
    """'High' when the called channel's probability >= high, 'Medium' when >= medium, else 'Low'."""
    if not 0 <= medium <= high <= 1:
        raise ValueError("need 0 <= medium cut-off <= high cut-off <= 1")
    return np.where(
        probability_of_call >= high,
        CONFIDENCE_LEVELS[0],
        np.where(probability_of_call >= medium, CONFIDENCE_LEVELS[1], CONFIDENCE_LEVELS[2]),
    )


def top_contributions(
    contributions: np.ndarray, predicted_retail: np.ndarray, k: int = TOP_FEATURES
) -> np.ndarray:
    """(n_rows, k) feature positions that push hardest towards each row's decision.

    Contributions are signed towards Retail, so a Retail call ranks the largest values first and a
    HORECA call the most negative ones; ties keep feature order.
    """
    towards_call = np.where(predicted_retail[:, None], contributions, -contributions)
    return np.argsort(-towards_call, axis=1, kind="stable")[:, :k]


def current_model(registry: pd.DataFrame) -> tuple[ChannelModel, str]:
    """The model and version of the single registry row (raise when there is not exactly one)."""
    if len(registry) != 1:
        raise ValueError(f"expected one current registry row, got {len(registry)}")
    row = registry.iloc[0]
    return ChannelModel.from_json(row["artefact"]), str(row["model_version"])


def score_accounts(
    accounts: pd.DataFrame,
    registry: pd.DataFrame,
    confidence_high: float = 0.9,
    confidence_medium: float = 0.7,
    n_jobs: int = 2,
    exact_contributions: bool = False,
) -> pd.DataFrame:
    """One row per account: predicted channel, calibrated probabilities, confidence level, the
    three strongest reasons (feature, signed contribution towards Retail, the account's spend),
    label agreement and model version. Unusual spend is flagged in SQL
    (`int_wholesale_accounts_featured`), over every account. `exact_contributions` switches XGBoost
    reasons from path attributions to exact TreeSHAP (see `artefact`)."""
    model, version = current_model(registry)
    validate_accounts(accounts, model.use_region)
    with threadpool_limits(1):
        features = feature_matrix(accounts, model.use_region)
        explanation = model.explain(features, n_jobs, exact_contributions)
    probability_retail = model.calibrator.apply(explanation.probability)
    predicted_retail = probability_retail >= model.threshold
    probability_of_call = np.where(predicted_retail, probability_retail, 1 - probability_retail)
    label = labels(accounts)
    channel_names = np.asarray(CHANNELS, dtype=object)
    out = {
        "account_id": accounts["account_id"].to_numpy(dtype=np.int64),
        "predicted_channel": channel_names[predicted_retail.astype(np.int64)],
        "probability_horeca": 1 - probability_retail,
        "probability_retail": probability_retail,
        "decision_threshold": np.full(len(accounts), model.threshold),
        "confidence_level": confidence_level(
            probability_of_call, confidence_high, confidence_medium
        ),
    }
    top = top_contributions(explanation.contributions, predicted_retail)
    rows = np.arange(len(accounts))
    names = np.asarray(model.feature_names, dtype=object)
    spend = accounts[list(SPEND_COLUMNS)].to_numpy(dtype=np.float64)
    for rank in range(TOP_FEATURES):
        position = top[:, rank]
        is_spend = position < len(SPEND_COLUMNS)
        out[f"top_feature_{rank + 1}_name"] = names[position]
        out[f"top_feature_{rank + 1}_contribution"] = explanation.contributions[rows, position]
        out[f"top_feature_{rank + 1}_spend"] = np.where(
            is_spend, spend[rows, np.minimum(position, len(SPEND_COLUMNS) - 1)], np.nan
        )
    out["contribution_unit"] = np.full(len(accounts), explanation.unit, dtype=object)
    out["channel_label"] = pd.array(
        np.where(label >= 0, channel_names[np.maximum(label, 0)], None), dtype="string"
    )
    out["is_labelled"] = label >= 0
    out["is_label_disagreement"] = pd.array(
        np.where(label >= 0, predicted_retail != (label == 1), None), dtype="boolean"
    )
    out["model_version"] = np.full(len(accounts), version, dtype=object)
    frame = pd.DataFrame(out)
    for column in ("predicted_channel", "confidence_level", "contribution_unit", "model_version"):
        frame[column] = frame[column].astype("string")
    for rank in range(1, TOP_FEATURES + 1):
        frame[f"top_feature_{rank}_name"] = frame[f"top_feature_{rank}_name"].astype("string")
    return frame
