"""Recommender settings: parsed from dbt's templated text, checked, and named by setting."""

import ast
from dataclasses import MISSING, fields, replace
from pathlib import Path

import pytest

from customer_intelligence.recommender import config as config_module
from customer_intelligence.recommender.config import RecommenderConfig
from customer_intelligence.recommender.tuning import method_grids

PACKAGE = Path(config_module.__file__).parent


def test_text_from_jinja_is_parsed_to_typed_values(make_settings):
    settings = make_settings(eval_cutoff_days_before="91,152, 213", k=" 7 ", top_n="10.0")
    assert settings.eval_cutoff_days_before == (91, 152, 213)
    assert settings.k == 7 and settings.top_n == 10
    assert settings.item_knn_neighbours_grid == (20, 100, 400)
    assert settings.ease_l2_grid == (100.0, 300.0, 1000.0)
    assert all(isinstance(v, float) for v in settings.ease_l2_grid)


def test_python_values_and_lists_are_accepted(make_settings):
    settings = make_settings(
        top_n=5, eval_cutoff_days_before=[91, 152], ease_l2_grid=[100, 300], hybrid_l2_c_grid=1
    )
    assert settings.top_n == 5
    assert settings.eval_cutoff_days_before == (91, 152)
    assert settings.ease_l2_grid == (100.0, 300.0)
    assert settings.hybrid_l2_c_grid == (1.0,)


def test_zero_evaluation_users_means_every_customer(make_settings):
    assert make_settings(max_evaluation_users="0").max_users is None
    assert make_settings(max_evaluation_users="20000").max_users == 20000


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("k", "ten", "setting k: 'ten' is not a number"),
        ("top_n", "2.5", "setting top_n: '2.5' is not a whole number"),
        ("validation_days", "0", "setting validation_days must be >= 1"),
        ("max_evaluation_users", "-1", "setting max_evaluation_users must be >= 0"),
        ("ease_l2_grid", "[0, 100]", "setting ease_l2_grid must be > 0"),
        ("item_knn_neighbours_grid", "[]", "setting item_knn_neighbours_grid needs at least one"),
        ("eval_cutoff_days_before", "91,91", "setting eval_cutoff_days_before lists a value twice"),
        ("test_window_days", "None", "setting test_window_days is empty"),
        ("als_alpha_grid", "[5, inf]", "setting als_alpha_grid: 'inf' is not a finite number"),
        ("k", True, "setting k: True is not a number"),
    ],
)
def test_bad_values_name_the_setting(make_settings, name, value, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[")):
        make_settings(**{name: value})


def test_missing_and_unknown_settings_are_named(settings_mapping):
    partial = {k: v for k, v in settings_mapping.items() if k not in ("k", "top_n")}
    with pytest.raises(ValueError, match="missing recommender setting.*: top_n, k"):
        RecommenderConfig.from_mapping(partial)
    with pytest.raises(ValueError, match="unknown recommender setting.*: topn"):
        RecommenderConfig.from_mapping({**settings_mapping, "topn": "10"})
    with pytest.raises(ValueError, match="must be a mapping"):
        RecommenderConfig.from_mapping(None)


def test_a_config_built_in_python_is_checked_too(make_settings):
    with pytest.raises(ValueError, match="setting ease_l2_grid: 100 is not of type float"):
        replace(make_settings(), ease_l2_grid=(100, 300.0))


def test_every_field_is_a_setting_without_default(settings_mapping):
    assert all(
        f.default is MISSING and f.default_factory is MISSING for f in fields(RecommenderConfig)
    )
    assert [f.name for f in fields(RecommenderConfig)] == list(settings_mapping)


def test_grids_come_from_the_settings_in_order(make_settings):
    grids = method_grids(
        make_settings(als_factors_grid="8,4", als_regularization_grid="0.1", als_alpha_grid="1,2")
    )
    assert grids["als"] == [
        {"factors": 8, "regularization": 0.1, "alpha": 1.0},
        {"factors": 8, "regularization": 0.1, "alpha": 2.0},
        {"factors": 4, "regularization": 0.1, "alpha": 1.0},
        {"factors": 4, "regularization": 0.1, "alpha": 2.0},
    ]
    assert grids["popularity"] == [{}] and grids["ease"][0] == {"l2": 100.0}


def test_the_package_names_settings_not_dbt_vars():
    """Messages say "setting validation_days"; the dbt var names belong to the YAML."""
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert "recommender_" not in node.value, f"{path.name}: {node.value!r}"
