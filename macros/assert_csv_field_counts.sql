{% macro assert_csv_field_counts(kind) %}
    {#- Only CSV files can hold such rows (not tables or parquet files), and there is nothing to
        read at parse time or in a unit test, whose given rows replace the input. -#}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set location = input_location(kind) -%}
    {%- if location['table'] or location['path'].lower().endswith('.parquet') -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(adapter.dispatch('assert_csv_field_counts', 'customer_intelligence')(kind)) }}
{% endmacro %}

{% macro default__assert_csv_field_counts(kind) %}
    {{ return('') }}
{% endmacro %}

{% macro duckdb__assert_csv_field_counts(kind) %}
    {#- The transactions reader keeps short rows (null_padding, so they are rejected with a reason)
        but would silently lose the fields of a row that has more than its header: "Korea, Republic
        of" unquoted becomes Country 'Korea'. Two cases, checked in each CSV file:
        - beyond the sniffed sample, DuckDB's lenient reader drops the extra fields: a strict scan
          stores such rows in a (temporary) rejects table, with line number and text;
        - within the sample, the reader adds an unnamed column ('column8'), which staging never
          reads: a non-null value there is an extra field (an empty one, from a trailing separator
          on every line, is not).
        Either fails with examples, unless the var <kind>_allow_extra_fields is true: then it warns
        and the rows are read as before. -#}
    {%- set location = input_location(kind) -%}
    {%- for file in input_files(location['path']) -%}
        {%- set quoted_file = "'" ~ file | replace("'", "''") ~ "'" -%}
        {%- set columns = run_query(
            'describe select * from ' ~ csv_text_reader(file, strict_mode=true)
        ).columns[0].values() -%}
        {%- set unnamed = [] -%}
        {%- for column in columns -%}
            {%- if column == 'column' ~ loop.index0 -%}
                {%- do unnamed.append('"' ~ column ~ '"') -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set extra = ('coalesce(' ~ unnamed | join(', ') ~ ', null)') if unnamed else 'null' -%}
        {%- set quoted_columns = [] -%}
        {%- for column in columns -%}
            {%- set quoted = '"' ~ column | replace('"', '""') ~ '"' -%}
            {%- do quoted_columns.append('coalesce(' ~ quoted ~ ", '')") -%}
        {%- endfor -%}
        {#- One statement list, so the scan and the read of its temporary rejects tables share a
            connection. At most 1,000 faulty lines are kept. -#}
        {%- set found = run_query(
            "drop table if exists ci_field_count_errors; "
            ~ "create or replace temp table ci_field_count_unnamed as select "
            ~ "count(case when " ~ extra ~ " is not null then 1 end) as faulty_rows, "
            ~ "min(case when " ~ extra ~ " is not null then concat_ws('|', "
            ~ quoted_columns | join(', ') ~ ") end) as example "
            ~ "from " ~ csv_text_reader(file, strict_mode=true, extra_options="store_rejects = "
                ~ "true, rejects_table = 'ci_field_count_errors', rejects_scan = "
                ~ "'ci_field_count_scans', rejects_limit = 1000") ~ "; "
            ~ "select line, csv_line, count(*) over () as faulty_rows "
            ~ "from ci_field_count_errors where error_type = 'TOO MANY COLUMNS' "
            ~ "union all select null, example, faulty_rows from ci_field_count_unnamed "
            ~ "where faulty_rows > 0 order by line nulls last limit 3"
        ) -%}
        {%- if found.rows | length > 0 -%}
            {%- set delimiter = run_query(
                'select Delimiter from sniff_csv(' ~ quoted_file ~ ', null_padding = true)'
            ).columns[0].values()[0] -%}
            {%- set examples = [] -%}
            {%- for row in found.rows -%}
                {%- set text = row[1][:160] ~ ('...' if row[1] | length > 160 else '') -%}
                {%- do examples.append(
                    ("line " ~ row[0] ~ ": '" ~ text ~ "'") if row[0] is not none
                    else ("fields '" ~ text ~ "' (as split)")
                ) -%}
            {%- endfor -%}
            {%- set count = found.rows[0][2] -%}
            {%- set message = "Input file '" ~ file ~ "' (var " ~ kind ~ "_path) has "
                ~ count ~ (' or more' if count >= 1000 else '')
                ~ " row(s) with more fields than its header: a value holds an unquoted '"
                ~ delimiter ~ "', which shifts the row's columns. For example "
                ~ examples | join('; ') ~ ". Quote those values in the file" -%}
            {%- do report_extra_fields(message, kind) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}

{% macro spark__assert_csv_field_counts(kind) %}
    {#- Spark's CSV reader drops the fields of a row beyond its header without a trace. The input
        is read a second time with one more column than the header (all text, every file of a
        glob): a value there is an extra field. Fails with the count and up to three rows (as
        split), or warns when the var <kind>_allow_extra_fields is true. -#}
    {%- set location = input_location(kind) -%}
    {%- set names = input_relation_names()[kind] -%}
    {%- set columns = run_query(
        'select * from ' ~ names[0] ~ '.' ~ names[1] ~ ' limit 0'
    ).column_names | list -%}
    {%- set extra = 'ci_extra_field' -%}
    {%- set probe = 'ci_field_count_probe_' ~ kind -%}
    {%- do run_query(
        'create or replace temporary view ' ~ probe ~ ' '
        ~ spark_file_reader(location['path'], columns + [extra])
    ) -%}
    {%- set quoted_columns = [] -%}
    {%- for column in columns + [extra] -%}
        {%- do quoted_columns.append("coalesce(`" ~ column | replace('`', '``') ~ "`, '')") -%}
    {%- endfor -%}
    {%- set found = run_query(
        "select concat_ws('|', " ~ quoted_columns | join(', ') ~ "), count(*) over ()"
        ~ " from " ~ probe ~ " where " ~ extra ~ " is not null limit 3"
    ) -%}
    {%- do run_query('drop view if exists ' ~ probe) -%}
    {%- if found.rows | length > 0 -%}
        {%- set examples = [] -%}
        {%- for row in found.rows -%}
            {%- set text = row[0][:160] ~ ('...' if row[0] | length > 160 else '') -%}
            {%- do examples.append("fields '" ~ text ~ "' (as split)") -%}
        {%- endfor -%}
        {%- do report_extra_fields(
            "Input " ~ location['label'] ~ " has " ~ found.rows[0][1]
            ~ " row(s) with more fields than its header: a value holds an unquoted ','"
            ~ ", which shifts the row's columns. For example " ~ examples | join('; ')
            ~ ". Quote those values in the file",
            kind,
        ) -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}

{% macro report_extra_fields(message, kind) %}
    {#- Rows with more fields than the header: an error, or a warning when the var
        <kind>_allow_extra_fields is true (the extra fields are then dropped). -#}
    {%- set allow_var = kind ~ '_allow_extra_fields' -%}
    {%- if var(allow_var, false) -%}
        {%- do exceptions.warn(
            message ~ ". Building anyway (" ~ allow_var ~ " is true): the extra fields are"
            ~ " dropped, and a row whose shifted values do not type is rejected."
        ) -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            message ~ ", or set the var " ~ allow_var ~ ": true to build anyway (the extra"
            ~ " fields are then dropped, and a row whose shifted values do not type is"
            ~ " rejected)."
        ) }}
    {%- endif -%}
{% endmacro %}
