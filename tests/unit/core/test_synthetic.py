"""The synthetic log is deterministic and has the Online Retail shape and mess."""

from __future__ import annotations

import pyarrow.compute as pc

from tools.synthetic import COLUMNS, Shape, generate, write


def test_same_seed_same_log_other_seed_other_log() -> None:
    shape = Shape.for_rows(20_000)
    assert generate(shape, seed=7).equals(generate(shape, seed=7))
    assert not generate(shape, seed=7).equals(generate(shape, seed=8))


def test_shape_and_proportions() -> None:
    table = generate(Shape.for_rows(50_000), seed=1)
    assert table.num_rows == 50_000
    assert tuple(table.column_names) == COLUMNS
    guests = pc.sum(pc.is_null(table["CustomerID"])).as_py() / table.num_rows
    cancellations = pc.sum(pc.starts_with(table["InvoiceNo"], "C")).as_py() / table.num_rows
    assert 0.2 < guests < 0.3
    assert 0.01 < cancellations < 0.025
    distinct_rows = table.group_by(list(COLUMNS)).aggregate([]).num_rows
    assert 0.003 < 1 - distinct_rows / table.num_rows < 0.02


def test_write_round_trips_csv_gz(tmp_path) -> None:
    import duckdb

    path = write(Shape.for_rows(2_000), tmp_path / "log.csv.gz", seed=3)
    count = duckdb.sql(f"select count(*) from read_csv('{path}')").fetchall()[0][0]
    assert count == 2_000
