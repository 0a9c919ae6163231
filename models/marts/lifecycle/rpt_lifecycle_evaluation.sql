-- One row per evaluation cutoff, target, method and metric of the lifecycle back-test.
{{ select_contract_columns(ref('ml_lifecycle_evaluation')) }}
