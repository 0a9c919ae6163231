"""Repeated stratified cross-validation of every candidate, with out-of-fold predictions.

Input: the labelled feature matrix `x` (one row per labelled account) and `y` (1 = Retail). Every
fitted transform lives inside the candidates, so each fold refits scaling, tuning and trees on its
training rows only. Output: out-of-fold Retail probabilities per candidate and repeat, per-fold
metrics, per-fold fit times, and (from the first repeat) held-out permutation and gain importance.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import rankdata
from sklearn.model_selection import RepeatedStratifiedKFold

from .candidates import (
    BASE_CANDIDATES,
    fit_estimator,
    gain_importance,
    members_of,
    retail_probability,
)
from .config import CANDIDATES, ChannelConfig

Fold = tuple[int, np.ndarray, np.ndarray]  # (repeat, train rows, test rows)


def roc_auc(probability: np.ndarray, y: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney U with average ranks for ties)."""
    positives = int(y.sum())
    negatives = len(y) - positives
    ranks = rankdata(probability)
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def average_precision(probability: np.ndarray, y: np.ndarray) -> float:
    """PR-AUC as average precision (sklearn's step-wise definition, ties grouped)."""
    order = np.argsort(-probability, kind="stable")
    ordered_probability, ordered_y = probability[order], y[order]
    last = np.r_[np.flatnonzero(np.diff(ordered_probability)), len(y) - 1]
    true_positives = np.cumsum(ordered_y)[last]
    precision = true_positives / (last + 1)
    recall = true_positives / true_positives[-1]
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def classification_metrics(
    probability: np.ndarray, y: np.ndarray, threshold: float = 0.5
) -> dict[str, float]:
    """The reported metric set for one evaluation set (1 = Retail positive, both classes
    present). Written in numpy (same definitions as sklearn.metrics, checked in the tests) because
    sklearn's input validation dominates the CV time on 88-row folds."""
    probability = np.asarray(probability, dtype=np.float64)
    y = np.asarray(y, dtype=np.int64)
    predicted = probability >= threshold
    actual = y == 1
    true_positive = float(np.sum(predicted & actual))
    true_negative = float(np.sum(~predicted & ~actual))
    false_positive = float(np.sum(predicted & ~actual))
    false_negative = float(np.sum(~predicted & actual))

    def ratio(numerator: float, denominator: float) -> float:
        return numerator / denominator if denominator > 0 else 0.0

    precision_retail = ratio(true_positive, true_positive + false_positive)
    recall_retail = ratio(true_positive, true_positive + false_negative)
    precision_horeca = ratio(true_negative, true_negative + false_negative)
    recall_horeca = ratio(true_negative, true_negative + false_positive)
    clipped = np.clip(probability, 1e-15, 1 - 1e-15)
    return {
        "accuracy": (true_positive + true_negative) / len(y),
        "balanced_accuracy": (recall_retail + recall_horeca) / 2,
        "precision_horeca": precision_horeca,
        "recall_horeca": recall_horeca,
        "f1_horeca": ratio(2 * precision_horeca * recall_horeca, precision_horeca + recall_horeca),
        "precision_retail": precision_retail,
        "recall_retail": recall_retail,
        "f1_retail": ratio(2 * precision_retail * recall_retail, precision_retail + recall_retail),
        "roc_auc": roc_auc(probability, y),
        "pr_auc": average_precision(probability, y),
        "log_loss": float(-np.mean(np.where(actual, np.log(clipped), np.log(1 - clipped)))),
        "brier": float(np.mean((probability - y) ** 2)),
    }


def repeated_folds(y: np.ndarray, config: ChannelConfig) -> list[Fold]:
    splitter = RepeatedStratifiedKFold(
        n_splits=config.cv_splits, n_repeats=config.cv_repeats, random_state=config.seed
    )
    zeros = np.zeros(len(y))
    return [
        (index // config.cv_splits, train, test)
        for index, (train, test) in enumerate(splitter.split(zeros, y))
    ]


def permutation_drops(
    predictors: dict[str, Callable[[np.ndarray], np.ndarray]],
    candidates: Sequence[str],
    x: np.ndarray,
    y: np.ndarray,
    repeats: int,
    seed: int,
) -> dict[str, np.ndarray]:
    """Per candidate, (n_features, repeats) drop in held-out ROC-AUC when one feature column is
    shuffled. Each shuffled matrix is scored once per base model; ensembles average those."""
    rng = np.random.default_rng(seed)

    def scores(matrix: np.ndarray) -> dict[str, float]:
        base = {name: predict(matrix) for name, predict in predictors.items()}
        return {
            c: roc_auc(np.mean([base[m] for m in members_of(c)], axis=0), y) for c in candidates
        }

    baseline = scores(x)
    drops = {c: np.zeros((x.shape[1], repeats)) for c in candidates}
    for feature in range(x.shape[1]):
        for repeat in range(repeats):
            shuffled = x.copy()
            shuffled[:, feature] = rng.permutation(shuffled[:, feature])
            for candidate, score in scores(shuffled).items():
                drops[candidate][feature, repeat] = baseline[candidate] - score
    return drops


@dataclass
class CrossValidation:
    """Out-of-fold results. probabilities[candidate] has shape (repeats, n_labelled)."""

    folds: list[Fold]
    probabilities: dict[str, np.ndarray]
    fold_metrics: pd.DataFrame  # candidate, repeat, fold, metric, value
    fit_seconds: dict[str, np.ndarray]  # candidate -> per fold
    importance: pd.DataFrame = field(default_factory=pd.DataFrame)


def cross_validate(
    x: np.ndarray,
    y: np.ndarray,
    config: ChannelConfig,
    candidates: Sequence[str] = CANDIDATES,
    feature_names: Sequence[str] | None = None,
    with_importance: bool = True,
) -> CrossValidation:
    """Out-of-fold probabilities, per-fold metrics and fit times for every candidate."""
    folds = repeated_folds(y, config)
    base = [name for name in BASE_CANDIDATES if any(name in members_of(c) for c in candidates)]
    probabilities = {name: np.full((config.cv_repeats, len(y)), np.nan) for name in candidates}
    fit_seconds = {name: np.zeros(len(folds)) for name in candidates}
    base_seconds = {name: np.zeros(len(folds)) for name in base}
    records: list[dict[str, object]] = []
    importance: list[dict[str, object]] = []
    names = list(feature_names) if feature_names else [f"f{i}" for i in range(x.shape[1])]
    for index, (repeat, train, test) in enumerate(folds):
        fitted = {}
        fold_probability = {}
        for name in base:
            started = time.perf_counter()
            fitted[name] = fit_estimator(name, config, x[train], y[train])
            base_seconds[name][index] = time.perf_counter() - started
            fold_probability[name] = retail_probability(fitted[name], x[test])
        for candidate in candidates:
            members = members_of(candidate)
            probability = np.mean([fold_probability[m] for m in members], axis=0)
            probabilities[candidate][repeat, test] = probability
            fit_seconds[candidate][index] = sum(base_seconds[m][index] for m in members)
            for metric, value in classification_metrics(probability, y[test]).items():
                records.append(
                    {
                        "candidate": candidate,
                        "repeat": repeat,
                        "fold": index,
                        "metric": metric,
                        "value": float(value),
                    }
                )
        if with_importance and repeat == 0:
            importance += _fold_importance(
                candidates, fitted, x[test], y[test], names, config, index
            )
    return CrossValidation(
        folds=folds,
        probabilities=probabilities,
        fold_metrics=pd.DataFrame.from_records(records),
        fit_seconds=fit_seconds,
        importance=_summarise_importance(pd.DataFrame.from_records(importance)),
    )


def _fold_importance(
    candidates: Sequence[str],
    fitted: dict[str, object],
    x_test: np.ndarray,
    y_test: np.ndarray,
    names: list[str],
    config: ChannelConfig,
    fold: int,
) -> list[dict[str, object]]:
    predictors = {
        name: (lambda matrix, model=model: retail_probability(model, matrix))
        for name, model in fitted.items()
    }
    drops = permutation_drops(
        predictors, candidates, x_test, y_test, config.permutation_repeats, config.seed + fold
    )
    gains = {name: gain_importance(name, model, x_test.shape[1]) for name, model in fitted.items()}
    rows: list[dict[str, object]] = []
    for candidate in candidates:
        members = members_of(candidate)
        shares = [
            gains[m][0] / gains[m][0].sum() if gains[m][0].sum() > 0 else gains[m][0]
            for m in members
        ]
        share = np.mean(shares, axis=0)
        kind = gains[members[0]][1] if len(members) == 1 else "mean_member_share"
        rows += [
            {
                "candidate": candidate,
                "feature_name": name,
                "gain_importance_type": kind,
                "gain_importance_share": float(share[position]),
                "drop": drops[candidate][position].tolist(),
            }
            for position, name in enumerate(names)
        ]
    return rows


def _summarise_importance(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame
    rows = []
    for (candidate, feature, kind), group in frame.groupby(
        ["candidate", "feature_name", "gain_importance_type"], sort=False
    ):
        drops = np.concatenate([np.asarray(d) for d in group["drop"]])
        rows.append(
            {
                "candidate": candidate,
                "feature_name": feature,
                "gain_importance_type": kind,
                "gain_importance_share": float(group["gain_importance_share"].mean()),
                "permutation_importance_mean": float(drops.mean()),
                "permutation_importance_std": float(drops.std(ddof=1)),
            }
        )
    return pd.DataFrame(rows)


def nested_selection_cv(
    x: np.ndarray,
    y: np.ndarray,
    config: ChannelConfig,
    candidates: Sequence[str] = CANDIDATES,
    inner_splits: int = 5,
) -> pd.DataFrame:
    """Outer-fold metrics with the choice of candidate made inside each fold (nested CV).

    The production rule picks the candidate with the best mean CV `selection_metric` and reports
    that candidate's CV figures, which are slightly optimistic (the winner of several noisy
    estimates). Here, inside each outer training fold, an inner stratified `inner_splits`-fold CV
    picks the candidate by the same metric (ties: `candidates` order), and the outer test fold
    scores the pick refitted on the whole training fold. Calibration and the threshold are not
    part of it: the figures are uncalibrated at 0.5, comparable with the 'uncalibrated' rows of
    the metrics table. Output grain: one row per outer fold with `repeat`, `fold`,
    `selected_candidate` and the metrics of `classification_metrics`.
    """
    from sklearn.model_selection import StratifiedKFold

    from .config import LOWER_IS_BETTER

    metric = config.selection_metric.removeprefix("neg_")
    base = [name for name in BASE_CANDIDATES if any(name in members_of(c) for c in candidates)]

    def probabilities(train: np.ndarray, test: np.ndarray) -> dict[str, np.ndarray]:
        fitted = {name: fit_estimator(name, config, x[train], y[train]) for name in base}
        member = {name: retail_probability(model, x[test]) for name, model in fitted.items()}
        return {c: np.mean([member[m] for m in members_of(c)], axis=0) for c in candidates}

    rows = []
    for index, (repeat, train, test) in enumerate(repeated_folds(y, config)):
        inner = StratifiedKFold(inner_splits, shuffle=True, random_state=config.seed)
        scores = {c: [] for c in candidates}
        for inner_train, inner_test in inner.split(train, y[train]):
            for c, p in probabilities(train[inner_train], train[inner_test]).items():
                scores[c].append(classification_metrics(p, y[train[inner_test]])[metric])
        means = np.array([np.mean(scores[c]) for c in candidates])
        best = np.argmin(means) if metric in LOWER_IS_BETTER else np.argmax(means)
        pick = candidates[int(best)]
        outer = classification_metrics(probabilities(train, test)[pick], y[test])
        rows.append({"repeat": repeat, "fold": index, "selected_candidate": pick, **outer})
    return pd.DataFrame(rows)
