-- One row per rank of the list shown to a customer with no purchase history.
{{ select_contract_columns(ref('ml_recommender_cold_start')) }}
