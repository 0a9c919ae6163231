"""Customer snapshots at cutoffs, and the labelled training windows of a cutoff.

A snapshot at cutoff t fits BG/NBD and Gamma-Gamma on purchases before t and computes every
customer's churn features there; its label (no purchase in [t, t + H)) is known from t + H on.
A model for cutoff c trains on the windows t = c - H, c - H - step, ... (at most
`training_windows`, each with at least `min_history_days` of log before it), so all its labels
are known at c. Snapshots are cached by date: the cutoffs of an evaluation share most windows.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from .config import LifecycleConfig
from .features import ProductFirsts, churn_features
from .history import outcomes, rfm_summary
from .probabilistic import Probabilistic, fit_probabilistic

LOGGER = logging.getLogger(__name__)


class Snapshots:
    """Features, labels and fitted BG/NBD models at any cutoff of one purchase log."""

    def __init__(
        self, days: pd.DataFrame, product_firsts: pd.DataFrame, config: LifecycleConfig
    ) -> None:
        self.days = days
        self.product_firsts = ProductFirsts.of(product_firsts)
        self.config = config
        self.log_start = days["day"].min() if len(days) else None
        self._models: dict[pd.Timestamp, Probabilistic] = {}
        self._features: dict[pd.Timestamp, pd.DataFrame] = {}

    def model(self, cutoff: pd.Timestamp) -> Probabilistic:
        """BG/NBD and Gamma-Gamma fitted on the purchases before `cutoff`."""
        cutoff = pd.Timestamp(cutoff)
        if cutoff not in self._models:
            config = self.config
            self._models[cutoff] = fit_probabilistic(
                rfm_summary(self.days, cutoff),
                config.min_repeat_customers,
                config.bgnbd_penalizer,
                config.gamma_gamma_penalizer,
            )
        return self._models[cutoff]

    def features(self, cutoff: pd.Timestamp) -> pd.DataFrame:
        """Churn features of every customer with a purchase before `cutoff` (index customer_id)."""
        cutoff = pd.Timestamp(cutoff)
        if cutoff not in self._features:
            self._features[cutoff] = churn_features(
                self.days,
                self.product_firsts,
                cutoff,
                self.config.horizon_days,
                self.model(cutoff),
            )
        return self._features[cutoff]

    def labelled(self, cutoff: pd.Timestamp) -> pd.DataFrame:
        """Features at `cutoff` with the outcome of the next H days: future_purchases,
        future_amount and churned (1 = no purchase), and customer_id as a column."""
        cutoff = pd.Timestamp(cutoff)
        frame = self.features(cutoff).join(
            outcomes(self.days, cutoff, self.config.horizon_days), how="left"
        )
        frame["future_purchases"] = frame["future_purchases"].fillna(0).astype(np.int64)
        frame["future_amount"] = frame["future_amount"].fillna(0.0)
        frame["churned"] = (frame["future_purchases"] == 0).astype(np.int64)
        return frame.rename_axis("customer_id").reset_index()

    def training_cutoffs(self, cutoff: pd.Timestamp) -> list[pd.Timestamp]:
        """The window cutoffs a model for `cutoff` trains on, latest first (may be empty)."""
        if self.log_start is None:
            return []
        config = self.config
        first = pd.Timestamp(cutoff) - pd.Timedelta(config.horizon_days, "D")
        windows = [
            first - pd.Timedelta(j * config.window_step_days, "D")
            for j in range(config.training_windows)
        ]
        return [t for t in windows if (t - self.log_start).days >= config.min_history_days]

    def training_frame(self, cutoff: pd.Timestamp) -> pd.DataFrame:
        """The labelled rows of every training window of `cutoff`, with `window_cutoff`; a
        fixed-seed sample of `max_training_rows` of them when there are more. A window with too
        few repeat buyers to fit BG/NBD is left out (with a warning)."""
        frames = []
        for window in self.training_cutoffs(cutoff):
            try:
                frames.append(self.labelled(window).assign(window_cutoff=window))
            except ValueError as error:  # too few repeat buyers that early: leave it out
                LOGGER.warning("lifecycle: training window %s left out: %s", window.date(), error)
        if not frames:
            return pd.DataFrame()
        frame = pd.concat(frames, ignore_index=True)
        cap = self.config.max_training_rows
        if len(frame) > cap:
            rows = np.random.default_rng(self.config.seed).choice(len(frame), cap, replace=False)
            frame = frame.iloc[np.sort(rows)].reset_index(drop=True)
        return frame
