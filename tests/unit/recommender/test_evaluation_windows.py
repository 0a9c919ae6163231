"""A cutoff with an empty fit, validation or test window is skipped, not a crash."""

from __future__ import annotations

import pandas as pd

from customer_intelligence.recommender.evaluation import (
    EVALUATION_COLUMNS,
    evaluation_table,
    missing_windows,
)


def _lines(dates: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["1"] * len(dates),
            "product_id": ["A"] * len(dates),
            "invoice_id": [str(i) for i in range(len(dates))],
            "invoice_date": pd.to_datetime(dates),
            "quantity": [1] * len(dates),
            "product_description": ["MUG"] * len(dates),
            "unit_price": [1.0] * len(dates),
        }
    )


def test_missing_windows_names_the_empty_ones() -> None:
    lines = _lines(["2011-03-10", "2011-05-01"])
    cutoff = pd.Timestamp("2011-04-01")
    assert missing_windows(lines, cutoff, window_days=91, validation_days=60) == [
        "fit (before validation)"
    ]
    assert missing_windows(lines, cutoff, window_days=91, validation_days=10) == ["validation"]
    full = _lines(["2010-12-01", "2011-03-10", "2011-05-01"])
    assert missing_windows(full, cutoff, window_days=91, validation_days=60) == []


def test_no_evaluable_cutoff_gives_an_empty_typed_table(make_settings) -> None:
    lines = _lines(["2011-03-10", "2011-05-01"])
    settings = make_settings(eval_cutoff_days_before="91", validation_days=91)
    frame = evaluation_table(lines, "2011-06-01", settings)
    assert frame.empty
    assert list(frame.columns) == list(EVALUATION_COLUMNS)
