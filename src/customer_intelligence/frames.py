"""A dbt Python model's inputs and earlier outputs as pandas, whichever engine runs the model.

dbt hands a Python model its refs as the adapter's own relation type: a DuckDB relation with
dbt-duckdb, a Spark DataFrame with dbt-databricks, a Snowpark DataFrame with dbt-snowflake. The
models read every input through `to_pandas` and their last output through `previous_table`, so
one model file serves each engine; everything after that is pandas and numpy.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def to_pandas(relation, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The relation (or only `columns` of it, selected in the engine) as a pandas frame.

    DuckDB relations convert with `.df()`, Spark DataFrames with `.toPandas()`, Snowpark
    DataFrames with `.to_pandas()`; a pandas frame is returned as it is (or its columns).
    """
    if isinstance(relation, pd.DataFrame):
        return relation.loc[:, list(columns)] if columns is not None else relation
    if hasattr(relation, "df") and hasattr(relation, "project"):  # DuckDB
        if columns is not None:
            relation = relation.project(", ".join(f'"{c}"' for c in columns))
        return relation.df()
    for method in ("toPandas", "to_pandas"):  # Spark, Snowpark
        if hasattr(relation, method):
            if columns is not None:
                relation = relation.select(*columns)
            return getattr(relation, method)()
    raise TypeError(
        f"cannot read a {type(relation).__name__} as pandas: expected a DuckDB relation, "
        "a Spark or Snowpark DataFrame, or a pandas DataFrame"
    )


def previous_table(session, schema: str, table: str) -> pd.DataFrame | None:
    """The table `schema.table` as the session sees it (e.g. a model's own output from the last
    build), or None when there is none. With DuckDB the column types are kept (Arrow-backed),
    so writing the frame back gives the same table."""
    if hasattr(session, "catalog"):  # a SparkSession
        if not session.catalog.tableExists(f"{schema}.{table}"):
            return None
        return session.table(f"`{schema}`.`{table}`").toPandas()
    found = session.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchall()[0][0]
    if not found:
        return None
    arrow = session.sql(f'select * from "{schema}"."{table}"').to_arrow_table()
    return arrow.to_pandas(types_mapper=pd.ArrowDtype)
