with

fct_customer_recommendations as (
    select * from {{ ref('fct_customer_recommendations') }}
),

recommendations_pivoted_to_customers as (
    select
        customer_id,
        {{ dbt.bool_or('is_cold_start') }} as is_cold_start,
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
        {{ ordered_array_agg('product_id', 'recommendation_rank', "list_name = 'all'") }}
            as all_recommended_product_ids,
        {{ ordered_array_agg('product_id', 'recommendation_rank', "list_name = 'new'") }}
            as new_recommended_product_ids,
        sum(case when list_name = 'all' then 1 else 0 end) as all_list_length,
        sum(case when list_name = 'new' then 1 else 0 end) as new_list_length,
        max(as_of_date) as as_of_date,
        max(model_version) as model_version
    from fct_customer_recommendations
    group by 1
),

final as (
    select
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(is_cold_start as boolean) as is_cold_start,
        cast(all_list_method as {{ dbt.type_string() }}) as all_list_method,
        cast(new_list_method as {{ dbt.type_string() }}) as new_list_method,
        {%- for rank in [1, 2, 3] %}
            cast(recommended_product_{{ rank }}_id as {{ dbt.type_string() }})
                as recommended_product_{{ rank }}_id,
            cast(recommended_product_{{ rank }}_reason as {{ dbt.type_string() }})
                as recommended_product_{{ rank }}_reason,
            cast(recommended_new_product_{{ rank }}_id as {{ dbt.type_string() }})
                as recommended_new_product_{{ rank }}_id,
            cast(recommended_new_product_{{ rank }}_reason as {{ dbt.type_string() }})
                as recommended_new_product_{{ rank }}_reason,
        {%- endfor %}
        -- Arrays of product_id (already text): array types are named differently per engine.
        all_recommended_product_ids,
        new_recommended_product_ids,
        cast(all_list_length as integer) as all_list_length,
        cast(new_list_length as integer) as new_list_length,
        cast(as_of_date as date) as as_of_date,
        cast(model_version as {{ dbt.type_string() }}) as model_version
    from recommendations_pivoted_to_customers
)

select * from final
