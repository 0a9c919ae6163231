with

screened as (

    select * from {{ ref('int_transactions_screened') }}

),

cancellations as (

    select * from {{ ref('int_cancellations_matched') }}

),

rejection_reasons as (

    select * from {{ ref('rejection_reasons') }}

),

rejected as (

    select
        screened.*,
        coalesce(
            screened.screening_reason,
            case
                when cancellations.match_status = 'netted' then 'cancellation_netted'
                else 'cancellation_unmatched'
            end
        ) as rejection_reason,
        case
            when cancellations.match_status = 'netted'
                then
                    'netted against sale line ' || cancellations.sale_line_id
                    || ' of invoice ' || cancellations.sale_invoice_id
            when cancellations.match_status = 'no_earlier_sale_found'
                then
                    'no earlier sale of ' || cancellations.product_id
                    || ' to customer ' || cancellations.customer_id
            when cancellations.match_status = 'sale_already_cancelled'
                then 'the matching sale was already fully cancelled'
        end as rejection_detail,
        cancellations.sale_line_id as netted_into_order_line_id
    from screened
    left join cancellations
        on screened.transaction_line_id = cancellations.cancellation_line_id
    where screened.screening_reason is not null or screened.line_role = 'cancellation'

),

final as (

    select
        rejected.transaction_line_id,
        rejected.rejection_reason,
        rejection_reasons.rule_order as rejection_rule_order,
        rejection_reasons.description as rejection_description,
        rejected.rejection_detail,
        rejected.netted_into_order_line_id,
        rejected.invoice_id,
        rejected.product_id,
        rejected.customer_id,
        rejected.invoiced_at,
        cast(rejected.quantity as integer) as quantity,
        rejected.unit_price,
        rejected.is_cancellation,
        rejected.is_non_product,
        rejected.is_duplicate_line,
        rejected.raw_invoice_no,
        rejected.raw_stock_code,
        rejected.raw_description,
        rejected.raw_quantity,
        rejected.raw_invoice_date,
        rejected.raw_unit_price,
        rejected.raw_customer_id,
        rejected.raw_country
    from rejected
    left join rejection_reasons
        on rejected.rejection_reason = rejection_reasons.rejection_reason

)

select * from final
