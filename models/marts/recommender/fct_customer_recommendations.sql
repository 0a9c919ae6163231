-- One row per customer, list and rank: the products to offer next, with the reason.
{{ select_contract_columns(ref('ml_customer_recommendations')) }}
