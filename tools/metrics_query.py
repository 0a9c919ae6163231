"""Query the semantic layer's metrics with MetricFlow, against a copy of the published snapshot.

MetricFlow (`mf`) opens the warehouse read-write and reads the semantic manifest from
<project>/target/semantic_manifest.json. This command gives it both without touching the files
dbt writes or BI tools read: it copies the published DuckDB file into a work folder, lays out a
project folder beside it (links to this project's files, the chosen semantic manifest under
target/) and runs `mf query` there with the arguments it was given.

Usage:
    python tools/metrics_query.py [--published DB] [--semantic-manifest JSON] [--workdir DIR] \
        -- --metrics revenue,orders --group-by metric_time__month

Defaults: the snapshot of PUBLISHED_DATABASE (warehouse/published/current/...), the manifest of
the last `dbt build` or `dbt parse` (target/semantic_manifest.json), work folder
warehouse/metricflow.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
# What `mf` reads of a dbt project: its configuration, the profile, and the paths it declares.
PROJECT_ENTRIES = ("dbt_project.yml", "profiles.yml", "selectors.yml", "models", "macros", "seeds")
DEFAULT_PUBLISHED = "warehouse/published/current/customer_intelligence.duckdb"


def manifest_database(semantic_manifest: Path) -> str:
    """The database the semantic manifest's relations live in (the built warehouse's name)."""
    models = json.loads(semantic_manifest.read_text())["semantic_models"]
    databases = {model["node_relation"]["database"] for model in models}
    if len(databases) != 1:
        raise ValueError(f"{semantic_manifest}: expected one database, found {sorted(databases)}")
    return databases.pop()


def prepare(published: Path, semantic_manifest: Path, workdir: Path) -> tuple[Path, Path]:
    """Lay out the work folder; return (project folder, copied warehouse)."""
    for path, what in (
        (published, "published warehouse"),
        (semantic_manifest, "semantic manifest"),
    ):
        if not path.is_file():
            raise FileNotFoundError(
                f"No {what} at {path}: run `make build` first (it builds, publishes and writes "
                "the semantic manifest)."
            )
    project = workdir / "project"
    if project.exists():
        shutil.rmtree(project)
    (project / "target").mkdir(parents=True)
    for entry in PROJECT_ENTRIES:
        (project / entry).symlink_to(PROJECT_DIR / entry)
    shutil.copyfile(semantic_manifest, project / "target" / "semantic_manifest.json")
    # DuckDB names a database after its file: name the copy as the manifest's relations say.
    database = workdir / f"{manifest_database(semantic_manifest)}.duckdb"
    temporary = database.with_suffix(".tmp")
    shutil.copyfile(published, temporary)
    temporary.replace(database)
    return project, database


def run_query(
    mf_args: list[str], published: Path, semantic_manifest: Path, workdir: Path
) -> subprocess.CompletedProcess:
    project, database = prepare(published, semantic_manifest, workdir)
    environment = {
        **os.environ,
        "DBT_PROJECT_DIR": str(project),
        "DBT_PROFILES_DIR": str(project),
        "DBT_TARGET": "dev",
        "WAREHOUSE_PATH": str(database),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    }
    mf = Path(sys.executable).with_name("mf")
    return subprocess.run(
        [str(mf), "query", *mf_args], cwd=project, env=environment, capture_output=True, text=True
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--published",
        type=Path,
        default=Path(os.environ.get("PUBLISHED_DATABASE", DEFAULT_PUBLISHED)),
    )
    parser.add_argument(
        "--semantic-manifest", type=Path, default=Path("target/semantic_manifest.json")
    )
    parser.add_argument("--workdir", type=Path, default=Path("warehouse/metricflow"))
    parser.add_argument("mf_args", nargs=argparse.REMAINDER, help="arguments of `mf query`")
    args = parser.parse_args(argv)
    mf_args = args.mf_args[1:] if args.mf_args[:1] == ["--"] else args.mf_args
    try:
        result = run_query(
            mf_args,
            args.published.resolve(),
            args.semantic_manifest.resolve(),
            args.workdir.resolve(),
        )
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
