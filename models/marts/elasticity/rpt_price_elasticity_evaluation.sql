-- One row per check and metric of the price elasticities' evaluation.
{{ select_contract_columns(ref('ml_price_elasticity_evaluation')) }}
