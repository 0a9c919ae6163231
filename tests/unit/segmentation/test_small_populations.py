"""Populations too small for the configured k: clear errors naming the figures and the dbt var."""

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import make_retail, make_wholesale, retail_config, wholesale_config

from customer_intelligence.segmentation import choose_k, run_k_selection, train_segmenter
from customer_intelligence.segmentation.config import FIXED_K_VARS, K_MIN_VAR
from customer_intelligence.segmentation.selection import SELECTION_COLUMNS

MODELS_YML = (
    Path(__file__).resolve().parents[3]
    / "python_models"
    / "segmentation"
    / "_segmentation__models.yml"
)


def customers(n: int):
    return make_retail().sample(n, random_state=0)


@pytest.mark.parametrize("n", [1, 2])
def test_k_selection_with_fewer_than_three_rows_says_so(n):
    rows = "1 row" if n == 1 else "2 rows"
    message = (
        "retail_customers segmentation needs at least k_min + 1 = 3 rows (one per customer_id) "
        "to compare cluster counts (k_min = 2, var segmentation_k_min); found "
        f"{rows}. Fix: add rows: segmenting needs at least 3, and no var can lower that."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        run_k_selection(customers(n), retail_config())


def test_k_selection_with_rows_at_k_min_names_the_vars_that_fix_it():
    message = (
        "retail_customers segmentation needs at least k_min + 1 = 5 rows (one per customer_id) "
        "to compare cluster counts (k_min = 4, var segmentation_k_min); found 4 rows. Fix: add "
        "rows, lower the var segmentation_k_min to at most 3, or set the var "
        "segmentation_retail_fixed_k to a k from 2 to 3."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        run_k_selection(customers(4), retail_config(k_min=4, k_max=6))


def test_three_rows_still_fall_back_to_k_two():
    """The smallest population that can be segmented keeps its fallback answer (k = 2)."""
    frame = customers(3)
    config = retail_config()
    selection = run_k_selection(frame, config)
    assert selection["k"].tolist() == [2] and selection["is_chosen"].tolist() == [True]
    assert selection["selection_reason"].iloc[0].startswith("fallback")
    train_segmenter(frame, config, selection)


def test_choose_k_on_an_empty_table_raises_a_clear_error():
    empty = pd.DataFrame(columns=list(SELECTION_COLUMNS))
    with pytest.raises(ValueError, match="k-selection table is empty .*segmentation_k_min"):
        choose_k(empty, retail_config())


def test_fixed_k_at_or_above_the_row_count_names_the_var():
    frame = make_wholesale(70)  # 140 accounts
    config = wholesale_config(fixed_k=200)
    selection = run_k_selection(frame, config)
    message = (
        "wholesale_accounts segmentation: fixed k = 200 (var segmentation_wholesale_fixed_k) "
        "needs at least 201 rows (one per account_id); found 140. Fix: set "
        "segmentation_wholesale_fixed_k to a k from 2 to 139, or to none to choose k from the "
        "data."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        train_segmenter(frame, config, selection)


def test_fixed_k_equal_to_the_row_count_is_rejected_before_the_fit():
    frame = customers(5)
    config = retail_config(fixed_k=5)
    with pytest.raises(ValueError, match=r"fixed k = 5 \(var segmentation_retail_fixed_k\)"):
        train_segmenter(frame, config, run_k_selection(frame, config))


def test_error_messages_name_the_vars_the_yaml_uses():
    models = {m["name"]: m for m in yaml.safe_load(MODELS_YML.read_text())["models"]}
    for model_name, population in (
        ("ml_retail_segment_k_selection", "retail_customers"),
        ("ml_wholesale_segment_k_selection", "wholesale_accounts"),
    ):
        mapping = models[model_name]["config"]["segmentation"]
        assert mapping["population"] == population
        assert f"var('{FIXED_K_VARS[population]}'" in mapping["fixed_k"]
        assert f"var('{K_MIN_VAR}'" in mapping["k_min"]
