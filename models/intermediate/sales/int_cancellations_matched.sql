-- One row per usable cancellation line, matched to the sale line it cancels: the latest earlier
-- sale of the same product to the same customer that is large enough. A sale line absorbs
-- cancellations (oldest first) only up to its own quantity; the rest are unmatched.
with

screened as (

    select * from {{ ref('int_transactions_screened') }}

),

cancellations as (

    select
        transaction_line_id as cancellation_line_id,
        invoice_id as cancellation_invoice_id,
        customer_id,
        product_id,
        invoiced_at as cancelled_at,
        -quantity as cancelled_quantity
    from screened
    where screening_reason is null and line_role = 'cancellation'

),

sales as (

    select
        transaction_line_id as sale_line_id,
        invoice_id as sale_invoice_id,
        customer_id,
        product_id,
        invoiced_at as sold_at,
        quantity as sold_quantity
    from screened
    where screening_reason is null and line_role = 'sale'

),

candidate_matches as (

    select
        cancellations.cancellation_line_id,
        sales.sale_line_id,
        sales.sale_invoice_id,
        sales.sold_quantity,
        row_number() over (
            partition by cancellations.cancellation_line_id
            order by sales.sold_at desc, sales.sale_line_id desc
        ) as candidate_rank
    from cancellations
    inner join sales
        on
            cancellations.customer_id = sales.customer_id
            and cancellations.product_id = sales.product_id
            and cancellations.cancelled_at >= sales.sold_at
            and cancellations.cancelled_quantity <= sales.sold_quantity

),

best_matches as (

    select * from candidate_matches
    where candidate_rank = 1

),

allocated as (

    select
        cancellations.*,
        best_matches.sale_line_id,
        best_matches.sale_invoice_id,
        best_matches.sold_quantity,
        sum(cancellations.cancelled_quantity) over (
            partition by best_matches.sale_line_id
            order by cancellations.cancelled_at, cancellations.cancellation_line_id
            rows between unbounded preceding and current row
        ) as cumulative_cancelled_quantity
    from cancellations
    left join best_matches
        on cancellations.cancellation_line_id = best_matches.cancellation_line_id

),

final as (

    select
        cancellation_line_id,
        cancellation_invoice_id,
        customer_id,
        product_id,
        cancelled_at,
        cancelled_quantity,
        case
            when sale_line_id is null then 'no_earlier_sale_found'
            when cumulative_cancelled_quantity > sold_quantity then 'sale_already_cancelled'
            else 'netted'
        end as match_status,
        case
            when cumulative_cancelled_quantity <= sold_quantity then sale_line_id
        end as sale_line_id,
        case
            when cumulative_cancelled_quantity <= sold_quantity then sale_invoice_id
        end as sale_invoice_id
    from allocated

)

select * from final
