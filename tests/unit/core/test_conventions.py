"""The manifest convention check catches each broken convention, and passes a clean project."""

from __future__ import annotations

import copy

import pytest

from customer_intelligence.conventions import check_manifest


def _model(name: str, path: str, **overrides) -> dict:
    node = {
        "resource_type": "model",
        "package_name": "proj",
        "name": name,
        "original_file_path": path,
        "description": "One row per thing.",
        "columns": {"thing_id": {"description": "Key.", "data_type": "varchar"}},
        "depends_on": {"nodes": []},
        "contract": {"enforced": path.startswith("models/marts/")},
        "language": "sql",
        "raw_code": "select 1",
    }
    node.update(overrides)
    return node


def _test(name: str, attached: str, column: str | None, test_name: str) -> dict:
    return {
        "resource_type": "test",
        "package_name": "proj",
        "name": name,
        "attached_node": attached,
        "column_name": column,
        "test_metadata": {"name": test_name},
    }


@pytest.fixture
def clean_manifest() -> dict:
    models = {
        "model.proj.stg_shop__orders": _model("stg_shop__orders", "models/staging/shop/x.sql"),
        "model.proj.int_orders_joined": _model("int_orders_joined", "models/intermediate/x.sql"),
        "model.proj.fct_orders": _model("fct_orders", "models/marts/sales/fct_orders.sql"),
        "model.proj.ml_scores": _model(
            "ml_scores", "python_models/ml_scores.py", language="python", raw_code="import pandas"
        ),
    }
    models["model.proj.stg_shop__orders"]["depends_on"] = {"nodes": ["source.proj.shop.orders"]}
    nodes = dict(models)
    for uid, node in models.items():
        nodes[f"test.proj.u_{node['name']}"] = _test("u", uid, "thing_id", "unique")
        nodes[f"test.proj.n_{node['name']}"] = _test("n", uid, "thing_id", "not_null")
    return {"metadata": {"project_name": "proj"}, "nodes": nodes, "exposures": {}}


def test_clean_manifest_passes(clean_manifest: dict) -> None:
    assert check_manifest(clean_manifest) == []


@pytest.mark.parametrize(
    ("uid", "change", "expected"),
    [
        ("model.proj.fct_orders", {"name": "orders"}, "should start with fct_"),
        ("model.proj.stg_shop__orders", {"name": "stg_orders"}, "stg_<source>__<entity>s"),
        ("model.proj.fct_orders", {"description": "Orders."}, "grain"),
        ("model.proj.fct_orders", {"contract": {"enforced": False}}, "enforce their contract"),
        (
            "model.proj.fct_orders",
            {"columns": {"thing_id": {"description": "Key.", "data_type": None}}},
            "no data_type",
        ),
        (
            "model.proj.int_orders_joined",
            {"columns": {"thing_id": {"description": ""}}},
            "has no description",
        ),
        (
            "model.proj.int_orders_joined",
            {"depends_on": {"nodes": ["source.proj.shop.orders"]}},
            "source() outside staging",
        ),
        ("model.proj.ml_scores", {"raw_code": "from sklearn.cluster import KMeans"}, "sklearn"),
        ("model.proj.fct_orders", {"raw_code": "select cast(a as varchar) as a"}, "type_string"),
        ("model.proj.fct_orders", {"raw_code": "select a::integer as a"}, "'::' cast"),
        ("model.proj.fct_orders", {"raw_code": "select list(a order by b) as c"}, "list()"),
        ("model.proj.fct_orders", {"raw_code": "select bool_or(a) as b"}, "dbt.bool_or"),
        (
            "model.proj.int_orders_joined",
            {"raw_code": "select count(*) filter (where a) as n"},
            "case expression",
        ),
        ("model.proj.stg_shop__orders", {"raw_code": "select try_cast(a as int)"}, "safe_cast"),
        ("model.proj.fct_orders", {"raw_code": "select strftime(a, '%Y')"}, "dispatched macro"),
    ],
)
def test_each_broken_convention_is_reported(
    clean_manifest: dict, uid: str, change: dict, expected: str
) -> None:
    manifest = copy.deepcopy(clean_manifest)
    manifest["nodes"][uid].update(change)
    problems = check_manifest(manifest)
    assert any(expected in problem for problem in problems), problems


def test_missing_primary_key_test_is_reported(clean_manifest: dict) -> None:
    manifest = copy.deepcopy(clean_manifest)
    del manifest["nodes"]["test.proj.n_fct_orders"]
    problems = check_manifest(manifest)
    assert any("no primary key test" in p and "fct_orders" in p for p in problems)


def test_exposure_on_uncontracted_model_is_reported(clean_manifest: dict) -> None:
    manifest = copy.deepcopy(clean_manifest)
    manifest["exposures"] = {
        "exposure.proj.bi": {
            "name": "bi",
            "depends_on": {"nodes": ["model.proj.int_orders_joined"]},
        }
    }
    assert any("exposure bi" in p for p in check_manifest(manifest))


def test_duckdb_only_sql_in_comments_or_python_models_is_not_reported(
    clean_manifest: dict,
) -> None:
    manifest = copy.deepcopy(clean_manifest)
    manifest["nodes"]["model.proj.fct_orders"]["raw_code"] = (
        "-- not varchar here\n{# nor list(x) here #}\n/* nor a::int here */\n"
        "select cast(a as {{ dbt.type_string() }}), {{ dbt.bool_or('b') }}"
    )
    manifest["nodes"]["model.proj.ml_scores"]["raw_code"] = "x = df.astype('varchar')"
    assert check_manifest(manifest) == []
