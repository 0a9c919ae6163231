-- One row per product with a forecast: the inventory policy for the lead time and service level
-- the demand model was trained for (vars inventory_lead_time_weeks, inventory_service_level).
--   lead-time demand  = the forecasts of the first lead_time_weeks weeks, summed
--   safety stock      = the product's error scale x the quantile at the service level of the
--                       scaled lead-time forecast error of its class and method, measured on the
--                       back-test (the forecast's own error, not the spread of demand)
--   reorder point     = lead-time demand + safety stock
--   EOQ               = sqrt(2 x yearly demand x order cost / (holding rate x unit cost)), with
--                       yearly demand = mean weekly forecast x 52 and unit cost = list price x
--                       var inventory_unit_cost_share
with

forecasts as (

    select * from {{ ref('ml_demand_forecasts') }}

),

weekly as (

    select * from {{ ref('int_product_weeks_aggregated') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates_resolved') }}

),

last_prices as (

    select
        product_id,
        list_price
    from (
        select
            product_id,
            list_price,
            row_number() over (partition by product_id order by week_start desc) as recency
        from weekly
    ) as ranked
    where recency = 1

),

products as (

    select
        product_id,
        max(demand_class) as demand_class,
        max(forecast_method) as forecast_method,
        max(lead_time_weeks) as lead_time_weeks,
        max(service_level) as service_level,
        max(safety_stock_units) as safety_stock_units,
        max(demand_model_version) as demand_model_version,
        sum(case when horizon_week <= lead_time_weeks then forecast_units else 0 end)
            as lead_time_demand_units,
        avg(forecast_units) as mean_weekly_forecast_units
    from forecasts
    group by 1

),

costed as (

    select
        products.*,
        last_prices.list_price,
        last_prices.list_price * {{ var('inventory_unit_cost_share') }} as unit_cost,
        products.mean_weekly_forecast_units * 52 as yearly_demand_units
    from products
    left join last_prices on products.product_id = last_prices.product_id

),

policies as (

    select
        costed.*,
        costed.lead_time_demand_units + costed.safety_stock_units as reorder_point_units,
        case
            when costed.unit_cost > 0 and costed.yearly_demand_units > 0
                then sqrt(
                    2 * costed.yearly_demand_units * {{ var('inventory_order_cost') }}
                    / ({{ var('inventory_holding_cost_rate') }} * costed.unit_cost)
                )
            else 0
        end as economic_order_quantity,
        as_of_dates.as_of_date
    from costed
    cross join as_of_dates

),

final as (

    {{ select_contract_columns('policies') }}

)

select * from final
