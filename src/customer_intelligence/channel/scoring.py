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


def robust_z(log_spend: np.ndarray, median: np.ndarray, mad: np.ndarray) -> np.ndarray:
    """|x - median| / (1.4826 * MAD) per category, against the training accounts' log spends.

    A category whose MAD is 0 (more than half of the training accounts share one log spend, e.g.
    Frozen = 0) has no spread to measure against: its z is NaN and it takes no part in the
    outlier flag. This is the rule of `int_wholesale_accounts_featured.sql`, which divides the
    deviation of ln(1 + spend) from the median by `nullif(1.4826 * mad, 0)` and coalesces the
    null comparison to false; both flag an account when some category's z exceeds the var
    spend_outlier_robust_z. (The SQL takes median and MAD over all accounts, this reference over
    the labelled training accounts.)
    """
    spread = 1.4826 * np.asarray(mad, dtype=np.float64)
    deviation = np.abs(np.asarray(log_spend, dtype=np.float64) - median)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = deviation / spread
    return np.where(spread > 0, z, np.nan)


def spend_outliers(z: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """(largest robust z per row, outlier flag per row) from `robust_z` output.

    NaN z (categories with MAD 0) are skipped: the largest z is over the other categories (0.0
    when every category has MAD 0) and the flag is whether any of them exceeds `threshold`.
    """
    z_max = np.fmax.reduce(z, axis=1, initial=0.0)
    return z_max, np.where(np.isnan(z), False, z > threshold).any(axis=1)


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
    outlier_robust_z: float = 3.5,
    n_jobs: int = 2,
    exact_contributions: bool = False,
) -> pd.DataFrame:
    """One row per account: predicted channel, calibrated probabilities, confidence level, the
    three strongest reasons (feature, signed contribution towards Retail, the account's spend),
    outlier flag, label agreement and model version. `exact_contributions` switches XGBoost
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
    z = robust_z(features[:, : len(SPEND_COLUMNS)], model.outlier_median, model.outlier_mad)
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
    out["spend_robust_z_max"], out["is_spend_outlier"] = spend_outliers(z, outlier_robust_z)
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
