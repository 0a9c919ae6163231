{% macro input_location(kind) %}
    {#- The file (or table) an input is read from, resolved as the source YAML resolves it:
        var, then env var, then the shipped file. kind: 'transactions' | 'wholesale_accounts'.
        Returns {'path': ..., 'table': ...}; table is '' unless a table was named. -#}
    {%- set shipped = {
        'transactions': 'online_retail.csv.gz',
        'wholesale_accounts': 'wholesale_customers.csv',
    } -%}
    {%- set table = var(kind ~ '_table') or env_var(kind | upper ~ '_TABLE', '') -%}
    {%- set path = var(kind ~ '_path') or env_var(
        kind | upper ~ '_PATH', env_var('DBT_PROJECT_DIR', '.') ~ '/data/' ~ shipped[kind]
    ) -%}
    {{ return({'path': path, 'table': table}) }}
{% endmacro %}
