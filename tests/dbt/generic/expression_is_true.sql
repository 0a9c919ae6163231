{% test expression_is_true(model, expression, column_name=none) %}
{#- Rows for which the boolean SQL expression is not true (false or null). With a column_name the
    expression is applied to it: `expression: "> 0"`. -#}
    select *
    from {{ model }}
    where not coalesce(
        {%- if column_name is not none %} {{ column_name }} {{ expression }}
        {%- else %} {{ expression }}
        {%- endif %}, false)
{% endtest %}
