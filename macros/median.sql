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
    {#- The two middle values (the same one for an odd count) averaged as (lo + hi) / 2, in the
        input's type, as DuckDB's median does: Spark's percentile_cont works in double and
        interpolates as lo + (hi - lo) * 0.5, which can differ in the last bit. The values of a
        group are sorted in memory (collect_list), which suits the group sizes here. -#}
    case when count({{ expression }}) > 0 then (
        element_at(
            array_sort(collect_list({{ expression }})),
            cast(floor((count({{ expression }}) + 1) / 2) as int)
        )
        + element_at(
            array_sort(collect_list({{ expression }})),
            cast(floor(count({{ expression }}) / 2) + 1 as int)
        )
    ) / 2 end
{%- endmacro %}
