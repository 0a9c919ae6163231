from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from .dbt_runner import run_dbt


@pytest.fixture(scope="session")
def full_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse built from the full shipped data.

    `make test` builds it once (whole project) and passes its path in TEST_WAREHOUSE_PATH; run on
    its own, the fixture builds the whole project into a temporary directory.
    """
    prebuilt = os.environ.get("TEST_WAREHOUSE_PATH")
    if prebuilt:
        path = Path(prebuilt)
        assert path.exists(), f"TEST_WAREHOUSE_PATH={prebuilt} does not exist"
        return path
    workdir = tmp_path_factory.mktemp("full")
    run = run_dbt(["build"], workdir)
    assert run.returncode == 0, run.output[-3000:]
    return run.warehouse


@pytest.fixture
def full_con(full_warehouse: Path):
    con = duckdb.connect(str(full_warehouse), read_only=True)
    yield con
    con.close()
