"""The trained channel model as plain data: members, calibrator and decision threshold.

Artefact format `channel-model-json-v2` (documented here, stored as text in the registry):

    {"format": "channel-model-json-v2", "candidate": "xgboost", "feature_names": [...],
     "use_region": false, "members": [<member>, ...], "calibrator": {...},
     "threshold": 0.31}

A member is one of
- {"kind": "xgboost", "booster_json": "<XGBoost's native JSON model>"}: load with
  `xgboost.Booster().load_model(bytearray(booster_json, "utf-8"))`;
- {"kind": "linear", "mean": [...], "scale": [...], "coef": [...], "intercept": x}: logistic
  regression on standardised log spends, margin = sum(coef * (x - mean) / scale) + intercept;
- {"kind": "forest", "trees": [{"left", "right", "feature", "threshold", "value"}, ...]}: sklearn
  random-forest trees as arrays; `value` is the Retail share at each node, leaves have left = -1.

Several members form the soft-voting ensemble (mean of member probabilities). Features are always
ln(1 + spend) (and region dummies); see `features`. No pickle anywhere.

Contributions explain the uncalibrated member score, positive = towards Retail:
- xgboost: `pred_contribs` path (Saabas) attributions by default, exact TreeSHAP with
  `exact=True` (about 15x slower: ~60 s per million rows); log-odds units, bias + sum = margin;
- linear: coef * standardised feature, log-odds, intercept + sum = margin;
- forest: path (Saabas) contributions, probability units, root value + sum = probability;
- ensemble: each member's contributions in probability units (log-odds members are rescaled by
  (p - p_bias) / (margin - bias), which keeps their signs and shares), averaged over members, so
  bias + sum = ensemble probability.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import xgboost as xgb

from .calibration import Calibrator

ARTEFACT_FORMAT = "channel-model-json-v2"


def _sigmoid(margin: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-margin))


@dataclass
class Explanation:
    """Per-row score decomposition: bias + contributions.sum(axis=1) == score (in `unit`)."""

    probability: np.ndarray  # uncalibrated Retail probability
    score: np.ndarray  # margin (log-odds) or probability, in `unit`
    bias: np.ndarray
    contributions: np.ndarray  # (n_rows, n_features)
    unit: str  # 'log_odds_retail' | 'probability_retail'

    def in_probability_units(self) -> Explanation:
        """Rescale log-odds contributions so they add up to probability - sigmoid(bias)."""
        if self.unit == "probability_retail":
            return self
        base = _sigmoid(self.bias)
        delta = self.score - self.bias
        slope = np.where(
            np.abs(delta) > 1e-12,
            (self.probability - base) / np.where(delta == 0, 1.0, delta),
            base * (1 - base),
        )
        return Explanation(
            self.probability,
            self.probability,
            base,
            self.contributions * slope[:, None],
            "probability_retail",
        )


class LinearMember:
    kind = "linear"

    def __init__(self, mean: Any, scale: Any, coef: Any, intercept: float) -> None:
        self.mean = np.asarray(mean, dtype=np.float64)
        self.scale = np.asarray(scale, dtype=np.float64)
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = float(intercept)

    def explain(self, features: np.ndarray, n_jobs: int = 1, exact: bool = False) -> Explanation:
        contributions = (features - self.mean) / self.scale * self.coef
        margin = contributions.sum(axis=1) + self.intercept
        bias = np.full(len(features), self.intercept)
        return Explanation(_sigmoid(margin), margin, bias, contributions, "log_odds_retail")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
        }


class XGBoostMember:
    kind = "xgboost"

    def __init__(self, booster_json: str) -> None:
        self.booster_json = booster_json
        self.booster = xgb.Booster()
        self.booster.load_model(bytearray(booster_json, "utf-8"))

    def explain(self, features: np.ndarray, n_jobs: int = 1, exact: bool = False) -> Explanation:
        self.booster.set_param({"nthread": n_jobs})
        matrix = xgb.DMatrix(features.astype(np.float32), nthread=n_jobs)
        shap = self.booster.predict(matrix, pred_contribs=True, approx_contribs=not exact).astype(
            np.float64
        )
        contributions, bias = shap[:, :-1], shap[:, -1]
        margin = contributions.sum(axis=1) + bias
        return Explanation(_sigmoid(margin), margin, bias, contributions, "log_odds_retail")

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "booster_json": self.booster_json}


class ForestMember:
    kind = "forest"

    def __init__(self, trees: list[dict[str, Any]]) -> None:
        self.trees = [{key: np.asarray(value) for key, value in tree.items()} for tree in trees]
        self._paths = [self._path_contributions(tree) for tree in self.trees]
        self._compiled_trees = [self._compiled(tree) for tree in self.trees]

    @staticmethod
    def _path_contributions(tree: dict[str, np.ndarray]) -> np.ndarray:
        """(n_nodes, n_features + 1): per node, the Saabas contributions from the root, then the
        node value. Nodes are stored parent-before-child (sklearn's depth-first order)."""
        left, right, feature, value = tree["left"], tree["right"], tree["feature"], tree["value"]
        n_features = int(tree["n_features"])
        path = np.zeros((len(left), n_features + 1))
        path[0, -1] = value[0]
        for node in range(len(left)):
            if left[node] < 0:
                continue
            for child in (left[node], right[node]):
                path[child, :n_features] = path[node, :n_features]
                path[child, feature[node]] += value[child] - value[node]
                path[child, -1] = value[child]
        return path

    @staticmethod
    def _compiled(tree: dict[str, np.ndarray]) -> Any:
        """sklearn's Cython tree rebuilt from the arrays (its pickling state), for fast `apply`;
        None when this sklearn has no such internals (the numpy traversal is then used)."""
        try:
            from sklearn.tree._tree import NODE_DTYPE, Tree
        except ImportError:  # pragma: no cover - depends on the installed sklearn
            return None
        nodes = np.zeros(len(tree["left"]), dtype=NODE_DTYPE)
        nodes["left_child"] = tree["left"]
        nodes["right_child"] = tree["right"]
        nodes["feature"] = tree["feature"]
        nodes["threshold"] = tree["threshold"]
        compiled = Tree(int(tree["n_features"]), np.array([1], dtype=np.intp), 1)
        compiled.__setstate__(
            {
                "max_depth": int(tree["depth"]),
                "node_count": len(nodes),
                "nodes": nodes,
                "values": np.zeros((len(nodes), 1, 1)),
            }
        )
        return compiled

    @staticmethod
    def leaves(tree: dict[str, np.ndarray], features: np.ndarray) -> np.ndarray:
        """Leaf reached by each row (numpy traversal; features already float32-rounded)."""
        left, right, feature, threshold = (
            tree["left"],
            tree["right"],
            tree["feature"],
            tree["threshold"],
        )
        is_leaf = left < 0
        go_left = np.where(is_leaf, np.arange(len(left)), left)
        go_right = np.where(is_leaf, np.arange(len(left)), right)
        split_feature = np.where(is_leaf, 0, feature)
        split_threshold = np.where(is_leaf, np.inf, threshold)
        rows = np.arange(len(features))
        node = np.zeros(len(features), dtype=np.int64)
        for _ in range(int(tree["depth"])):
            value = features[rows, split_feature[node]]
            node = np.where(value <= split_threshold[node], go_left[node], go_right[node])
        return node

    def explain(self, features: np.ndarray, n_jobs: int = 1, exact: bool = False) -> Explanation:
        # sklearn compares float32 features with float64 thresholds; do the same.
        features32 = np.ascontiguousarray(features, dtype=np.float32)
        total = np.zeros((len(features), features.shape[1] + 1))
        for tree, compiled, path in zip(self.trees, self._compiled_trees, self._paths, strict=True):
            if compiled is not None:
                leaves = compiled.apply(features32)
            else:
                leaves = self.leaves(tree, features32.astype(np.float64))
            total += path[leaves]
        total /= len(self.trees)
        probability = total[:, -1]
        bias = np.full(len(features), np.mean([path[0, -1] for path in self._paths]))
        return Explanation(probability, probability, bias, total[:, :-1], "probability_retail")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "trees": [{key: value.tolist() for key, value in tree.items()} for tree in self.trees],
        }


Member = LinearMember | XGBoostMember | ForestMember


def member_from_dict(values: dict[str, Any]) -> Member:
    if values["kind"] == "linear":
        return LinearMember(values["mean"], values["scale"], values["coef"], values["intercept"])
    if values["kind"] == "xgboost":
        return XGBoostMember(values["booster_json"])
    if values["kind"] == "forest":
        return ForestMember(values["trees"])
    raise ValueError(f"unknown member kind {values['kind']!r}")


@dataclass
class ChannelModel:
    """A deployable channel model: members (one, or several soft-voting), calibrator, threshold."""

    candidate: str
    feature_names: list[str]
    use_region: bool
    members: list[Member]
    calibrator: Calibrator
    threshold: float

    def explain(self, features: np.ndarray, n_jobs: int = 1, exact: bool = False) -> Explanation:
        """Uncalibrated score decomposition (see the module docstring for units)."""
        explanations = [member.explain(features, n_jobs, exact) for member in self.members]
        if len(explanations) == 1:
            return explanations[0]
        scaled = [explanation.in_probability_units() for explanation in explanations]
        return Explanation(
            np.mean([item.probability for item in scaled], axis=0),
            np.mean([item.score for item in scaled], axis=0),
            np.mean([item.bias for item in scaled], axis=0),
            np.mean([item.contributions for item in scaled], axis=0),
            "probability_retail",
        )

    def predict_proba(self, features: np.ndarray, n_jobs: int = 1) -> np.ndarray:
        """Calibrated Retail probability."""
        return self.calibrator.apply(self.explain(features, n_jobs).probability)

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": ARTEFACT_FORMAT,
                "candidate": self.candidate,
                "feature_names": self.feature_names,
                "use_region": self.use_region,
                "members": [member.to_dict() for member in self.members],
                "calibrator": self.calibrator.to_dict(),
                "threshold": self.threshold,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> ChannelModel:
        values = json.loads(text)
        if values.get("format") != ARTEFACT_FORMAT:
            raise ValueError(f"not a {ARTEFACT_FORMAT} artefact: {values.get('format')!r}")
        return cls(
            candidate=values["candidate"],
            feature_names=list(values["feature_names"]),
            use_region=bool(values["use_region"]),
            members=[member_from_dict(member) for member in values["members"]],
            calibrator=Calibrator.from_dict(values["calibrator"]),
            threshold=float(values["threshold"]),
        )
