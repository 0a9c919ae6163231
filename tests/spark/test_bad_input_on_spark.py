"""Bad input on Spark gives the same clear errors as on DuckDB, before any model's SQL runs.

Each case runs dbt-spark (`.venv-spark`, set up by `make test-spark`, which passes its dbt as
SPARK_DBT) on the staging model of the transactions, with a local Spark and metastore of its
own. Without SPARK_DBT the module is skipped: `make test` leaves it to `make test-spark`.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
SPARK_DBT = os.environ.get("SPARK_DBT", "")

pytestmark = pytest.mark.skipif(not SPARK_DBT, reason="needs SPARK_DBT (make test-spark)")

HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"
GOOD = "536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom"


def _write(path: Path, *lines: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{line}\n" for line in lines))
    return path


def _run_staging(tmp_path: Path, transactions: Path | str) -> tuple[int, str]:
    env = {
        **os.environ,
        "DBT_PROJECT_DIR": str(PROJECT),
        "DBT_PROFILES_DIR": str(PROJECT),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "SPARK_HOME_DIR": str(tmp_path / "spark"),
        "TRANSACTIONS_PATH": str(transactions),
    }
    run = subprocess.run(
        [
            SPARK_DBT,
            "run",
            "--select",
            "stg_online_retail__transactions",
            "--target",
            "spark",
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
        ],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return run.returncode, run.stdout + run.stderr


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([HEADER], "has a header but no data rows"),
        (
            [HEADER.replace(",UnitPrice", ""), GOOD.replace(",2.55", "")],
            "is missing the column 'UnitPrice'",
        ),
        ([HEADER.replace(",", ";"), GOOD.replace(",", ";")], "could not be split into columns"),
        (
            [HEADER, GOOD, GOOD.replace("United Kingdom", "Korea, Republic of")],
            "1 row(s) with more fields than its header",
        ),
        (
            [HEADER, GOOD.replace("2010-12-01 08:26:00", "01.12.2010 08:26")],
            "reads as a date and time",
        ),
    ],
    ids=["header_only", "missing_column", "semicolons", "extra_field", "dates"],
)
def test_unusable_file_fails_naming_the_file(
    tmp_path: Path, lines: list[str], expected: str
) -> None:
    path = _write(tmp_path / "input" / "transactions.csv", *lines)
    returncode, output = _run_staging(tmp_path, path)
    assert returncode != 0
    assert expected in output
    assert str(path) in output


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "transactions.csv"
    returncode, output = _run_staging(tmp_path, missing)
    assert returncode != 0
    assert str(missing) in output


def test_globbed_files_with_columns_in_another_order_fail(tmp_path: Path) -> None:
    _write(tmp_path / "input" / "a.csv", HEADER, GOOD)
    swapped = HEADER.replace("Quantity,InvoiceDate", "InvoiceDate,Quantity")
    _write(
        tmp_path / "input" / "b.csv",
        swapped,
        GOOD.replace("6,2010-12-01 08:26:00", "2010-12-01 08:26:00,6"),
    )
    returncode, output = _run_staging(tmp_path, tmp_path / "input" / "*.csv")
    assert returncode != 0
    assert "does not conform to the schema" in output
