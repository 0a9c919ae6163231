{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) %}
    {#- dbt-spark's dateadd multiplies the interval unparenthesised (`n + 1 * 7` for weeks).
        timestampadd gives a timestamp, as DuckDB's date + interval does; month steps keep the
        day or clamp it to the month's end, as in DuckDB. -#}
    timestampadd({{ datepart }}, cast(({{ interval }}) as bigint), {{ from_date_or_timestamp }})
{% endmacro %}
