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

{% macro spark__safe_parse_timestamp(expression, format_string='') %}
    {#- Through timestamp_ntz, so a UTC offset in the text is ignored as DuckDB's naive timestamp
        ignores it (a cast to timestamp would shift the time to the session zone). A strptime
        format (the var transactions_date_format) is rewritten as a Spark datetime pattern; the
        single-letter fields read one or two digits, as strptime does. -#}
    {%- if format_string -%}
        {%- set codes = {
            '%Y': 'yyyy', '%y': 'yy', '%m': 'M', '%d': 'd', '%H': 'H', '%I': 'h', '%M': 'm',
            '%S': 's', '%f': 'SSSSSS', '%p': 'a', '%b': 'MMM', '%B': 'MMMM', '%a': 'EEE',
            '%A': 'EEEE', '%z': 'XXX', '%%': '%',
        } -%}
        {%- set parts = modules.re.split('(%.)', format_string) -%}
        {%- set pattern = [] -%}
        {%- for part in parts -%}
            {%- if part in codes -%}
                {%- do pattern.append(codes[part]) -%}
            {%- elif part -%}
                {%- do pattern.append("'" ~ part | replace("'", "''") ~ "'") -%}
            {%- endif -%}
        {%- endfor -%}
        cast(try_to_timestamp({{ expression }}, '{{ pattern | join('') | replace("'", "\\'") }}') as timestamp)
    {%- else -%}
        cast(cast({{ expression }} as timestamp_ntz) as timestamp)
    {%- endif -%}
{% endmacro %}
