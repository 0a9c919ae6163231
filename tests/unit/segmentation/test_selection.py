import pandas as pd
import pytest
from conftest import make_retail, retail_config

from customer_intelligence.segmentation import choose_k, evaluate_k_range
from customer_intelligence.segmentation.selection import SELECTION_COLUMNS


def table(rows):
    """Hand-made selection table: (k, silhouette, smallest share, stability)."""
    return pd.DataFrame(
        rows, columns=["k", "silhouette", "smallest_cluster_share", "stability_ari"]
    )


def test_best_silhouette_among_k_meeting_both_bars():
    t = table([(2, 0.45, 0.40, 0.98), (3, 0.35, 0.20, 0.95), (4, 0.60, 0.01, 0.99)])
    assert choose_k(t, retail_config())[0] == 2  # k=4 has a tiny cluster
    assert choose_k(t, retail_config(choose_k_min=3))[0] == 3


def test_unstable_k_is_skipped():
    t = table([(2, 0.30, 0.40, 0.95), (3, 0.40, 0.20, 0.70)])
    k, reason = choose_k(t, retail_config())
    assert k == 2
    assert "size and stability" in reason


def test_fallback_when_nothing_is_stable():
    t = table([(2, 0.30, 0.40, 0.80), (3, 0.40, 0.20, 0.70), (4, 0.50, 0.02, 0.60)])
    k, reason = choose_k(t, retail_config())
    assert k == 3
    assert reason.startswith("fallback: no k met the stability bar")


def test_fixed_k_overrides_the_rule():
    t = table([(2, 0.45, 0.40, 0.98)])
    assert choose_k(t, retail_config(fixed_k="5")) == (5, "fixed k from configuration")


def test_tie_goes_to_smaller_k():
    t = table([(3, 0.40, 0.20, 0.95), (2, 0.40, 0.30, 0.95)])
    assert choose_k(t, retail_config())[0] == 2


def test_metrics_table_finds_the_planted_k():
    config = retail_config(k_min=2, k_max=5)
    result = evaluate_k_range(make_retail(), config)
    assert list(result.columns) == list(SELECTION_COLUMNS)
    assert result["k"].tolist() == [2, 3, 4, 5]
    best = result.set_index("k")
    assert best["silhouette"].idxmax() == 3
    assert best.loc[3, "stability_ari"] == pytest.approx(1.0)
    assert best.loc[3, "smallest_cluster_share"] == pytest.approx(60 / 300)
    assert best["inertia"].is_monotonic_decreasing
    assert choose_k(result, config)[0] == 3


def test_selection_is_deterministic():
    config = retail_config(k_max=4)
    frame = make_retail()
    a = evaluate_k_range(frame, config)
    b = evaluate_k_range(frame.sample(frac=1.0, random_state=5), config)
    pd.testing.assert_frame_equal(a, b)


def test_large_populations_are_subsampled():
    config = retail_config(k_max=3, selection_sample_size=120, silhouette_sample_size=50)
    result = evaluate_k_range(make_retail(), config)
    assert (result["fit_rows"] == 120).all()
    assert (result["silhouette_rows"] == 50).all()
