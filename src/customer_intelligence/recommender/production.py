"""Production training: choose the method per list on the latest validation window.

The last `validation_days` before the as-of date are the validation window, everything before it
the fitting part; each method is tuned there and the winner per list ("all" = repeats allowed,
"new" = never-bought products only) is recorded with its parameters and learnt weights in a spec,
stored as the registry row's artefact. scoring.py refits the recorded configuration on all lines
before the as-of date and lists every customer. Because only lines before the as-of date are
read, a past as-of date gives lists that can be back-tested.
"""

from __future__ import annotations

import base64
import json
import logging
import zlib
from typing import Any

import pandas as pd

from customer_intelligence.recommender.config import RecommenderConfig
from customer_intelligence.recommender.data import build_interactions
from customer_intelligence.recommender.method_index import ALL_METHODS
from customer_intelligence.recommender.split import line_dates, temporal_split
from customer_intelligence.recommender.tuning import FitCache, tune, winners
from customer_intelligence.registry import frame_hash
from customer_intelligence.retraining import TrainingData, settings_hash

LOGGER = logging.getLogger(__name__)

LISTS: dict[str, str] = {"all": "all", "new": "explore"}  # list name -> evaluation task
MODEL_NAME = "product_recommender"
# The list's method when the validation window has no customer to choose on (a log shorter than
# the window, or an early as_of_date): the strongest simple baselines, untuned.
FALLBACK_METHODS: dict[str, str] = {"all": "personal_top_frequency", "new": "popularity"}


def training_data(lines: pd.DataFrame, as_of_date, settings: RecommenderConfig) -> TrainingData:
    """The fingerprint `retraining.decide` compares: the lines before `as_of_date`, their hash,
    the settings, and lines per customer (the key measure whose shift forces a retune)."""
    train_lines = lines.loc[line_dates(lines) < pd.Timestamp(as_of_date).normalize()]
    customers = train_lines["customer_id"].nunique()
    return TrainingData(
        rows=len(train_lines),
        data_hash=frame_hash(lines),
        settings_hash=settings_hash(settings),
        as_of_date=pd.Timestamp(as_of_date).date(),
        mean=len(train_lines) / customers if customers else 0.0,
    )


def select_production(
    lines: pd.DataFrame,
    as_of_date,
    settings: RecommenderConfig,
    methods: tuple[str, ...] = ALL_METHODS,
) -> dict[str, Any]:
    """Tune every method on the last validation window before `as_of_date`; return the spec.

    At most `settings.max_users` validation customers are scored (fixed-seed sample; see `tune`).

    Output: a JSON-able dict with the winner per list (method, parameters, hybrid weights), the
    validation NDCG@k of every method per task, and the windows used.
    """
    as_of = pd.Timestamp(as_of_date).normalize()
    validation_days = settings.validation_days
    val_cutoff = as_of - pd.Timedelta(days=int(validation_days))
    train_lines = lines.loc[line_dates(lines) < as_of]
    fit_lines, val_lines = temporal_split(train_lines, val_cutoff, validation_days)
    choices: dict = {}
    if len(fit_lines) and len(val_lines):
        fit_inter = build_interactions(fit_lines, val_cutoff)
        choices, _ = tune(fit_inter, val_lines, settings, methods, FitCache())
    lists, validation = {}, {}
    for name, task in LISTS.items():
        tuned = {m: choices[(m, task)] for m in methods if (m, task) in choices}
        if tuned and next(iter(tuned.values())).validation["users_evaluated"] > 0:
            lists[name] = winners(choices)[task].spec()
            validation[task] = {m: round(c.validation["ndcg"], 6) for m, c in tuned.items()}
            continue
        lists[name] = _fallback(name, val_cutoff, as_of, validation_days, train_lines)
        validation[task] = {}
    return {
        "as_of_date": str(as_of.date()),
        "validation_start_date": str(val_cutoff.date()),
        "k": int(settings.k),
        "max_evaluation_users": settings.max_users,
        "lists": lists,
        "validation_ndcg": validation,
        "training_lines": int(len(train_lines)),
    }


def _fallback(
    name: str,
    val_cutoff: pd.Timestamp,
    as_of: pd.Timestamp,
    validation_days: int,
    train_lines: pd.DataFrame,
) -> dict[str, Any]:
    """The spec of a list without validation customers: its untuned baseline, with the reason."""
    method = FALLBACK_METHODS[name]
    reason = (
        f"no customer bought both before {val_cutoff.date()} and in the {validation_days} "
        f"validation days to {as_of.date()} (lines {_span(train_lines)}): {method} is used "
        "untuned. If the log is short, lower the setting validation_days to choose on a shorter "
        "window."
    )
    LOGGER.warning("Recommender list '%s': %s", name, reason)
    return {"method": method, "params": {}, "weights": None, "fallback": reason}


def registry_parameters(spec: dict[str, Any]) -> dict[str, Any]:
    """The registry's parameters of a spec: method and parameters per list, the reason when a list
    fell back to an untuned baseline (only then, so the version of a tuned spec is unchanged),
    and the evaluation cap."""
    lists = {
        name: {
            "method": s["method"],
            **s["params"],
            **({"fallback": s["fallback"]} if s.get("fallback") else {}),
        }
        for name, s in spec["lists"].items()
    }
    return {**lists, "max_evaluation_users": spec["max_evaluation_users"]}


def _span(lines: pd.DataFrame) -> str:
    if lines.empty:
        return "none"
    dates = line_dates(lines)
    return f"{dates.min().date()} to {dates.max().date()}"


def encode_spec(spec: dict[str, Any]) -> str:
    """The artefact: the spec as compressed, base64-encoded canonical JSON."""
    raw = json.dumps(spec, sort_keys=True, separators=(",", ":")).encode()
    return base64.b64encode(zlib.compress(raw, 9)).decode()


def decode_spec(artefact: str) -> dict[str, Any]:
    return json.loads(zlib.decompress(base64.b64decode(artefact)))
