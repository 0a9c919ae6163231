"""The Python models' input glue (`customer_intelligence.frames`) on a real SparkSession, as
dbt-databricks would hand it: a Spark DataFrame per ref, and the session for earlier outputs.

Runs the Python of `.venv-spark` (PySpark with the project's pandas and pyarrow), whose dbt
`make test-spark` passes as SPARK_DBT; skipped without it.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
SPARK_DBT = os.environ.get("SPARK_DBT", "")

pytestmark = pytest.mark.skipif(not SPARK_DBT, reason="needs SPARK_DBT (make test-spark)")

PROBE = """
import json, sys
from pyspark.sql import SparkSession
from customer_intelligence.frames import previous_table, to_pandas

home = sys.argv[1]
spark = (
    SparkSession.builder.master("local[1]")
    .config("spark.ui.enabled", "false")
    .config("spark.sql.warehouse.dir", home + "/tables")
    .config("spark.driver.extraJavaOptions", "-Dderby.system.home=" + home + "/metastore")
    .enableHiveSupport()
    .getOrCreate()
)
spark.sql("create schema ml")
spark.sql(
    "create table ml.scores using parquet as select * from values "
    "('12347', 0.25D, 3), ('12348', 0.5D, 1) as scores(customer_id, churn_probability, orders)"
)
selected = to_pandas(spark.table("ml.scores"), ["orders", "customer_id"])
previous = previous_table(spark, "ml", "scores")
print(json.dumps({
    "selected": selected.sort_values("customer_id").to_dict(orient="list"),
    "previous_columns": list(previous.columns),
    "previous_rows": len(previous),
    "absent": previous_table(spark, "ml", "absent") is None,
}))
"""


def test_spark_dataframes_and_tables_read_as_pandas(tmp_path: Path) -> None:
    python = Path(SPARK_DBT).with_name("python")
    run = subprocess.run(
        [str(python), "-c", PROBE, str(tmp_path)],
        env={**os.environ, "PYTHONPATH": str(PROJECT / "src")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["selected"] == {"orders": [3, 1], "customer_id": ["12347", "12348"]}
    assert result["previous_columns"] == ["customer_id", "churn_probability", "orders"]
    assert result["previous_rows"] == 2
    assert result["absent"] is True
