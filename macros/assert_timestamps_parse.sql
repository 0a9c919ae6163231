{% macro assert_timestamps_parse(relation, column, format_string, kind) %}
    {{ return(adapter.dispatch('assert_timestamps_parse', 'customer_intelligence')(
        relation, column, format_string, kind
    )) }}
{% endmacro %}

{% macro default__assert_timestamps_parse(relation, column, format_string, kind) %}
    {#- Fails before any SQL runs when none of the first 1,000 values of a timestamp column
        parses (with the format var, if set) to a date within the vars plausible_dates_from /
        plausible_dates_before: every row would be rejected and the build would
        stop later on an empty as_of_date. Some unparseable values are not an error: those rows
        go to the rejects with invalid_invoice_date. -#}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set value = 'trim(cast(' ~ adapter.quote(column) ~ ' as ' ~ dbt.type_string() ~ '))' -%}
    {%- set parsed = safe_parse_timestamp('sampled_value', format_string) -%}
    {%- set earliest = var('plausible_dates_from') -%}
    {%- set before = var('plausible_dates_before') -%}
    {%- set probe = run_query(
        'select count(*), count(case when ' ~ parsed ~ " >= timestamp '" ~ earliest ~ "' and "
        ~ parsed ~ " < timestamp '" ~ before ~ "' then 1 end),"
        ~ ' min(sampled_value) from (select ' ~ value ~ ' as sampled_value from ' ~ relation
        ~ ' where ' ~ value ~ " <> '' limit 1000) as sampled"
    ) -%}
    {%- set sampled = probe.columns[0].values()[0] -%}
    {%- set parsed_count = probe.columns[1].values()[0] -%}
    {%- if sampled > 0 and parsed_count == 0 -%}
        {%- set format_var = kind ~ '_date_format' -%}
        {{ exceptions.raise_compiler_error(
            "None of the first " ~ sampled ~ " " ~ column ~ " values of "
            ~ input_location(kind)['label'] ~ " reads as a date and time from " ~ earliest
            ~ " to before " ~ before ~ " "
            ~ ("with " ~ format_var ~ " '" ~ format_string ~ "'" if format_string
                else "as ISO text (YYYY-MM-DD HH:MM:SS)")
            ~ "; e.g. '" ~ probe.columns[2].values()[0] ~ "'. Set the var " ~ format_var
            ~ " to their strptime format: '%m/%d/%Y %H:%M' for 12/1/2010 8:26, "
            ~ "'%d/%m/%Y %H:%M' for 01/12/2010 08:26, '%m/%d/%y %H:%M' for 12/1/10 8:26."
        ) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
