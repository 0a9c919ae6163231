-- One row per population, segment and described feature: means, medians and the ANOVA across
-- segments.
{{ select_contract_columns(
    [
        ref('ml_retail_segment_feature_profiles'),
        ref('ml_wholesale_segment_feature_profiles'),
    ],
    computed={'segment_key': segment_key('population', 'segment_id')},
) }}
