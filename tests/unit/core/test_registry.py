"""Registry rows: content-derived versions, order-independent data hashes, fixed columns."""

from __future__ import annotations

import json

import pandas as pd

from customer_intelligence.registry import REGISTRY_COLUMNS, frame_hash, model_version, registry_row


def test_frame_hash_ignores_row_order_but_not_content() -> None:
    frame = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    shuffled = frame.iloc[[2, 0, 1]].reset_index(drop=True)
    changed = frame.assign(a=[1, 2, 4])
    assert frame_hash(frame) == frame_hash(shuffled)
    assert frame_hash(frame) != frame_hash(changed)


def test_model_version_is_deterministic_and_sensitive_to_parameters() -> None:
    libs = {"numpy": "2"}
    first = model_version("m", "abc", {"k": 3}, libs)
    assert first == model_version("m", "abc", {"k": 3}, libs)
    assert first != model_version("m", "abc", {"k": 4}, libs)
    assert first.startswith("m-") and len(first) == len("m-") + 12


def test_registry_row_has_the_registry_columns() -> None:
    row = registry_row(
        model_name="demo",
        algorithm="none",
        training_data_hash="abc",
        training_rows=3,
        parameters={"k": 3},
        metrics={"score": 0.5},
        artefact_format="json",
        artefact="{}",
        as_of_date="2011-12-10",
    )
    assert list(row.columns) == list(REGISTRY_COLUMNS)
    assert len(row) == 1
    assert json.loads(row.loc[0, "metrics_json"]) == {"score": 0.5}
    assert str(row.loc[0, "as_of_date"]) == "2011-12-10"
