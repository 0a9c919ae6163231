-- One row per product and complete week with a sale: net units and the week's list price, the
-- series the price elasticities are fitted on.
with

weeks_priced as (

    select * from {{ ref('int_product_weeks_priced') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates_resolved') }}

),

weeks_dated as (

    select
        weeks_priced.*,
        as_of_dates.as_of_date
    from weeks_priced
    cross join as_of_dates

),

final as (

    {{ select_contract_columns('weeks_dated') }}

)

select * from final
