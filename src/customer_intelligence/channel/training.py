"""Train the channel classifier: compare candidates by repeated CV, select, calibrate, decide.

Input grain: one row per account (see `features`); only rows with a channel label are used.
Output: a `TrainingResult` whose registry row carries the artefact and, in `metrics_json`, the
metrics, feature-importance and calibration tables the dbt models unpack (see `report`).

Honesty: every number comes from out-of-fold predictions. Calibration is fitted inside each outer
training fold on inner out-of-fold probabilities; the decision threshold is chosen on the pooled
calibrated out-of-fold probabilities (so the reported cost at that threshold is slightly optimistic;
the cost at the data-free Bayes threshold is reported beside it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from ..registry import frame_hash, registry_row
from .artefact import ARTEFACT_FORMAT, ChannelModel
from .calibration import (
    Calibrator,
    expected_calibration_error,
    fit_calibrator,
    reliability_bins,
)
from .candidates import fit_estimator, members_of, retail_probability, to_member
from .config import CANDIDATES, LOWER_IS_BETTER, ChannelConfig
from .evaluation import CrossValidation, classification_metrics, cross_validate
from .features import SPEND_COLUMNS, feature_matrix, feature_names, labels, validate_accounts
from .threshold import bayes_threshold, choose_threshold, total_cost

MODEL_NAME = "channel_classifier"


@dataclass
class TrainingResult:
    model: ChannelModel
    registry: pd.DataFrame  # one row, registry.REGISTRY_COLUMNS
    metrics: pd.DataFrame
    feature_importance: pd.DataFrame
    calibration_bins: pd.DataFrame
    selected_candidate: str


def _fit_probability(
    candidate: str, config: ChannelConfig, x_train: np.ndarray, y_train: np.ndarray, x_new
) -> np.ndarray:
    members = members_of(candidate)
    return np.mean(
        [retail_probability(fit_estimator(m, config, x_train, y_train), x_new) for m in members],
        axis=0,
    )


def inner_calibrator(
    candidate: str, config: ChannelConfig, x: np.ndarray, y: np.ndarray
) -> Calibrator:
    """Calibrator fitted on inner out-of-fold probabilities of `candidate` over (x, y)."""
    if config.calibration_method == "none":
        return Calibrator("none")
    inner = StratifiedKFold(config.calibration_folds, shuffle=True, random_state=config.seed)
    out_of_fold = np.zeros(len(y))
    for train, test in inner.split(x, y):
        out_of_fold[test] = _fit_probability(candidate, config, x[train], y[train], x[test])
    return fit_calibrator(out_of_fold, y, config.calibration_method)


def calibrated_out_of_fold(
    candidate: str, cv: CrossValidation, config: ChannelConfig, x: np.ndarray, y: np.ndarray
) -> np.ndarray:
    """Outer out-of-fold probabilities of `candidate`, each calibrated inside its training fold."""
    calibrated = np.full_like(cv.probabilities[candidate], np.nan)
    for repeat, train, test in cv.folds:
        calibrator = inner_calibrator(candidate, config, x[train], y[train])
        calibrated[repeat, test] = calibrator.apply(cv.probabilities[candidate][repeat, test])
    return calibrated


def _row(candidate, stage, metric, values, over, selected, seconds) -> dict[str, Any]:
    values = np.asarray(values, dtype=np.float64)
    return {
        "candidate": candidate,
        "model_stage": stage,
        "metric": metric,
        "metric_mean": float(values.mean()),
        "metric_std": float(values.std(ddof=1)) if len(values) > 1 else None,
        "aggregated_over": over,
        "evaluation_count": len(values),
        "is_selected": selected,
        "fit_seconds_mean": float(np.mean(seconds)),
        "fit_seconds_std": float(np.std(seconds, ddof=1)),
    }


def _per_repeat(probability: np.ndarray, y: np.ndarray, function) -> list[float]:
    return [function(probability[repeat], y) for repeat in range(probability.shape[0])]


def _stage_rows(candidate, stage, probability, y, folds, config, selected, seconds) -> list:
    """Fold metrics at 0.5, plus per-repeat ECE and cost figures, for one set of OOF predictions."""
    per_fold: dict[str, list[float]] = {}
    for repeat, _, test in folds:
        for metric, value in classification_metrics(probability[repeat, test], y[test]).items():
            per_fold.setdefault(metric, []).append(value)
    rows = [
        _row(candidate, stage, metric, values, "fold", selected, seconds)
        for metric, values in per_fold.items()
    ]
    costs = (config.cost_retail_as_horeca, config.cost_horeca_as_retail)

    def cost_at(threshold: float):
        return lambda p, labels_: 100 * total_cost(p, labels_, threshold, *costs) / len(labels_)

    extra = {
        "expected_calibration_error": lambda p, labels_: expected_calibration_error(
            p, labels_, config.reliability_bins
        ),
        "expected_cost_per_100_accounts_at_0_5": cost_at(0.5),
        "expected_cost_per_100_accounts_at_bayes_threshold": cost_at(bayes_threshold(*costs)),
    }
    for metric, function in extra.items():
        rows.append(
            _row(
                candidate,
                stage,
                metric,
                _per_repeat(probability, y, function),
                "repeat",
                selected,
                seconds,
            )
        )
    return rows


def select_candidate(metrics: pd.DataFrame, metric: str) -> str:
    """Best candidate by mean CV `metric` (ties: CANDIDATES order)."""
    metric = metric.removeprefix("neg_")
    scores = metrics[(metrics["metric"] == metric) & (metrics["model_stage"] == "uncalibrated")]
    scores = scores.set_index("candidate")["metric_mean"]
    order = [name for name in CANDIDATES if name in scores.index]
    values = scores.loc[order].to_numpy()
    best = np.argmin(values) if metric in LOWER_IS_BETTER else np.argmax(values)
    return order[int(best)]


def _json_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    records = frame.to_dict(orient="records")
    return [
        {
            key: (None if isinstance(value, float) and math.isnan(value) else value)
            for key, value in record.items()
        }
        for record in records
    ]


def train_channel_model(
    accounts: pd.DataFrame, config: ChannelConfig | None = None
) -> TrainingResult:
    """Cross-validate all candidates, select by `config.selection_metric`, calibrate, choose the
    cost-minimising threshold, refit on all labelled accounts and build the registry row."""
    config = config or ChannelConfig()
    # BLAS thread pools spin against each other on tiny matrices: one thread is 20x faster here.
    with threadpool_limits(1):
        return _train(accounts, config)


def _train(accounts: pd.DataFrame, config: ChannelConfig) -> TrainingResult:
    validate_accounts(accounts, config.use_region)
    y_all = labels(accounts)
    labelled = accounts.loc[y_all >= 0].sort_values("account_id", kind="stable")
    y = labels(labelled)
    if min(y.sum(), len(y) - y.sum()) < config.cv_splits:
        raise ValueError("need at least cv_splits labelled accounts of each channel")
    x = feature_matrix(labelled, config.use_region)
    names = feature_names(config.use_region)

    cv = cross_validate(x, y, config, CANDIDATES, names)
    rows = []
    for candidate in CANDIDATES:
        rows += _stage_rows(
            candidate,
            "uncalibrated",
            cv.probabilities[candidate],
            y,
            cv.folds,
            config,
            False,
            cv.fit_seconds[candidate],
        )
    metrics = pd.DataFrame(rows)
    selected = select_candidate(metrics, config.selection_metric)
    metrics["is_selected"] = metrics["candidate"] == selected

    calibrated = calibrated_out_of_fold(selected, cv, config, x, y)
    seconds = cv.fit_seconds[selected]
    calibrated_rows = _stage_rows(
        selected, "calibrated", calibrated, y, cv.folds, config, True, seconds
    )
    costs = (config.cost_retail_as_horeca, config.cost_horeca_as_retail)
    pooled_y = np.tile(y, config.cv_repeats)
    threshold, _ = choose_threshold(calibrated.ravel(), pooled_y, *costs)
    per_repeat_cost = _per_repeat(
        calibrated, y, lambda p, t: 100 * total_cost(p, t, threshold, *costs) / len(t)
    )
    calibrated_rows.append(
        _row(selected, "calibrated", "decision_threshold", [threshold], "pooled", True, seconds)
    )
    calibrated_rows.append(
        _row(
            selected,
            "calibrated",
            "expected_cost_per_100_accounts",
            per_repeat_cost,
            "repeat",
            True,
            seconds,
        )
    )
    at_threshold: dict[str, list[float]] = {}
    for repeat, _, test in cv.folds:
        fold = classification_metrics(calibrated[repeat, test], y[test], threshold)
        for metric in ("accuracy", "balanced_accuracy", "recall_retail", "recall_horeca"):
            at_threshold.setdefault(f"{metric}_at_decision_threshold", []).append(fold[metric])
    for metric, values in at_threshold.items():
        calibrated_rows.append(_row(selected, "calibrated", metric, values, "fold", True, seconds))
    metrics = pd.concat([metrics, pd.DataFrame(calibrated_rows)], ignore_index=True)

    bins = pd.concat(
        [
            reliability_bins(
                cv.probabilities[selected].ravel(), pooled_y, config.reliability_bins
            ).assign(model_stage="uncalibrated"),
            reliability_bins(calibrated.ravel(), pooled_y, config.reliability_bins).assign(
                model_stage="calibrated"
            ),
        ],
        ignore_index=True,
    ).assign(candidate=selected)

    importance = cv.importance.assign(is_selected=lambda f: f["candidate"] == selected)

    members = [to_member(name, fit_estimator(name, config, x, y)) for name in members_of(selected)]
    log_spend = x[:, : len(SPEND_COLUMNS)]
    median = np.median(log_spend, axis=0)
    model = ChannelModel(
        candidate=selected,
        feature_names=names,
        use_region=config.use_region,
        members=members,
        calibrator=inner_calibrator(selected, config, x, y),
        threshold=threshold,
        outlier_median=median,
        outlier_mad=np.median(np.abs(log_spend - median), axis=0),
    )

    data_columns = ["account_id", "channel", *SPEND_COLUMNS] + (
        ["region"] if config.use_region else []
    )
    summary = metrics[metrics["is_selected"] & (metrics["model_stage"] == "calibrated")]
    timing = metrics.groupby("candidate")[["fit_seconds_mean", "fit_seconds_std"]].first()
    metrics_payload = {
        "selected_candidate": selected,
        "selection_metric": config.selection_metric,
        "summary": {
            row.metric: {"mean": row.metric_mean, "std": row.metric_std}
            for row in summary.itertuples()
        },
        "metrics": _json_records(metrics.drop(columns=["fit_seconds_mean", "fit_seconds_std"])),
        "feature_importance": _json_records(importance),
        "calibration_bins": _json_records(bins),
        # Wall-clock timings: the only part of this payload that differs between two builds.
        "timing_seconds": _json_records(timing.reset_index()),
    }
    registry = registry_row(
        model_name=MODEL_NAME,
        algorithm=f"{selected}+{config.calibration_method}_calibration",
        training_data_hash=frame_hash(labelled[data_columns]),
        training_rows=len(labelled),
        parameters=config.as_parameters(),
        metrics=metrics_payload,
        artefact_format=ARTEFACT_FORMAT,
        artefact=model.to_json(),
    )
    return TrainingResult(model, registry, metrics, importance, bins, selected)
