-- One row per candidate and feature: gain-type share and held-out permutation importance.
{{ select_contract_columns(ref('ml_channel_feature_importances')) }}
