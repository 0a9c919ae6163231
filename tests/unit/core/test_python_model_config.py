"""Every `dbt.config.get("key")` in a Python model must reach the model at run time.

dbt passes a model only the config keys its parser finds in the code, and the parser misses a
call nested in some expressions (e.g. `int(dbt.config.get("k") or 10)` inside another call's
arguments): such a call silently returns None and the model falls back to its default, so the
user's var is ignored. This test runs dbt's own parser over each model and compares.
"""

import ast
import re
from pathlib import Path

import pytest
from dbt.parser.models import PythonParseVisitor

MODELS = sorted(Path(__file__).resolve().parents[3].joinpath("python_models").rglob("*.py"))
CONFIG_GET = re.compile(r"""dbt\.config\.get\(\s*["']([^"']+)["']""")


def keys_dbt_passes(code: str) -> set[str]:
    visitor = PythonParseVisitor(None)
    visitor.visit(ast.parse(code))
    return {args[0] for func, args, _ in visitor.dbt_function_calls if func == "get"}


def test_the_check_sees_what_dbt_misses():
    nested = "def model(dbt, session):\n    return f(k=int(dbt.config.get('k') or 10))\n"
    assigned = (
        "def model(dbt, session):\n    k = dbt.config.get('k')\n    return f(k=int(k or 10))\n"
    )
    assert keys_dbt_passes(nested) == set()
    assert keys_dbt_passes(assigned) == {"k"}


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_every_config_key_a_model_reads_is_passed_to_it(path):
    code = path.read_text()
    assert set(CONFIG_GET.findall(code)) <= keys_dbt_passes(code)
