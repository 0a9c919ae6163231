{% macro duckdb__safe_cast(field, type) %}
    {#- dbt.safe_cast must return null on a value that does not convert (as it does on Snowflake
        and BigQuery); dbt-duckdb's default is a plain cast, which fails the whole build on one
        bad row. Defined in the root project, this wins dbt's dispatch for DuckDB. -#}
    try_cast({{ field }} as {{ type }})
{% endmacro %}
