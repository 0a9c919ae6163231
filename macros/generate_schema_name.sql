{% macro generate_schema_name(custom_schema_name, node) -%}
    {#- Custom schemas are used as named (`marts`, not `main_marts`): BI users see
        marts.dim_customers. Without one, the target's schema. -#}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
