"""Checks that the elasticities mean something, each on the same panel the estimates come from.

- `holdout_check`: the weeks cut into `holdout_blocks` consecutive blocks; each block in turn is
  held out, the rest fitted, and log units predicted in the held-out weeks whose list price is
  away from the product's usual price in the fitted weeks, against the same model without the
  price term (the shop's week effect only). The week effects of the held-out weeks are taken
  as known: this tests the price effect, not a seasonal forecast.
- `synthetic_check`: units simulated from each estimated product's real prices, week effects
  and residual spread with a known elasticity (uniform on [-3, -0.5]) and AR(1) errors whose
  autocorrelation is the one measured in the real fits' residuals; the share of intervals
  that hold the true value.
- `placebo_check`: prices shuffled within each product, which breaks any link to units; the
  share of products (and of product groups) found "significant" should be about
  1 - confidence.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .config import ElasticityConfig
from .estimation import fit_elasticities, usual_prices
from .groups import fit_groups
from .panel import PricePanel

TRUE_ELASTICITY_RANGE: tuple[float, float] = (-3.0, -0.5)


def holdout_check(panel: PricePanel, config: ElasticityConfig) -> dict[str, float]:
    """Errors of held-out log units in weeks away from the usual price: `products`, `weeks`,
    `mae_elasticity_model`, `mae_without_price`, `direction_accuracy` (share of those weeks in
    which the price term moves the prediction towards the actual) and `products_improved`
    (share of products whose mean error the price term lowers)."""
    edges = np.linspace(0, len(panel.weeks), config.holdout_blocks + 1).round().astype(int)
    parts = []
    for start, stop in zip(edges[:-1], edges[1:], strict=True):
        held = (panel.week >= start) & (panel.week < stop)
        if held.any() and (~held).any():
            parts.append(_held_out_errors(panel, held, config))
    errors = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if errors.empty:
        return {
            "products": 0.0,
            "weeks": 0.0,
            "mae_elasticity_model": float("nan"),
            "mae_without_price": float("nan"),
            "direction_accuracy": float("nan"),
            "products_improved": float("nan"),
        }
    per_product = errors.groupby("product")[["with_price", "without_price"]].mean()
    return {
        "products": float(len(per_product)),
        "weeks": float(len(errors)),
        "mae_elasticity_model": float(errors["with_price"].mean()),
        "mae_without_price": float(errors["without_price"].mean()),
        "direction_accuracy": float(errors["right_direction"].mean()),
        "products_improved": float(
            (per_product["with_price"] < per_product["without_price"]).mean()
        ),
    }


def _held_out_errors(panel: PricePanel, held: np.ndarray, config: ElasticityConfig) -> pd.DataFrame:
    """Absolute errors of log units on the `held` rows whose list price is at least
    `min_holdout_change` (in logs) from the product's usual price in the fitted rows, for the
    products estimated on the fitted rows alone."""
    fitted = panel.subset(~held)
    fits = fit_elasticities(fitted, config)
    usual = np.log(usual_prices(fitted.product, fitted.log_price)["price"])
    estimated = (fits["status"] == "estimated").to_numpy()
    rows = np.flatnonzero(held & estimated[panel.product])
    p = panel.product[rows]
    moved = np.abs(panel.log_price[rows] - usual.reindex(p).to_numpy()) >= config.min_holdout_change
    rows, p = rows[moved], p[moved]
    fit = fits.iloc[p]
    with_price = (
        fit["intercept"].to_numpy()
        + fit["elasticity"].to_numpy() * panel.log_price[rows]
        + fit["week_effect_coefficient"].to_numpy() * panel.week_effect[rows]
    )
    level, slope = _week_effect_only(fitted, len(panel.product_ids))
    without_price = level[p] + slope[p] * panel.week_effect[rows]
    actual = panel.log_units[rows]
    return pd.DataFrame(
        {
            "product": p,
            "with_price": np.abs(actual - with_price),
            "without_price": np.abs(actual - without_price),
            "right_direction": np.sign(with_price - without_price)
            == np.sign(actual - without_price),
        }
    )


def synthetic_check(
    panel: PricePanel,
    fits: pd.DataFrame,
    config: ElasticityConfig,
    autocorrelation: float | None = None,
) -> dict[str, float]:
    """Known elasticities recovered: `products` per round, `residual_autocorrelation` (lag 1,
    of the real fits, or `autocorrelation` when given: used for the simulated errors),
    `coverage` (share of intervals over all rounds holding the true value), `mean_error`
    (estimate - truth) and `significant_share`."""
    estimated = (fits["status"] == "estimated").to_numpy()
    keep = estimated[panel.product]
    if not keep.any():
        return {
            "products": 0.0,
            "residual_autocorrelation": float("nan"),
            "coverage": float("nan"),
            "mean_error": float("nan"),
            "significant_share": float("nan"),
        }
    sub = panel.subset(keep)
    fit = fits.iloc[sub.product]
    residual = (
        sub.log_units
        - fit["intercept"].to_numpy()
        - fit["elasticity"].to_numpy() * sub.log_price
        - fit["week_effect_coefficient"].to_numpy() * sub.week_effect
    )
    same = sub.product[1:] == sub.product[:-1]
    rho = 0.0
    if same.sum() > 2:
        rho = float(np.corrcoef(residual[1:][same], residual[:-1][same])[0, 1])
    rho = float(np.clip(np.nan_to_num(rho), 0.0, 0.9))
    if autocorrelation is not None:
        rho = autocorrelation
    rng = np.random.default_rng([config.seed, 1])
    covered, errors, significant = [], [], []
    for _ in range(config.synthetic_rounds):
        truth = rng.uniform(*TRUE_ELASTICITY_RANGE, size=len(panel.product_ids))
        noise = _ar1_noise(sub.product, rho, rng)
        simulated = (
            fit["intercept"].to_numpy()
            + truth[sub.product] * sub.log_price
            + fit["week_effect_coefficient"].to_numpy() * sub.week_effect
            + fit["residual_std"].to_numpy() * noise
        )
        result = fit_elasticities(sub.with_log_units(simulated), config)
        ok = (result["status"] == "estimated").to_numpy()
        true = truth[ok]
        covered.append((result["ci_low"][ok] <= true) & (true <= result["ci_high"][ok]))
        errors.append(result["elasticity"][ok] - true)
        significant.append(result["is_significant"][ok])
    return {
        "products": float(estimated.sum()),
        "residual_autocorrelation": rho,
        "coverage": float(np.concatenate(covered).mean()),
        "mean_error": float(np.concatenate(errors).mean()),
        "significant_share": float(np.concatenate(significant).mean()),
    }


def placebo_check(
    panel: PricePanel, config: ElasticityConfig, groups: pd.Series | None = None
) -> dict[str, float]:
    """Prices shuffled within product: `products` (estimated per round, on average),
    `significant_share` over all rounds and its highest round; with `groups` (product_id ->
    group), the same for the product groups (`groups`, `group_significant_share`)."""
    rng = np.random.default_rng([config.seed, 2])
    shares, counts, group_shares, group_counts = [], [], [], []
    for _ in range(config.placebo_rounds):
        order = np.lexsort((rng.random(panel.rows), panel.product))
        shuffled = panel.with_log_price(panel.log_price[order])
        result = fit_elasticities(shuffled, config)
        ok = result["status"] == "estimated"
        counts.append(ok.sum())
        shares.append(result.loc[ok, "is_significant"].mean() if ok.any() else np.nan)
        if groups is not None:
            fitted = fit_groups(shuffled, groups, config).drop_duplicates("product_group")
            fitted = fitted[fitted["group_status"] == "estimated"]
            group_counts.append(len(fitted))
            significant = (fitted["group_ci_low"] > 0) | (fitted["group_ci_high"] < 0)
            group_shares.append(significant.mean() if len(fitted) else np.nan)
    out = {"products": float(np.mean(counts)), **_shares(shares, "")}
    if groups is not None:
        out |= {"groups": float(np.mean(group_counts)), **_shares(group_shares, "group_")}
    return out


def _shares(shares: list[float], prefix: str) -> dict[str, float]:
    found = [share for share in shares if not np.isnan(share)]
    return {
        f"{prefix}significant_share": float(np.mean(found)) if found else float("nan"),
        f"{prefix}max_round_share": float(np.max(found)) if found else float("nan"),
    }


def _week_effect_only(panel: PricePanel, n_products: int) -> tuple[np.ndarray, np.ndarray]:
    """Per product, intercept and slope of log units on the week effect alone."""
    p = panel.product
    n = np.maximum(np.bincount(p, minlength=n_products), 1)
    mean_y = np.bincount(p, panel.log_units, n_products) / n
    mean_e = np.bincount(p, panel.week_effect, n_products) / n
    e = panel.week_effect - mean_e[p]
    see = np.bincount(p, e * e, n_products)
    sey = np.bincount(p, e * (panel.log_units - mean_y[p]), n_products)
    slope = np.where(see > 1e-12, sey / np.where(see > 1e-12, see, 1.0), 0.0)
    return mean_y - slope * mean_e, slope


def _ar1_noise(product: np.ndarray, rho: float, rng: np.random.Generator) -> np.ndarray:
    """Unit-variance AR(1) noise along each product's rows (sorted by product then week)."""
    shocks = rng.standard_normal(len(product))
    first = np.r_[True, product[1:] != product[:-1]]
    position = np.arange(len(product)) - np.maximum.accumulate(
        np.where(first, np.arange(len(product)), 0)
    )
    noise = shocks.copy()
    scale = np.sqrt(1 - rho**2)
    for step in range(1, int(position.max(initial=0)) + 1):
        rows = np.flatnonzero(position == step)
        noise[rows] = rho * noise[rows - 1] + scale * shocks[rows]
    return noise
