-- One row per customer with an order before as_of_date: their most anomalous order and how many
-- of their orders are on the review list.
with

customer_anomalies as (

    select * from {{ ref('ml_customer_anomalies') }}

),

models as (

    select * from {{ ref('ml_anomaly_model') }}

),

customers_dated as (

    select
        customer_anomalies.*,
        models.model_version as anomaly_model_version,
        models.as_of_date
    from customer_anomalies
    cross join models

),

final as (

    {{ select_contract_columns('customers_dated') }}

)

select * from final
