-- One row per model stage and probability bin: the selected model's reliability curve.
{{ select_contract_columns(ref('ml_channel_calibration_bins')) }}
