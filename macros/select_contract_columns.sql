{% macro select_contract_columns(relations, computed={}) %}
    {#-
        The columns of the calling model's YAML contract, each cast to its data_type, read from
        one relation or from several stacked by column name (a column a relation lacks is null).
        `computed` maps a contract column to a SQL expression over the relation's columns. A mart
        over a dbt Python model's output is then declared once, in its YAML.
    -#}
    {%- if relations is string or relations is mapping or relations is not iterable -%}
        {%- set relations = [relations] -%}
    {%- endif -%}
    {%- set contract = model.columns.values() | list -%}
    {%- if execute and not contract -%}
        {{ exceptions.raise_compiler_error(
            model.name ~ ": select_contract_columns needs the model's columns in its YAML"
        ) }}
    {%- endif -%}
    {%- for relation in relations %}
        {%- set present = [] -%}
        {%- if execute and relations | length > 1 -%}
            {%- set present = adapter.get_columns_in_relation(relation)
                | map(attribute='name') | map('lower') | list -%}
        {%- endif %}
    {{ 'union all' if not loop.first }}
    select
        {%- for column in contract %}
            {%- set name = column.name | lower %}
            {%- if name in computed %}
                {%- set expression = computed[name] %}
            {%- elif not present or name in present %}
                {%- set expression = name %}
            {%- else %}
                {%- set expression = 'null' %}
            {%- endif %}
        {{ dbt.cast(expression, column.data_type) | trim }} as {{ name }}
            {{- ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    {%- endfor %}
{% endmacro %}
