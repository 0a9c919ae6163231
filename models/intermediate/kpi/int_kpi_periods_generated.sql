-- The calendar the KPI marts report on: every month and every week (ISO, from Monday) from the
-- period of the first order to that of the last, periods without an order included.
{#- Per grain, the periods without an order after which a returning customer counts as
    reactivated: a quarter, 3 months or 13 weeks. -#}
{%- set reactivation_lapse_periods = {'month': 3, 'week': 13} -%}
{#- Enough periods for any dates the build accepts (vars plausible_dates_from / _before): at most
    53 weeks a year. -#}
{%- set max_periods = 53 * (
    (var('plausible_dates_before') | string)[:4] | int
    - (var('plausible_dates_from') | string)[:4] | int + 1
) %}

with

orders as (

    select * from {{ ref('int_orders_aggregated') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates_resolved') }}

),

order_dates_bounded as (

    select
        min(invoice_date) as first_order_date,
        max(invoice_date) as last_order_date
    from orders

),

period_offsets as (

    select cast(generated_number as integer) - 1 as period_offset
    from ({{ dbt.generate_series(max_periods) }}) as generated_numbers

),

periods_generated as (

    {%- for grain, lapse_periods in reactivation_lapse_periods.items() %}
        {%- set first_period = dbt.date_trunc(grain, 'bounds.first_order_date') %}
        {%- set last_period = dbt.date_trunc(grain, 'bounds.last_order_date') %}
        {%- if not loop.first %}

            union all
        {%- endif %}

        select
            '{{ grain }}' as period_grain,
            cast(period_offsets.period_offset + 1 as integer) as period_number,
            cast(
                {{ dbt.dateadd(grain, 'period_offsets.period_offset', first_period) }} as date
            ) as period_start_date,
            cast(
                {{ dbt.dateadd(grain, 'period_offsets.period_offset + 1', first_period) }}
                as date
            ) as next_period_start_date,
            {{ lapse_periods }} as reactivation_lapse_periods
        from order_dates_bounded as bounds
        inner join period_offsets
            on
                period_offsets.period_offset
                <= {{ dbt.datediff(first_period, last_period, grain) }}
    {%- endfor %}

),

final as (

    select
        periods_generated.period_grain,
        periods_generated.period_number,
        periods_generated.period_start_date,
        periods_generated.next_period_start_date,
        periods_generated.next_period_start_date <= as_of_dates.as_of_date as is_complete_period,
        cast(periods_generated.reactivation_lapse_periods as integer)
            as reactivation_lapse_periods
    from periods_generated
    cross join as_of_dates

)

select * from final
