"""Train or reuse: whether a build retrains a model or scores with the one it registered before.

Tuning and back-testing are the expensive part of a build; a daily build whose data grew by a day
does not need them. Each trainer (a dbt Python model returning a registry row) reads the row it
wrote last time and calls `decide`:

- `always`: retrain.
- `never`: reuse the previous model whenever there is one with the same settings.
- `auto` (default): reuse when the settings and library versions are unchanged and either the
  training data is identical, or it only grew, by at most `max_new_row_share` of its rows, the
  model is at most `max_age_days` old (as_of_date against the model's) and the mean of the
  model's key measure moved by at most `max_mean_shift` (relative). Anything else retrains:
  no previous model, changed settings, an as_of_date before the model's (a replay), fewer rows
  than before (the data was rewritten, not appended to), an old model, many new rows, a shift.

The decision and its reason are written beside the registry row (`build_action`,
`build_action_reason`), and `fct_model_builds` keeps one row per build and model.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .frames import previous_table
from .registry import library_versions

LOGGER = logging.getLogger(__name__)
MODES = ("auto", "always", "never")
TRAINED = "trained"
REUSED = "reused"
UNCHANGED = "training data unchanged"


@dataclass(frozen=True)
class RetrainPolicy:
    mode: str = "auto"
    max_age_days: int = 28
    max_new_row_share: float = 0.05
    max_mean_shift: float = 0.05

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"retrain must be one of {', '.join(MODES)}; got {self.mode!r}")
        if self.max_age_days < 0 or not 0 <= self.max_new_row_share <= 1:
            raise ValueError(
                "retrain_max_model_age_days must be >= 0 and retrain_max_new_row_share in [0, 1]"
            )
        if self.max_mean_shift < 0:
            raise ValueError("retrain_max_mean_shift must be >= 0")

    def only_when_unchanged(self) -> RetrainPolicy:
        """The policy for a model that is cheap to fit: reuse only when the training data is
        identical (`always` still retrains every build)."""
        mode = "always" if self.mode == "always" else "auto"
        return RetrainPolicy(mode, self.max_age_days, max_new_row_share=0.0, max_mean_shift=0.0)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> RetrainPolicy:
        """From the dbt config mapping (vars arrive as text)."""
        values = dict(values or {})
        return cls(
            mode=str(values.get("mode", cls.mode)).strip().lower(),
            max_age_days=int(values.get("max_age_days", cls.max_age_days)),
            max_new_row_share=float(values.get("max_new_row_share", cls.max_new_row_share)),
            max_mean_shift=float(values.get("max_mean_shift", cls.max_mean_shift)),
        )


@dataclass(frozen=True)
class TrainingData:
    """What a trainer is about to train on: its fingerprint."""

    rows: int
    data_hash: str
    settings_hash: str
    as_of_date: Any
    mean: float  # the mean of the model's key measure (e.g. spend, quantity)


@dataclass(frozen=True)
class Decision:
    action: str  # TRAINED or REUSED
    reason: str

    @property
    def reuse(self) -> bool:
        return self.action == REUSED


def settings_hash(settings: Any) -> str:
    """A short stable hash of a trainer's settings (a mapping or a dataclass' __dict__) and of
    the installed library versions: a change of either retrains."""
    values = settings if isinstance(settings, Mapping) else vars(settings)
    payload = json.dumps(
        {"settings": values, "libraries": library_versions()}, sort_keys=True, default=str
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def decide(previous: pd.DataFrame | None, current: TrainingData, policy: RetrainPolicy) -> Decision:
    """Retrain or reuse the model in `previous` (the trainer's last output, or None)."""
    if policy.mode == "always":
        return Decision(TRAINED, "retrain: always")
    if previous is None or previous.empty or "settings_hash" not in previous.columns:
        return Decision(TRAINED, "no model registered by an earlier build")
    row = previous.iloc[0]
    if row["settings_hash"] != current.settings_hash:
        return Decision(TRAINED, "settings or library versions changed")
    if policy.mode == "never":
        return Decision(REUSED, "retrain: never")
    if row["training_data_hash"] == current.data_hash and _same_day(
        row["as_of_date"], current.as_of_date
    ):
        return Decision(REUSED, UNCHANGED)
    age = _days_between(row["as_of_date"], current.as_of_date)
    if age is None:
        return Decision(TRAINED, "the model or this build has no as_of_date")
    if age < 0:
        return Decision(TRAINED, "as_of_date before the model's (a replay)")
    if age > policy.max_age_days:
        return Decision(TRAINED, f"model {age} days old (> {policy.max_age_days})")
    previous_rows = int(row["training_rows"])
    if current.rows < previous_rows:
        return Decision(TRAINED, "fewer training rows than the model's: the data was rewritten")
    new_share = (current.rows - previous_rows) / max(current.rows, 1)
    if new_share > policy.max_new_row_share:
        return Decision(TRAINED, f"{new_share:.1%} new rows (> {policy.max_new_row_share:.1%})")
    shift = _relative_shift(row["training_mean"], current.mean)
    if shift > policy.max_mean_shift:
        return Decision(
            TRAINED, f"key measure's mean moved {shift:.1%} (> {policy.max_mean_shift:.1%})"
        )
    return Decision(
        REUSED,
        f"{new_share:.2%} new rows, model {age} days old, key measure's mean moved {shift:.2%}",
    )


def with_decision(
    registry: pd.DataFrame, decision: Decision, current: TrainingData
) -> pd.DataFrame:
    """The registry row(s) (or any trainer's output) with the columns a next build's `decide`
    reads; a table that is not a registry row also gets the fingerprint of its training data."""
    out = registry.copy()
    for column, value in (
        ("training_data_hash", current.data_hash),
        ("training_rows", current.rows),
        ("as_of_date", current.as_of_date),
    ):
        if column not in out.columns:
            out[column] = value
    out["build_action"] = decision.action
    out["build_action_reason"] = decision.reason
    out["settings_hash"] = current.settings_hash
    out["training_mean"] = float(current.mean)
    return out


def follow(
    upstream: pd.DataFrame,
    previous: pd.DataFrame | None,
    current: TrainingData,
    train: Callable[[], pd.DataFrame],
) -> pd.DataFrame:
    """For a model fitted on an upstream trainer's output (a segmenter on its k selection): reuse
    the previous output when the upstream step was reused, train otherwise."""
    if upstream.empty:  # e.g. a back-test with no cutoff it could evaluate
        return with_decision(train(), Decision(TRAINED, "the upstream step has no rows"), current)
    decision = Decision(
        str(upstream["build_action"].iloc[0]), str(upstream["build_action_reason"].iloc[0])
    )
    if decision.reuse and previous is not None and not previous.empty:
        return reused(previous, decision)
    if decision.reuse:
        decision = Decision(TRAINED, "no model registered by an earlier build")
    return with_decision(train(), decision, current)


def reused(previous: pd.DataFrame, decision: Decision) -> pd.DataFrame:
    """The previous output, marked as reused by this build."""
    out = previous.copy()
    out["build_action"] = decision.action
    out["build_action_reason"] = decision.reason
    return out


def train_or_reuse(
    previous: pd.DataFrame | None,
    current: TrainingData,
    policy: RetrainPolicy,
    train: Callable[[], pd.DataFrame],
) -> pd.DataFrame:
    """The previous output marked as reused, or `train()`'s registry row with the decision."""
    decision = decide(previous, current, policy)
    LOGGER.info("%s: %s", decision.action, decision.reason)
    if decision.reuse:
        return reused(previous, decision)
    return with_decision(train(), decision, current)


def unchanged_since_last_build(registry_row: pd.Series, previous: pd.DataFrame | None) -> bool:
    """True when a scoring model may keep its last output: the model was reused because its
    training data (and as_of_date) did not change, and `previous` was scored by that version."""
    return inputs_unchanged(registry_row, previous) and bool(
        (previous["model_version"] == registry_row["model_version"]).all()
    )


def inputs_unchanged(registry_row: pd.Series, previous: pd.DataFrame | None) -> bool:
    """True when a step computed from the same inputs and settings as a registered model may
    keep its last output: the model was reused because its training data, as_of_date and
    settings did not change, and there is a last output to keep."""
    return (
        previous is not None
        and not previous.empty
        and registry_row["build_action"] == REUSED
        and registry_row["build_action_reason"] == UNCHANGED
    )


def previous_output(session, this) -> pd.DataFrame | None:
    """The table a dbt Python model wrote in the last build (`dbt.this`), or None
    (`frames.previous_table`)."""
    return previous_table(session, str(this.schema), str(this.identifier))


def _same_day(a, b) -> bool:
    return _days_between(a, b) == 0


def _days_between(earlier, later) -> int | None:
    """Days from `earlier` to `later`; 0 when neither is set (undated data, e.g. wholesale
    accounts), None when only one is."""
    missing = [value is None or pd.isna(value) for value in (earlier, later)]
    if all(missing):
        return 0
    if any(missing):
        return None
    return int((pd.Timestamp(later).normalize() - pd.Timestamp(earlier).normalize()).days)


def _relative_shift(previous: float, current: float) -> float:
    if previous is None or pd.isna(previous):
        return math.inf
    return abs(float(current) - float(previous)) / max(abs(float(previous)), 1e-12)
