{% macro register_file_sources() %}
    {{ return(adapter.dispatch('register_file_sources', 'customer_intelligence')()) }}
{% endmacro %}

{% macro default__register_file_sources() %}
    {#- DuckDB reads the input files where the sources name them (external_location): nothing to
        register. -#}
    {{ return('') }}
{% endmacro %}

{% macro spark__register_file_sources() %}
    {#- Spark has no file reader in a source's FROM: each input becomes a relation named as the
        source (online_retail.transactions, wholesale.accounts), over the same file, glob or table
        that the DuckDB build reads (input_location). CSV is read as text, with a header, quoted
        line breaks and doubled quotes inside quotes; a short row's missing fields are null. -#}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set inputs = [
        ('transactions', 'online_retail', 'transactions'),
        ('wholesale_accounts', 'wholesale', 'accounts'),
    ] -%}
    {%- for kind, schema, identifier in inputs -%}
        {%- set location = input_location(kind) -%}
        {%- do run_query('create schema if not exists ' ~ schema) -%}
        {%- set existing = adapter.get_relation(
            database=none, schema=schema, identifier=identifier
        ) -%}
        {%- if existing is not none -%}
            {%- do adapter.drop_relation(existing) -%}
        {%- endif -%}
        {%- set name = schema ~ '.' ~ identifier -%}
        {%- if location['table'] -%}
            {%- do run_query(
                'create view ' ~ name ~ ' as select * from ' ~ location['table']
            ) -%}
        {%- else -%}
            {%- set path = location['path'] | replace('\\', '\\\\') | replace("'", "\\'") -%}
            {%- if location['path'].lower().endswith('.parquet') -%}
                {%- set reader = "using parquet options (path '" ~ path
                    ~ "', mergeSchema 'true')" -%}
            {%- else -%}
                {%- set reader = "using csv options (path '" ~ path ~ "', header 'true',"
                    ~ " multiLine 'true', quote '\"', escape '\"', mode 'PERMISSIVE')" -%}
            {%- endif -%}
            {%- do run_query('create table ' ~ name ~ ' ' ~ reader) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}
