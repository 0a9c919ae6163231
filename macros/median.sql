{% macro median(expression) %}
    {{ return(adapter.dispatch('median', 'customer_intelligence')(expression)) }}
{% endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__median(expression) -%}
    median({{ expression }})
{%- endmacro %}

{% macro spark__median(expression) -%}
    {#- The two middle values (the same one for an odd count) averaged as (lo + hi) / 2, as
        DuckDB's median does; Spark's percentile_cont interpolates as lo + (hi - lo) * 0.5,
        which can differ in the last bit. percentile_disc(0.5) is the lower middle value; over
        the negated values it gives the upper one. -#}
    (
        percentile_disc(0.5) within group (order by {{ expression }})
        - percentile_disc(0.5) within group (order by -({{ expression }}))
    ) / 2
{%- endmacro %}
