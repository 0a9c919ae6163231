import numpy as np
import pandas as pd
import pytest
from conftest import make_retail, retail_config, wholesale_config

from customer_intelligence.segmentation import SegmentModel, assign, fit_segment_model


def test_recovers_planted_clusters_exactly(retail):
    config = retail_config()
    out = assign(retail, config, fit_segment_model(retail, config, 3))
    joined = retail.merge(out, on="customer_id")
    # every planted group maps to exactly one segment and vice versa
    pairs = joined.groupby("true_group")["segment_id"].nunique()
    assert (pairs == 1).all()
    assert joined.groupby("segment_id")["true_group"].nunique().eq(1).all()


def test_segment_ids_ordered_by_value(retail):
    config = retail_config()
    out = assign(retail, config, fit_segment_model(retail, config, 3))
    joined = retail.merge(out, on="customer_id")
    assert joined.groupby("true_group")["segment_id"].first().to_dict() == {
        "loyal": 1,
        "regular": 2,
        "lost": 3,
    }
    means = joined.groupby("segment_id")["monetary"].mean()
    assert means.is_monotonic_decreasing


def test_assignments_identical_when_rows_are_shuffled(retail):
    config = retail_config()
    first = assign(retail, config, fit_segment_model(retail, config, 4))
    shuffled = retail.sample(frac=1.0, random_state=123)
    second = assign(shuffled, config, fit_segment_model(shuffled, config, 4))
    pd.testing.assert_frame_equal(first, second)


def test_model_json_round_trip(retail):
    config = retail_config()
    model = fit_segment_model(retail, config, 3)
    again = SegmentModel.from_json(model.to_json())
    pd.testing.assert_frame_equal(assign(retail, config, model), assign(retail, config, again))
    assert again.names == model.names


def test_planted_outlier_is_flagged_and_others_mostly_not():
    frame = make_retail()
    frame.loc[0, ["recency_days", "frequency", "monetary"]] = [1, 400, 2_000_000.0]
    config = retail_config()
    out = assign(frame, config, fit_segment_model(frame, config, 3))
    assert bool(out.loc[out["customer_id"] == "C00000", "is_segment_outlier"].iloc[0])
    assert out["is_segment_outlier"].mean() < 0.05


def test_pca_x_grows_with_value(retail):
    config = retail_config()
    out = assign(retail, config, fit_segment_model(retail, config, 3))
    joined = retail.merge(out, on="customer_id")
    assert np.corrcoef(joined["pca_x"], np.log(joined["monetary"]))[0, 1] > 0.5


def test_distances_match_centroids(retail):
    config = retail_config()
    model = fit_segment_model(retail, config, 3)
    out = assign(retail, config, model)
    from customer_intelligence.segmentation.features import model_matrix, sort_by_id

    z = model.standardise(model_matrix(sort_by_id(retail, config), config))
    expected = np.linalg.norm(z - model.centroids[out["segment_id"] - 1], axis=1)
    np.testing.assert_allclose(out["distance_to_centroid"], expected, atol=1e-9)
    all_dist = np.linalg.norm(z[:, None, :] - model.centroids[None], axis=2)
    assert (out["distance_to_centroid"].to_numpy() <= all_dist.min(axis=1) + 1e-9).all()


def test_wholesale_groups_recovered(wholesale):
    config = wholesale_config()
    out = assign(wholesale, config, fit_segment_model(wholesale, config, 2))
    joined = wholesale.merge(out, on="account_id")
    assert joined.groupby("channel")["segment_id"].nunique().eq(1).all()
    assert joined["segment_id"].nunique() == 2


def test_duplicate_ids_rejected(retail):
    config = retail_config()
    with pytest.raises(ValueError, match="not unique"):
        fit_segment_model(pd.concat([retail, retail.head(1)]), config, 3)
