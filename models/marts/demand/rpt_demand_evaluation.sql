-- One row per split, method, demand class, horizon week and metric of the demand back-test.
{{ select_contract_columns(ref('ml_demand_evaluation')) }}
