{% macro within_or_null(expression, limit=1000000000000) -%}
    {#- The number, or null when it is not within [-limit, limit]: NaN and infinities fail the
        range test too. The default 10^12 leaves the exact money type, decimal(18, 4), room for
        an amount (a 32-bit quantity times the price). -#}
    case when {{ expression }} between -{{ limit }} and {{ limit }} then {{ expression }} end
{%- endmacro %}
