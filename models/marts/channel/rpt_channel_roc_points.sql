-- One row per candidate, model stage and fixed false positive rate: fold-averaged ROC curves.
{{ select_contract_columns(ref('ml_channel_roc_points')) }}
