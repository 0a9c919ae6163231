"""The injection changes exactly what it claims; the evaluation's arithmetic."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from customer_intelligence.anomalies import AnomalyConfig, evaluate, summary
from customer_intelligence.anomalies.features import prepare_lines
from customer_intelligence.anomalies.injection import REPEATS, inject
from customer_intelligence.anomalies.pipeline import training_data


@pytest.fixture(scope="module")
def lines(log: pd.DataFrame):
    return prepare_lines(log)


def test_price_changes_one_line_per_order_by_ten(lines) -> None:
    copy, injected = inject(lines, "price", 0.01, seed=0)
    assert len(injected) == 6  # 1% of 600 orders
    changed = np.flatnonzero(copy.price != lines.price)
    assert sorted(lines.order[changed]) == sorted(injected)
    ratio = copy.price[changed] / lines.price[changed]
    assert np.all(np.isclose(ratio, 10) | np.isclose(ratio, 0.1))
    assert np.array_equal(copy.quantity, lines.quantity)
    assert np.array_equal(lines.price, prepare_lines(lines_frame(lines)).price)  # untouched


def lines_frame(lines) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "invoice_id": lines.invoice_ids[lines.order],
            "customer_id": lines.customer_ids[lines.customer],
            "product_id": lines.product_ids[lines.product],
            "invoiced_at": pd.to_datetime(lines.seconds, unit="s"),
            "quantity": lines.quantity,
            "cancelled_quantity": lines.cancelled,
            "unit_price": lines.price,
        }
    )


def test_quantity_and_cancellation_change_whole_orders(lines) -> None:
    copy, injected = inject(lines, "quantity", 0.01, seed=1)
    hit = np.isin(lines.order, injected)
    assert np.array_equal(copy.quantity[hit], lines.quantity[hit] * 20)
    assert np.array_equal(copy.quantity[~hit], lines.quantity[~hit])
    copy, injected = inject(lines, "cancellation", 0.01, seed=1)
    hit = np.isin(lines.order, injected)
    assert np.array_equal(copy.quantity[hit], lines.quantity[hit] * 5)
    assert np.array_equal(copy.cancelled[hit], copy.quantity[hit])
    assert np.array_equal(copy.cancelled[~hit], lines.cancelled[~hit])


def test_repeat_resubmits_orders_within_an_hour(lines) -> None:
    copy, injected = inject(lines, "repeat", 0.01, seed=2)
    originals = 2  # 1% of 600 orders / 3 re-submissions each
    assert len(injected) == REPEATS * originals
    assert len(copy.invoice_ids) == len(lines.invoice_ids) + len(injected)
    new_ids = copy.invoice_ids[injected]
    bases = {str(i).rsplit("-R", 1)[0] for i in new_ids}
    assert len(bases) == originals
    for base in bases:
        code = int(np.flatnonzero(lines.invoice_ids == base)[0])
        start = lines.seconds[lines.order == code][0]
        repeats = [c for c in injected if str(copy.invoice_ids[c]).startswith(base + "-R")]
        for repeat in repeats:
            rows = copy.order == repeat
            assert np.array_equal(copy.product[rows], lines.product[lines.order == code])
            assert 0 < copy.seconds[rows][0] - start <= 3600
    assert np.all(np.diff(copy.order) >= 0)  # still sorted by order


def test_injection_is_deterministic_and_rejects_unknown_kinds(lines) -> None:
    assert np.array_equal(inject(lines, "price", 0.01, 5)[1], inject(lines, "price", 0.01, 5)[1])
    assert not np.array_equal(
        inject(lines, "price", 0.01, 5)[1], inject(lines, "price", 0.01, 6)[1]
    )
    with pytest.raises(ValueError, match="unknown anomaly kind 'typo'"):
        inject(lines, "typo", 0.01, 0)


def test_evaluate_reports_recall_and_precision(log: pd.DataFrame, config: AnomalyConfig) -> None:
    table = evaluate(log, config)
    assert len(table) == 4 * config.evaluation_repeats
    assert set(table["seed"]) == set(config.evaluation_seeds)
    assert (table["recall"] == table["caught"] / table["injected"]).all()
    assert (table["precision"] == table["caught"] / table["budget_orders"]).all()
    assert (table["budget_orders"] == np.ceil(table["orders"] * config.review_share)).all()
    # a tenfold price on a log of exact tier prices is always caught
    assert table.loc[table["anomaly_kind"] == "price", "recall"].min() == 1.0
    pooled = summary(table)
    assert list(pooled["anomaly_kind"]) == ["price", "quantity", "cancellation", "repeat"]
    assert pooled.loc[0, "caught"] == table.loc[table["anomaly_kind"] == "price", "caught"].sum()


def test_evaluate_stops_adding_seeds_once_enough_orders_were_injected(
    log: pd.DataFrame, config: AnomalyConfig
) -> None:
    one_seed = evaluate(log, replace(config, evaluation_min_injected=1))
    assert sorted(one_seed.groupby("anomaly_kind")["seed"].nunique().unique()) == [1]
    injected = one_seed.set_index("anomaly_kind")["injected"]
    threshold = int(injected.min()) + 1
    enough = evaluate(log, replace(config, evaluation_repeats=5, evaluation_min_injected=threshold))
    seeds = enough.groupby("anomaly_kind")["seed"].nunique()
    expected = (injected < threshold).map({True: 2, False: 1})
    assert seeds.sort_index().equals(expected.sort_index().rename("seed"))
    assert (expected == 2).any()


def test_evaluate_needs_a_long_enough_log(log: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="needs at least 500"):
        evaluate(log[log["invoice_id"] < "500100"], AnomalyConfig())


def test_the_fingerprint_is_the_same_for_the_same_lines_in_any_order(log: pd.DataFrame) -> None:
    config = AnomalyConfig()
    first = training_data(log, config, "2011-12-10")
    for seed in range(5):
        shuffled = log.sample(frac=1.0, random_state=seed)
        assert training_data(shuffled, config, "2011-12-10") == first
