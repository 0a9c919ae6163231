"""Check the house conventions over a compiled dbt manifest; exit 1 listing what is broken."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from customer_intelligence.conventions import check_manifest


def main(argv: list[str]) -> int:
    path = Path(argv[1] if len(argv) > 1 else "target/manifest.json")
    if not path.exists():
        print(f"No manifest at {path}: run `dbt parse` (or `dbt build`) first.", file=sys.stderr)
        return 2
    manifest = json.loads(path.read_text())
    problems = check_manifest(manifest)
    models = sum(1 for n in manifest["nodes"].values() if n["resource_type"] == "model")
    if problems:
        print(f"{len(problems)} convention problem(s) in {models} models:")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print(f"Conventions hold for all {models} models.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
