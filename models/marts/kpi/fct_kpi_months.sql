-- The month grain of the KPI calendar, cast to this mart's contract.
with

kpi_periods as (

    select * from {{ ref('int_kpi_periods_aggregated') }}

),

months as (

    select * from kpi_periods
    where period_grain = 'month'

),

final as (

    {{ select_contract_columns('months', computed={
        'month_start_date': 'period_start_date',
        'is_complete_month': 'is_complete_period',
    }) }}

)

select * from final
