"""End-to-end training and scoring on the shipped accounts, with honesty checks."""

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from customer_intelligence.channel import (
    calibration_table,
    feature_importance_table,
    metrics_table,
    score_accounts,
    train_channel_model,
)
from customer_intelligence.channel.config import ChannelConfig
from customer_intelligence.channel.evaluation import cross_validate, nested_selection_cv
from customer_intelligence.channel.features import feature_matrix, labels
from customer_intelligence.channel.training import decided_out_of_fold, inner_decision
from customer_intelligence.registry import REGISTRY_COLUMNS


def test_shuffled_labels_give_chance_auc(accounts):
    """Leakage guard: with labels shuffled, CV must not find signal (AUC about 0.5)."""
    x = feature_matrix(accounts)
    y = np.random.default_rng(7).permutation(labels(accounts))
    config = ChannelConfig(cv_repeats=2, rf_trees=30, xgb_trees=50)
    cv = cross_validate(x, y, config, with_importance=False)
    auc = cv.fold_metrics.query("metric == 'roc_auc'").groupby("candidate")["value"].mean()
    assert auc.between(0.4, 0.6).all(), auc.to_dict()
    # ... while the true labels do carry signal through the same code.
    real = cross_validate(x, labels(accounts), config, with_importance=False)
    real_auc = real.fold_metrics.query("metric == 'roc_auc'").groupby("candidate")["value"].mean()
    assert (real_auc > 0.9).all(), real_auc.to_dict()


def test_registry_row_and_tables(trained):
    registry = trained.registry
    assert list(registry.columns) == list(REGISTRY_COLUMNS) and len(registry) == 1
    assert registry.loc[0, "training_rows"] == 440
    metrics = metrics_table(registry)
    assert not metrics.duplicated(["candidate", "model_stage", "metric"]).any()
    assert set(metrics["candidate"]) == {
        "logistic_regression",
        "random_forest",
        "xgboost",
        "soft_voting",
    }
    calibrated = metrics.query("model_stage == 'calibrated'").set_index("metric")["metric_mean"]
    assert 0 < calibrated["decision_threshold"] < 1
    assert calibrated["expected_cost_per_100_accounts"] > 0
    assert calibrated["accuracy"] > 0.85  # sanity, not the quality bar (fast config)
    importance = feature_importance_table(registry)
    shares = importance.groupby("candidate")["gain_importance_share"].sum()
    np.testing.assert_allclose(shares.to_numpy(), 1.0)
    bins = calibration_table(registry)
    assert set(bins["model_stage"]) == {"uncalibrated", "calibrated"}
    assert json.loads(registry.loc[0, "parameters_json"])["cv_repeats"] == 1


def test_threshold_is_learnt_inside_each_training_fold(accounts, fast_config, trained):
    """The decision rule is fitted per outer training fold: each fold's threshold comes from its
    training rows alone, and the production one from all rows by the same procedure."""
    x, y = feature_matrix(accounts), labels(accounts)
    metrics = trained.metrics.query("model_stage == 'calibrated'").set_index("metric")
    production = inner_decision(trained.selected_candidate, fast_config, x, y)
    assert metrics.loc["decision_threshold", "metric_mean"] == production.threshold
    assert metrics.loc["decision_threshold", "aggregated_over"] == "all_labelled"
    per_fold = metrics.loc["decision_threshold_cv"]
    assert per_fold["evaluation_count"] == fast_config.cv_splits * fast_config.cv_repeats
    assert per_fold["metric_std"] > 0  # each fold chose its own threshold
    # The first fold's threshold is reproduced from that fold's training rows alone.
    cv = cross_validate(x, y, fast_config, with_importance=False)
    _, first_train, _ = cv.folds[0]
    _, thresholds = decided_out_of_fold(trained.selected_candidate, cv, fast_config, x, y)
    own = inner_decision(trained.selected_candidate, fast_config, x[first_train], y[first_train])
    assert thresholds[0] == own.threshold


def test_bayes_threshold_rule_fits_no_threshold(accounts, fast_config):
    x, y = feature_matrix(accounts), labels(accounts)
    config = replace(fast_config, threshold_rule="bayes", cost_retail_as_horeca=3.0)
    decision = inner_decision("logistic_regression", config, x, y)
    assert decision.threshold == 5_000.0 / (5_000.0 + 3.0)


def test_selection_follows_the_configured_metric(trained):
    metrics = trained.metrics.query("model_stage == 'uncalibrated' and metric == 'brier'")
    best = metrics.sort_values("metric_mean").iloc[0]["candidate"]
    assert trained.selected_candidate == best


def test_two_builds_are_identical(accounts, fast_config, trained):
    again = train_channel_model(accounts, fast_config)
    deterministic = [c for c in REGISTRY_COLUMNS if c not in ("trained_at", "metrics_json")]
    pd.testing.assert_frame_equal(again.registry[deterministic], trained.registry[deterministic])
    payloads = [json.loads(r.registry.loc[0, "metrics_json"]) for r in (again, trained)]
    for payload in payloads:
        payload.pop("timing_seconds")  # wall-clock, the one part allowed to differ
    assert payloads[0] == payloads[1]
    pd.testing.assert_frame_equal(
        metrics_table(again.registry).drop(columns=["fit_seconds_mean", "fit_seconds_std"]),
        metrics_table(trained.registry).drop(columns=["fit_seconds_mean", "fit_seconds_std"]),
    )
    pd.testing.assert_frame_equal(
        score_accounts(accounts, again.registry), score_accounts(accounts, trained.registry)
    )


def test_unlabelled_accounts_are_scored_not_trained_on(accounts, fast_config, trained):
    extra = accounts.head(5).assign(account_id=lambda f: f["account_id"] + 10_000, channel=None)
    more = pd.concat([accounts, extra], ignore_index=True)
    retrained = train_channel_model(more, fast_config)
    # Unlabelled rows do not change the training data, hence not the version either.
    assert retrained.registry.loc[0, "model_version"] == trained.registry.loc[0, "model_version"]
    scored = score_accounts(more, trained.registry)
    assert len(scored) == len(more) and scored["account_id"].is_unique
    new = scored[scored["account_id"] > 10_000]
    assert (~new["is_labelled"]).all() and new["is_label_disagreement"].isna().all()
    assert new["channel_label"].isna().all()
    # The same spends get the same prediction, labelled or not.
    old = scored[scored["account_id"].isin(accounts.head(5)["account_id"])]
    np.testing.assert_array_equal(
        new["probability_retail"].to_numpy(), old["probability_retail"].to_numpy()
    )


def test_scoring_output_contract(accounts, trained):
    scored = score_accounts(accounts, trained.registry, confidence_high=0.95, confidence_medium=0.6)
    np.testing.assert_allclose(scored["probability_horeca"] + scored["probability_retail"], 1.0)
    assert scored["probability_retail"].between(0, 1).all()
    assert set(scored["predicted_channel"]) <= {"HORECA", "Retail"}
    assert set(scored["confidence_level"]) <= {"High", "Medium", "Low"}
    threshold = scored["decision_threshold"].iloc[0]
    retail = scored["probability_retail"] >= threshold
    assert (scored["predicted_channel"].eq("Retail") == retail).all()
    called = np.where(retail, scored["probability_retail"], scored["probability_horeca"])
    assert (scored.loc[called >= 0.95, "confidence_level"] == "High").all()
    assert (scored.loc[called < 0.6, "confidence_level"] == "Low").all()
    disagreement = scored["predicted_channel"] != scored["channel_label"]
    assert (scored["is_label_disagreement"] == disagreement).all()
    # Reasons point towards the call.
    towards = np.where(retail, 1, -1) * scored["top_feature_1_contribution"]
    assert (towards >= scored["top_feature_2_contribution"] * np.where(retail, 1, -1)).all()
    assert scored["top_feature_1_name"].str.endswith("_spend").all()


def test_training_needs_both_channels(accounts, fast_config):
    with pytest.raises(ValueError, match="each channel"):
        train_channel_model(accounts.assign(channel="HORECA"), fast_config)


def test_nested_selection_picks_inside_each_training_fold(accounts, fast_config):
    x, y = feature_matrix(accounts), labels(accounts)
    folds = nested_selection_cv(x, y, fast_config, candidates=("logistic_regression", "xgboost"))
    assert len(folds) == fast_config.cv_splits * fast_config.cv_repeats
    assert set(folds["selected_candidate"]) <= {"logistic_regression", "xgboost"}
    assert folds["roc_auc"].mean() > 0.9
    # With one candidate there is nothing to select: the outer figures are its plain CV figures.
    alone = nested_selection_cv(x, y, fast_config, candidates=("logistic_regression",))
    plain = cross_validate(x, y, fast_config, ("logistic_regression",), with_importance=False)
    accuracy = plain.fold_metrics.query("metric == 'accuracy'")["value"].to_numpy()
    np.testing.assert_allclose(alone["accuracy"].to_numpy(), accuracy)
