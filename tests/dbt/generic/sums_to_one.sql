{% test sums_to_one(model, columns, tolerance=0.000001, across_rows=false, group_by=[]) %}
{#- Row-wise (default): rows whose listed columns do not add up to 1 (class probabilities).
    across_rows=true: the single listed column summed over the table, or over each group_by
    group, must be 1 (shares). -#}
    {%- if not across_rows %}
        select *
        from {{ model }}
        where abs(({{ columns | join(' + ') }}) - 1.0) > {{ tolerance }}
    {%- else %}
        select
            {%- for group_column in group_by %}
                {{ group_column }},
            {%- endfor %}
            sum({{ columns[0] }}) as total
        from {{ model }}
        {%- if group_by %}
            group by {{ group_by | join(', ') }}
        {%- endif %}
        having abs(sum({{ columns[0] }}) - 1.0) > {{ tolerance }}
    {%- endif %}
{% endtest %}
