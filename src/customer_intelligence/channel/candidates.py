"""Candidate classifiers on the log-spend feature matrix, and their conversion to artefact members.

Each base candidate is an unfitted sklearn-compatible estimator whose fitted state (scaling, tuned
C, trees) is learned from the rows it is fitted on, so cross-validation refits all of it per fold.
`soft_voting` is not an estimator of its own: it is the mean of the three base candidates'
probabilities fitted on the same rows, which is exactly what a soft VotingClassifier computes.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from xgboost import XGBClassifier

from .artefact import ForestMember, LinearMember, Member, XGBoostMember
from .config import ChannelConfig

BASE_CANDIDATES: tuple[str, ...] = ("logistic_regression", "random_forest", "xgboost")
ENSEMBLE_MEMBERS: dict[str, tuple[str, ...]] = {"soft_voting": BASE_CANDIDATES}


def members_of(candidate: str) -> tuple[str, ...]:
    """The base candidates whose probabilities a candidate averages (itself for a base one)."""
    return ENSEMBLE_MEMBERS.get(candidate, (candidate,))


def build_estimator(name: str, config: ChannelConfig) -> BaseEstimator:
    """An unfitted base candidate. Logistic regression uses C = logreg_cs[0], or, when several
    values are given, tunes C among them by inner stratified 5-fold CV on log-loss."""
    class_weight = "balanced" if config.class_weight_balanced else None
    if name == "logistic_regression":
        if len(config.logreg_cs) == 1:
            model = LogisticRegression(
                C=config.logreg_cs[0], class_weight=class_weight, max_iter=2000
            )
        else:  # tune C by inner stratified CV on the rows this pipeline is fitted on
            model = LogisticRegressionCV(
                Cs=list(config.logreg_cs),
                l1_ratios=(0.0,),
                cv=StratifiedKFold(5, shuffle=True, random_state=config.seed),
                scoring="neg_log_loss",
                class_weight=class_weight,
                max_iter=2000,
                use_legacy_attributes=False,
            )
        return Pipeline([("scale", StandardScaler()), ("model", model)])
    if name == "random_forest":
        return RandomForestClassifier(
            n_estimators=config.rf_trees,
            min_samples_leaf=config.rf_min_samples_leaf,
            max_depth=config.rf_max_depth,
            class_weight=class_weight,
            random_state=config.seed,
            n_jobs=config.n_jobs,
        )
    if name == "xgboost":
        return XGBClassifier(
            n_estimators=config.xgb_trees,
            max_depth=config.xgb_max_depth,
            learning_rate=config.xgb_learning_rate,
            subsample=config.xgb_subsample,
            colsample_bytree=config.xgb_colsample_bytree,
            tree_method="hist",
            random_state=config.seed,
            n_jobs=1,  # 350 rows gain nothing from threads; one thread keeps builds bit-identical
        )
    raise ValueError(f"unknown base candidate {name!r}")


def fit_estimator(name: str, config: ChannelConfig, x: np.ndarray, y: np.ndarray) -> BaseEstimator:
    """Fit a base candidate; XGBoost gets balanced sample weights when class weighting is on."""
    estimator = build_estimator(name, config)
    if name == "xgboost" and config.class_weight_balanced:
        weights = np.where(y == 1, len(y) / (2 * y.sum()), len(y) / (2 * (len(y) - y.sum())))
        return estimator.fit(x, y, sample_weight=weights)
    estimator.fit(x, y)
    if name == "random_forest":
        # Trees are seeded up front, so a parallel fit is deterministic; a parallel predict sums
        # tree probabilities in completion order (last-bit noise), so predict on one thread.
        estimator.set_params(n_jobs=1)
    return estimator


def retail_probability(estimator: BaseEstimator, x: np.ndarray) -> np.ndarray:
    return estimator.predict_proba(x)[:, 1].astype(np.float64)


def to_member(name: str, estimator: BaseEstimator) -> Member:
    """Convert a fitted base candidate to its pickle-free artefact member."""
    if name == "logistic_regression":
        scaler, model = estimator.named_steps["scale"], estimator.named_steps["model"]
        return LinearMember(scaler.mean_, scaler.scale_, model.coef_[0], model.intercept_[0])
    if name == "xgboost":
        return XGBoostMember(estimator.get_booster().save_raw(raw_format="json").decode("utf-8"))
    if name == "random_forest":
        trees = []
        for tree in (fitted.tree_ for fitted in estimator.estimators_):
            value = tree.value[:, 0, :]
            trees.append(
                {
                    "left": tree.children_left.tolist(),
                    "right": tree.children_right.tolist(),
                    "feature": tree.feature.tolist(),
                    "threshold": tree.threshold.tolist(),
                    "value": (value[:, 1] / value.sum(axis=1)).tolist(),
                    "n_features": int(estimator.n_features_in_),
                    "depth": int(tree.max_depth),
                }
            )
        return ForestMember(trees)
    raise ValueError(f"unknown base candidate {name!r}")


def gain_importance(name: str, estimator: BaseEstimator, n_features: int) -> tuple[np.ndarray, str]:
    """Model-native importance per feature and its type (XGBoost total gain, forest mean decrease
    in impurity, |coefficient| on standardised features)."""
    if name == "xgboost":
        scores = estimator.get_booster().get_score(importance_type="total_gain")
        values = np.array([scores.get(f"f{index}", 0.0) for index in range(n_features)])
        return values, "xgboost_total_gain"
    if name == "random_forest":
        return estimator.feature_importances_.astype(np.float64), "mean_decrease_in_impurity"
    if name == "logistic_regression":
        return np.abs(estimator.named_steps["model"].coef_[0]), "abs_standardised_coefficient"
    raise ValueError(f"unknown base candidate {name!r}")
