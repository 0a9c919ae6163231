"""Python models read their inputs the same way from DuckDB, Spark or Snowpark relations."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from customer_intelligence.frames import previous_table, to_pandas


class _SparkLike:
    """The two methods `to_pandas` uses on a Spark DataFrame."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def select(self, *columns: str) -> _SparkLike:
        return _SparkLike(self.frame[list(columns)])

    def toPandas(self) -> pd.DataFrame:  # noqa: N802 (Spark's name)
        return self.frame.copy()


class _SnowparkLike:
    """The two methods `to_pandas` uses on a Snowpark DataFrame."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def select(self, *columns: str) -> _SnowparkLike:
        return _SnowparkLike(self.frame[list(columns)])

    def to_pandas(self) -> pd.DataFrame:
        return self.frame.copy()


FRAME = pd.DataFrame({"customer_id": ["1", "2"], "amount": [1.5, 2.0], "n": [3, 4]})


def test_each_kind_of_relation_reads_as_the_same_frame() -> None:
    con = duckdb.connect()
    con.register("lines", FRAME)
    relations = [con.sql("select * from lines"), _SparkLike(FRAME), FRAME]
    for relation in relations:
        pd.testing.assert_frame_equal(to_pandas(relation), FRAME, check_dtype=False)
        pd.testing.assert_frame_equal(
            to_pandas(relation, ["n", "customer_id"]),
            FRAME[["n", "customer_id"]],
            check_dtype=False,
        )


def test_snowpark_frames_convert_with_their_own_method() -> None:
    snowpark = _SnowparkLike(FRAME)
    assert list(to_pandas(snowpark, ["amount"]).columns) == ["amount"]


def test_anything_else_is_refused_by_name() -> None:
    with pytest.raises(TypeError, match="cannot read a list as pandas"):
        to_pandas([1, 2])


def test_previous_table_keeps_duckdb_types_and_is_none_when_absent() -> None:
    con = duckdb.connect()
    con.execute("create schema ml")
    con.execute("create table ml.scores as select 1::integer as k, 'x' as label")
    previous = previous_table(con, "ml", "scores")
    assert previous is not None and previous["label"].tolist() == ["x"]
    assert str(previous["k"].dtype) == "int32[pyarrow]"
    assert previous_table(con, "ml", "absent") is None
