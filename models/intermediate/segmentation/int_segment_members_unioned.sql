-- One row per member of a segmented population (retail customers and wholesale accounts): its
-- behavioural segment, its value (monetary or total spend; missing = 0; exact decimal, so sums do
-- not depend on the order a parallel engine adds them) and its reference category (the RFM
-- segment or the sales channel; missing = '(none)').
with

ml_retail_segment_assignments as (
    select * from {{ ref('ml_retail_segment_assignments') }}
),

ml_wholesale_segment_assignments as (
    select * from {{ ref('ml_wholesale_segment_assignments') }}
),

int_customers_rfm_scored as (
    select * from {{ ref('int_customers_rfm_scored') }}
),

int_wholesale_accounts_featured as (
    select * from {{ ref('int_wholesale_accounts_featured') }}
),

customers_segmented as (
    select
        assignments.population,
        assignments.customer_id as member_id,
        assignments.segment_id,
        assignments.segment_name,
        assignments.segment_archetype,
        assignments.is_segment_outlier,
        cast(coalesce(customers.monetary, 0) as {{ type_money() }}) as member_value,
        'rfm_segment' as reference_column,
        coalesce(customers.rfm_segment, '(none)') as reference_segment
    from ml_retail_segment_assignments as assignments
    inner join int_customers_rfm_scored as customers
        on assignments.customer_id = customers.customer_id
),

accounts_segmented as (
    select
        assignments.population,
        cast(assignments.account_id as {{ dbt.type_string() }}) as member_id,
        assignments.segment_id,
        assignments.segment_name,
        assignments.segment_archetype,
        assignments.is_segment_outlier,
        cast(coalesce(featured_accounts.total_spend, 0) as {{ type_money() }}) as member_value,
        'channel' as reference_column,
        coalesce(featured_accounts.channel, '(none)') as reference_segment
    from ml_wholesale_segment_assignments as assignments
    inner join int_wholesale_accounts_featured as featured_accounts
        on assignments.account_id = featured_accounts.account_id
),

members_unioned as (
    select * from customers_segmented
    union all
    select * from accounts_segmented
)

select * from members_unioned
