{% macro source_row_number() %}
    {{ return(adapter.dispatch('source_row_number', 'customer_intelligence')()) }}
{% endmacro %}

{% macro default__source_row_number() -%}
    {#- Position of a row in its source. Warehouses without a file order need a key column. -#}
    {{ exceptions.raise_compiler_error(
        'source_row_number needs an ordered source (DuckDB file scans); add an account key column.'
    ) }}
{%- endmacro %}

{% macro duckdb__source_row_number() -%}
    {#- DuckDB scans a single file in order (preserve_insertion_order is on by default). -#}
    row_number() over ()
{%- endmacro %}

{% macro spark__source_row_number() -%}
    {#- Spark numbers a file's rows in file order with monotonically_increasing_id (partition
        index, then position), as long as the numbering reads the scan directly. -#}
    row_number() over (order by monotonically_increasing_id())
{%- endmacro %}
