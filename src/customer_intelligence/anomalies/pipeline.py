"""The steps the dbt Python models call around the anomaly scoring: the fingerprint that decides
whether the evaluation runs again, and the registry row.

The scores themselves have no trained artefact to reuse: every build measures what is usual
(product prices and quantities, each customer's orders) on the log as it stands and scores
every order against it. The registry row records the settings and the evaluation on injected
anomalies (format `anomaly-flags-json-v1`):

    {"format": "anomaly-flags-json-v1", "config": {...},
     "evaluation": [{"anomaly_kind": "price", "recall": 0.9, ...}, ...]}
"""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd
import pyarrow as pa

from ..registry import frame_hash, registry_row
from ..retraining import TrainingData, settings_hash
from .config import AnomalyConfig
from .evaluation import summary
from .features import LINE_COLUMNS

MODEL_NAME = "order_anomaly_flags"
ARTEFACT_FORMAT = "anomaly-flags-json-v1"
RECALL_BAR = 0.8


def training_data(lines: pd.DataFrame, config: AnomalyConfig, as_of_date: Any) -> TrainingData:
    """The fingerprint `retraining.decide` compares: the order lines, their hash, the settings,
    and the mean line amount as the key measure."""
    columns = list(LINE_COLUMNS)
    amount = (lines["quantity"] * lines["unit_price"]).to_numpy(float)
    return TrainingData(
        rows=len(lines),
        data_hash=frame_hash(lines[columns], columns),
        settings_hash=settings_hash(config.parameters()),
        as_of_date=pd.Timestamp(as_of_date).date(),
        # fsum: exact, so the same lines in any order give the same mean to the last bit.
        mean=math.fsum(amount) / len(amount) if len(amount) else 0.0,
    )


def anomaly_registry_row(
    evaluation: pd.DataFrame,
    fingerprint: TrainingData,
    config: AnomalyConfig,
) -> pd.DataFrame:
    """The registry row: the settings, and the evaluation's recall and precision per injected
    kind as metrics (pooled over the evaluation's seeds)."""
    pooled = summary(evaluation, RECALL_BAR)
    metrics: dict[str, Any] = {"review_share": config.review_share, "recall_bar": RECALL_BAR}
    for row in pooled.itertuples(index=False):
        for name in ("recall", "min_recall", "precision"):
            metrics[f"{row.anomaly_kind}_{name}"] = float(getattr(row, name))
    metrics["kinds_meeting_bar"] = int(pooled["meets_bar"].sum())
    artefact = {
        "format": ARTEFACT_FORMAT,
        "config": config.parameters(),
        "evaluation": json.loads(pooled.to_json(orient="records")),
    }
    row = registry_row(
        model_name=MODEL_NAME,
        algorithm="per-component tail scores (price, quantity, amount, cancellations, repeated "
        "orders) against product and customer references, combined by max; isolation forest "
        "reported",
        training_data_hash=fingerprint.data_hash,
        training_rows=fingerprint.rows,
        parameters=config.parameters(),
        metrics=metrics,
        artefact_format=ARTEFACT_FORMAT,
        artefact=json.dumps(artefact, sort_keys=True, default=float),
        as_of_date=fingerprint.as_of_date,
    )
    row["as_of_date"] = pd.array(row["as_of_date"].tolist(), dtype=pd.ArrowDtype(pa.date32()))
    return row
