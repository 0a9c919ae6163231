"""Behavioural customer segmentation: one configurable segmenter for every population.

Pipeline (each step one dbt Python model): `run_k_selection` (metrics per k and the chosen k),
`train_segmenter` (final fit, one registry row with the model as JSON), `apply_segmenter`
(one row per entity: segment id/name, distance, PCA x/y, outlier flag), then `feature_profiles`
(with ANOVA) to describe the result. Segment sizes, revenue and cross-tabs are SQL marts.
"""

from .config import SegmenterConfig
from .model import SegmentModel, assign, fit_segment_model
from .naming import archetype_vocabulary, name_segments
from .pipeline import (
    apply_segmenter,
    chosen_k,
    run_k_selection,
    train_segmenter,
    training_data,
)
from .profiles import feature_profiles
from .selection import choose_k, evaluate_k_range

__all__ = [
    "SegmentModel",
    "SegmenterConfig",
    "apply_segmenter",
    "archetype_vocabulary",
    "assign",
    "choose_k",
    "chosen_k",
    "evaluate_k_range",
    "feature_profiles",
    "fit_segment_model",
    "name_segments",
    "run_k_selection",
    "train_segmenter",
    "training_data",
]
