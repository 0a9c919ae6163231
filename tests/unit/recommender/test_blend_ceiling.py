"""The blend-ceiling diagnostic rebuilds the evaluated hybrid exactly (research/)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest

from customer_intelligence.recommender.evaluation import evaluate_cutoff
from customer_intelligence.recommender.tuning import HYBRID_COMPONENTS

SCRIPT = Path(__file__).parents[3] / "research" / "recommender_blend_ceiling.py"


def _script():
    spec = importlib.util.spec_from_file_location("recommender_blend_ceiling", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("task", ["all", "explore"])
def test_validation_weights_reproduce_the_evaluated_hybrid(lines, make_settings, task):
    cutoff, days = pd.Timestamp("2011-08-29"), 60
    settings = make_settings(validation_days=days, test_window_days=days)
    methods = (*HYBRID_COMPONENTS, "hybrid")
    frame = evaluate_cutoff(lines, cutoff, settings, methods=methods)
    hybrid = frame.loc[
        (frame["recommendation_method"] == "hybrid")
        & (frame["task"] == task)
        & (frame["metric"] == "ndcg")
    ].iloc[0]
    figures = _script().ceiling(
        lines,
        cutoff,
        json.loads(hybrid["parameters_json"]),
        task,
        (days, days),
        settings.k,
        settings.max_users,
    )
    assert figures["hybrid, validation weights"] == pytest.approx(hybrid["metric_value"], abs=1e-12)
    assert 0.0 <= figures["hybrid, weights fitted on the test (ceiling)"] <= 1.0
