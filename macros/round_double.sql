{% macro round_double(expression, digits) %}
    {#- A double rounded to `digits` decimals as DuckDB rounds it: the value times 10^digits,
        rounded half away from zero, divided back. Spark's round(double) rounds the value's
        shortest decimal spelling instead (643.925 stored as 643.92499... rounds up there). -#}
    {{ return(adapter.dispatch('round_double', 'customer_intelligence')(expression, digits)) }}
{% endmacro %}

{% macro default__round_double(expression, digits) -%}
    round({{ expression }}, {{ digits }})
{%- endmacro %}

{% macro spark__round_double(expression, digits) -%}
    {%- set scale = 'cast(1e' ~ digits ~ ' as double)' -%}
    (round(cast({{ expression }} as double) * {{ scale }}) / {{ scale }})
{%- endmacro %}
