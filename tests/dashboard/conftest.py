from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from customer_intelligence.publish import SNAPSHOT_DATABASE, publish

# The warehouse `make test` built from the shipped data (or one built here when run alone).
from tests.integration.conftest import full_warehouse  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "app.py"


@pytest.fixture(scope="session")
def published_dir(full_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    """A folder holding one published snapshot of the test warehouse."""
    published = tmp_path_factory.mktemp("dashboard_published")
    publish(full_warehouse, published)
    return published


@pytest.fixture
def snapshot_database(published_dir: Path) -> Iterator[Path]:
    """PUBLISHED_DATABASE pointed at the snapshot's `current` database for one test."""
    path = published_dir / "current" / SNAPSHOT_DATABASE
    previous = os.environ.get("PUBLISHED_DATABASE")
    os.environ["PUBLISHED_DATABASE"] = str(path)
    yield path
    if previous is None:
        os.environ.pop("PUBLISHED_DATABASE", None)
    else:
        os.environ["PUBLISHED_DATABASE"] = previous


@pytest.fixture
def snapshot_con(snapshot_database: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(snapshot_database), read_only=True)
    yield con
    con.close()
