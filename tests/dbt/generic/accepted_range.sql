{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
{#- Rows whose value falls outside [min_value, max_value] (or the open interval if not inclusive).
    Nulls pass: pair with not_null where a value is required. -#}
    {%- set lower_op = '>=' if inclusive else '>' -%}
    {%- set upper_op = '<=' if inclusive else '<' -%}
    select *
    from {{ model }}
    where
        {{ column_name }} is not null
        and not (
            true
            {%- if min_value is not none %}
                and {{ column_name }} {{ lower_op }} {{ min_value }}
            {%- endif %}
            {%- if max_value is not none %}
                and {{ column_name }} {{ upper_op }} {{ max_value }}
            {%- endif %}
        )
{% endtest %}
