import numpy as np
import pytest
from conftest import retail_config, wholesale_config
from scipy import stats

from customer_intelligence.segmentation import (
    assign,
    feature_profiles,
    fit_segment_model,
)


@pytest.fixture
def assigned(retail):
    config = retail_config()
    return config, assign(retail, config, fit_segment_model(retail, config, 3))


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


def test_feature_profiles_test_spends_on_the_log_columns_the_model_reads(wholesale):
    config = wholesale_config(profile_features=["total_spend", "fresh_spend", "fresh_share"])
    out = assign(wholesale, config, fit_segment_model(wholesale, config, 2))
    fp = feature_profiles(wholesale, out, config)
    fresh = fp[fp["feature_name"] == "fresh_spend"].iloc[0]
    assert fresh["is_model_feature"] and fresh["anova_scale"] == "log1p"
    joined = wholesale.merge(out, on="account_id")
    groups = [g["log_fresh_spend"] for _, g in joined.groupby("segment_id")]
    assert fresh["anova_f"] == pytest.approx(stats.f_oneway(*groups).statistic)
    mean_1 = joined.loc[joined["segment_id"] == 1, "fresh_spend"].mean()
    assert fresh["segment_mean"] == pytest.approx(mean_1)  # described in original units
    total = fp[fp["feature_name"] == "total_spend"].iloc[0]
    assert not total["is_model_feature"] and total["anova_scale"] == "raw"
