-- One row per retail customer: the behavioural segment with its playbook action.
{{ segments_with_playbook(
    ref('ml_retail_segment_assignments'), ref('segment_playbook'), 'customer_id',
) }}
