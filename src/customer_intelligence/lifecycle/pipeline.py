"""The steps the dbt Python models call: back-test, train (registry row), score customers.

The registry artefact (format `lifecycle-model-json-v1`) is plain JSON:

    {"format": "lifecycle-model-json-v1", "horizon_days": 90, "clv_horizon_months": 12,
     "monthly_discount_rate": 0.01, "probabilistic": {"bgnbd": {...}, "gamma_gamma": {...}},
     "churn": <churn.ChurnModel.to_dict()> or null}

`churn` is null when the log is too short for a single labelled window before as_of_date
(less than horizon + min_history_days of purchases): the churn probability then falls back to
BG/NBD's 1 - P(alive), and the registry's algorithm says so.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ..registry import frame_hash, library_versions, registry_row
from ..retraining import TrainingData, settings_hash
from . import probabilistic
from .churn import ChurnModel, fit_churn
from .config import LifecycleConfig
from .features import churn_features
from .probabilistic import Probabilistic
from .windows import Snapshots

MODEL_NAME = "customer_lifecycle"
ARTEFACT_FORMAT = "lifecycle-model-json-v1"
FALLBACK_METHOD = "bgnbd_p_alive"
DAY_COLUMNS: tuple[str, ...] = ("customer_id", "day", "amount")


def training_data(days: pd.DataFrame, config: LifecycleConfig, as_of_date: Any) -> TrainingData:
    """The fingerprint `retraining.decide` compares: purchase days, their hash, the settings
    (with the lifetimes version), and the mean purchase amount as the key measure."""
    settings = {**config.parameters(), "lifetimes": library_versions(["lifetimes"])}
    return TrainingData(
        rows=len(days),
        data_hash=frame_hash(days, list(DAY_COLUMNS)),
        settings_hash=settings_hash(settings),
        as_of_date=pd.Timestamp(as_of_date).date(),
        mean=float(days["amount"].mean()) if len(days) else 0.0,
    )


def _summary_metrics(evaluation: pd.DataFrame) -> dict[str, Any]:
    """Per evaluation cutoff: the selected churn method's figures and the best baseline's, and
    the value model's purchase MAE against the naive rate."""
    out: dict[str, Any] = {"evaluated_cutoffs": int(evaluation["cutoff_date"].nunique())}
    for cutoff, rows in evaluation.groupby("cutoff_date", sort=True):
        churn = rows[rows["target"] == "churn"]
        pick = churn.pivot_table(index="method", columns="metric", values="metric_value")
        selected = churn.loc[churn["is_selected"], "method"].iloc[0]
        baselines = churn.loc[churn["is_baseline"], "method"].unique()
        best = pick.loc[baselines, "roc_auc"].idxmax()
        purchases = rows[rows["target"] == "purchases"].pivot_table(
            index="method", columns="metric", values="metric_value"
        )
        out[str(cutoff)] = {
            "churn_method": selected,
            "churn_roc_auc": pick.loc[selected, "roc_auc"],
            "churn_brier": pick.loc[selected, "brier"],
            "churn_ece": pick.loc[selected, "expected_calibration_error"],
            "best_baseline": best,
            "best_baseline_roc_auc": pick.loc[best, "roc_auc"],
            "purchases_mae": purchases.loc["bgnbd_gamma_gamma", "mae"],
            "naive_purchases_mae": purchases.loc["naive_rate", "mae"],
        }
    return out


def train_lifecycle(
    days: pd.DataFrame,
    product_firsts: pd.DataFrame,
    evaluation: pd.DataFrame,
    as_of_date: Any,
    config: LifecycleConfig,
) -> pd.DataFrame:
    """Fit BG/NBD, Gamma-Gamma and the churn model for `as_of_date`; one registry row."""
    snapshots = Snapshots(days, product_firsts, config)
    as_of = pd.Timestamp(as_of_date)
    model = snapshots.model(as_of)
    training = snapshots.training_frame(as_of)
    churn: ChurnModel | None = None
    out_of_fold = {}
    if not training.empty:
        churn, trained = fit_churn(training, config)
        out_of_fold = {m: t.out_of_fold_brier for m, t in trained.items()}
    method = churn.method if churn is not None else FALLBACK_METHOD
    artefact = {
        "format": ARTEFACT_FORMAT,
        "horizon_days": config.horizon_days,
        "clv_horizon_months": config.clv_horizon_months,
        "monthly_discount_rate": config.monthly_discount_rate,
        "probabilistic": model.to_dict(),
        "churn": churn.to_dict() if churn is not None else None,
    }
    metrics = {
        **_summary_metrics(evaluation),
        "training_windows": int(training["window_cutoff"].nunique()) if len(training) else 0,
        "out_of_fold_brier": out_of_fold,
    }
    row = registry_row(
        model_name=MODEL_NAME,
        algorithm=f"BG/NBD + Gamma-Gamma (lifetimes); churn: {method}",
        training_data_hash=frame_hash(days, list(DAY_COLUMNS)),
        training_rows=len(training) if len(training) else len(days),
        parameters={**config.parameters(), **model.to_dict()},
        metrics=metrics,
        artefact_format=ARTEFACT_FORMAT,
        artefact=json.dumps(artefact, sort_keys=True),
        as_of_date=as_of.date(),
    )
    row["as_of_date"] = pd.array(row["as_of_date"].tolist(), dtype=pd.ArrowDtype(pa.date32()))
    return row


def score_lifecycle(
    days: pd.DataFrame,
    product_firsts: pd.DataFrame,
    registry: pd.DataFrame,
    as_of_date: Any,
) -> pd.DataFrame:
    """One row per customer with a purchase before `as_of_date`, scored by the registered
    model: churn_probability, p_alive, expected purchases over the horizon and 365 days,
    expected order value, clv, churn_method and lifecycle_model_version."""
    if len(registry) != 1:
        raise ValueError(f"expected one {MODEL_NAME} registry row, got {len(registry)}")
    artefact = json.loads(registry["artefact"].iloc[0])
    if artefact.get("format") != ARTEFACT_FORMAT:
        raise ValueError(f"unknown lifecycle artefact format {artefact.get('format')!r}")
    as_of = pd.Timestamp(as_of_date)
    model = Probabilistic.from_dict(artefact["probabilistic"])
    horizon = int(artefact["horizon_days"])
    features = churn_features(days, product_firsts, as_of, horizon, model)
    if artefact["churn"] is not None:
        churn = ChurnModel.from_dict(artefact["churn"])
        probability = churn.predict(features)
        method = churn.method
    else:
        probability = 1.0 - features["p_alive"].to_numpy(float)
        method = FALLBACK_METHOD
    out = pd.DataFrame(
        {
            "customer_id": features.index.astype(str),
            "churn_probability": probability.astype(float),
            "p_alive": features["p_alive"].to_numpy(float),
            "expected_purchases_horizon": features["expected_purchases_horizon"].to_numpy(float),
            "expected_purchases_365d": probabilistic.expected_purchases(model, features, 365),
            "expected_order_value": probabilistic.expected_order_value(model, features),
            "clv": probabilistic.customer_lifetime_value(
                model,
                features,
                int(artefact["clv_horizon_months"]),
                float(artefact["monthly_discount_rate"]),
            ),
        }
    )
    out["horizon_days"] = np.int32(horizon)
    out["churn_method"] = method
    out["lifecycle_model_version"] = registry["model_version"].iloc[0]
    return out.sort_values("customer_id", kind="stable").reset_index(drop=True)
