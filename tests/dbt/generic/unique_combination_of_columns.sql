{% test unique_combination_of_columns(model, combination_of_columns) %}
{#- Key combinations that occur more than once: the grain test of a multi-column primary key. -#}
    select
        {{ combination_of_columns | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
{% endtest %}
