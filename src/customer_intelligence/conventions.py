"""House conventions checked over a compiled dbt manifest (`target/manifest.json`).

The checks are the project's own subset of dbt-project-evaluator (which cannot be installed here)
plus the house style: naming per layer, a grain sentence on every model, a tested primary key,
contracts on marts, documented columns, `source()` only in staging, portable SQL in SQL models
(DuckDB-only SQL only inside dispatched macros), thin Python models, and exposures that depend
only on contracted marts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

LAYER_PREFIXES: dict[str, tuple[str, ...]] = {
    "staging": ("stg_",),
    "intermediate": ("int_",),
    "marts": ("fct_", "dim_", "rpt_"),
    "python_models": ("ml_",),
}
GRAIN_PATTERN = re.compile(r"^\s*One row (per|for)\b", re.IGNORECASE)
FORBIDDEN_PYTHON_IMPORTS = ("sklearn", "xgboost", "implicit", "scipy")
# DuckDB-only SQL that has a portable spelling. A SQL model must use the spelling on the right so
# the SQL layer can move to Spark/Databricks/Snowflake; DuckDB-only SQL lives in dispatched macros.
DUCKDB_ONLY_SQL: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bvarchar\b", re.IGNORECASE), "varchar: use {{ dbt.type_string() }}"),
    (re.compile(r"::"), "'::' cast: use cast(... as ...)"),
    (re.compile(r"(?<![.\w])try_cast\s*\(", re.IGNORECASE), "try_cast: use dbt.safe_cast"),
    (
        re.compile(r"(?<![.\w])bool_(or|and)\s*\(", re.IGNORECASE),
        "bool_or/bool_and: use dbt.bool_or",
    ),
    (re.compile(r"(?<![.\w])list\s*\(", re.IGNORECASE), "list(): use ordered_array_agg"),
    (
        re.compile(r"\bfilter\s*\(\s*where\b", re.IGNORECASE),
        "aggregate filter (where ...): use a case expression inside the aggregate",
    ),
    (
        re.compile(
            r"(?<![.\w])(strftime|strptime|epoch|date_diff|isodow|len|list_\w+)\s*\(", re.IGNORECASE
        ),
        "DuckDB date/list function: use a dbt cross-database macro or a dispatched macro",
    ),
)
# Comments are stripped first; string literals are not parsed (a "--" inside one hides the rest of
# its line, a 'varchar' inside one is reported), which no model here needs.
SQL_COMMENT = re.compile(r"--[^\n]*|\{#.*?#\}|/\*.*?\*/", re.DOTALL)


def _layer(node: dict[str, Any]) -> str | None:
    path = node.get("original_file_path", "")
    if path.startswith("python_models/"):
        return "python_models"
    parts = path.split("/")
    if len(parts) > 1 and parts[0] == "models":
        return parts[1]
    return None


def _tests_by_model(manifest: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    tests: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test":
            continue
        attached = node.get("attached_node")
        if attached:
            tests[attached].append(node)
    return tests


def _has_primary_key_test(tests: Iterable[dict[str, Any]]) -> bool:
    unique_columns: set[str] = set()
    not_null_columns: set[str] = set()
    for test in tests:
        metadata = test.get("test_metadata") or {}
        name = metadata.get("name")
        column = test.get("column_name")
        if name == "unique_combination_of_columns":
            return True
        if name == "unique" and column:
            unique_columns.add(column)
        if name == "not_null" and column:
            not_null_columns.add(column)
    return bool(unique_columns & not_null_columns)


def check_manifest(manifest: dict[str, Any]) -> list[str]:
    """Return one message per broken convention (empty list: all conventions hold).

    Input: a dbt manifest as a dict. Only this project's models, seeds and exposures are checked.
    """
    problems: list[str] = []
    project = manifest["metadata"].get("project_name")
    tests = _tests_by_model(manifest)
    models = {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node.get("package_name") == project
    }

    for uid, node in sorted(models.items()):
        name = node["name"]
        layer = _layer(node)
        where = f"{name} ({node.get('original_file_path')})"

        if layer not in LAYER_PREFIXES:
            problems.append(
                f"{where}: not under models/<staging|intermediate|marts> or python_models"
            )
        elif not name.startswith(LAYER_PREFIXES[layer]):
            expected = " or ".join(LAYER_PREFIXES[layer])
            problems.append(f"{where}: a {layer} model's name should start with {expected}")
        if layer == "staging" and not re.match(r"^stg_[a-z0-9_]+__[a-z0-9_]+s$", name):
            problems.append(f"{where}: staging names are stg_<source>__<entity>s")

        if not GRAIN_PATTERN.match(node.get("description") or ""):
            problems.append(f"{where}: description must open with its grain ('One row per ...')")

        if not _has_primary_key_test(tests.get(uid, [])):
            problems.append(
                f"{where}: no primary key test (unique + not_null on one column, "
                "or unique_combination_of_columns)"
            )

        for column_name, column in node.get("columns", {}).items():
            if not (column.get("description") or "").strip():
                problems.append(f"{where}: column {column_name} has no description")

        sources_used = [d for d in node["depends_on"]["nodes"] if d.startswith("source.")]
        if sources_used and layer != "staging":
            problems.append(f"{where}: source() outside staging ({', '.join(sources_used)})")

        if layer == "marts":
            if not node.get("contract", {}).get("enforced"):
                problems.append(f"{where}: marts must enforce their contract")
            if not node.get("columns"):
                problems.append(f"{where}: mart has no documented columns")
            for column_name, column in node.get("columns", {}).items():
                if not column.get("data_type"):
                    problems.append(f"{where}: column {column_name} has no data_type")

        if node.get("language", "sql") == "sql":
            code = SQL_COMMENT.sub("", node.get("raw_code", ""))
            for pattern, advice in DUCKDB_ONLY_SQL:
                if pattern.search(code):
                    problems.append(f"{where}: DuckDB-only SQL, {advice}")

        if node.get("language") == "python":
            code = node.get("raw_code", "")
            for library in FORBIDDEN_PYTHON_IMPORTS:
                if re.search(rf"^\s*(import|from)\s+{library}\b", code, re.MULTILINE):
                    problems.append(
                        f"{where}: imports {library}; Python models call the package instead"
                    )

    for _, node in sorted(manifest["nodes"].items()):
        is_own_seed = node["resource_type"] == "seed" and node.get("package_name") == project
        if is_own_seed and not (node.get("description") or "").strip():
            problems.append(f"{node['name']}: seed has no description")

    for _, exposure in sorted(manifest.get("exposures", {}).items()):
        for dependency in exposure["depends_on"]["nodes"]:
            target = manifest["nodes"].get(dependency, {})
            if not target.get("contract", {}).get("enforced"):
                problems.append(
                    f"exposure {exposure['name']}: depends on {dependency}, which is not a "
                    "contracted mart"
                )
    return problems
