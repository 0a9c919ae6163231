"""Time, profile and record the product recommender's three jobs on one warehouse.

Usage: python research/recommender_profile.py <warehouse.duckdb> <out_dir> [model] [eval] [lists]
[--profile]

Reads `marts.fct_order_lines` and the resolved as-of date (read-only), and the recommender
settings the dbt project passes (dbt_project.yml vars, templated in the models' YAML). Each job's
wall time is printed; with `--profile`, also the top of its cProfile (cumulative). Outputs are
written to <out_dir> so two code versions can be compared exactly (`compare` below):
`spec.json` (select_production), `evaluation.parquet` (evaluation_table) and `lists.parquet`
(score_customers of every customer with that spec).
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from customer_intelligence.recommender import RecommenderConfig  # noqa: E402
from customer_intelligence.recommender.evaluation import evaluation_table  # noqa: E402
from customer_intelligence.recommender.production import select_production  # noqa: E402
from customer_intelligence.recommender.scoring import score_customers  # noqa: E402


def project_settings() -> RecommenderConfig:
    """The recommender settings as the dbt models get them (vars resolved)."""
    variables = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]
    models = yaml.safe_load(
        (ROOT / "python_models/recommender/_recommender__models.yml").read_text()
    )["models"]
    raw = next(m["config"]["recommender"] for m in models if "recommender" in m.get("config", {}))

    def resolved(value):
        if isinstance(value, str) and "var('" in value:
            return variables[value.split("var('")[1].split("'")[0]]
        return value

    return RecommenderConfig.from_mapping({k: resolved(v) for k, v in raw.items()})


def timed(label: str, profile: bool, call):
    """Run `call`, print its wall time (and profile), return its result."""
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    out = call()
    if profiler:
        profiler.disable()
    print(f"{label}: {time.perf_counter() - started:.1f} s", flush=True)
    if profiler:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(40)
        print(text.getvalue(), flush=True)
    return out


def main(argv: list[str]) -> None:
    warehouse, out_dir, *jobs = argv
    profile = "--profile" in jobs
    jobs = [j for j in jobs if j != "--profile"] or ["model", "eval", "lists"]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(warehouse, read_only=True)
    lines = con.execute(
        "select customer_id, product_id, invoice_id, invoice_date, quantity, "
        "product_description, unit_price from marts.fct_order_lines"
    ).df()
    as_of = con.execute("select as_of_date from intermediate.int_as_of_dates_resolved").fetchall()
    as_of = as_of[0][0]
    settings = project_settings()
    spec = None
    if "model" in jobs:
        spec = timed("model", profile, lambda: select_production(lines, as_of, settings))
        (out / "spec.json").write_text(json.dumps(spec, sort_keys=True, indent=1))
    if "eval" in jobs:
        table = timed("eval", profile, lambda: evaluation_table(lines, as_of, settings))
        table.astype({c: str for c in table.columns if table[c].dtype == object}).to_parquet(
            out / "evaluation.parquet"
        )
    if "lists" in jobs:
        if spec is None:
            spec = json.loads((out / "spec.json").read_text())
        customers = lines["customer_id"].drop_duplicates()
        ranked = timed(
            "lists",
            profile,
            lambda: score_customers(lines, spec, n=settings.top_n, customer_ids=customers),
        )
        ranked.astype({"as_of_date": str}).to_parquet(out / "lists.parquet")


def compare(before: str, after: str) -> None:
    """Exact comparison of two output folders; prints what differs."""
    a, b = Path(before), Path(after)
    if (a / "spec.json").exists() and (b / "spec.json").exists():
        specs = [json.loads((folder / "spec.json").read_text()) for folder in (a, b)]
        print("spec identical:", specs[0] == specs[1])
    for name in ("evaluation.parquet", "lists.parquet"):
        if (a / name).exists() and (b / name).exists():
            x, y = pd.read_parquet(a / name), pd.read_parquet(b / name)
            same = x.equals(y)
            print(f"{name} identical:", same, x.shape, y.shape)
            if not same and x.shape == y.shape:
                for col in x.columns:
                    if not x[col].equals(y[col]):
                        print("  differs:", col, int((x[col] != y[col]).sum()), "rows")


if __name__ == "__main__":
    if sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3])
    else:
        main(sys.argv[1:])
