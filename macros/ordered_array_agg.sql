{% macro ordered_array_agg(expression, order_by, condition='true') %}
    {{ return(adapter.dispatch('ordered_array_agg', 'customer_intelligence')(
        expression, order_by, condition
    )) }}
{% endmacro %}

{% macro default__ordered_array_agg(expression, order_by, condition='true') -%}
    {#- SQL standard (DuckDB, Postgres). No row meeting the condition gives null. -#}
    array_agg({{ expression }} order by {{ order_by }}) filter (where {{ condition }})
{%- endmacro %}

{% macro snowflake__ordered_array_agg(expression, order_by, condition='true') -%}
    {#- array_agg skips nulls; no row meeting the condition gives an empty array. -#}
    array_agg(case when {{ condition }} then {{ expression }} end)
        within group (order by {{ order_by }})
{%- endmacro %}

{% macro spark__ordered_array_agg(expression, order_by, condition='true') -%}
    {#- Spark and Databricks: collect_list has no order, so collect (key, value) pairs, sort them
        by key and keep the values. No row meeting the condition gives an empty array. -#}
    transform(
        array_sort(collect_list(
            case
                when {{ condition }}
                    then struct({{ order_by }} as sort_key, {{ expression }} as element)
            end
        )),
        pair -> pair.element
    )
{%- endmacro %}
