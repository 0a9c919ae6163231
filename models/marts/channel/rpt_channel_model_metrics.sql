-- One row per candidate, model stage and metric of the channel classifier's cross-validation.
{{ select_contract_columns(ref('ml_channel_model_metrics')) }}
