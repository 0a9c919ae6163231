{% macro spark__load_csv_rows(model, agate_table) %}
    {#- dbt-spark's session connection pastes seed values into the SQL unescaped (a quote in a
        value breaks the statement, an empty cell becomes the text 'None'). Values are written
        here as Spark literals instead: null, numbers and booleans as they are, dates and text
        quoted with backslash escapes. Defined in the root project, this wins dbt's dispatch. -#}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- do types.append(column_override.get(
            col_name, adapter.convert_type(agate_table, loop.index0)
        )) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set rows = [] -%}
        {%- for row in chunk -%}
            {%- set values = [] -%}
            {%- for value in row -%}
                {%- if value is none -%}
                    {%- set literal = 'null' -%}
                {%- elif value is sameas true or value is sameas false -%}
                    {%- set literal = value | string | lower -%}
                {%- elif value is number -%}
                    {%- set literal = value | string -%}
                {%- else -%}
                    {%- set text = (value.isoformat() if value.isoformat is defined
                        else value | string) -%}
                    {%- set literal = "'" ~ text | replace('\\', '\\\\') | replace("'", "\\'")
                        ~ "'" -%}
                {%- endif -%}
                {%- do values.append('cast(' ~ literal ~ ' as ' ~ types[loop.index0] ~ ')') -%}
            {%- endfor -%}
            {%- do rows.append('(' ~ values | join(', ') ~ ')') -%}
        {%- endfor -%}
        {%- set sql = 'insert into ' ~ this.render() ~ ' values ' ~ rows | join(', ') -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
