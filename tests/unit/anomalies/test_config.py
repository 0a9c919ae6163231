"""AnomalyConfig from dbt's string values, and its validation messages."""

from __future__ import annotations

import pytest

from customer_intelligence.anomalies import AnomalyConfig


def test_from_mapping_casts_strings() -> None:
    config = AnomalyConfig.from_mapping(
        {
            "review_share": "0.01",
            "min_orders": "200",
            "isolation_forest": "false",
            "score_components": "price_z, repeat_orders",
            "evaluation_repeats": "3",
            "calibration": "rank",
            "tail_share": "0.05",
        }
    )
    assert config.calibration == "rank" and config.tail_share == 0.05
    assert config.review_share == 0.01
    assert config.min_orders == 200 and isinstance(config.min_orders, int)
    assert config.isolation_forest is False
    assert config.components == ("price_z", "repeat_orders")
    assert config.evaluation_seeds == (10, 11, 12)
    assert AnomalyConfig.from_mapping(None) == AnomalyConfig()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"review_shar": "0.01"}, "unknown anomaly settings: review_shar"),
        ({"review_share": "1.5"}, "anomaly_review_share must be in"),
        ({"injected_share": "0.01"}, "anomaly_injected_share must be in"),
        ({"min_orders": "2.5"}, "min_orders='2.5': expected a whole number"),
        ({"isolation_forest": "maybe"}, "expected true or false"),
        ({"score_components": "price_z,colour"}, "must name some of"),
        ({"combination": "mean"}, "anomaly_combination must be one of max, sum"),
        ({"calibration": "ecdf"}, "anomaly_calibration must be one of tail, rank"),
        ({"tail_share": "0.5"}, r"anomaly_tail_share must be in \(0, 0.5\)"),
        (
            {"isolation_forest": "false", "score_components": "price_z,isolation_forest"},
            "names isolation_forest, which is off",
        ),
    ],
)
def test_bad_settings_raise_clear_messages(values: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        AnomalyConfig.from_mapping(values)
