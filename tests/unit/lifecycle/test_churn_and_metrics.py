"""Churn models as data, baselines, metrics, and the back-test on a synthetic log."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_intelligence.lifecycle.baselines import rfm_segments
from customer_intelligence.lifecycle.churn import ChurnModel, fit_churn, fit_method
from customer_intelligence.lifecycle.config import LifecycleConfig
from customer_intelligence.lifecycle.evaluation import evaluation_table
from customer_intelligence.lifecycle.history import purchase_days
from customer_intelligence.lifecycle.metrics import churn_metrics, decile_calibration, top_decile
from customer_intelligence.lifecycle.pipeline import score_lifecycle, train_lifecycle
from customer_intelligence.lifecycle.windows import Snapshots

from .conftest import product_firsts

FAST = LifecycleConfig(
    training_windows=3,
    window_step_days=30,
    cv_folds=2,
    xgb_trees=40,
    eval_cutoff_days_before=(90, 120),
)
AS_OF = pd.Timestamp("2011-05-16")  # the synthetic log's last day + 1


@pytest.fixture(scope="module")
def training(orders) -> pd.DataFrame:
    snapshots = Snapshots(purchase_days(orders), product_firsts(orders), FAST)
    return snapshots.training_frame(pd.Timestamp("2011-02-01"))


@pytest.mark.parametrize("method", ["xgboost", "logistic_regression"])
def test_a_churn_model_survives_its_json(training, method) -> None:
    trained = fit_method(method, training, FAST).model
    again = ChurnModel.from_dict(trained.to_dict())
    np.testing.assert_allclose(again.predict(training), trained.predict(training), rtol=1e-6)
    probability = trained.predict(training)
    assert ((probability >= 0) & (probability <= 1)).all()
    # Better than a coin on its own training windows.
    assert churn_metrics(probability, training["churned"])["roc_auc"] > 0.6


def test_one_outcome_only_is_a_clear_error(training) -> None:
    with pytest.raises(ValueError, match="at least 10 customers who came back"):
        fit_churn(training.assign(churned=1), FAST)


def test_top_decile_and_lift() -> None:
    score = np.array([0.9, 0.9, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.05])
    assert top_decile(score).sum() == 2  # ceil(11 / 10), ties by position
    churned = np.array([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    metrics = churn_metrics(score, churned)
    assert metrics["top_decile_capture_rate"] == 1.0
    assert metrics["top_decile_lift"] == pytest.approx(11 / 2)
    assert metrics["roc_auc"] == 1.0


def test_decile_calibration_counts_only_full_deciles() -> None:
    predicted = np.arange(1000, dtype=float)
    # Every decile predicts 1 / 1.1 of the actual mean.
    assert decile_calibration(predicted, predicted * 1.1, 100) == pytest.approx(0.1 / 1.1)
    assert np.isnan(decile_calibration(predicted[:500], predicted[:500], min_customers=100))


def test_rfm_segments_score_like_the_warehouse(segment_map) -> None:
    frame = pd.DataFrame({"recency_days": [1, 1, 300, 200, 50], "purchases": [9, 9, 1, 1, 3]})
    segments = rfm_segments(frame, segment_map)
    assert segments.iloc[0] == segments.iloc[1]  # ties share a score
    lookup = segment_map.set_index(["recency_score", "frequency_score"])["rfm_segment"]
    # Most recent and most frequent: scores 4 (tied at percent rank 0.75) and 4.
    assert segments.iloc[0] == lookup[(4, 4)]
    assert segments.iloc[2] == lookup[(1, 1)]


def test_back_test_then_train_then_score(orders, segment_map) -> None:
    days = purchase_days(orders)
    firsts = product_firsts(orders)
    table = evaluation_table(days, firsts, segment_map, AS_OF, FAST)
    assert sorted(table["cutoff_date"].unique()) == [
        (AS_OF - pd.Timedelta(d, "D")).date() for d in (120, 90)
    ]
    churn = table[table["target"] == "churn"]
    assert set(churn["method"]) == {
        "xgboost",
        "logistic_regression",
        "recency",
        "frequency",
        "rfm_segment",
        "bgnbd_p_alive",
    }
    selected = churn[churn["is_selected"]].groupby("cutoff_date")["method"].unique()
    assert selected.map(len).eq(1).all()  # one churn model per cutoff
    assert not table.duplicated(["cutoff_date", "target", "method", "metric"]).any()

    registry = train_lifecycle(days, firsts, table, AS_OF, FAST)
    scores = score_lifecycle(days, firsts, registry, AS_OF)
    assert len(scores) == days["customer_id"].nunique()
    assert scores["churn_probability"].between(0, 1).all()
    assert (scores["clv"] >= 0).all() and scores["churn_method"].isin(
        ["xgboost", "logistic_regression"]
    ).all()
    # Deterministic: the same data gives the same registry version and scores.
    again = train_lifecycle(days, firsts, table, AS_OF, FAST)
    assert again["model_version"].iloc[0] == registry["model_version"].iloc[0]
    pd.testing.assert_frame_equal(score_lifecycle(days, firsts, again, AS_OF), scores)


def test_a_short_log_falls_back_to_p_alive(orders, segment_map) -> None:
    """Too little history for any labelled window: no cutoff is evaluated and the churn
    probability is BG/NBD's 1 - P(alive)."""
    early = pd.Timestamp("2010-05-01")
    short = orders[orders["invoice_date"] < early]
    days, firsts = purchase_days(short), product_firsts(short)
    table = evaluation_table(days, firsts, segment_map, early, FAST)
    assert table.empty
    registry = train_lifecycle(days, firsts, table, early, FAST)
    assert registry["algorithm"].iloc[0].endswith("churn: bgnbd_p_alive")
    scores = score_lifecycle(days, firsts, registry, early)
    np.testing.assert_allclose(scores["churn_probability"], 1 - scores["p_alive"])


def test_an_unchanged_back_test_is_reused_by_the_next_build(orders) -> None:
    """The back-test table carries the fingerprint `retraining.decide` reads next time."""
    from customer_intelligence.lifecycle.evaluation import EVALUATION_COLUMNS
    from customer_intelligence.lifecycle.pipeline import training_data
    from customer_intelligence.retraining import RetrainPolicy, decide, train_or_reuse

    days = purchase_days(orders)
    current = training_data(days, FAST, AS_OF)
    one_row = pd.DataFrame([dict.fromkeys(EVALUATION_COLUMNS, 1)])
    table = train_or_reuse(None, current, RetrainPolicy(), lambda: one_row)
    assert table["training_rows"].iloc[0] == len(days)
    decision = decide(table, current, RetrainPolicy())
    assert decision.reuse, decision.reason
