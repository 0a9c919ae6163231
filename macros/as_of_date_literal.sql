{% macro as_of_date_literal() %}
    {#- The var as_of_date as a SQL date literal, or none when unset. Fails clearly on a bad
        value. -#}
    {%- set value = var('as_of_date') -%}
    {%- if value is none or value == '' or value == 'null' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value | string) -%}
        {{ exceptions.raise_compiler_error(
            "var as_of_date must be a date as YYYY-MM-DD (or null), got '" ~ value ~ "'."
        ) }}
    {%- endif -%}
    {%- set year, month, day = (value | string).split('-') | map('int') | list -%}
    {%- set days_in_month = (
        modules.datetime.date(year + month // 12, month % 12 + 1, 1)
        - modules.datetime.timedelta(days=1)
    ).day if 1 <= year <= 9998 and 1 <= month <= 12 else 0 -%}
    {%- set earliest = var('plausible_dates_from') -%}
    {%- set before = var('plausible_dates_before') -%}
    {#- ISO dates compare as text. -#}
    {%- if not 1 <= day <= days_in_month or not earliest <= value | string < before -%}
        {{ exceptions.raise_compiler_error(
            "var as_of_date '" ~ value ~ "' is not a calendar date from " ~ earliest
            ~ " (var plausible_dates_from) to before " ~ before ~ " (var plausible_dates_before)."
        ) }}
    {%- endif -%}
    {{ return("cast('" ~ value ~ "' as date)") }}
{% endmacro %}
