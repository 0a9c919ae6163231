{% macro segment_key(population, segment_id) -%}
    {#- Key of a segment unique across populations: '<population>:<segment_id>'. -#}
    {{ population }} || ':' || cast({{ segment_id }} as {{ dbt.type_string() }})
{%- endmacro %}
