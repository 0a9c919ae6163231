"""Weekly series: the week grid, the demand classes and the error scales."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from customer_intelligence.demand.series import (
    WeeklyDemand,
    demand_classes,
    last_complete_week,
    mase_scale,
    rmsse_scale,
)

from .conftest import FIRST_MONDAY, as_of, weekly_frame


@pytest.mark.parametrize(
    ("as_of_date", "last"),
    [
        ("2011-12-12", "2011-12-05"),  # a Monday: the week before has just ended
        ("2011-12-10", "2011-11-28"),  # a Saturday: that week has not ended
        ("2011-12-11", "2011-11-28"),  # a Sunday: the day itself is not before as_of_date
    ],
)
def test_the_last_complete_week_ends_before_as_of_date(as_of_date: str, last: str) -> None:
    assert last_complete_week(as_of_date) == pd.Timestamp(last)


def test_series_start_at_the_first_sale_fill_silent_weeks_and_drop_part_weeks() -> None:
    frame = pd.DataFrame(
        [
            ("A", "2011-01-03", 5, 10.0, 2.0),
            ("A", "2011-01-17", 3, 6.3, 2.1),
            ("B", "2011-01-10", 1, 9.0, 9.0),
            ("B", "2011-01-24", 4, 36.0, 9.0),  # the week of as_of_date: not complete
        ],
        columns=["product_id", "week_start", "units", "revenue", "list_price"],
    )
    demand = WeeklyDemand.from_frame(frame, "2011-01-27")
    assert list(demand.weeks) == list(pd.date_range("2011-01-03", "2011-01-17", freq="7D"))
    assert demand.product_ids.tolist() == ["A", "B"]
    np.testing.assert_array_equal(demand.units[0], [5, 0, 3])
    np.testing.assert_array_equal(demand.units[1], [np.nan, 1, 0])
    np.testing.assert_array_equal(demand.price[0], [2.0, 2.0, 2.1])  # carried forward
    np.testing.assert_array_equal(demand.first_week, [0, 1])


def test_weeks_not_starting_on_monday_or_no_complete_week_are_refused() -> None:
    frame = weekly_frame(weeks=3)
    shifted = frame.assign(week_start=frame["week_start"] + pd.Timedelta(days=1))
    with pytest.raises(ValueError, match="Monday"):
        WeeklyDemand.from_frame(shifted, as_of(3))
    with pytest.raises(ValueError, match="no complete week"):
        WeeklyDemand.from_frame(frame, FIRST_MONDAY + pd.Timedelta(days=3))


def test_demand_classes_follow_syntetos_boylan_cut_offs() -> None:
    history = np.array(
        [
            [10, 11, 9, 10, 10, 12],  # a sale every week, steady: smooth
            [1, 50, 2, 80, 1, 60],  # every week, sizes vary: erratic
            [5, 0, 0, 5, 0, 5],  # few weeks, steady: intermittent
            [1, 0, 0, 90, 0, 3],  # few weeks, sizes vary: lumpy
            [np.nan, np.nan, 0, 0, 0, 0],  # no sale since it began: intermittent
        ],
        dtype=float,
    )
    assert demand_classes(history).tolist() == [
        "smooth",
        "erratic",
        "intermittent",
        "lumpy",
        "intermittent",
    ]


def test_scales_are_the_in_sample_naive_errors_from_the_first_week() -> None:
    history = np.array([[np.nan, 2, 4, 1], [np.nan, np.nan, np.nan, 3]], dtype=float)
    # changes of the first row: +2, -3
    np.testing.assert_allclose(rmsse_scale(history), [np.sqrt((4 + 9) / 2), np.nan])
    np.testing.assert_allclose(mase_scale(history), [2.5, np.nan])


def test_a_sample_keeps_whole_series_of_a_fixed_set_of_products() -> None:
    demand = WeeklyDemand.from_frame(weekly_frame(products=40), as_of())
    assert demand.sample(40, seed=1) is demand
    sample = demand.sample(10, seed=1)
    assert len(sample.product_ids) == 10
    assert sample.product_ids.tolist() == demand.sample(10, seed=1).product_ids.tolist()
    rows = np.searchsorted(demand.product_ids, sample.product_ids)
    np.testing.assert_array_equal(sample.units, demand.units[rows])
    np.testing.assert_array_equal(sample.price, demand.price[rows])
