-- The week grain (ISO weeks, from Monday) of the KPI calendar, cast to this mart's contract.
with

kpi_periods as (

    select * from {{ ref('int_kpi_periods_aggregated') }}

),

weeks as (

    select * from kpi_periods
    where period_grain = 'week'

),

final as (

    {{ select_contract_columns('weeks', computed={
        'week_start_date': 'period_start_date',
        'is_complete_week': 'is_complete_period',
    }) }}

)

select * from final
