{% macro input_location(kind) %}
    {#- The file (or table) an input is read from, resolved as the source YAML resolves it:
        var, then env var, then the shipped file. kind: 'transactions' | 'wholesale_accounts'.
        Returns {'path': ..., 'table': ..., 'label': ...}; table is '' unless a table was named;
        label names the input and its var for error messages. -#}
    {%- set shipped = {
        'transactions': 'online_retail.csv.gz',
        'wholesale_accounts': 'wholesale_customers.csv',
    } -%}
    {%- set table = var(kind ~ '_table') or env_var(kind | upper ~ '_TABLE', '') -%}
    {%- set path = var(kind ~ '_path') or env_var(
        kind | upper ~ '_PATH', env_var('DBT_PROJECT_DIR', '.') ~ '/data/' ~ shipped[kind]
    ) -%}
    {%- set label = ("table '" ~ table ~ "' (var " ~ kind ~ "_table)") if table
        else ("file '" ~ path ~ "' (var " ~ kind ~ "_path)") -%}
    {{ return({'path': path, 'table': table, 'label': label}) }}
{% endmacro %}
