"""Anomaly score of every order from calibrated component scores, with reasons.

Input grain: one row per order line (`features.LINE_COLUMNS`). Output grain: one row per order.

Each feature (`features.FEATURES`) is turned into a calibrated tail score (`calibration`),
-log10 of the probability of an order at least as extreme (2 = 1 order in 100, 3 = 1 in
1,000), so the features are on one scale whatever their units and tails. An isolation
forest (scikit-learn, fixed seed) over those tail scores is one more component, calibrated the
same way. The anomaly score is the largest of `config.components` (or their
sum, `combination`); rank 1 is the most anomalous order, ties broken by the raw value of the
component that decided the score, then by invoice_id; the review list is the top
`review_share` of orders. A component whose score is at least -log10(`reason_share`) is a
reason; the three largest are written out with their values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.ensemble import IsolationForest

from .calibration import calibrate
from .config import AnomalyConfig
from .features import FEATURES, Lines, order_features, prepare_lines

FOREST = "isolation_forest"
SCORE_PREFIX = "score_"


def components(config: AnomalyConfig) -> tuple[str, ...]:
    """Every component scored (and reported): the features, and the forest when it is on."""
    return (*FEATURES, FOREST) if config.isolation_forest else FEATURES


def review_budget(orders: int, review_share: float) -> int:
    """Orders on the review list: ceil(review_share * orders), at least 1."""
    return max(int(np.ceil(review_share * orders - 1e-9)), 1)


def check_length(orders: int, config: AnomalyConfig) -> None:
    if orders < config.min_orders:
        raise ValueError(
            f"the order log has {orders} orders; anomaly scoring needs at least "
            f"{config.min_orders} to know what a usual order is (anomaly_min_orders)"
        )


def score_prepared(
    lines: Lines,
    config: AnomalyConfig,
    tie_break: np.ndarray | None = None,
    report: bool = True,
) -> pd.DataFrame:
    """Features, component scores, anomaly_score, anomaly_rank and is_flagged per order code.
    `tie_break` orders equal scores (default: the order code, which is invoice_id order). With
    `report=False` only what the ranking needs is computed (the isolation forest is skipped
    unless it is one of `config.components`)."""
    check_length(len(lines.invoice_ids), config)
    orders = order_features(
        lines, config.burst_hours, config.min_reference_lines, config.customer_prior_orders
    )
    raw = orders[list(FEATURES)].to_numpy(float)
    scores = np.column_stack([calibrate(raw[:, i], config) for i in range(raw.shape[1])])
    forest_needed = FOREST in config.components or report
    if config.isolation_forest and forest_needed:
        forest = IsolationForest(
            n_estimators=config.isolation_trees,
            max_samples=min(config.isolation_samples, len(orders)),
            random_state=config.seed,
            n_jobs=1,
        ).fit(scores)
        outlying = -forest.score_samples(scores)
        raw = np.column_stack([raw, outlying])
        scores = np.column_stack([scores, calibrate(outlying, config)])
    scored = components(config) if forest_needed else FEATURES
    for position, name in enumerate(scored):
        orders[SCORE_PREFIX + name] = scores[:, position]
    columns = [scored.index(name) for name in config.components]
    used = scores[:, columns]
    combined = used.max(axis=1) if config.combination == "max" else used.sum(axis=1)
    # Equal scores (e.g. several orders at MAX_SCORE): the larger raw value of the deciding
    # component first.
    deciding = used.argmax(axis=1)
    magnitude = raw[:, columns][np.arange(len(orders)), deciding]
    orders["anomaly_score"] = combined
    tie = orders["order"].to_numpy() if tie_break is None else tie_break
    ranking = np.lexsort((tie, -magnitude, -combined))
    rank = np.empty(len(orders), dtype=np.int64)
    rank[ranking] = np.arange(1, len(orders) + 1)
    orders["anomaly_rank"] = rank
    orders["is_flagged"] = rank <= review_budget(len(orders), config.review_share)
    return orders


def score_orders(lines: pd.DataFrame | Lines, config: AnomalyConfig) -> pd.DataFrame:
    """`lines`: order lines (`features.LINE_COLUMNS`) or `features.prepare_lines` of them (to
    prepare once for scoring and `evaluation.evaluate`). One row per order: invoice_id,
    customer_id, invoiced_at, lines, amount, cancelled_amount, usual_amount, the ratios the
    reasons quote, the features, a `score_` column per component, anomaly_score, anomaly_rank
    (1 = most anomalous, ties by invoice_id), is_flagged (within the review budget),
    top_reasons and reason_count."""
    prepared = lines if isinstance(lines, Lines) else prepare_lines(lines)
    orders = score_prepared(prepared, config)
    customer = orders.pop("customer").to_numpy()
    orders.insert(0, "invoice_id", prepared.invoice_ids[orders.pop("order").to_numpy()])
    customer_ids = np.empty(len(customer), dtype=object)
    customer_ids[customer >= 0] = prepared.customer_ids[customer[customer >= 0]]
    customer_ids[customer < 0] = None
    orders.insert(1, "customer_id", customer_ids)
    seconds = orders.pop("seconds").to_numpy()
    orders.insert(2, "invoiced_at", pd.to_datetime(seconds, unit="s"))
    orders["top_reasons"], orders["reason_count"] = reasons(orders, config)
    return orders


def reasons(orders: pd.DataFrame, config: AnomalyConfig) -> tuple[pd.Series, np.ndarray]:
    """(top_reasons, reason_count): components at least as extreme as `reason_share`, the three
    largest as text ("; "-joined, largest first; NULL when none), and how many there are."""
    names = components(config)
    scores = orders[[SCORE_PREFIX + name for name in names]].to_numpy(float)
    is_reason = scores >= -np.log10(config.reason_share) - 1e-12
    count = is_reason.sum(axis=1)
    text = pd.Series(None, index=orders.index, dtype=object)
    rows = np.flatnonzero(count > 0)
    if len(rows) == 0:
        return text, count
    sub = orders.iloc[rows]
    phrases = np.column_stack([_phrases(sub, name, config).to_numpy(object) for name in names])
    phrases[~is_reason[rows]] = ""
    order = np.argsort(-np.where(is_reason[rows], scores[rows], -np.inf), axis=1, kind="stable")
    joined = pd.Series("", index=sub.index, dtype=object)
    for position in range(min(3, len(names))):
        part = pd.Series(phrases[np.arange(len(rows)), order[:, position]], index=sub.index)
        joined = joined.where(part == "", joined + np.where(joined == "", "", "; ") + part)
    text.iloc[rows] = joined.to_numpy()
    return text, count


def _phrases(orders: pd.DataFrame, name: str, config: AnomalyConfig) -> pd.Series:
    """The reason text of component `name` for every order (vectorised)."""
    hours = f"{config.burst_hours:g} h"
    if name == "price_z":
        ratio = orders["price_ratio"]
        up = "unit price " + ratio.round(1).astype(str) + "x the product's usual"
        down = "unit price 1/" + (1 / ratio).round(1).astype(str) + " of the product's usual"
        return up.where(ratio >= 1, down)
    if name == "quantity_z":
        return (
            "line quantities "
            + orders["quantity_ratio"].round(1).astype(str)
            + "x what this customer usually orders of these products"
        )
    if name == "amount_z":
        return (
            "order amount "
            + orders["amount"].round(0).astype(str)
            + ", "
            + orders["amount_ratio"].round(1).astype(str)
            + "x this customer's usual"
        )
    if name == "cancelled_ratio":
        return (
            "cancelled "
            + orders["cancelled_amount"].round(0).astype(str)
            + ", "
            + orders["cancelled_ratio"].round(1).astype(str)
            + "x this customer's usual order"
        )
    if name == "repeat_orders":
        return (
            orders["repeat_orders"].astype(str)
            + " near-identical orders by the customer within "
            + hours
        )
    if name == "burst_orders":
        return orders["burst_orders"].astype(str) + " orders by the customer within " + hours
    return pd.Series(
        "unusual combination of features (isolation forest)", index=orders.index, dtype=object
    )


def score_customers(orders: pd.DataFrame, config: AnomalyConfig) -> pd.DataFrame:
    """One row per customer (orders without a customer are left out) from `score_orders`'
    output: customer_id, orders, flagged_orders, anomaly_score (the customer's highest order
    score), mean_order_score, worst_invoice_id, top_reasons (of that order), customer_rank
    (1 = most anomalous, ties by customer_id) and is_flagged (any flagged order)."""
    missing = [
        c
        for c in ("customer_id", "invoice_id", "anomaly_score", "anomaly_rank", "is_flagged")
        if c not in orders.columns
    ]
    if missing:
        raise ValueError(f"score_customers needs score_orders' output; missing {missing}")
    known = orders[orders["customer_id"].notna()]
    worst = known.sort_values("anomaly_rank", kind="stable").drop_duplicates("customer_id")
    grouped = known.groupby("customer_id", sort=True)
    customers = pd.DataFrame(
        {
            "orders": grouped.size(),
            "flagged_orders": grouped["is_flagged"].sum().astype(np.int64),
            "anomaly_score": grouped["anomaly_score"].max(),
            "mean_order_score": grouped["anomaly_score"].mean(),
        }
    )
    worst = worst.set_index("customer_id").reindex(customers.index)
    customers["worst_invoice_id"] = worst["invoice_id"]
    customers["top_reasons"] = worst.get("top_reasons")
    customers = customers.reset_index()
    ranking = np.lexsort((customers["customer_id"].to_numpy(), -customers["anomaly_score"]))
    rank = np.empty(len(customers), dtype=np.int64)
    rank[ranking] = np.arange(1, len(customers) + 1)
    customers["customer_rank"] = rank
    customers["is_flagged"] = customers["flagged_orders"] > 0
    return customers
