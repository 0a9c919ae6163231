"""Configuration of the segmenter: one dataclass serves every population.

The dbt Python models read one `segmentation` mapping from their YAML config (values templated from
`var()` arrive as strings) and pass it to `SegmenterConfig.from_mapping`, which casts every field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

NAMING_SCHEMES: tuple[str, ...] = ("retail_rfm", "wholesale_spend")


@dataclass(frozen=True)
class SegmenterConfig:
    """Everything the segmenter needs to know about one population.

    - `id_column`: the grain key (one row per id).
    - `features`: model features (raw column names); `log_features` (a subset) are fed as ln(1 + x).
      Features are standardised inside the fit (z-scores on the training rows).
    - `value_column`: revenue of a row; orders segment ids (id 1 = highest mean value) and gives the
      revenue share. `profile_features`: columns described per segment in original units.
    - `naming_scheme`: how names are read off centroids (`retail_rfm` or `wholesale_spend`);
      `recency_feature`, `value_features`, `mix_features` give the roles the scheme uses.
    - k selection: `k_min..k_max` evaluated; chosen k = best silhouette among k >= `choose_k_min`
      whose smallest cluster share >= `min_cluster_share` and stability >= `min_stability`
      (fallbacks in `selection.choose_k`), unless `fixed_k` is set.
    """

    population: str
    id_column: str
    features: tuple[str, ...]
    value_column: str
    naming_scheme: str
    log_features: tuple[str, ...] = ()
    profile_features: tuple[str, ...] = ()
    recency_feature: str | None = None
    value_features: tuple[str, ...] = ()
    mix_features: tuple[str, ...] = ()
    k_min: int = 2
    k_max: int = 10
    choose_k_min: int = 2
    fixed_k: int | None = None
    min_cluster_share: float = 0.05
    min_stability: float = 0.9
    n_bootstrap: int = 10
    n_init: int = 10
    selection_sample_size: int = 20_000
    silhouette_sample_size: int = 10_000
    outlier_robust_z: float = 3.5
    random_state: int = 42
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.features:
            raise ValueError("features must not be empty")
        unknown = set(self.log_features) - set(self.features)
        if unknown:
            raise ValueError(f"log_features not in features: {sorted(unknown)}")
        if self.naming_scheme not in NAMING_SCHEMES:
            raise ValueError(f"naming_scheme must be one of {NAMING_SCHEMES}")
        if not 2 <= self.k_min <= self.k_max:
            raise ValueError("need 2 <= k_min <= k_max")
        if self.fixed_k is not None and self.fixed_k < 2:
            raise ValueError("fixed_k must be >= 2")
        roles = [self.recency_feature, *self.value_features, *self.mix_features]
        missing = [r for r in roles if r is not None and r not in self.features]
        if missing:
            raise ValueError(f"naming roles must be model features: {missing}")
        retail = self.naming_scheme == "retail_rfm"
        if retail and (not self.recency_feature or not self.value_features):
            raise ValueError("retail_rfm naming needs recency_feature and value_features")
        if self.naming_scheme == "wholesale_spend" and (
            not self.value_features or not self.mix_features
        ):
            raise ValueError("wholesale_spend naming needs value_features and mix_features")

    @property
    def described_features(self) -> tuple[str, ...]:
        """Profile columns: the configured ones, else the model features."""
        return self.profile_features or self.features

    def parameters(self) -> dict[str, Any]:
        """Plain dict of the settings (for the registry's parameters_json)."""
        params = asdict(self)
        params.pop("extra")
        return params

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> SegmenterConfig:
        """Build from a YAML/dbt config mapping, casting string values ("3", "none", "a,b")."""
        kwargs: dict[str, Any] = {}
        for name, kind in _FIELD_KINDS.items():
            if name in raw and not _is_null(raw[name]):
                kwargs[name] = _cast(raw[name], kind)
            elif name in raw and kind in ("opt_int", "opt_str"):
                kwargs[name] = None
        extra = {k: v for k, v in raw.items() if k not in _FIELD_KINDS}
        return cls(**kwargs, extra=extra)


_FIELD_KINDS: dict[str, str] = {
    "population": "str",
    "id_column": "str",
    "features": "list",
    "value_column": "str",
    "naming_scheme": "str",
    "log_features": "list",
    "profile_features": "list",
    "recency_feature": "opt_str",
    "value_features": "list",
    "mix_features": "list",
    "k_min": "int",
    "k_max": "int",
    "choose_k_min": "int",
    "fixed_k": "opt_int",
    "min_cluster_share": "float",
    "min_stability": "float",
    "n_bootstrap": "int",
    "n_init": "int",
    "selection_sample_size": "int",
    "silhouette_sample_size": "int",
    "outlier_robust_z": "float",
    "random_state": "int",
}


def _is_null(value: Any) -> bool:
    if value is None:
        return True
    return isinstance(value, str) and value.strip().lower() in ("", "none", "null")


def _cast(value: Any, kind: str) -> Any:
    if kind == "list":
        if isinstance(value, str):
            return tuple(v.strip() for v in value.split(",") if v.strip())
        if isinstance(value, Sequence):
            return tuple(str(v) for v in value)
        raise TypeError(f"cannot read a list from {value!r}")
    if kind in ("int", "opt_int"):
        return int(float(value))
    if kind == "float":
        return float(value)
    return str(value)
