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
        that the DuckDB build reads (input_location), read by spark_file_reader. -#}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- for kind, names in input_relation_names().items() -%}
        {%- set schema, identifier = names -%}
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
            {%- do assert_spark_input_files(location, kind, name) -%}
            {%- do run_query('create table ' ~ name ~ ' ' ~ spark_file_reader(location['path'])) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}

{% macro input_relation_names() %}
    {#- The source each input kind is read as: kind -> (schema, identifier). -#}
    {{ return({
        'transactions': ('online_retail', 'transactions'),
        'wholesale_accounts': ('wholesale', 'accounts'),
    }) }}
{% endmacro %}

{% macro spark_file_reader(path, columns=none) %}
    {#- The USING clause that reads an input file or glob on Spark. Parquet files are merged by
        column name. CSV is read as text: a header, quoted line breaks, doubled quotes inside
        quotes; a short row's missing fields are null. The header of every file of a glob must
        match the first file's (enforceSchema false), so a file with its columns in another
        order fails instead of being read by position. columns: an explicit list of column
        names (all text), e.g. one more than the header, to see the extra fields that Spark
        otherwise drops. -#}
    {%- set quoted_path = spark_string_literal(path) -%}
    {%- if path.lower().endswith('.parquet') -%}
        {{ return("using parquet options (path " ~ quoted_path ~ ", mergeSchema 'true')") }}
    {%- endif -%}
    {%- set schema = [] -%}
    {%- for column in columns or [] -%}
        {%- do schema.append('`' ~ column | replace('`', '``') ~ '` string') -%}
    {%- endfor -%}
    {{ return(
        ("(" ~ schema | join(', ') ~ ") " if schema else "")
        ~ "using csv options (path " ~ quoted_path ~ ", header 'true', multiLine 'true',"
        ~ " quote '\"', escape '\"', mode 'PERMISSIVE', enforceSchema '"
        ~ ('true' if schema else 'false') ~ "')"
    ) }}
{% endmacro %}

{% macro assert_spark_input_files(location, kind, name) %}
    {#- Spark resolves a relative path against its own table directory, and a table over a path
        that matches nothing reads as empty: both fail here, naming the path and its var. The
        probe is a one-column text table over the path (no schema to infer), read for one line. -#}
    {%- set path = location['path'] -%}
    {%- if not (path.startswith('/') or ':/' in path) -%}
        {{ exceptions.raise_compiler_error(
            "Input " ~ location['label'] ~ " is a relative path: on Spark give an absolute path"
            ~ " or a URI (file:/, s3a://, abfss://, dbfs:/)."
        ) }}
    {%- endif -%}
    {%- set probe = name ~ '__files' -%}
    {%- do run_query('drop table if exists ' ~ probe) -%}
    {%- set quoted_path = spark_string_literal(path) -%}
    {%- do run_query(
        'create table ' ~ probe ~ ' (line string) using text options (path ' ~ quoted_path ~ ')'
    ) -%}
    {%- set lines = run_query(
        'select count(*) from (select 1 from ' ~ probe ~ ' limit 1) as probe'
    ).columns[0].values()[0] -%}
    {%- do run_query('drop table ' ~ probe) -%}
    {%- if lines == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Input not found: " ~ location['label'] ~ " matches no file (or only empty files)."
            ~ " Point " ~ kind ~ "_path (or " ~ kind ~ "_table) at your data; see README"
            ~ " 'Your own data'."
        ) }}
    {%- endif -%}
{% endmacro %}

{% macro spark_string_literal(text) %}
    {#- A Spark SQL string literal: backslashes and quotes escaped with a backslash. -#}
    {{ return("'" ~ text | replace('\\', '\\\\') | replace("'", "\\'") ~ "'") }}
{% endmacro %}
