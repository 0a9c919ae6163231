import json

import pandas as pd
import pytest
from conftest import make_retail, retail_config, wholesale_config

from customer_intelligence.registry import REGISTRY_COLUMNS
from customer_intelligence.segmentation import (
    SegmenterConfig,
    apply_segmenter,
    run_k_selection,
    train_segmenter,
)


def test_from_mapping_casts_dbt_strings():
    config = retail_config(
        features="recency_days, frequency,monetary", k_max="6", fixed_k="None", min_stability="0.85"
    )
    assert config.features == ("recency_days", "frequency", "monetary")
    assert config.k_max == 6 and config.fixed_k is None and config.min_stability == 0.85


@pytest.mark.parametrize(
    "overrides",
    [
        {"log_features": ["avg_order_value"]},
        {"naming_scheme": "unknown"},
        {"k_min": "1"},
        {"recency_feature": "tenure_days"},
    ],
)
def test_invalid_configs_are_rejected(overrides):
    with pytest.raises(ValueError):
        retail_config(**overrides)


def test_pipeline_select_train_apply(retail):
    config = retail_config(k_max=4)
    selection = run_k_selection(retail, config)
    assert selection["is_chosen"].sum() == 1
    assert int(selection.loc[selection["is_chosen"], "k"].iloc[0]) == 3
    registry = train_segmenter(retail, config, selection)
    assert list(registry.columns) == list(REGISTRY_COLUMNS)
    metrics = json.loads(registry["metrics_json"].iloc[0])
    assert metrics["k"] == 3 and metrics["silhouette"] > 0.5
    out = apply_segmenter(retail, config, registry)
    assert len(out) == len(retail) and out["customer_id"].is_unique
    assert (out["segment_model_version"] == registry["model_version"].iloc[0]).all()
    # same data, same model version and identical assignments on a rebuild
    again = train_segmenter(retail.sample(frac=1.0, random_state=3), config, selection)
    assert again["model_version"].iloc[0] == registry["model_version"].iloc[0]
    pd.testing.assert_frame_equal(out, apply_segmenter(retail, config, again))


def test_registry_as_of_date_is_a_typed_date(retail):
    config = retail_config(k_max=3)
    selection = run_k_selection(retail, config)
    dated = train_segmenter(retail, config, selection, as_of_date="2011-12-10")
    undated = train_segmenter(retail, config, selection)
    assert str(dated["as_of_date"].iloc[0]) == "2011-12-10"
    assert (
        str(undated["as_of_date"].dtype) == str(dated["as_of_date"].dtype) == "date32[day][pyarrow]"
    )
    assert pd.isna(undated["as_of_date"].iloc[0])


def test_fixed_k_is_used(retail):
    config = retail_config(k_max=3, fixed_k=4)
    selection = run_k_selection(retail, config)
    registry = train_segmenter(retail, config, selection)
    assert json.loads(registry["metrics_json"].iloc[0])["k"] == 4


def test_wholesale_pipeline_with_same_segmenter(wholesale):
    config = wholesale_config()
    selection = run_k_selection(wholesale, config)
    registry = train_segmenter(wholesale, config, selection)
    out = apply_segmenter(wholesale, config, registry)
    assert out["segment_id"].nunique() == 2
    assert out["segment_name"].str.endswith("-led").all()


def test_missing_values_are_filled_not_dropped():
    frame = make_retail()
    frame.loc[:4, "monetary"] = None
    config: SegmenterConfig = retail_config()
    selection = run_k_selection(frame, config)
    out = apply_segmenter(frame, config, train_segmenter(frame, config, selection))
    assert len(out) == len(frame) and out["segment_id"].notna().all()
