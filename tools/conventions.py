r"""House conventions, checked over a compiled dbt manifest and over the repository's files.

    python -m tools.conventions target/manifest.json     # from the repository root
    python -m tools.conventions --files-only             # the file scan alone, no dbt needed

Exit status 1 lists every broken convention, 0 says they all hold, 2 means no manifest.

Manifest checks: the project's own subset of dbt-project-evaluator (which cannot be installed here)
plus the house style: naming per layer, a grain sentence on every model, a tested primary key,
contracts on marts, documented columns, `source()` only in staging, portable SQL in SQL models
and in data tests' arguments, thin Python models that read their refs through
`customer_intelligence.frames` (not a DuckDB relation's own methods), exposures that depend only
on contracted marts, and descriptions (what the warehouse and the docs site show) that describe
the data, not the work that produced it.

Portable SQL. A SQL model must run on the adapters the SQL layer is meant to move to (Spark /
Databricks, Snowflake, BigQuery, Postgres); DuckDB-only SQL lives in dispatched macros, which are
not checked. `DUCKDB_ONLY_SQL` lists the DuckDB spellings that have a portable one, among them
`union [all] by name` (write the columns of each `select` explicitly). Type names in
`cast(... as <type>)` are checked on their own (`::` is reported by `DUCKDB_ONLY_SQL` whatever its
type). A literal type is accepted only when it is a standard SQL name that every one of those
engines takes as a cast target: `integer` / `int`, `bigint`, `smallint`, `boolean`, `date`
(BigQuery reads the integer names as aliases of INT64 and `boolean` as BOOL; Snowflake reads the
integer names as NUMBER(38, 0): wider, never narrower). Everything else comes from a type macro:
- `double`, `float8`, `real`, `float`: `{{ type_double() }}` (the project's dispatched macro;
  Postgres wants `double precision`, BigQuery `float64`, and `float` is 32-bit on DuckDB and Spark
  but 64-bit on Snowflake, so `dbt.type_float()` is not a drop-in for a double);
- `varchar`, `text`, `string`: `{{ dbt.type_string() }}`;
- `timestamp` and its variants: `{{ dbt.type_timestamp() }}` (a naive timestamp on DuckDB, a
  local-zone one on Spark, an instant on BigQuery, set by a parameter on Snowflake);
- `decimal(p, s)` / `numeric`: `{{ type_money() }}` for amounts, else `{{ dbt.type_numeric() }}`
  (precision limits differ: BigQuery's NUMERIC keeps 29 integer digits);
- names some engine lacks or reads otherwise (`hugeint`, `ubigint`, `uinteger`, `tinyint`,
  `int8`, `bool`, ...): `integer`, `bigint` or `boolean`.

Work history. Code, comments, YAML and docs describe what the project does; why it changed belongs
in version control. `WORK_HISTORY` matches a ticket or tracker reference (an issue or ticket
followed by its number, a `#` plus number standing alone, a tracker name before the word issue)
and a bare reference to one (`the\s+(issue|ticket)`), case-insensitive; prose about data problems
("issues" in the plural, "a data quality issue") passes. Descriptions are checked in the
manifest; `check_files` scans the .py, .sql, .yml, .yaml and .md files under
`WORK_HISTORY_PATHS`.

Comments are stripped before the SQL checks (line numbers are kept). String literals are not
parsed by `DUCKDB_ONLY_SQL` (a 'varchar' inside one is reported), which no model here needs; the
cast check skips them and Jinja.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[1]
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
    (
        re.compile(r"\bunion\s+(all\s+)?by\s+name\b", re.IGNORECASE),
        "union ... by name: list the columns of each select explicitly, in the same order",
    ),
)
# A dbt Python model reading a ref with a DuckDB relation's own methods ties it to dbt-duckdb.
DUCKDB_RELATION_CALL = re.compile(r"\.(df|project|fetchall|fetchdf|arrow)\(")
# Type names a SQL model may write literally in a cast (see the module docstring).
PORTABLE_CAST_TYPES = frozenset({"integer", "int", "bigint", "smallint", "boolean", "date"})
_DOUBLE = "{{ type_double() }}"
_INTEGER = "integer or bigint"
CAST_TYPE_ADVICE: dict[str, str] = {
    **dict.fromkeys(("double", "float8", "float4", "float", "real"), _DOUBLE),
    **dict.fromkeys(("text", "string", "char", "bpchar", "nvarchar"), "{{ dbt.type_string() }}"),
    **dict.fromkeys(
        ("timestamp", "timestamptz", "datetime", "timestamp_s", "timestamp_ms", "timestamp_ns"),
        "{{ dbt.type_timestamp() }}",
    ),
    **dict.fromkeys(
        ("decimal", "numeric", "dec"), "{{ type_money() }} for amounts, else dbt.type_numeric()"
    ),
    **dict.fromkeys(
        (
            "hugeint",
            "uhugeint",
            "int128",
            "ubigint",
            "uinteger",
            "usmallint",
            "utinyint",
            "tinyint",
            "int1",
            "int2",
            "int4",
            "int8",
            "long",
            "short",
            "signed",
        ),
        _INTEGER,
    ),
    **dict.fromkeys(("bool", "logical"), "boolean"),
}
# `varchar` anywhere is already reported by DUCKDB_ONLY_SQL.
_CAST_TYPES_REPORTED_ELSEWHERE = frozenset({"varchar"})
SQL_COMMENT = re.compile(r"--[^\n]*|\{#.*?#\}|/\*.*?\*/", re.DOTALL)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_SQL_STRING = re.compile(r"'(?:[^']|'')*'")
_CAST_OPEN = re.compile(r"(?<![.\w])cast\s*\(", re.IGNORECASE)
_AS_KEYWORD = re.compile(r"\bas\b", re.IGNORECASE)
_TYPE_NAME = re.compile(r"\s*([a-z_][a-z0-9_]*)", re.IGNORECASE)

# Ticket and tracker references, and a bare reference to one (see the module docstring).
WORK_HISTORY = re.compile(
    r"\b(?:github|gh|gitlab|jira)\s+(?:issue|ticket|pull\s+request|pr)s?\b"
    r"|\b(?:issue|ticket|pull\s+request|pr)s?\s*#\s*\d+"
    r"|\b(?:issue|ticket)s?\s+\d+\b"
    r"|(?:^|(?<=[\s(\[]))#\d{1,5}\b"
    r"|\bthe\s+(?:issue|ticket)\b",
    re.IGNORECASE | re.MULTILINE,
)
# Files and folders (relative to the repository root) scanned by `check_files`.
WORK_HISTORY_PATHS: tuple[str, ...] = (
    "README.md",
    "dbt_project.yml",
    "selectors.yml",
    "models",
    "python_models",
    "macros",
    "analyses",
    "seeds",
    "src",
    "tests",
    "bench",
    "tools",
    "research",
)
WORK_HISTORY_SUFFIXES = frozenset({".py", ".sql", ".yml", ".yaml", ".md"})
# The convention check's own tests: their bad examples are the point.
WORK_HISTORY_EXEMPT = frozenset({"tests/unit/core/test_conventions.py"})
_SKIPPED_DIRECTORIES = frozenset({"__pycache__", "target", "dbt_packages", "logs", "out"})


def _blank(match: re.Match[str]) -> str:
    """Replace a match by spaces, keeping its newlines, so offsets and line numbers hold."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _line_of(code: str, offset: int) -> int:
    return code.count("\n", 0, offset) + 1


def _lines(numbers: Iterable[int]) -> str:
    unique = sorted(set(numbers))
    return f"line{'s' if len(unique) > 1 else ''} {', '.join(map(str, unique))}"


def duckdb_only_sql(code: str) -> list[tuple[list[int], str]]:
    """(line numbers, advice) for each DuckDB-only spelling in a SQL model's raw code."""
    code = SQL_COMMENT.sub(_blank, code)
    found = []
    for pattern, advice in DUCKDB_ONLY_SQL:
        lines = [_line_of(code, match.start()) for match in pattern.finditer(code)]
        if lines:
            found.append((lines, advice))
    return found


def _cast_targets(code: str) -> Iterator[tuple[int, str]]:
    """(offset, type text) of each `cast(... as <type>)` in code whose comments, Jinja and
    string literals are blanked; a type written with a macro is blank text."""
    for opening in _CAST_OPEN.finditer(code):
        depth, position, last_as = 1, opening.end(), None
        while position < len(code) and depth:
            character = code[position]
            if character == "(":
                depth += 1
            elif character == ")":
                depth -= 1
            elif depth == 1 and (keyword := _AS_KEYWORD.match(code, position)):
                last_as = keyword.end()
            position += 1
        if last_as is not None and not depth:
            yield last_as, code[last_as : position - 1]


def literal_cast_types(code: str) -> list[tuple[list[int], str, str]]:
    """(line numbers, type name, advice) for each non-portable type named in a cast."""
    masked = _SQL_STRING.sub(_blank, _JINJA.sub(_blank, SQL_COMMENT.sub(_blank, code)))
    lines_by_type: dict[str, list[int]] = defaultdict(list)
    for offset, target in _cast_targets(masked):
        name = _TYPE_NAME.match(target)
        if name is None:
            continue  # a type macro such as {{ dbt.type_string() }}
        type_name = name.group(1).lower()
        if type_name in PORTABLE_CAST_TYPES or type_name in _CAST_TYPES_REPORTED_ELSEWHERE:
            continue
        lines_by_type[type_name].append(_line_of(masked, offset + name.start(1)))
    return [
        (
            lines,
            type_name,
            CAST_TYPE_ADVICE.get(type_name, "a dbt.type_*() macro or a dispatched type macro"),
        )
        for type_name, lines in sorted(lines_by_type.items())
    ]


def work_history(text: str) -> list[tuple[int, str]]:
    """(line number, matched text) of each work-history reference in text (`WORK_HISTORY`)."""
    return [
        (_line_of(text, match.start()), match.group(0).strip())
        for match in WORK_HISTORY.finditer(text)
    ]


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


def _duckdb_only_test_arguments(manifest: dict[str, Any], project: str) -> list[str]:
    """DuckDB-only SQL in the arguments of this project's data tests (an expression_is_true
    expression, a where config): tests run on every warehouse the models run on."""
    problems = []
    for uid, node in sorted(manifest["nodes"].items()):
        if node["resource_type"] != "test" or node.get("package_name") != project:
            continue
        arguments = dict((node.get("test_metadata") or {}).get("kwargs") or {})
        arguments.pop("model", None)
        arguments["where"] = (node.get("config") or {}).get("where")
        for argument, value in sorted(arguments.items()):
            if not isinstance(value, str):
                continue
            for _, advice in duckdb_only_sql(value):
                problems.append(
                    f"{node['name']} ({uid}): argument {argument}: DuckDB-only SQL, {advice}"
                )
    return problems


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


def _descriptions(resource: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(what, text) for a resource's description and those of its columns and arguments."""
    yield "description", resource.get("description") or ""
    for column_name, column in (resource.get("columns") or {}).items():
        yield f"column {column_name}", column.get("description") or ""
    for argument in resource.get("arguments") or []:
        yield f"argument {argument.get('name')}", argument.get("description") or ""


def _work_history_in_descriptions(manifest: dict[str, Any], project: str) -> list[str]:
    problems = []
    resources = [
        *manifest["nodes"].values(),
        *manifest.get("sources", {}).values(),
        *manifest.get("exposures", {}).values(),
        *manifest.get("macros", {}).values(),
    ]
    for resource in sorted(resources, key=lambda r: r.get("unique_id", r.get("name", ""))):
        if resource.get("package_name") != project:
            continue
        where = f"{resource['name']} ({resource.get('original_file_path')})"
        for what, text in _descriptions(resource):
            for _, matched in work_history(text):
                problems.append(
                    f"{where}: {what} refers to work history ('{matched}'): describe the data"
                )
    return problems


def check_manifest(manifest: dict[str, Any]) -> list[str]:
    """Return one message per broken convention (empty list: all conventions hold).

    Input: a dbt manifest as a dict. Only this project's models, seeds, sources, macros and
    exposures are checked.
    """
    problems: list[str] = []
    project = manifest["metadata"].get("project_name")
    tests = _tests_by_model(manifest)
    models = {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node.get("package_name") == project
    }

    children: dict[str, set[str]] = defaultdict(set)
    for uid, node in models.items():
        for parent in node["depends_on"]["nodes"]:
            children[parent].add(uid)

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

        if layer == "python_models":
            # A Python model's output is declared once, on the contracted mart that reads it
            # (columns, key and tests there), not again here.
            if not any(_layer(models[child]) == "marts" for child in children.get(uid, ())):
                problems.append(f"{where}: no contracted mart reads this Python model's output")
        elif not _has_primary_key_test(tests.get(uid, [])):
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
            code = node.get("raw_code", "")
            for lines, advice in duckdb_only_sql(code):
                problems.append(f"{where}: {_lines(lines)}: DuckDB-only SQL, {advice}")
            for lines, type_name, advice in literal_cast_types(code):
                problems.append(
                    f"{where}: {_lines(lines)}: cast to the literal type {type_name}, "
                    f"not portable: use {advice}"
                )

        if node.get("language") == "python":
            code = node.get("raw_code", "")
            for library in FORBIDDEN_PYTHON_IMPORTS:
                if re.search(rf"^\s*(import|from)\s+{library}\b", code, re.MULTILINE):
                    problems.append(
                        f"{where}: imports {library}; Python models call the package instead"
                    )

        if node.get("language") == "python":
            calls = sorted(set(DUCKDB_RELATION_CALL.findall(node.get("raw_code", ""))))
            if calls:
                problems.append(
                    f"{where}: reads a relation with DuckDB's {', '.join(calls)}; use "
                    "customer_intelligence.frames.to_pandas (DuckDB, Spark and Snowpark alike)"
                )

    problems.extend(_duckdb_only_test_arguments(manifest, project))

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

    problems.extend(_work_history_in_descriptions(manifest, project))
    return problems


def _scanned_files(root: Path) -> Iterator[Path]:
    for entry in WORK_HISTORY_PATHS:
        path = root / entry
        if path.is_file():
            yield path
        elif path.is_dir():
            for file in sorted(path.rglob("*")):
                relative_parts = file.relative_to(root).parts
                skipped = any(
                    part in _SKIPPED_DIRECTORIES or part.startswith(".")
                    for part in relative_parts[:-1]
                )
                if file.is_file() and file.suffix in WORK_HISTORY_SUFFIXES and not skipped:
                    yield file


def check_files(root: Path = PROJECT_ROOT) -> list[str]:
    """Return one message per work-history reference in the repository's code, YAML and docs."""
    problems = []
    for path in _scanned_files(root):
        relative = path.relative_to(root).as_posix()
        if relative in WORK_HISTORY_EXEMPT:
            continue
        for line, matched in work_history(path.read_text(encoding="utf-8")):
            problems.append(f"{relative}:{line}: refers to work history ('{matched}')")
    return problems


VAR_CALL = re.compile(r"\bvar\(\s*['\"]([A-Za-z0-9_]+)['\"]\s*(,)?")
SETTING_PATHS = ("models", "python_models", "macros", "tests/dbt", "analyses")


def check_settings(root: Path = PROJECT_ROOT) -> list[str]:
    """Every var() the project reads is declared in dbt_project.yml, where its one default lives:
    a var() with an inline default, or one the project file does not declare, is reported."""
    project_file = root / "dbt_project.yml"
    project = yaml.safe_load(project_file.read_text()) if project_file.exists() else None
    declared = set((project or {}).get("vars") or {})
    problems = []
    for entry in SETTING_PATHS:
        folder = root / entry
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix not in (".sql", ".yml", ".yaml", ".py") or not path.is_file():
                continue
            relative = path.relative_to(root).as_posix()
            text = path.read_text(encoding="utf-8")
            for match in VAR_CALL.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                name = match.group(1)
                if match.group(2):
                    problems.append(
                        f"{relative}:{line}: var('{name}', ...) has an inline default; its one "
                        "default belongs in dbt_project.yml"
                    )
                if name not in declared:
                    problems.append(
                        f"{relative}:{line}: var '{name}' is not declared in dbt_project.yml"
                    )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifest", nargs="?", type=Path, default=Path("target/manifest.json"))
    parser.add_argument("--files-only", action="store_true", help="skip the manifest checks")
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    problems: list[str] = []
    checked = "the repository's files"
    if not args.files_only:
        if not args.manifest.exists():
            print(
                f"No manifest at {args.manifest}: run `dbt parse` (or `dbt build`) first.",
                file=sys.stderr,
            )
            return 2
        manifest = json.loads(args.manifest.read_text())
        problems.extend(check_manifest(manifest))
        models = sum(1 for n in manifest["nodes"].values() if n["resource_type"] == "model")
        checked = f"{models} models and the repository's files"
    problems.extend(check_files(args.root))
    problems.extend(check_settings(args.root))
    if problems:
        print(f"{len(problems)} convention problem(s) in {checked}:")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print(f"Conventions hold for {checked}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
