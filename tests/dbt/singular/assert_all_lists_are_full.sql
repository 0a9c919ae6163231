-- Every customer's "all" list holds var recommender_top_n products, or every product there is to
-- recommend when the catalogue is smaller (a user's small shop): the products that appear in any
-- "all" list stand in for that catalogue, so a model that writes short lists still fails.
with

top_recommendations as (

    select * from {{ ref('fct_customer_top_recommendations') }}

),

recommendations as (

    select * from {{ ref('fct_customer_recommendations') }}

),

catalogue as (

    select count(distinct product_id) as recommended_product_count
    from recommendations
    where list_name = 'all'

)

select
    top_recommendations.customer_id,
    top_recommendations.all_list_length,
    catalogue.recommended_product_count
from top_recommendations
cross join catalogue
where
    top_recommendations.all_list_length
    <> least({{ var('recommender_top_n', 10) }}, catalogue.recommended_product_count)
