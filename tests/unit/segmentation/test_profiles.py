import numpy as np
import pandas as pd
import pytest
from conftest import retail_config
from scipy import stats

from customer_intelligence.segmentation import (
    assign,
    feature_profiles,
    fit_segment_model,
    segment_crosstab,
    segment_profiles,
)


@pytest.fixture
def assigned(retail):
    config = retail_config()
    return config, assign(retail, config, fit_segment_model(retail, config, 3))


def test_profile_shares_sum_to_one_and_playbook_joins(retail, assigned):
    config, out = assigned
    playbook = pd.DataFrame(
        {
            "population": ["retail_customers"] * 3,
            "segment_archetype": ["High-value loyal", "Mid-value occasional", "Lost low-value"],
            "marketing_action": ["a", "b", "c"],
            "action_priority": ["high", "medium", "low"],
        }
    )
    profiles = segment_profiles(retail, out, config, playbook)
    assert profiles["members"].tolist() == [60, 90, 150]
    assert profiles["member_share"].sum() == pytest.approx(1.0)
    assert profiles["revenue_share"].sum() == pytest.approx(1.0)
    assert profiles["revenue"].sum() == pytest.approx(retail["monetary"].sum())
    assert profiles["marketing_action"].notna().all()


def test_feature_profiles_means_and_anova(retail, assigned):
    config, out = assigned
    fp = feature_profiles(retail, out, config)
    assert len(fp) == 3 * len(config.described_features)
    joined = retail.merge(out, on="customer_id")
    mean_1 = joined.loc[joined["segment_id"] == 1, "monetary"].mean()
    row = fp[(fp["segment_id"] == 1) & (fp["feature_name"] == "monetary")].iloc[0]
    assert row["segment_mean"] == pytest.approx(mean_1)
    groups = [np.log1p(g["monetary"]) for _, g in joined.groupby("segment_id")]
    assert row["anova_f"] == pytest.approx(stats.f_oneway(*groups).statistic)
    assert row["anova_scale"] == "log1p"
    aov = fp[(fp["feature_name"] == "avg_order_value")].iloc[0]
    assert aov["anova_scale"] == "raw" and not aov["is_model_feature"]


def test_crosstab_shares(retail, assigned):
    config, out = assigned
    ct = segment_crosstab(out, retail, config, "rfm_segment")
    assert ct["members"].sum() == len(retail)
    assert ct["share_of_total"].sum() == pytest.approx(1.0)
    np.testing.assert_allclose(ct.groupby("segment_id")["share_of_segment"].sum(), 1.0)
    np.testing.assert_allclose(ct.groupby("reference_segment")["share_of_reference"].sum(), 1.0)
    assert not ct.duplicated(["segment_id", "reference_segment"]).any()
