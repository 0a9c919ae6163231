-- One row per injected anomaly kind and seed of the anomaly flags' evaluation.
{{ select_contract_columns(ref('ml_anomaly_evaluation')) }}
