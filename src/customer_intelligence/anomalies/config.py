"""Parameters of the order anomaly flags, read from dbt config (strings) or given in Python."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ..settings import typed_settings

COMBINATIONS: tuple[str, ...] = ("max", "sum")
CALIBRATIONS: tuple[str, ...] = ("tail", "rank")
# Every component a score can be built from (features.FEATURES and the isolation forest).
COMPONENTS: tuple[str, ...] = (
    "price_z",
    "quantity_z",
    "amount_z",
    "cancelled_ratio",
    "repeat_orders",
    "burst_orders",
    "isolation_forest",
)


@dataclass(frozen=True)
class AnomalyConfig:
    """Everything that changes which orders are flagged and how the flags are evaluated.

    - `review_share`: the review budget, the share of orders (highest scores first) flagged for
      review; the evaluation measures recall and precision at this budget.
    - `reason_share`: a component is a reason when at most this share of orders is as extreme.
    - `min_orders`: fewer orders than this raise (too few to know what is usual).
    - `min_reference_lines`: lines a product (or a product's quantity tier) needs before its
      usual price and quantity are trusted.
    - `customer_prior_orders`: a customer's usual is shrunk towards all orders' with the weight
      of this many orders (a customer with one order is judged mostly against everyone).
    - `burst_hours`: the window of bursts and of repeated near-identical orders.
    - `isolation_forest`, `isolation_trees`, `isolation_samples`: the isolation forest over the
      calibrated feature scores (its score is always reported when it is on).
    - `score_components`: comma-separated components the anomaly score combines (the others are
      still reported and can be reasons). By default the burst count and the isolation forest
      are left out: on the design seeds each took review slots from the injected kinds without
      catching any (research/anomaly_recall.py prints the ablation).
    - `calibration`: `tail` (the share of orders at least as extreme up to the top `tail_share`
      of orders, a generalized Pareto tail fitted to the values above it, so how far an order
      lies beyond the usual extremes counts) or `rank` (the share of orders at least as
      extreme throughout: the k-th most extreme order of any component scores log10(n / k)).
    - `tail_share`: the share of orders above each component's tail threshold.
    - `combination`: `max` (an order is as anomalous as its most extreme component) or `sum`.
    - `injected_share`: share of orders the evaluation injects per kind and seed.
    - `evaluation_seed`, `evaluation_repeats`, `evaluation_min_injected`: the evaluation's
      injection seeds are evaluation_seed, evaluation_seed + 1, ... (the scoring design was
      chosen on seeds 0-2), at most evaluation_repeats of them, stopping once a kind has
      evaluation_min_injected injected orders (a large log needs one seed, a small one several).
    - `seed`: the isolation forest's seed.
    """

    review_share: float = 0.005
    reason_share: float = 0.01
    min_orders: int = 500
    min_reference_lines: int = 5
    customer_prior_orders: float = 3.0
    burst_hours: float = 1.0
    isolation_forest: bool = True
    isolation_trees: int = 100
    isolation_samples: int = 256
    score_components: str = "price_z,quantity_z,amount_z,cancelled_ratio,repeat_orders"
    combination: str = "max"
    calibration: str = "tail"
    tail_share: float = 0.02
    injected_share: float = 0.001
    evaluation_seed: int = 10
    evaluation_repeats: int = 5
    evaluation_min_injected: int = 90
    seed: int = 42

    def __post_init__(self) -> None:
        problems = []
        if not 0 < self.review_share < 1:
            problems.append(f"anomaly_review_share must be in (0, 1), got {self.review_share}")
        if not 0 < self.reason_share < 1:
            problems.append(f"anomaly_reason_share must be in (0, 1), got {self.reason_share}")
        if not 0 < self.injected_share < self.review_share:
            problems.append(
                "anomaly_injected_share must be in (0, anomaly_review_share), got "
                f"{self.injected_share}"
            )
        if self.min_orders < 20:
            problems.append(f"anomaly_min_orders must be >= 20, got {self.min_orders}")
        if self.min_reference_lines < 2:
            problems.append(
                f"anomaly_min_reference_lines must be >= 2, got {self.min_reference_lines}"
            )
        if self.customer_prior_orders < 0:
            problems.append("anomaly_customer_prior_orders must be >= 0")
        if self.burst_hours <= 0:
            problems.append(f"anomaly_burst_hours must be > 0, got {self.burst_hours}")
        if self.isolation_trees < 10 or self.isolation_samples < 16:
            problems.append("anomaly_isolation_trees must be >= 10 and isolation_samples >= 16")
        if self.combination not in COMBINATIONS:
            problems.append(
                f"anomaly_combination must be one of {', '.join(COMBINATIONS)}, "
                f"got {self.combination!r}"
            )
        if self.calibration not in CALIBRATIONS:
            problems.append(
                f"anomaly_calibration must be one of {', '.join(CALIBRATIONS)}, "
                f"got {self.calibration!r}"
            )
        if not 0 < self.tail_share < 0.5:
            problems.append(f"anomaly_tail_share must be in (0, 0.5), got {self.tail_share}")
        unknown = sorted(set(self.components) - set(COMPONENTS))
        if unknown or not self.components:
            problems.append(
                f"anomaly_score_components must name some of {', '.join(COMPONENTS)}, "
                f"got {self.score_components!r}"
            )
        if "isolation_forest" in self.components and not self.isolation_forest:
            problems.append("anomaly_score_components names isolation_forest, which is off")
        if self.evaluation_repeats < 1 or self.evaluation_min_injected < 1:
            problems.append(
                "anomaly_evaluation_repeats and anomaly_evaluation_min_injected must be >= 1"
            )
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def components(self) -> tuple[str, ...]:
        """The components of the anomaly score, in `COMPONENTS` order."""
        named = {part.strip() for part in self.score_components.split(",") if part.strip()}
        return tuple(c for c in COMPONENTS if c in named) + tuple(sorted(named - set(COMPONENTS)))

    @property
    def evaluation_seeds(self) -> tuple[int, ...]:
        return tuple(range(self.evaluation_seed, self.evaluation_seed + self.evaluation_repeats))

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> AnomalyConfig:
        """From the dbt config mapping (values may arrive as text); unknown keys raise."""
        return cls(**typed_settings(cls, values, "anomaly"))

    def parameters(self) -> dict[str, Any]:
        return asdict(self)
