"""BG/NBD and Gamma-Gamma: the published CDNOW parameters, and the value formulas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifetimes.datasets import load_cdnow_summary, load_cdnow_summary_data_with_monetary_value

from customer_intelligence.lifecycle import probabilistic
from customer_intelligence.lifecycle.probabilistic import Probabilistic

# Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", CDNOW sample (weeks).
PUBLISHED_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
# The Gamma-Gamma fit the lifetimes documentation shows on the same sample's repeat buyers.
DOCUMENTED_GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "v": 15.44}


def test_bgnbd_matches_the_published_cdnow_parameters() -> None:
    cdnow = load_cdnow_summary(index_col=[0])
    fitted = probabilistic.fit_bgnbd(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    for name, published in PUBLISHED_BGNBD.items():
        assert fitted[name] == pytest.approx(published, rel=0.02), name


def test_gamma_gamma_matches_the_documented_cdnow_parameters() -> None:
    cdnow = load_cdnow_summary_data_with_monetary_value()
    fitted = probabilistic.fit_gamma_gamma(cdnow["frequency"], cdnow["monetary_value"])
    for name, documented in DOCUMENTED_GAMMA_GAMMA.items():
        assert fitted[name] == pytest.approx(documented, rel=0.02), name


def _summary() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "frequency": [0.0, 2.0, 10.0],
            "recency": [0.0, 30.0, 200.0],
            "T": [50.0, 100.0, 210.0],
            "monetary_value": [0.0, 40.0, 80.0],
            "amount": [20.0, 120.0, 880.0],
            "purchases": [1, 3, 11],
        }
    )


def test_clv_is_discounted_monthly_expected_spend() -> None:
    model = Probabilistic(
        {"r": 0.7, "alpha": 60.0, "a": 0.1, "b": 3.0}, {"p": 3.0, "q": 3.0, "v": 300.0}
    )
    summary = _summary()
    undiscounted = probabilistic.customer_lifetime_value(model, summary, 12, 0.0)
    expected = probabilistic.expected_purchases(model, summary, 360) * (
        probabilistic.expected_order_value(model, summary)
    )
    np.testing.assert_allclose(undiscounted, expected, rtol=1e-9)
    discounted = probabilistic.customer_lifetime_value(model, summary, 12, 0.02)
    assert (discounted < undiscounted).all()
    # The frequent, recent buyer is worth the most.
    assert discounted.argmax() == 2


def test_without_gamma_gamma_the_order_value_is_the_customers_mean() -> None:
    model = Probabilistic({"r": 0.7, "alpha": 60.0, "a": 0.1, "b": 3.0}, None)
    np.testing.assert_allclose(
        probabilistic.expected_order_value(model, _summary()), [20.0, 40.0, 80.0]
    )


def test_too_few_repeat_buyers_is_a_clear_error() -> None:
    summary = _summary()
    with pytest.raises(ValueError, match="at least 50 customers with a repeat purchase"):
        probabilistic.fit_probabilistic(summary, min_repeat_customers=50)


def test_a_log_without_dropouts_fits_with_almost_no_dropout() -> None:
    """Every customer keeps buying: the likelihood's optimum is at a -> 0 (the NBD limit), which
    the bounded fit reaches instead of failing to converge."""
    rng = np.random.default_rng(3)
    n = 400
    T = rng.uniform(200, 400, n)
    frequency = rng.poisson(T / 40).astype(float)
    recency = np.where(frequency > 0, T - rng.uniform(0, 20, n), 0).clip(min=0)
    fitted = probabilistic.fit_bgnbd(frequency, recency, T)
    assert fitted["a"] / (fitted["a"] + fitted["b"]) < 0.01  # almost nobody drops out
