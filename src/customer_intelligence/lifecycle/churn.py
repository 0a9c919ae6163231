"""Churn classifiers: gradient boosting and a logistic baseline, calibrated inside training.

A model for a cutoff is trained on labelled windows that end before it (see `windows`). Each
method's raw probabilities are calibrated on out-of-fold predictions of the training rows
(folds grouped by customer, so a customer's windows never sit on both sides), and the final model
is refitted on all training rows. The method with the lower out-of-fold Brier score is selected.

The trained model is plain data (`ChurnModel.to_dict`): XGBoost's native JSON, or the logistic
model's standardisation and coefficients, plus the calibrator's knots. No pickle.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss
from sklearn.model_selection import GroupKFold

from ..channel.calibration import Calibrator, fit_calibrator
from .config import CHURN_METHODS, LifecycleConfig
from .features import FEATURES


def _logistic_inputs(x: np.ndarray) -> np.ndarray:
    """Counts and durations are skewed: the logistic model sees ln(1 + x) of every feature."""
    return np.log1p(np.clip(x, 0, None))


@dataclass
class ChurnModel:
    """A fitted churn classifier: `method`, its parameters as data, and the calibrator."""

    method: str
    feature_names: tuple[str, ...]
    calibrator: Calibrator
    booster_json: str | None = None
    mean: np.ndarray | None = None
    scale: np.ndarray | None = None
    coef: np.ndarray | None = None
    intercept: float = 0.0

    def raw_probability(self, frame: pd.DataFrame) -> np.ndarray:
        x = frame[list(self.feature_names)].to_numpy(dtype=float)
        if self.method == "xgboost":
            booster = xgb.Booster()
            booster.load_model(bytearray(self.booster_json, "utf-8"))
            return booster.predict(xgb.DMatrix(x, feature_names=list(self.feature_names)))
        z = (_logistic_inputs(x) - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(z @ self.coef + self.intercept)))

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """Calibrated probability of no purchase in the horizon, one per row of `frame`."""
        return np.clip(self.calibrator.apply(self.raw_probability(frame)), 0.0, 1.0)

    def to_dict(self) -> dict:
        out = {
            "method": self.method,
            "feature_names": list(self.feature_names),
            "calibrator": self.calibrator.to_dict(),
        }
        if self.method == "xgboost":
            out["booster_json"] = self.booster_json
        else:
            out.update(
                mean=self.mean.tolist(),
                scale=self.scale.tolist(),
                coef=self.coef.tolist(),
                intercept=self.intercept,
            )
        return out

    @classmethod
    def from_dict(cls, values: dict) -> ChurnModel:
        arrays = {
            name: np.asarray(values[name], dtype=float)
            for name in ("mean", "scale", "coef")
            if name in values
        }
        return cls(
            method=values["method"],
            feature_names=tuple(values["feature_names"]),
            calibrator=Calibrator.from_dict(values["calibrator"]),
            booster_json=values.get("booster_json"),
            intercept=float(values.get("intercept", 0.0)),
            **arrays,
        )


# A feature whose spread over the training rows is below this is left out: a model would split
# or standardise on noise and then extrapolate wildly where the feature does vary (P(alive) is
# 1 +- 2e-6 in the shipped log's training windows and drops to 0.78 at as_of_date).
MIN_FEATURE_STD = 1e-4


def usable_features(training: pd.DataFrame) -> tuple[str, ...]:
    """The FEATURES that vary over the training rows (standard deviation >= MIN_FEATURE_STD)."""
    spread = training[list(FEATURES)].astype(float).std(ddof=0)
    return tuple(name for name in FEATURES if spread[name] >= MIN_FEATURE_STD)


def _fit_raw(
    method: str, x: np.ndarray, y: np.ndarray, names: tuple[str, ...], config: LifecycleConfig
) -> ChurnModel:
    identity = Calibrator("none")
    if method == "xgboost":
        booster = xgb.train(
            {
                "objective": "binary:logistic",
                "max_depth": config.xgb_max_depth,
                "eta": config.xgb_learning_rate,
                "min_child_weight": config.xgb_min_child_weight,
                "subsample": config.xgb_subsample,
                "tree_method": "hist",
                "seed": config.seed,
                "nthread": 1,
            },
            xgb.DMatrix(x, label=y, feature_names=list(names)),
            num_boost_round=config.xgb_trees,
        )
        text = booster.save_raw(raw_format="json").decode("utf-8")
        return ChurnModel(method, names, identity, booster_json=text)
    if method == "logistic_regression":
        inputs = _logistic_inputs(x)
        mean = inputs.mean(axis=0)
        scale = inputs.std(axis=0)
        scale[scale == 0] = 1.0
        fitted = LogisticRegression(C=1.0, max_iter=2000).fit((inputs - mean) / scale, y)
        return ChurnModel(
            method,
            names,
            identity,
            mean=mean,
            scale=scale,
            coef=fitted.coef_[0].copy(),
            intercept=float(fitted.intercept_[0]),
        )
    raise ValueError(f"unknown churn method {method!r}; expected one of {CHURN_METHODS}")


@dataclass
class Trained:
    model: ChurnModel
    out_of_fold_brier: float


def fit_method(method: str, training: pd.DataFrame, config: LifecycleConfig) -> Trained:
    """Fit `method` on labelled rows (FEATURES, `churned`, `customer_id`), calibrated on its
    out-of-fold predictions (folds grouped by customer), on the `usable_features`."""
    names = usable_features(training)
    x = training[list(names)].to_numpy(dtype=float)
    y = training["churned"].to_numpy(dtype=int)
    groups = training["customer_id"].to_numpy()
    folds = min(config.cv_folds, len(np.unique(groups)))
    out_of_fold = np.empty(len(y))
    for train_rows, test_rows in GroupKFold(n_splits=folds).split(x, y, groups):
        fold_model = _fit_raw(method, x[train_rows], y[train_rows], names, config)
        out_of_fold[test_rows] = fold_model.raw_probability(training.iloc[test_rows])
    calibrator = fit_calibrator(out_of_fold, y, config.calibration_method)
    final = _fit_raw(method, x, y, names, config)
    final.calibrator = calibrator
    brier = brier_score_loss(y, np.clip(calibrator.apply(out_of_fold), 0, 1))
    return Trained(final, float(brier))


def fit_churn(training: pd.DataFrame, config: LifecycleConfig) -> tuple[ChurnModel, dict]:
    """Every method fitted; returns the selected model (lowest out-of-fold Brier, ties: the
    simpler logistic model) and {method: Trained}."""
    _require_both_classes(training)
    trained = {method: fit_method(method, training, config) for method in CHURN_METHODS}
    best = min(CHURN_METHODS, key=lambda m: (trained[m].out_of_fold_brier, CHURN_METHODS.index(m)))
    return trained[best].model, trained


def _require_both_classes(training: pd.DataFrame) -> None:
    counts = training["churned"].value_counts()
    if len(training) == 0 or counts.get(0, 0) < 10 or counts.get(1, 0) < 10:
        raise ValueError(
            "the churn model needs at least 10 customers who came back and 10 who did not in its "
            f"training windows; found {int(counts.get(0, 0))} and {int(counts.get(1, 0))}. "
            "Fix: use a longer log, or fewer / shorter windows (vars lifecycle_horizon_days, "
            "lifecycle_training_windows, lifecycle_min_history_days)."
        )


def model_json(model: ChurnModel) -> str:
    return json.dumps(model.to_dict(), sort_keys=True)
