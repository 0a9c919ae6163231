{% macro median(expression) %}
    {{ return(adapter.dispatch('median', 'customer_intelligence')(expression)) }}
{% endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__median(expression) -%}
    median({{ expression }})
{%- endmacro %}
