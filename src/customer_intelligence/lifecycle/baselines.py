"""Baselines the churn and value models must beat, fitted on the same training windows.

Churn (probability of no purchase in the horizon):
- `recency`: the churn rate by days since the last purchase, a monotone (isotonic) fit;
- `frequency`: the churn rate by number of purchases, monotone decreasing;
- `rfm_segment`: the historical churn rate of the customer's RFM segment (the warehouse's own
  quintile scores and segment map, computed at each window's cutoff);
- `bgnbd_p_alive`: 1 - P(alive) of BG/NBD, as it is (nothing fitted on labels).

Value: `naive_rate`, the customer's past repeat-purchase rate times the horizon (frequency / T *
H), and that times their mean purchase for revenue.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.isotonic import IsotonicRegression

CHURN_BASELINES: tuple[str, ...] = ("recency", "frequency", "rfm_segment", "bgnbd_p_alive")


def rfm_segments(frame: pd.DataFrame, segment_map: pd.DataFrame) -> pd.Series:
    """RFM segment of each row of one snapshot, as the warehouse scores it: recency and frequency
    scores 1-5 from percent ranks (ties share a score), mapped by (recency, frequency) score."""
    n = len(frame)

    def score(values: pd.Series, ascending: bool) -> np.ndarray:
        rank = values.rank(method="min", ascending=ascending).to_numpy()
        percent = (rank - 1) / max(n - 1, 1)
        return np.minimum(5, 1 + np.floor(percent * 5)).astype(int)

    recency = score(frame["recency_days"], ascending=False)
    frequency = score(frame["purchases"], ascending=True)
    lookup = {
        (int(r), int(f)): s
        for r, f, s in segment_map[["recency_score", "frequency_score", "rfm_segment"]].itertuples(
            index=False
        )
    }
    return pd.Series(
        [lookup.get((r, f), "unmapped") for r, f in zip(recency, frequency, strict=True)],
        index=frame.index,
    )


class ChurnBaselines:
    """The churn baselines fitted on labelled training rows (one snapshot per `window_cutoff`)."""

    def __init__(self, training: pd.DataFrame, segment_map: pd.DataFrame) -> None:
        y = training["churned"].to_numpy(dtype=float)
        self.segment_map = segment_map
        self.recency = IsotonicRegression(out_of_bounds="clip", increasing=True).fit(
            training["recency_days"].to_numpy(float), y
        )
        self.frequency = IsotonicRegression(out_of_bounds="clip", increasing=False).fit(
            training["purchases"].to_numpy(float), y
        )
        segments = pd.concat(
            [rfm_segments(window, segment_map) for _, window in training.groupby("window_cutoff")]
        ).reindex(training.index)
        self.segment_rates = pd.Series(y, index=training.index).groupby(segments).mean()
        self.overall_rate = float(y.mean())

    def predict(self, name: str, frame: pd.DataFrame) -> np.ndarray:
        """Churn probability by baseline `name` for the rows of one snapshot."""
        if name == "recency":
            return self.recency.predict(frame["recency_days"].to_numpy(float))
        if name == "frequency":
            return self.frequency.predict(frame["purchases"].to_numpy(float))
        if name == "rfm_segment":
            segments = rfm_segments(frame, self.segment_map)
            return segments.map(self.segment_rates).fillna(self.overall_rate).to_numpy(float)
        if name == "bgnbd_p_alive":
            return 1.0 - frame["p_alive"].to_numpy(float)
        raise ValueError(f"unknown churn baseline {name!r}")


def naive_purchases(frame: pd.DataFrame, horizon_days: int) -> np.ndarray:
    """Past repeat-purchase rate (frequency / T, T at least one day) times the horizon."""
    return (frame["frequency"] / frame["T"].clip(lower=1) * horizon_days).to_numpy(float)


def naive_revenue(frame: pd.DataFrame, horizon_days: int) -> np.ndarray:
    mean_purchase = (frame["amount"] / frame["purchases"]).to_numpy(float)
    return naive_purchases(frame, horizon_days) * mean_purchase
