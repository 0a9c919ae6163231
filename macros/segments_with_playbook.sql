{% macro segments_with_playbook(assignments, playbook, id_column) %}
    {#-
        One row per member of a segmented population (a segmenter's assignments) with the
        playbook action of its segment's archetype, cast to the calling mart's contract.
    -#}
    with

    assignments_with_playbook as (
        select
            assignments.{{ id_column }},
            assignments.segment_id,
            {{ segment_key('assignments.population', 'assignments.segment_id') }} as segment_key,
            assignments.segment_name,
            assignments.segment_archetype,
            segment_playbook.marketing_action,
            segment_playbook.action_priority,
            assignments.distance_to_centroid,
            assignments.pca_x,
            assignments.pca_y,
            assignments.outlier_score,
            assignments.is_segment_outlier,
            assignments.segment_model_version
        from {{ assignments }} as assignments
        left join {{ playbook }} as segment_playbook
            on
                assignments.population = segment_playbook.population
                and assignments.segment_archetype = segment_playbook.segment_archetype
    ),

    final as (
        {{ select_contract_columns('assignments_with_playbook') }}
    )

    select * from final
{% endmacro %}
