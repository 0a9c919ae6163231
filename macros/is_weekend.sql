{% macro is_weekend(timestamp_expression) %}
    {{ return(adapter.dispatch('is_weekend', 'customer_intelligence')(timestamp_expression)) }}
{% endmacro %}

{% macro default__is_weekend(timestamp_expression) -%}
    (dayofweek({{ timestamp_expression }}) in (1, 7))
{%- endmacro %}

{% macro duckdb__is_weekend(timestamp_expression) -%}
    (isodow({{ timestamp_expression }}) in (6, 7))
{%- endmacro %}
