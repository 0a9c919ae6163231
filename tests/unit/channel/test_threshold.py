import numpy as np
import pytest

from customer_intelligence.channel.threshold import (
    bayes_threshold,
    candidate_thresholds,
    choose_threshold,
    total_cost,
)


def test_hand_made_cost_example():
    # Retail (1) missed costs 12; HORECA (0) called Retail costs 5.
    probability = np.array([0.1, 0.2, 0.3, 0.4, 0.6, 0.8])
    y = np.array([0, 0, 1, 0, 1, 1])
    # Calling Retail from 0.25 up: one HORECA wrongly Retail (0.4) -> cost 5, nothing missed.
    # From 0.5 up: the Retail at 0.3 is missed -> 12. From 0.15 up: two false Retail -> 10.
    assert total_cost(probability, y, 0.25, 12, 5) == 5
    assert total_cost(probability, y, 0.5, 12, 5) == 12
    assert total_cost(probability, y, 0.15, 12, 5) == 10
    threshold, cost_per_account = choose_threshold(probability, y, 12, 5)
    assert threshold == pytest.approx(0.25)  # midpoint between 0.2 and 0.3
    assert cost_per_account == pytest.approx(5 / 6)


def test_costs_move_the_threshold():
    probability = np.array([0.1, 0.2, 0.3, 0.4, 0.6, 0.8])
    y = np.array([0, 0, 1, 0, 1, 1])
    # Expensive false Retail, cheap missed Retail: better to miss the 0.3 Retail (cost 1).
    threshold, _ = choose_threshold(probability, y, 1, 50)
    assert threshold == pytest.approx(0.5)


def test_bayes_threshold_and_ties():
    assert bayes_threshold(12_000, 5_000) == pytest.approx(5 / 17)
    # Perfectly separated: every threshold in (0.2, 0.8) is free; the tie goes to the one
    # closest to the Bayes threshold among the candidates.
    threshold, cost = choose_threshold(np.array([0.2, 0.8]), np.array([0, 1]), 12, 5)
    assert cost == 0 and threshold == pytest.approx(0.5)
    assert candidate_thresholds(np.array([0.2, 0.8]))[0] == 0.0


def test_equal_cost_thresholds_go_to_the_one_nearest_bayes_then_the_lower():
    y = np.array([0, 1, 0, 1])
    # Candidates 0.2 and 0.7 both cost 1 (one wrong call each); Bayes is 0.5, nearer to 0.7.
    threshold, cost = choose_threshold(np.array([0.1, 0.3, 0.5, 0.9]), y, 1, 1)
    assert threshold == pytest.approx(0.7) and cost == pytest.approx(1 / 4)
    # Candidates 0.25 and 0.75 cost 1 each and are equally far from 0.5: the lower one wins.
    threshold, _ = choose_threshold(np.array([0.1, 0.4, 0.6, 0.9]), y, 1, 1)
    assert threshold == pytest.approx(0.25)
