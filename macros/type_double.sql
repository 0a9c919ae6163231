{% macro type_double() %}
    {#- A 64-bit float. dbt.type_float() is a 32-bit REAL on DuckDB, too coarse for money. -#}
    {{ return(adapter.dispatch('type_double', 'customer_intelligence')()) }}
{% endmacro %}

{% macro default__type_double() -%}
    double
{%- endmacro %}

{% macro postgres__type_double() -%}
    double precision
{%- endmacro %}
