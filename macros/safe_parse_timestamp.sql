{% macro safe_parse_timestamp(expression, format_string='') %}
    {{ return(adapter.dispatch('safe_parse_timestamp', 'customer_intelligence')(
        expression, format_string
    )) }}
{% endmacro %}

{% macro default__safe_parse_timestamp(expression, format_string='') %}
    {#- NULL when the text is not a timestamp, never an error: the row goes to rejects. -#}
    {%- if format_string -%}
        try_to_timestamp({{ expression }}, '{{ format_string }}')
    {%- else -%}
        {{ dbt.safe_cast(expression, api.Column.translate_type('timestamp')) }}
    {%- endif -%}
{% endmacro %}

{% macro duckdb__safe_parse_timestamp(expression, format_string='') %}
    {%- if format_string -%}
        try_strptime({{ expression }}, '{{ format_string }}')
    {%- else -%}
        try_cast({{ expression }} as timestamp)
    {%- endif -%}
{% endmacro %}
