"""BG/NBD (purchases and being alive) and Gamma-Gamma (spend per purchase), with `lifetimes`.

`lifetimes` (Davidson-Pilon) implements both models of Fader, Hardie & Lee (2005) by maximum
likelihood; its fit is checked against the paper's published parameters on the CDNOW sample in
the tests. The fitted models are kept as their parameters only (four for BG/NBD, three for
Gamma-Gamma), so the registry artefact is plain JSON and scoring rebuilds the fitters from them.

Customers with identical (frequency, recency, T) share one likelihood term: the fit runs on the
distinct rows with their counts as weights, which keeps it fast on a million customers.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import ConvergenceError

LOGGER = logging.getLogger(__name__)
BGNBD_PARAMETERS: tuple[str, ...] = ("r", "alpha", "a", "b")
# The optimiser works on log-parameters. Bounded (L-BFGS-B) so a log where hardly anyone drops
# out (a -> 0, the NBD limit; a year of the shipped log is one) ends at a bound instead of
# failing to converge; an interior optimum such as CDNOW's is unaffected.
LOG_PARAMETER_BOUNDS = (-12.0, 12.0)
GAMMA_GAMMA_PARAMETERS: tuple[str, ...] = ("p", "q", "v")
DAYS_PER_MONTH = 30.0


@dataclass(frozen=True)
class Probabilistic:
    """Fitted BG/NBD and Gamma-Gamma parameters (time unit: days; money: the log's currency)."""

    bgnbd: dict[str, float]
    gamma_gamma: dict[str, float] | None  # None: the fit did not converge

    def to_dict(self) -> dict:
        return {"bgnbd": self.bgnbd, "gamma_gamma": self.gamma_gamma}

    @classmethod
    def from_dict(cls, values: dict) -> Probabilistic:
        return cls(dict(values["bgnbd"]), values.get("gamma_gamma"))


@contextlib.contextmanager
def _quiet():
    """lifetimes prints the optimiser's whole result when a fit fails, and autograd warns on
    log(0) while it searches; the caller reports the failure in one line instead."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def fit_bgnbd(frequency, recency, T, penalizer: float = 0.0) -> dict[str, float]:
    """BG/NBD parameters by maximum likelihood on (frequency, recency, T), grouped into weights."""
    grouped = (
        pd.DataFrame({"frequency": frequency, "recency": recency, "T": T})
        .astype(float)
        .groupby(["frequency", "recency", "T"], sort=True)
        .size()
        .reset_index(name="weight")
    )
    fitter = BetaGeoFitter(penalizer_coef=penalizer)
    try:
        with _quiet():
            fitter.fit(
                grouped["frequency"],
                grouped["recency"],
                grouped["T"],
                weights=grouped["weight"].to_numpy(),
                bounds=[LOG_PARAMETER_BOUNDS] * len(BGNBD_PARAMETERS),
            )
    except ConvergenceError as error:
        raise ValueError(
            f"BG/NBD did not converge on {len(grouped)} distinct customer histories; "
            "set var lifecycle_bgnbd_penalizer (e.g. 0.001) to regularise it"
        ) from error
    return {name: float(fitter.params_[name]) for name in BGNBD_PARAMETERS}


def fit_gamma_gamma(frequency, monetary_value, penalizer: float = 0.0) -> dict[str, float] | None:
    """Gamma-Gamma parameters on repeat buyers only (frequency > 0, positive mean spend), or
    None when the fit does not converge (the order value then falls back, see
    `expected_order_value`)."""
    frame = pd.DataFrame({"frequency": frequency, "monetary_value": monetary_value}).astype(float)
    frame = frame[(frame["frequency"] > 0) & (frame["monetary_value"] > 0)]
    fitter = GammaGammaFitter(penalizer_coef=penalizer)
    try:
        with _quiet():
            fitter.fit(frame["frequency"], frame["monetary_value"])
    except ConvergenceError:
        LOGGER.warning("Gamma-Gamma did not converge on %d repeat buyers: skipped", len(frame))
        return None
    return {name: float(fitter.params_[name]) for name in GAMMA_GAMMA_PARAMETERS}


def fit_probabilistic(
    summary: pd.DataFrame,
    min_repeat_customers: int,
    penalizer: float = 0.0,
    gamma_gamma_penalizer: float = 0.0,
) -> Probabilistic:
    """Both models on an `history.rfm_summary` frame.

    BG/NBD needs some repeat buyers to tell dropping out from buying rarely; with fewer than
    `min_repeat_customers` it raises. Gamma-Gamma is skipped when it does not converge; the
    expected order value then falls back to the customer's mean purchase.
    """
    repeaters = int((summary["frequency"] > 0).sum())
    if repeaters < min_repeat_customers:
        raise ValueError(
            f"the lifecycle models need at least {min_repeat_customers} customers with a repeat "
            f"purchase before the cutoff (setting min_repeat_customers); found {repeaters}. "
            "Fix: a longer log, or lower var lifecycle_min_repeat_customers (the fits get noisy)."
        )
    bgnbd = fit_bgnbd(summary["frequency"], summary["recency"], summary["T"], penalizer)
    gamma_gamma = fit_gamma_gamma(
        summary["frequency"], summary["monetary_value"], gamma_gamma_penalizer
    )
    return Probabilistic(bgnbd, gamma_gamma)


def _bgnbd(params: dict[str, float]) -> BetaGeoFitter:
    fitter = BetaGeoFitter()
    fitter.params_ = pd.Series({name: params[name] for name in BGNBD_PARAMETERS})
    return fitter


def _gamma_gamma(params: dict[str, float]) -> GammaGammaFitter:
    fitter = GammaGammaFitter()
    fitter.params_ = pd.Series({name: params[name] for name in GAMMA_GAMMA_PARAMETERS})
    return fitter


def probability_alive(model: Probabilistic, summary: pd.DataFrame) -> np.ndarray:
    return np.asarray(
        _bgnbd(model.bgnbd).conditional_probability_alive(
            summary["frequency"].to_numpy(float),
            summary["recency"].to_numpy(float),
            summary["T"].to_numpy(float),
        ),
        dtype=float,
    )


def expected_purchases(model: Probabilistic, summary: pd.DataFrame, days: float) -> np.ndarray:
    """Expected purchases in the next `days` days, given each customer's history."""
    return np.asarray(
        _bgnbd(model.bgnbd).conditional_expected_number_of_purchases_up_to_time(
            float(days),
            summary["frequency"].to_numpy(float),
            summary["recency"].to_numpy(float),
            summary["T"].to_numpy(float),
        ),
        dtype=float,
    )


def expected_order_value(model: Probabilistic, summary: pd.DataFrame) -> np.ndarray:
    """Expected spend per future purchase: Gamma-Gamma's conditional mean (the population mean
    for customers without repeats); without a Gamma-Gamma fit, the customer's mean purchase."""
    if model.gamma_gamma is None:
        return (summary["amount"] / summary["purchases"]).to_numpy(float)
    return np.asarray(
        _gamma_gamma(model.gamma_gamma).conditional_expected_average_profit(
            summary["frequency"].to_numpy(float), summary["monetary_value"].to_numpy(float)
        ),
        dtype=float,
    )


def customer_lifetime_value(
    model: Probabilistic, summary: pd.DataFrame, months: int, monthly_discount_rate: float
) -> np.ndarray:
    """Discounted expected spend over the next `months` (30-day months): for each month, the
    expected purchases in it times the expected order value, divided by (1 + rate)^month."""
    value = expected_order_value(model, summary)
    clv = np.zeros(len(summary))
    previous = np.zeros(len(summary))
    for month in range(1, months + 1):
        cumulative = expected_purchases(model, summary, month * DAYS_PER_MONTH)
        clv += value * (cumulative - previous) / (1 + monthly_discount_rate) ** month
        previous = cumulative
    return clv
