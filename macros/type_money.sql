{% macro type_money() %}
    {#- Exact decimal for amounts inside the build: sums of decimals do not depend on the order
        in which a parallel engine adds them, so two builds give the same figures to the last
        digit. Marts publish amounts as double. -#}
    {{ return('decimal(18, 4)') }}
{% endmacro %}
