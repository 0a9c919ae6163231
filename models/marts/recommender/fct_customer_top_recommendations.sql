with

fct_customer_recommendations as (
    select * from {{ ref('fct_customer_recommendations') }}
),

recommendations_pivoted_to_customers as (
    select
        customer_id,
        bool_or(is_cold_start) as is_cold_start,
        max(case when list_name = 'all' then recommendation_method end) as all_list_method,
        max(case when list_name = 'new' then recommendation_method end) as new_list_method,
        {%- for rank in [1, 2, 3] %}
            max(
                case when list_name = 'all' and recommendation_rank = {{ rank }} then product_id end
            ) as recommended_product_{{ rank }}_id,
            max(
                case when list_name = 'all' and recommendation_rank = {{ rank }} then reason end
            ) as recommended_product_{{ rank }}_reason,
            max(
                case when list_name = 'new' and recommendation_rank = {{ rank }} then product_id end
            ) as recommended_new_product_{{ rank }}_id,
            max(
                case when list_name = 'new' and recommendation_rank = {{ rank }} then reason end
            ) as recommended_new_product_{{ rank }}_reason,
        {%- endfor %}
        list(product_id order by recommendation_rank) filter (
            where list_name = 'all'
        ) as all_recommended_product_ids,
        list(product_id order by recommendation_rank) filter (
            where list_name = 'new'
        ) as new_recommended_product_ids,
        count(*) filter (where list_name = 'all') as all_list_length,
        count(*) filter (where list_name = 'new') as new_list_length,
        max(as_of_date) as as_of_date,
        max(model_version) as model_version
    from fct_customer_recommendations
    group by 1
),

final as (
    select
        cast(customer_id as varchar) as customer_id,
        cast(is_cold_start as boolean) as is_cold_start,
        cast(all_list_method as varchar) as all_list_method,
        cast(new_list_method as varchar) as new_list_method,
        {%- for rank in [1, 2, 3] %}
            cast(recommended_product_{{ rank }}_id as varchar) as recommended_product_{{ rank }}_id,
            cast(recommended_product_{{ rank }}_reason as varchar)
                as recommended_product_{{ rank }}_reason,
            cast(recommended_new_product_{{ rank }}_id as varchar)
                as recommended_new_product_{{ rank }}_id,
            cast(recommended_new_product_{{ rank }}_reason as varchar)
                as recommended_new_product_{{ rank }}_reason,
        {%- endfor %}
        cast(all_recommended_product_ids as varchar[]) as all_recommended_product_ids,
        cast(new_recommended_product_ids as varchar[]) as new_recommended_product_ids,
        cast(all_list_length as integer) as all_list_length,
        cast(new_list_length as integer) as new_list_length,
        cast(as_of_date as date) as as_of_date,
        cast(model_version as varchar) as model_version
    from recommendations_pivoted_to_customers
)

select * from final
