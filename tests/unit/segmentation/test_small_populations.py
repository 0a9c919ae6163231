"""Populations too small for the configured k: clear errors naming the figures and the setting."""

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import make_retail, make_wholesale, retail_config, wholesale_config

from customer_intelligence.segmentation import (
    SegmenterConfig,
    choose_k,
    run_k_selection,
    train_segmenter,
)
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
        "to compare cluster counts (k_min = 2); found "
        f"{rows}. Fix: add rows: segmenting needs at least 3, and no setting can lower that."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        run_k_selection(customers(n), retail_config())


def test_k_selection_with_rows_at_k_min_names_the_settings_that_fix_it():
    message = (
        "retail_customers segmentation needs at least k_min + 1 = 5 rows (one per customer_id) "
        "to compare cluster counts (k_min = 4); found 4 rows. Fix: add "
        "rows, lower the setting k_min to at most 3, or set the setting "
        "fixed_k to a k from 2 to 3."
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
    with pytest.raises(ValueError, match="k-selection table is empty .*setting k_min"):
        choose_k(empty, retail_config())


def test_fixed_k_at_or_above_the_row_count_names_the_setting():
    frame = make_wholesale(70)  # 140 accounts
    config = wholesale_config(fixed_k=200)
    selection = run_k_selection(frame, config)
    message = (
        "wholesale_accounts segmentation: fixed k = 200 (setting fixed_k) "
        "needs at least 201 rows (one per account_id); found 140. Fix: set the setting "
        "fixed_k to a k from 2 to 139, or to none to choose k from the "
        "data."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        train_segmenter(frame, config, selection)


def test_fixed_k_equal_to_the_row_count_is_rejected_before_the_fit():
    frame = customers(5)
    config = retail_config(fixed_k=5)
    with pytest.raises(ValueError, match=r"fixed k = 5 \(setting fixed_k\)"):
        train_segmenter(frame, config, run_k_selection(frame, config))


def test_settings_come_from_vars_with_one_project_default():
    """Each population's mapping takes its settings from vars (no inline default) whose defaults
    live in dbt_project.yml and parse into a valid SegmenterConfig."""
    root = MODELS_YML.parents[2]
    project_vars = yaml.safe_load((root / "dbt_project.yml").read_text())["vars"]
    models = {m["name"]: m for m in yaml.safe_load(MODELS_YML.read_text())["models"]}
    for model_name, population in (
        ("ml_retail_segment_k_selection", "retail_customers"),
        ("ml_wholesale_segment_k_selection", "wholesale_accounts"),
    ):
        mapping = models[model_name]["config"]["segmentation"]
        assert mapping["population"] == population
        resolved = {}
        for key, value in mapping.items():
            match = re.fullmatch(r"\{\{ var\('([a-z_]+)'\) \}\}", str(value))
            resolved[key] = str(project_vars[match.group(1)]) if match else value
        assert "fixed_k" in resolved and "k_min" in resolved
        SegmenterConfig.from_mapping(resolved)
