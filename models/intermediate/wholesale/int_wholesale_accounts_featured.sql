-- Model-ready features per account: log spends, shares, and robust outlier flags (a modified
-- z-score on log spends over every account: |x - median| / (1.4826 * MAD) above var
-- spend_outlier_robust_z). The one home of the unusual-spend rule.
{%- set categories = wholesale_spend_categories().keys() | list %}

with

accounts as (

    select * from {{ ref('stg_wholesale__accounts') }}

),

logged as (

    select
        account_id,
        channel,
        region,
        {%- for category in categories %}
            {{ category }}_spend,
            ln(1 + {{ category }}_spend) as log_{{ category }}_spend,
        {%- endfor %}
        (
            {%- for category in categories %}
                {{ '+ ' if not loop.first }}{{ category }}_spend
            {%- endfor %}
        ) as total_spend
    from accounts

),

medians as (

    select
        {%- for category in categories %}
            {{ median('log_' ~ category ~ '_spend') }} as median_log_{{ category }}
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from logged

),

deviations as (

    select
        {%- for category in categories %}
            abs(logged.log_{{ category }}_spend - medians.median_log_{{ category }})
                as deviation_{{ category }},
        {%- endfor %}
        logged.account_id
    from logged
    cross join medians

),

median_absolute_deviations as (

    select
        {%- for category in categories %}
            {{ median('deviation_' ~ category) }} as mad_{{ category }}
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from deviations

),

scored as (

    select
        {%- for category in categories %}
            deviations.deviation_{{ category }}
            / nullif(1.4826 * mads.mad_{{ category }}, 0) as robust_z_{{ category }},
        {%- endfor %}
        deviations.account_id
    from deviations
    cross join median_absolute_deviations as mads

),

-- A category whose MAD is 0 (over half of the accounts share one log spend, e.g. no frozen
-- goods) has no spread to measure against: its z is null and it flags nobody.
flagged as (

    select
        {%- for category in categories %}
            coalesce(
                robust_z_{{ category }} > {{ var('spend_outlier_robust_z') }}, false
            ) as is_{{ category }}_spend_outlier,
        {%- endfor %}
        greatest(
            {%- for category in categories %}
                coalesce(robust_z_{{ category }}, 0){{ ',' if not loop.last }}
            {%- endfor %}
        ) as spend_robust_z_max,
        account_id
    from scored

),

final as (

    select
        logged.account_id,
        logged.channel,
        logged.region,
        {%- for category in categories %}
            logged.{{ category }}_spend,
        {%- endfor %}
        logged.total_spend,
        {%- for category in categories %}
            logged.log_{{ category }}_spend,
        {%- endfor %}
        {%- for category in categories %}
            logged.{{ category }}_spend / nullif(logged.total_spend, 0) as {{ category }}_share,
        {%- endfor %}
        percent_rank() over (order by logged.total_spend) >= 0.95 as is_top_5pct_spend,
        {%- for category in categories %}
            flagged.is_{{ category }}_spend_outlier,
        {%- endfor %}
        (
            {%- for category in categories %}
                {{ 'or ' if not loop.first }}flagged.is_{{ category }}_spend_outlier
            {%- endfor %}
        ) as is_spend_outlier,
        flagged.spend_robust_z_max
    from logged
    inner join flagged
        on logged.account_id = flagged.account_id

)

select * from final
