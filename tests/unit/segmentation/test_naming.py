import csv
from pathlib import Path

import numpy as np
from conftest import make_retail, retail_config, wholesale_config

from customer_intelligence.segmentation import (
    archetype_vocabulary,
    assign,
    fit_segment_model,
    name_segments,
)

SEED = Path(__file__).resolve().parents[3] / "seeds" / "segment_playbook.csv"


def test_retail_archetypes_from_centroids():
    config = retail_config()  # features: recency, frequency, monetary (z-scores)
    centroids = np.array(
        [
            [-1.0, 1.2, 1.3],  # recent, high value
            [1.1, 1.0, 0.9],  # lapsed, high value
            [0.0, 0.0, 0.1],  # middle
            [1.2, -1.0, -1.1],  # lapsed, low value
            [-0.9, -1.0, -0.8],  # recent, low value
        ]
    )
    archetypes, names = name_segments(centroids, config)
    assert archetypes == [
        "High-value loyal",
        "Lapsing big spenders",
        "Mid-value occasional",
        "Lost low-value",
        "Recent low-value",
    ]
    assert names == archetypes


def test_duplicate_archetypes_get_distinct_deterministic_names():
    config = retail_config()
    centroids = np.array([[-1.0, 1.2, 1.3], [-0.8, 2.5, 1.0], [1.0, -1.0, -1.0]])
    _, names = name_segments(centroids, config)
    assert len(set(names)) == 3
    assert names[0] == "High-value loyal (lower frequency)"
    assert names[1] == "High-value loyal (higher frequency)"
    assert name_segments(centroids, config)[1] == names


def test_wholesale_archetype_names_lead_category():
    config = wholesale_config()
    centroid = np.zeros(12)
    centroid[:6] = 0.8  # all log spends high
    centroid[6 + 4] = 1.5  # detergents_paper_share highest
    archetypes, _ = name_segments(centroid[None, :], config)
    assert archetypes == ["High-spend, detergents & paper-led"]


def test_names_do_not_shuffle_between_builds():
    config = retail_config()
    frame = make_retail()
    runs = [
        assign(frame, config, fit_segment_model(frame.sample(frac=1.0, random_state=s), config, 3))
        for s in (1, 2)
    ]
    assert runs[0][["customer_id", "segment_id", "segment_name"]].equals(
        runs[1][["customer_id", "segment_id", "segment_name"]]
    )
    assert sorted(runs[0]["segment_name"].unique()) == sorted(
        ["High-value loyal", "Mid-value occasional", "Lost low-value"]
    )


def test_playbook_seed_covers_every_archetype():
    with SEED.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for config in (retail_config(), wholesale_config()):
        covered = {r["segment_archetype"] for r in rows if r["population"] == config.population}
        assert set(archetype_vocabulary(config)) <= covered
    assert all(r["marketing_action"].strip() for r in rows)
