-- Every customer's lists are as long as they can be: "all" holds var recommender_top_n products,
-- or the whole catalogue when it is smaller (a user's small shop); "new" holds top_n products or
-- at least every catalogue product the customer has not bought; dim_customers carries the first
-- new product whenever the list has one. The products in any list stand in for the catalogue, so
-- a model that writes short lists still fails.
{%- set top_n = var('recommender_top_n') %}

with

top_recommendations as (

    select * from {{ ref('fct_customer_top_recommendations') }}

),

recommendations as (

    select * from {{ ref('fct_customer_recommendations') }}

),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

catalogue as (

    select distinct product_id
    from recommendations

),

catalogue_size as (

    select count(*) as product_count
    from catalogue

),

bought as (

    select
        order_lines.customer_id,
        count(distinct order_lines.product_id) as bought_product_count
    from order_lines
    inner join catalogue
        on order_lines.product_id = catalogue.product_id
    group by order_lines.customer_id

),

checked as (

    select
        top_recommendations.customer_id,
        top_recommendations.all_list_length,
        top_recommendations.new_list_length,
        catalogue_size.product_count,
        coalesce(bought.bought_product_count, 0) as bought_product_count,
        customers.recommended_new_product_1_id
    from top_recommendations
    cross join catalogue_size
    left join bought
        on top_recommendations.customer_id = bought.customer_id
    left join customers
        on top_recommendations.customer_id = customers.customer_id

)

select *
from checked
where
    all_list_length <> least({{ top_n }}, product_count)
    or new_list_length > {{ top_n }}
    or new_list_length < least({{ top_n }}, product_count - bought_product_count)
    or (new_list_length > 0 and recommended_new_product_1_id is null)
