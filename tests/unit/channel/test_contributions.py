"""Artefact members reproduce the fitted estimators, and contributions add up to the score."""

import numpy as np
import pytest

from customer_intelligence.channel.artefact import ChannelModel
from customer_intelligence.channel.calibration import Calibrator
from customer_intelligence.channel.candidates import fit_estimator, retail_probability, to_member
from customer_intelligence.channel.config import ChannelConfig
from customer_intelligence.channel.features import feature_matrix, labels
from customer_intelligence.channel.scoring import top_contributions

CONFIG = ChannelConfig(rf_trees=15, xgb_trees=30)


@pytest.fixture(scope="module")
def data(accounts):
    x, y = feature_matrix(accounts), labels(accounts)
    return x[:300], y[:300], x[300:]


@pytest.mark.parametrize("name", ["logistic_regression", "random_forest", "xgboost"])
def test_member_matches_estimator_and_contributions_sum_to_score(data, name):
    x_train, y_train, x_new = data
    estimator = fit_estimator(name, CONFIG, x_train, y_train)
    member = to_member(name, estimator)
    explanation = member.explain(x_new)
    np.testing.assert_allclose(
        explanation.probability, retail_probability(estimator, x_new), atol=1e-6
    )
    np.testing.assert_allclose(
        explanation.bias + explanation.contributions.sum(axis=1), explanation.score, atol=1e-6
    )
    if explanation.unit == "log_odds_retail":  # the score is the margin
        margin = np.log(explanation.probability / (1 - explanation.probability))
        np.testing.assert_allclose(explanation.score, margin, atol=1e-5)


def test_exact_treeshap_also_sums_to_the_margin(data):
    x_train, y_train, x_new = data
    member = to_member("xgboost", fit_estimator("xgboost", CONFIG, x_train, y_train))
    exact = member.explain(x_new, exact=True)
    np.testing.assert_allclose(exact.bias + exact.contributions.sum(axis=1), exact.score, atol=1e-5)
    assert not np.allclose(exact.contributions, member.explain(x_new).contributions)


def test_ensemble_contributions_sum_to_ensemble_probability_and_round_trip(data):
    x_train, y_train, x_new = data
    names = ("logistic_regression", "random_forest", "xgboost")
    estimators = {name: fit_estimator(name, CONFIG, x_train, y_train) for name in names}
    model = ChannelModel(
        candidate="soft_voting",
        feature_names=[f"f{i}" for i in range(6)],
        use_region=False,
        members=[to_member(name, estimators[name]) for name in names],
        calibrator=Calibrator("sigmoid", a=1.2, b=-0.1),
        threshold=0.3,
    )
    explanation = model.explain(x_new)
    expected = np.mean([retail_probability(e, x_new) for e in estimators.values()], axis=0)
    np.testing.assert_allclose(explanation.probability, expected, atol=1e-6)
    np.testing.assert_allclose(
        explanation.bias + explanation.contributions.sum(axis=1), explanation.probability, atol=1e-9
    )
    again = ChannelModel.from_json(model.to_json())
    np.testing.assert_array_equal(again.predict_proba(x_new), model.predict_proba(x_new))


def test_top_contributions_follow_the_decision():
    contributions = np.array([[0.5, -0.2, 0.1, -0.9], [0.5, -0.2, 0.1, -0.9]])
    order = top_contributions(contributions, np.array([True, False]), k=3)
    assert order[0].tolist() == [0, 2, 1]  # Retail call: most positive first
    assert order[1].tolist() == [3, 1, 2]  # HORECA call: most negative first
