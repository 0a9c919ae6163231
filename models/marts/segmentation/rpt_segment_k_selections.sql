-- One row per population and evaluated k: the segmenters' model-selection curves.
{{ select_contract_columns([
    ref('ml_retail_segment_k_selection'),
    ref('ml_wholesale_segment_k_selection'),
]) }}
