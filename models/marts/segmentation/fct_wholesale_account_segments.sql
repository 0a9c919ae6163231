-- One row per wholesale account: the behavioural segment with its playbook action.
{{ segments_with_playbook(
    ref('ml_wholesale_segment_assignments'), ref('segment_playbook'), 'account_id',
) }}
