-- One row per product and related rank: products bought together, or similar ones.
{{ select_contract_columns(ref('ml_product_associations')) }}
