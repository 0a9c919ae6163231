-- One row per cutoff, method, task and metric of the recommender's temporal hold-out evaluation.
{{ select_contract_columns(ref('ml_recommender_evaluation')) }}
