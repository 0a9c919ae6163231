{% macro array_size(expression) %}
    {#- Number of elements of a list column: DuckDB len, Spark and Databricks size, Snowflake
        array_size. -#}
    {{ return(adapter.dispatch('array_size', 'customer_intelligence')(expression)) }}
{% endmacro %}

{% macro default__array_size(expression) -%}
    len({{ expression }})
{%- endmacro %}

{% macro spark__array_size(expression) -%}
    size({{ expression }})
{%- endmacro %}

{% macro snowflake__array_size(expression) -%}
    array_size({{ expression }})
{%- endmacro %}
