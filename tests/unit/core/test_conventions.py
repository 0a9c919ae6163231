"""The convention check catches each broken convention, and passes a clean project.

This file is exempt from the work-history file scan: its bad examples are the point.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

from tools import conventions
from tools.conventions import check_files, check_manifest, main


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
    models["model.proj.fct_orders"]["depends_on"] = {"nodes": ["model.proj.ml_scores"]}
    nodes = dict(models)
    for uid, node in models.items():
        if node["language"] == "python":
            continue  # declared and tested on the mart that reads it
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


def test_a_python_model_no_mart_reads_is_reported(clean_manifest: dict) -> None:
    manifest = copy.deepcopy(clean_manifest)
    manifest["nodes"]["model.proj.fct_orders"]["depends_on"] = {"nodes": []}
    problems = check_manifest(manifest)
    assert any("no contracted mart reads" in p and "ml_scores" in p for p in problems)


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


@pytest.mark.parametrize(
    "code",
    [
        "select * from a\nunion all by name\nselect * from b",
        "select * from a UNION BY NAME select * from b",
        "select * from a\n    union all\n    by name\nselect * from b",
    ],
)
def test_union_by_name_is_reported(clean_manifest: dict, code: str) -> None:
    manifest = copy.deepcopy(clean_manifest)
    manifest["nodes"]["model.proj.fct_orders"]["raw_code"] = code
    problems = check_manifest(manifest)
    assert any("union ... by name" in p and "fct_orders" in p for p in problems), problems


def test_duckdb_only_sql_in_a_data_test_argument_is_reported(clean_manifest: dict) -> None:
    test = _test("expression_is_true_fct_orders", "model.proj.fct_orders", None, "expr")
    test["test_metadata"]["kwargs"] = {
        "expression": "len(product_ids) = product_count",
        "model": "{{ get_where_subquery(ref('fct_orders')) }}",
    }
    clean_manifest["nodes"]["test.proj.expression_is_true_fct_orders"] = test
    problems = check_manifest(clean_manifest)
    assert len(problems) == 1
    assert "argument expression: DuckDB-only SQL" in problems[0]
    test["test_metadata"]["kwargs"]["expression"] = (
        "{{ array_size('product_ids') }} = product_count"
    )
    test["config"] = {"where": "order_date::date > '2011-01-01'"}
    assert "argument where" in check_manifest(clean_manifest)[0]


@pytest.mark.parametrize("call", ['dbt.ref("x").df()', 'dbt.ref("x").project("a").df()'])
def test_a_python_model_reading_a_duckdb_relation_is_reported(
    clean_manifest: dict, call: str
) -> None:
    clean_manifest["nodes"]["model.proj.ml_scores"]["raw_code"] = f"lines = {call}"
    problems = check_manifest(clean_manifest)
    assert len(problems) == 1 and "frames.to_pandas" in problems[0]
    clean_manifest["nodes"]["model.proj.ml_scores"]["raw_code"] = (
        'lines = to_pandas(dbt.ref("x"), ["a"])'
    )
    assert check_manifest(clean_manifest) == []


def test_union_with_explicit_columns_passes(clean_manifest: dict) -> None:
    manifest = copy.deepcopy(clean_manifest)
    manifest["nodes"]["model.proj.fct_orders"]["raw_code"] = (
        "select a, b from x\nunion all\nselect a, b from y\n"
        "-- not union all by name here\nunion\nselect a, b from z"
    )
    assert check_manifest(manifest) == []


@pytest.mark.parametrize(
    ("code", "type_name", "advice", "line"),
    [
        ("select\n    cast(a as double) as a", "double", "type_double()", 2),
        ("select cast(a as DOUBLE precision) as a", "double", "type_double()", 1),
        ("select cast(a as float8) as a", "float8", "type_double()", 1),
        ("select cast(a as float) as a", "float", "type_double()", 1),
        ("select cast(a as hugeint) as a", "hugeint", "integer or bigint", 1),
        ("select cast(a as ubigint) as a", "ubigint", "integer or bigint", 1),
        ("select cast(a as text) as a", "text", "dbt.type_string()", 1),
        ("select cast(a as timestamp) as a", "timestamp", "dbt.type_timestamp()", 1),
        ("select cast(a as decimal(18, 4)) as a", "decimal", "type_money()", 1),
        ("select cast(a as bool) as a", "bool", "boolean", 1),
        # The type on its own line, after an expression with parentheses and a string.
        (
            "select\n    cast(\n        coalesce(f(a, ')'), 0)\n        as double\n    ) as a",
            "double",
            "type_double()",
            4,
        ),
        # The inner cast of a nested pair.
        ("select cast(cast(a as double) as integer) as a", "double", "type_double()", 1),
    ],
)
def test_literal_duckdb_type_in_a_cast_is_reported(
    clean_manifest: dict, code: str, type_name: str, advice: str, line: int
) -> None:
    manifest = copy.deepcopy(clean_manifest)
    manifest["nodes"]["model.proj.int_orders_joined"]["raw_code"] = code
    problems = [p for p in check_manifest(manifest) if "literal type" in p]
    assert len(problems) == 1, problems
    assert f"line {line}:" in problems[0]
    assert f"literal type {type_name}," in problems[0] and advice in problems[0]


def test_one_message_per_type_lists_its_lines(clean_manifest: dict) -> None:
    manifest = copy.deepcopy(clean_manifest)
    manifest["nodes"]["model.proj.fct_orders"]["raw_code"] = (
        "select\n    cast(a as double) as a,\n    cast(b as double) as b,\n"
        "    cast(c as hugeint) as c"
    )
    problems = [p for p in check_manifest(manifest) if "literal type" in p]
    assert len(problems) == 2
    assert any("lines 2, 3:" in p and "double" in p for p in problems)
    assert any("line 4:" in p and "hugeint" in p for p in problems)


def test_portable_casts_and_type_macros_pass(clean_manifest: dict) -> None:
    manifest = copy.deepcopy(clean_manifest)
    manifest["nodes"]["model.proj.fct_orders"]["raw_code"] = """
select
    cast(a as integer) as a,
    cast(b as INT) as b,
    cast(c as bigint) as c,
    cast(d as boolean) as is_d,
    cast(e as date) as e_date,
    cast(f as {{ type_double() }}) as f,
    cast(g as {{ type_money() }}) as g,
    cast(h as {{ dbt.type_string() }}) as h,
    cast(i as {{ dbt.type_timestamp() }}) as i_at,
    {{ dbt.safe_cast('j', api.Column.translate_type('double')) }} as j,
    cast(k as integer) as double_k,
    'cast(l as double)' as l_text,
    l as double_l
-- cast(m as double)
/* cast(n as hugeint) */
{# cast(o as float8) #}
from x
"""
    assert check_manifest(manifest) == []


def test_casts_in_python_models_and_macros_are_not_checked(clean_manifest: dict) -> None:
    manifest = copy.deepcopy(clean_manifest)
    manifest["nodes"]["model.proj.ml_scores"]["raw_code"] = "sql = 'select cast(a as double)'"
    manifest["macros"] = {
        "macro.proj.default__type_double": {
            "unique_id": "macro.proj.default__type_double",
            "package_name": "proj",
            "name": "default__type_double",
            "macro_sql": "{% macro default__type_double() %}cast(x as double){% endmacro %}",
            "description": "",
        }
    }
    assert check_manifest(manifest) == []


@pytest.mark.parametrize(
    "text",
    [
        "One row per account (GitHub issue 3).",
        "One row per account, as issue 3 asks.",
        "One row per account (issue #12).",
        "One row per account; see #12.",
        "One row per account, the metric set of the issue.",
        "One row per account. The Issue's baselines.",
        "One row per account, from PR #7.",
        "One row per account (Jira ticket).",
    ],
)
def test_work_history_in_a_model_description_is_reported(clean_manifest: dict, text: str) -> None:
    manifest = copy.deepcopy(clean_manifest)
    manifest["nodes"]["model.proj.fct_orders"]["description"] = text
    problems = check_manifest(manifest)
    assert any("fct_orders" in p and "work history" in p for p in problems), problems


def test_work_history_in_column_source_and_macro_descriptions_is_reported(
    clean_manifest: dict,
) -> None:
    manifest = copy.deepcopy(clean_manifest)
    column = {"description": "True for the baselines named in the issue.", "data_type": "boolean"}
    manifest["nodes"]["model.proj.fct_orders"]["columns"]["is_baseline"] = column
    manifest["sources"] = {
        "source.proj.shop.orders": {
            "unique_id": "source.proj.shop.orders",
            "package_name": "proj",
            "name": "orders",
            "description": "Raw orders, loaded as GitHub issue 4 describes.",
            "columns": {},
        }
    }
    manifest["macros"] = {
        "macro.proj.median": {
            "unique_id": "macro.proj.median",
            "package_name": "proj",
            "name": "median",
            "description": "Median.",
            "arguments": [{"name": "expression", "description": "A number (see #3)."}],
        }
    }
    problems = [p for p in check_manifest(manifest) if "work history" in p]
    assert len(problems) == 3, problems
    assert any("column is_baseline" in p for p in problems)
    assert any("orders" in p and "GitHub issue" in p for p in problems)
    assert any("argument expression" in p for p in problems)


@pytest.mark.parametrize(
    "text",
    [
        "One row per account. Rows with data issues are kept with their reason.",
        "One row per account; a data quality issue in the export is flagged, not dropped.",
        "One row per account. Known issues: none; the issues of the export are listed below.",
        "One row per account. Colour '#336699', rank #1st, tissue 3, {#- a comment -#}.",
        "One row per account. The issued invoice; reissue 3 times.",
    ],
)
def test_prose_about_data_issues_passes(clean_manifest: dict, text: str) -> None:
    manifest = copy.deepcopy(clean_manifest)
    manifest["nodes"]["model.proj.fct_orders"]["description"] = text
    assert check_manifest(manifest) == []


def test_file_scan_reports_work_history_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "_x__models.yml").write_text(
        "version: 2\n# Marts of the classifier (GitHub issue 3).\nmodels: []\n"
    )
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "m.py").write_text('"""Scores."""\n\n# the issue asks for four metrics\n')
    (tmp_path / "README.md").write_text("# Title\n\nFixed in #12.\n")
    assert sorted(check_files(tmp_path)) == [
        "README.md:3: refers to work history ('#12')",
        "models/_x__models.yml:2: refers to work history ('GitHub issue')",
        "src/m.py:3: refers to work history ('the issue')",
    ]


def test_file_scan_passes_clean_files_and_skips_the_rest(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "x.sql").write_text(
        "{# rows with data issues are kept #}\nselect '#336699' as colour\n"
    )
    (tmp_path / "README.md").write_text("# Title\n\n## 1. Issues with the export\n")
    # Not scanned: data files, build output, a folder outside the scanned paths.
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "s.csv").write_text("note\nGitHub issue 3\n")
    (tmp_path / "models" / "target").mkdir()
    (tmp_path / "models" / "target" / "x.sql").write_text("-- GitHub issue 3\n")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "n.md").write_text("GitHub issue 3\n")
    assert check_files(tmp_path) == []


def test_the_checker_source_passes_its_own_scan(tmp_path: Path) -> None:
    (tmp_path / "tools").mkdir()
    shutil.copy(conventions.__file__, tmp_path / "tools" / "conventions.py")
    assert check_files(tmp_path) == []


def test_command_line_exit_codes(tmp_path: Path, clean_manifest: dict, capsys) -> None:
    root = ["--root", str(tmp_path)]
    assert main([str(tmp_path / "missing.json"), *root]) == 2
    manifest_path = tmp_path / "manifest.json"
    manifest_path.write_text(json.dumps(clean_manifest))
    assert main([str(manifest_path), *root]) == 0
    (tmp_path / "README.md").write_text("See the issue.\n")
    assert main(["--files-only", *root]) == 1
    assert "README.md:1" in capsys.readouterr().out


def test_settings_are_declared_once_in_the_project_file(tmp_path: Path) -> None:
    (tmp_path / "dbt_project.yml").write_text("vars:\n  top_n: 10\n")
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "fct_x.sql").write_text(
        "select {{ var('top_n') }} as a,\n {{ var('top_n', 5) }} as b, {{ var('k') }} as c\n"
    )
    problems = conventions.check_settings(tmp_path)
    assert problems == [
        "models/fct_x.sql:2: var('top_n', ...) has an inline default; its one default belongs "
        "in dbt_project.yml",
        "models/fct_x.sql:2: var 'k' is not declared in dbt_project.yml",
    ]
    (tmp_path / "models" / "fct_x.sql").write_text("select {{ var('top_n') }} as a\n")
    assert conventions.check_settings(tmp_path) == []
