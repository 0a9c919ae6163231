{% macro input_files(path) %}
    {#- The files a path or glob names, sorted (DuckDB's glob); an empty list when none. -#}
    {{ return(run_query(
        "select file from glob('" ~ path | replace("'", "''") ~ "') order by file"
    ).columns[0].values() | list) }}
{% endmacro %}

{% macro csv_text_reader(file, strict_mode=false, extra_options='') %}
    {#- read_csv of one file as text, with the transactions source's options: a header, every
        column varchar, short rows padded with nulls, read serially (quoted line breaks).
        strict_mode=true makes a row with more fields than the header an error (or a rejects-table
        row, with store_rejects in extra_options). -#}
    {{ return(
        "read_csv('" ~ file | replace("'", "''") ~ "', header = true, all_varchar = true, "
        ~ "strict_mode = " ~ ('true' if strict_mode else 'false')
        ~ ", null_padding = true, parallel = false"
        ~ (", " ~ extra_options if extra_options else "") ~ ")"
    ) }}
{% endmacro %}
