"""Train or reuse: the decision rules of customer_intelligence.retraining."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from customer_intelligence.retraining import (
    REUSED,
    TRAINED,
    UNCHANGED,
    Decision,
    RetrainPolicy,
    TrainingData,
    decide,
    follow,
    inputs_unchanged,
    train_or_reuse,
    unchanged_since_last_build,
    with_decision,
)

AS_OF = dt.date(2011, 12, 10)


def _previous(**overrides) -> pd.DataFrame:
    row = {
        "model_name": "m",
        "model_version": "m-1",
        "training_data_hash": "h1",
        "training_rows": 10_000,
        "as_of_date": AS_OF,
        "settings_hash": "s1",
        "training_mean": 100.0,
        "build_action": TRAINED,
        "build_action_reason": "no model registered by an earlier build",
    }
    return pd.DataFrame([{**row, **overrides}])


def _current(**overrides) -> TrainingData:
    values = {
        "rows": 10_000,
        "data_hash": "h1",
        "settings_hash": "s1",
        "as_of_date": AS_OF,
        "mean": 100.0,
    }
    return TrainingData(**{**values, **overrides})


AUTO = RetrainPolicy()


@pytest.mark.parametrize(
    ("previous", "current", "policy", "action", "reason"),
    [
        (None, _current(), AUTO, TRAINED, "no model registered"),
        (_previous(), _current(), RetrainPolicy("always"), TRAINED, "always"),
        (_previous(), _current(), AUTO, REUSED, UNCHANGED),
        (_previous(), _current(settings_hash="s2"), AUTO, TRAINED, "library versions changed"),
        (_previous(), _current(settings_hash="s2"), RetrainPolicy("never"), TRAINED, "settings"),
        (
            _previous(),
            _current(data_hash="h2", rows=20_000, as_of_date=dt.date(2012, 6, 1)),
            RetrainPolicy("never"),
            REUSED,
            "never",
        ),
        # One more day of lines, 0.5% more rows, the mean barely moved: reuse.
        (
            _previous(),
            _current(data_hash="h2", rows=10_050, as_of_date=dt.date(2011, 12, 11), mean=100.5),
            AUTO,
            REUSED,
            "0.50% new rows, model 1 days old",
        ),
        (
            _previous(),
            _current(data_hash="h2", rows=11_000, as_of_date=dt.date(2011, 12, 11)),
            AUTO,
            TRAINED,
            "9.1% new rows",
        ),
        (
            _previous(),
            _current(data_hash="h2", rows=10_010, as_of_date=dt.date(2012, 1, 20)),
            AUTO,
            TRAINED,
            "41 days old",
        ),
        (
            _previous(),
            _current(data_hash="h2", rows=10_010, as_of_date=dt.date(2011, 12, 1)),
            AUTO,
            TRAINED,
            "replay",
        ),
        (
            _previous(),
            _current(data_hash="h2", rows=9_990, as_of_date=dt.date(2011, 12, 11)),
            AUTO,
            TRAINED,
            "rewritten",
        ),
        (
            _previous(),
            _current(data_hash="h2", rows=10_010, as_of_date=dt.date(2011, 12, 11), mean=120.0),
            AUTO,
            TRAINED,
            "mean moved 20.0%",
        ),
        # Undated training data (wholesale accounts): the same accounts are reused.
        (_previous(as_of_date=None), _current(as_of_date=None), AUTO, REUSED, UNCHANGED),
    ],
)
def test_decide(previous, current, policy, action, reason) -> None:
    decision = decide(previous, current, policy)
    assert decision.action == action
    assert reason in decision.reason


def test_bad_policy_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="retrain must be one of auto, always, never"):
        RetrainPolicy.from_mapping({"mode": "sometimes"})
    with pytest.raises(ValueError, match="retrain_max_new_row_share"):
        RetrainPolicy.from_mapping({"max_new_row_share": "1.5"})


def test_train_or_reuse_trains_only_when_needed() -> None:
    calls = []

    def train() -> pd.DataFrame:
        calls.append(1)
        return _previous(model_version="m-2").drop(
            columns=["settings_hash", "training_mean", "build_action", "build_action_reason"]
        )

    kept = train_or_reuse(_previous(), _current(), AUTO, train)
    assert calls == [] and kept["model_version"].tolist() == ["m-1"]
    assert kept["build_action"].tolist() == [REUSED]
    fresh = train_or_reuse(_previous(), _current(settings_hash="s2"), AUTO, train)
    assert calls == [1] and fresh["model_version"].tolist() == ["m-2"]
    assert fresh[["build_action", "settings_hash"]].values.tolist() == [[TRAINED, "s2"]]


def test_scoring_keeps_its_output_only_when_nothing_changed() -> None:
    registry = with_decision(_previous(), Decision(REUSED, UNCHANGED), _current()).iloc[0]
    lists = pd.DataFrame({"model_version": ["m-1", "m-1"]})
    assert unchanged_since_last_build(registry, lists)
    assert not unchanged_since_last_build(registry, None)
    assert not unchanged_since_last_build(registry, lists.assign(model_version="m-0"))
    grown = with_decision(_previous(), Decision(REUSED, "0.50% new rows"), _current()).iloc[0]
    assert not unchanged_since_last_build(grown, lists)


def test_a_step_on_the_same_inputs_keeps_its_output_only_when_nothing_changed() -> None:
    unchanged = with_decision(_previous(), Decision(REUSED, UNCHANGED), _current()).iloc[0]
    table = pd.DataFrame({"product_id": ["a", "b"]})
    assert inputs_unchanged(unchanged, table)
    assert not inputs_unchanged(unchanged, None)
    assert not inputs_unchanged(unchanged, table.iloc[:0])
    grown = with_decision(_previous(), Decision(REUSED, "0.50% new rows"), _current()).iloc[0]
    assert not inputs_unchanged(grown, table)
    retrained = with_decision(_previous(), Decision(TRAINED, "retrain: always"), _current())
    assert not inputs_unchanged(retrained.iloc[0], table)


def test_a_step_after_an_empty_upstream_table_trains() -> None:
    """A back-test with no cutoff it could evaluate has no rows to read a decision from."""
    empty = pd.DataFrame({"build_action": [], "build_action_reason": []})
    trained = follow(empty, _previous(), _current(), lambda: _previous(model_version="m-2"))
    assert trained[["model_version", "build_action"]].values.tolist() == [["m-2", TRAINED]]


def test_a_model_follows_its_upstream_step() -> None:
    """A segmenter is reused with its k selection, and trained when that was run again."""
    calls = []

    def train() -> pd.DataFrame:
        calls.append(1)
        return _previous(model_version="m-2")

    reused_upstream = pd.DataFrame({"build_action": [REUSED], "build_action_reason": [UNCHANGED]})
    kept = follow(reused_upstream, _previous(), _current(), train)
    assert calls == [] and kept[["model_version", "build_action"]].values.tolist() == [
        ["m-1", REUSED]
    ]
    # Reused upstream but nothing to reuse here (a first build after an upgrade): train.
    first = follow(reused_upstream, None, _current(), train)
    assert calls == [1] and first["build_action"].tolist() == [TRAINED]
    trained_upstream = pd.DataFrame(
        {"build_action": [TRAINED], "build_action_reason": ["settings changed"]}
    )
    fresh = follow(trained_upstream, _previous(), _current(), train)
    assert calls == [1, 1]
    assert fresh[["build_action", "build_action_reason"]].values.tolist() == [
        [TRAINED, "settings changed"]
    ]
