"""Train the channel classifier: compare candidates by repeated CV, select, calibrate, decide.

Input grain: one row per account (see `features`); only rows with a channel label are used.
Output: a `TrainingResult` whose registry row carries the artefact and, in `metrics_json`, the
metrics, feature-importance, calibration and ROC tables the dbt models unpack (see `report`).

Honesty: every number comes from out-of-fold predictions. The decision procedure (calibrator and
threshold, learnt from inner out-of-fold probabilities of the training rows, see `inner_decision`)
is run inside each outer training fold and judged on the outer test fold, so the expected cost and
the *_at_decision_threshold figures are those of the procedure the production model runs on all
labelled accounts. The choice among candidates is not nested: the selected candidate's figures
are those of the winner on the same folds (`evaluation.nested_selection_cv` measures the gap).
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
from ..retraining import TrainingData, settings_hash
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
from .features import (
    CHANNELS,
    SPEND_COLUMNS,
    feature_matrix,
    feature_names,
    labels,
    validate_accounts,
)
from .roc import fold_averaged_roc
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


@dataclass(frozen=True)
class Decision:
    """How probabilities become calls: a calibrator, then Retail when calibrated >= threshold."""

    calibrator: Calibrator
    threshold: float


def inner_decision(candidate: str, config: ChannelConfig, x: np.ndarray, y: np.ndarray) -> Decision:
    """Calibrator and decision threshold learnt from (x, y) alone.

    Both are fitted on inner stratified out-of-fold probabilities of `candidate` over (x, y): the
    calibrator on the raw ones, the cost-minimising threshold on the calibrated ones (or, with
    `threshold_rule` 'bayes', the data-free Bayes threshold).
    """
    inner = StratifiedKFold(config.calibration_folds, shuffle=True, random_state=config.seed)
    out_of_fold = np.zeros(len(y))
    for train, test in inner.split(x, y):
        out_of_fold[test] = _fit_probability(candidate, config, x[train], y[train], x[test])
    calibrator = fit_calibrator(out_of_fold, y, config.calibration_method)
    costs = (config.cost_retail_as_horeca, config.cost_horeca_as_retail)
    if config.threshold_rule == "bayes":
        return Decision(calibrator, bayes_threshold(*costs))
    threshold, _ = choose_threshold(calibrator.apply(out_of_fold), y, *costs)
    return Decision(calibrator, threshold)


def decided_out_of_fold(
    candidate: str, cv: CrossValidation, config: ChannelConfig, x: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Outer out-of-fold calibrated probabilities of `candidate` and the threshold of each fold,
    both from `inner_decision` on that fold's training rows only."""
    calibrated = np.full_like(cv.probabilities[candidate], np.nan)
    thresholds = np.zeros(len(cv.folds))
    for index, (repeat, train, test) in enumerate(cv.folds):
        decision = inner_decision(candidate, config, x[train], y[train])
        calibrated[repeat, test] = decision.calibrator.apply(
            cv.probabilities[candidate][repeat, test]
        )
        thresholds[index] = decision.threshold
    return calibrated, thresholds


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
    threshold (`config.threshold_rule`), refit on all labelled accounts and build the registry
    row."""
    config = config or ChannelConfig()
    # BLAS thread pools spin against each other on tiny matrices: one thread is 20x faster here.
    with threadpool_limits(1):
        return _train(accounts, config)


def _data_columns(config: ChannelConfig) -> list[str]:
    """The columns of a labelled account the model learns from (its training-data hash)."""
    return ["account_id", "channel", *SPEND_COLUMNS] + (["region"] if config.use_region else [])


def training_data(accounts: pd.DataFrame, config: ChannelConfig) -> TrainingData:
    """The fingerprint of what `train_channel_model` would learn from: labelled accounts, their
    hash, the settings, and the mean total spend (the key measure whose shift forces a retrain)."""
    validate_accounts(accounts, config.use_region)
    labelled = accounts.loc[labels(accounts) >= 0]
    return TrainingData(
        rows=len(labelled),
        data_hash=frame_hash(labelled[_data_columns(config)]),
        settings_hash=settings_hash(config.as_parameters()),
        as_of_date=None,
        mean=float(labelled[list(SPEND_COLUMNS)].sum(axis=1).mean()) if len(labelled) else 0.0,
    )


def check_labelled_counts(y: np.ndarray, unlabelled: int, config: ChannelConfig) -> None:
    """Raise ValueError unless each channel has at least `config.cv_splits` labelled accounts.

    `y` holds the labels of the labelled accounts (1 = Retail, 0 = HORECA); `unlabelled` counts
    the accounts without a channel. Stratified CV puts at least one account of each channel in
    every one of the `cv_splits` test folds, so fewer accounts of a channel cannot be split.
    """
    counts = {CHANNELS[0]: int((y == 0).sum()), CHANNELS[1]: int((y == 1).sum())}
    if min(counts.values()) >= config.cv_splits:
        return
    found = (
        f"channel classifier: {len(y)} labelled accounts "
        f"({CHANNELS[0]} {counts[CHANNELS[0]]}, {CHANNELS[1]} {counts[CHANNELS[1]]}) "
        f"and {unlabelled} unlabelled"
    )
    missing = [channel for channel, count in counts.items() if count == 0]
    if missing:
        raise ValueError(
            f"{found}; training needs labelled accounts of both channels, none are labelled "
            f"{' or '.join(missing)}. Label accounts of each channel (column channel = "
            f"'{CHANNELS[0]}' or '{CHANNELS[1]}'); no setting can replace missing labels."
        )
    smallest = min(counts.values())
    remedy = (
        f"set the setting cv_splits to a value from 2 to {smallest}"
        if smallest >= 2
        else "no setting helps: even cv_splits = 2 needs 2 of each channel"
    )
    raise ValueError(
        f"{found}; training needs at least cv_splits = {config.cv_splits} labelled "
        f"accounts of each channel. Add labelled accounts or {remedy}."
    )


def check_features_vary(x: np.ndarray, names: list[str]) -> None:
    """Raise ValueError when no feature column of the labelled accounts `x` varies.

    With every column constant no candidate can separate the channels: CV would report chance
    figures (ROC-AUC 0.5) and the stored model would call every account the same.
    """
    if len(x) and not np.any(x != x[0], axis=0).any():
        raise ValueError(
            f"channel classifier: no feature column ({', '.join(names)}) varies among the "
            f"{len(x)} labelled accounts: nothing to learn from. Every labelled account has the "
            "same value in each of them; check the spend columns of "
            "int_wholesale_accounts_featured."
        )


def _train(accounts: pd.DataFrame, config: ChannelConfig) -> TrainingResult:
    validate_accounts(accounts, config.use_region)
    y_all = labels(accounts)
    labelled = accounts.loc[y_all >= 0].sort_values("account_id", kind="stable")
    y = labels(labelled)
    check_labelled_counts(y, int((y_all < 0).sum()), config)
    x = feature_matrix(labelled, config.use_region)
    names = feature_names(config.use_region)
    check_features_vary(x, names)

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

    calibrated, fold_thresholds = decided_out_of_fold(selected, cv, config, x, y)
    seconds = cv.fit_seconds[selected]
    calibrated_rows = _stage_rows(
        selected, "calibrated", calibrated, y, cv.folds, config, True, seconds
    )
    decision = inner_decision(selected, config, x, y)  # the production decision, on all rows
    costs = (config.cost_retail_as_horeca, config.cost_horeca_as_retail)
    per_repeat_cost = np.zeros(config.cv_repeats)
    at_threshold: dict[str, list[float]] = {}
    for index, (repeat, _, test) in enumerate(cv.folds):
        fold_p, fold_y, fold_t = calibrated[repeat, test], y[test], fold_thresholds[index]
        per_repeat_cost[repeat] += 100 * total_cost(fold_p, fold_y, fold_t, *costs) / len(y)
        fold = classification_metrics(fold_p, fold_y, fold_t)
        for metric in ("accuracy", "balanced_accuracy", "recall_retail", "recall_horeca"):
            at_threshold.setdefault(f"{metric}_at_decision_threshold", []).append(fold[metric])
    calibrated_rows += [
        _row(
            selected,
            "calibrated",
            "decision_threshold",
            [decision.threshold],
            "all_labelled",
            True,
            seconds,
        ),
        _row(
            selected, "calibrated", "decision_threshold_cv", fold_thresholds, "fold", True, seconds
        ),
        _row(
            selected,
            "calibrated",
            "expected_cost_per_100_accounts",
            per_repeat_cost,
            "repeat",
            True,
            seconds,
        ),
    ]
    for metric, values in at_threshold.items():
        calibrated_rows.append(_row(selected, "calibrated", metric, values, "fold", True, seconds))
    metrics = pd.concat([metrics, pd.DataFrame(calibrated_rows)], ignore_index=True)

    pooled_y = np.tile(y, config.cv_repeats)
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

    # Fold-averaged ROC curves (see `roc`): every candidate uncalibrated, the selected calibrated.
    curves = [(c, "uncalibrated", cv.probabilities[c]) for c in CANDIDATES]
    curves.append((selected, "calibrated", calibrated))
    roc_points = [
        {
            "candidate": candidate,
            "model_stage": stage,
            "is_selected": candidate == selected,
            **fold_averaged_roc(probability, y, cv.folds),
        }
        for candidate, stage, probability in curves
    ]

    members = [to_member(name, fit_estimator(name, config, x, y)) for name in members_of(selected)]
    model = ChannelModel(
        candidate=selected,
        feature_names=names,
        use_region=config.use_region,
        members=members,
        calibrator=decision.calibrator,
        threshold=decision.threshold,
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
        "roc_points": roc_points,
        # Wall-clock timings: the only part of this payload that differs between two builds.
        "timing_seconds": _json_records(timing.reset_index()),
    }
    registry = registry_row(
        model_name=MODEL_NAME,
        algorithm=f"{selected}+{config.calibration_method}_calibration",
        training_data_hash=frame_hash(labelled[_data_columns(config)]),
        training_rows=len(labelled),
        parameters=config.as_parameters(),
        metrics=metrics_payload,
        artefact_format=ARTEFACT_FORMAT,
        artefact=model.to_json(),
    )
    return TrainingResult(model, registry, metrics, importance, bins, selected)
