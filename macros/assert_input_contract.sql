{% macro assert_input_contract(relation, required_columns, kind) %}
    {{ return(adapter.dispatch('assert_input_contract', 'customer_intelligence')(
        relation, required_columns, kind
    )) }}
{% endmacro %}

{% macro default__assert_input_contract(
    relation, required_columns, kind
) %}
    {#- On warehouses where sources are tables, dbt itself fails clearly on a missing relation. -#}
    {{ return('') }}
{% endmacro %}

{% macro duckdb__assert_input_contract(
    relation, required_columns, kind
) %}
    {#- Fails before any SQL runs when the input cannot serve: no file or table, an empty file, a
        missing (in any file of a glob) or duplicated column. The message names the file (or
        table) and the column. -#}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {#- A unit test's given rows replace the input: there is no file or table to check. -#}
        {{ return('') }}
    {%- endif -%}
    {%- set location = input_location(kind) -%}
    {%- set path = location['path'] -%}
    {%- set table = location['table'] -%}
    {%- set path_var = kind ~ '_path' -%}
    {%- set table_var = kind ~ '_table' -%}
    {%- set label = location['label'] -%}
    {%- if not table -%}
        {%- set files = input_files(path) -%}
        {%- set matches = files | length -%}
        {%- if matches == 0 -%}
            {{ exceptions.raise_compiler_error(
                "Input not found: " ~ label ~ " matches no file. Point " ~ path_var
                ~ " (or " ~ table_var ~ ") at your data; see README 'Your own data'."
            ) }}
        {%- endif -%}
        {%- if matches > 1 -%}
            {#- The files of a glob are read by name into one relation, where a column missing
                from one file would silently be null: check each file's header. -#}
            {%- for file in files -%}
                {%- set reader = ("read_parquet('" ~ file | replace("'", "''") ~ "')")
                    if file.lower().endswith('.parquet')
                    else csv_text_reader(file) -%}
                {%- set in_file = run_query('describe select * from ' ~ reader)
                    .columns[0].values() | map('lower') | list -%}
                {%- for column in required_columns if column | lower not in in_file -%}
                    {{ exceptions.raise_compiler_error(
                        "Input file '" ~ file ~ "', one of the " ~ matches ~ " files of " ~ label
                        ~ ", is missing the column '" ~ column ~ "'. Expected: "
                        ~ required_columns | join(', ') ~ "."
                    ) }}
                {%- endfor -%}
            {%- endfor -%}
        {%- endif -%}
    {%- elif modules.re.match('^[A-Za-z_][A-Za-z0-9_]*([.][A-Za-z_][A-Za-z0-9_]*){0,2}$', table) -%}
        {#- A plain name (table, schema.table, database.table or database.schema.table): is it
            there? Quoted names are left to DuckDB's own error. -#}
        {%- set parts = table.lower().split('.') -%}
        {%- set qualifier = {
            1: "",
            2: " and (schema_name = '" ~ parts[0] ~ "' or database_name = '" ~ parts[0] ~ "')",
            3: " and database_name = '" ~ parts[0] ~ "' and schema_name = '" ~ parts[1] ~ "'",
        }[parts | length] -%}
        {%- set known = run_query(
            "select count(*) from (select lower(database_name) as database_name,"
            ~ " lower(schema_name) as schema_name, lower(table_name) as name from duckdb_tables()"
            ~ " union all select lower(database_name), lower(schema_name), lower(view_name)"
            ~ " from duckdb_views()) as relations where name = '" ~ parts[-1] ~ "'" ~ qualifier
        ).columns[0].values()[0] -%}
        {%- if known == 0 -%}
            {{ exceptions.raise_compiler_error(
                "Input not found: " ~ label ~ " is no table or view of the warehouse (or of a"
                ~ " database attached to it in profiles.yml). Point " ~ table_var ~ " (or "
                ~ path_var ~ ") at your data; see README 'Your own data'."
            ) }}
        {%- endif -%}
    {%- endif -%}
    {%- set described = run_query('describe select * from ' ~ relation) -%}
    {%- set found = described.columns[0].values() | map('lower') | list -%}
    {%- if found | length == 1 and modules.re.search('[,;|\t]', found[0]) -%}
        {{ exceptions.raise_compiler_error(
            "Input " ~ label ~ " could not be split into columns (its header was read as one"
            ~ " column, '" ~ found[0] ~ "'): a row has more or fewer fields than the header,"
            ~ " or a field holds an unquoted separator. Expected the columns "
            ~ required_columns | join(', ') ~ "."
        ) }}
    {%- endif -%}
    {%- if found == ['column0'] -%}
        {{ exceptions.raise_compiler_error(
            "Input " ~ label ~ " is empty: no header row and no data. Expected the columns "
            ~ required_columns | join(', ') ~ "."
        ) }}
    {%- endif -%}
    {%- for column in required_columns if (column | lower ~ '_1') in found -%}
        {{ exceptions.raise_compiler_error(
            "Input " ~ label ~ " has the column '" ~ column ~ "' more than once in its header"
            ~ " (the copy was read as '" ~ column ~ "_1'). Remove the duplicate column."
        ) }}
    {%- endfor -%}
    {%- do assert_input_columns_and_rows(relation, found, required_columns, label) -%}
    {{ return('') }}
{% endmacro %}

{% macro spark__assert_input_contract(relation, required_columns, kind) %}
    {#- The same checks on the relation that the on-run-start hook registered over the input
        (register_file_sources): a path that matches no file, or only empty ones, already failed
        there (assert_spark_input_files). Spark names a repeated header column by its position
        (InvoiceNo0, InvoiceNo5), so a duplicate shows as a missing column. -#}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set label = input_location(kind)['label'] -%}
    {%- set found = run_query('select * from ' ~ relation ~ ' limit 0').column_names
        | map('lower') | list -%}
    {%- if found | length == 1 and modules.re.search('[;|\t]', found[0]) -%}
        {{ exceptions.raise_compiler_error(
            "Input " ~ label ~ " could not be split into columns (its header was read as one"
            ~ " column, '" ~ found[0] ~ "'): on Spark the separator is a comma. Expected the"
            ~ " columns " ~ required_columns | join(', ') ~ "."
        ) }}
    {%- endif -%}
    {%- do assert_input_columns_and_rows(relation, found, required_columns, label) -%}
    {{ return('') }}
{% endmacro %}

{% macro assert_input_columns_and_rows(relation, found, required_columns, label) %}
    {#- Every required column among the input's (lower-cased) columns, and at least one row. -#}
    {%- for column in required_columns if column | lower not in found -%}
        {{ exceptions.raise_compiler_error(
            "Input " ~ label ~ " is missing the column '" ~ column ~ "'. Expected: "
            ~ required_columns | join(', ') ~ ". Found: " ~ found | join(', ') ~ "."
        ) }}
    {%- endfor -%}
    {%- set has_rows = run_query(
        'select count(*) from (select 1 from ' ~ relation ~ ' limit 1) as probe'
    ).columns[0].values()[0] -%}
    {%- if has_rows == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Input " ~ label ~ " has a header but no data rows: nothing to build from."
        ) }}
    {%- endif -%}
{% endmacro %}
