-- One row per order before as_of_date: its anomaly score, rank and reasons, and its review
-- status (seed anomaly_reviews).
with

order_anomalies as (

    select * from {{ ref('ml_order_anomalies') }}

),

anomaly_reviews as (

    select * from {{ ref('anomaly_reviews') }}

),

models as (

    select * from {{ ref('ml_anomaly_model') }}

),

orders_reviewed as (

    select
        order_anomalies.*,
        anomaly_reviews.reviewed_at,
        anomaly_reviews.reviewer,
        anomaly_reviews.review_note,
        models.model_version as anomaly_model_version,
        models.as_of_date,
        coalesce(
            anomaly_reviews.review_status,
            case when order_anomalies.is_flagged then 'to_review' else 'not_flagged' end
        ) as review_status
    from order_anomalies
    left join anomaly_reviews
        on order_anomalies.invoice_id = anomaly_reviews.invoice_id
    cross join models

),

final as (

    {{ select_contract_columns('orders_reviewed') }}

)

select * from final
