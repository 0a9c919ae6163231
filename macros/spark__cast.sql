{% macro spark__cast(field, type) %}
    {#- Contracts declare text columns as varchar; Spark takes varchar only with a length, and a
        varchar(n) column checks lengths. An unsized varchar (or text) is Spark's string. -#}
    {%- set type_name = type | trim | lower -%}
    cast({{ field }} as {{ 'string' if type_name in ('varchar', 'text') else type }})
{% endmacro %}
