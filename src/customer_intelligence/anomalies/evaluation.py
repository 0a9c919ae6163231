"""Recall and precision of the review list on injected anomalies, per kind and seed.

Input grain: order lines (`features.LINE_COLUMNS`). For each kind (`injection.KINDS`) and seed
(`config.evaluation_seeds`, until `config.evaluation_min_injected` orders of the kind were
injected) one copy of the log gets that kind injected into
`config.injected_share` of its orders, everything is scored again from scratch (reference
medians, scales, tail calibration and the isolation forest refitted on the copy), and the review
list (top `config.review_share` of the copy's orders) is compared with the injected orders.
Output grain: one row per kind x seed; `summary` pools the seeds into one row per kind.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .config import AnomalyConfig
from .features import Lines, prepare_lines
from .injection import KINDS, inject
from .scoring import check_length, score_prepared


def evaluate(
    lines: pd.DataFrame | Lines,
    config: AnomalyConfig,
    kinds: tuple[str, ...] = KINDS,
) -> pd.DataFrame:
    """One row per kind x seed: anomaly_kind, seed, orders, budget_orders, injected, caught
    (injected orders on the review list), recall (caught / injected), precision (caught /
    budget_orders) and median_injected_rank."""
    prepared = lines if isinstance(lines, Lines) else prepare_lines(lines)
    check_length(len(prepared.invoice_ids), config)
    rows = []
    for kind in kinds:
        injected_so_far = 0
        for seed in config.evaluation_seeds:
            if injected_so_far >= config.evaluation_min_injected:
                break
            copy, injected = inject(prepared, kind, config.injected_share, seed)
            injected_so_far += len(injected)
            # Ties are broken by invoice_id, as in score_orders (re-submissions get new ids).
            tie_break = pd.factorize(copy.invoice_ids, sort=True)[0]
            scored = score_prepared(copy, config, tie_break, report=False)
            flagged = scored["is_flagged"].to_numpy()
            caught = int(flagged[injected].sum())
            budget = int(flagged.sum())
            rows.append(
                {
                    "anomaly_kind": kind,
                    "seed": seed,
                    "orders": len(scored),
                    "budget_orders": budget,
                    "injected": len(injected),
                    "caught": caught,
                    "recall": caught / len(injected),
                    "precision": caught / budget,
                    "median_injected_rank": float(
                        np.median(scored["anomaly_rank"].to_numpy()[injected])
                    ),
                }
            )
    return pd.DataFrame(rows)


def summary(table: pd.DataFrame, recall_bar: float = 0.8) -> pd.DataFrame:
    """One row per kind: seeds, injected, caught, recall (pooled over seeds), min_recall (the
    worst seed), precision (pooled: caught / all budget orders) and meets_bar
    (recall >= recall_bar)."""
    grouped = table.groupby("anomaly_kind", sort=False)
    out = grouped.agg(
        seeds=("seed", "size"),
        injected=("injected", "sum"),
        caught=("caught", "sum"),
        budget_orders=("budget_orders", "sum"),
        min_recall=("recall", "min"),
    )
    out["recall"] = out["caught"] / out["injected"]
    out["precision"] = out["caught"] / out["budget_orders"]
    out["meets_bar"] = out["recall"] >= recall_bar
    columns = ["anomaly_kind", "seeds", "injected", "caught", "recall", "min_recall"]
    return out.reset_index()[[*columns, "precision", "meets_bar"]]
