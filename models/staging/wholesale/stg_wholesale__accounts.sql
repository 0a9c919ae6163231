{#- house name: source column -#}
{%- set spends = wholesale_spend_categories() %}

{{- assert_input_contract(
    source('wholesale', 'accounts'),
    ['Channel', 'Region'] + spends.values() | list,
    'wholesale_accounts',
) -}}

with

source as (

    select * from {{ source('wholesale', 'accounts') }}

),

numbered as (

    select
        {{ source_row_number() }} as account_id,
        {%- for house_name, source_name in spends.items() %}
            nullif(trim(cast({{ source_name | lower }} as {{ dbt.type_string() }})), '')
                as raw_{{ house_name }}_spend,
        {%- endfor %}
        -- "2.0" (pandas writes a column with empty cells as floats) is 2; "nan", "NA" are empty.
        {{ clean_code_text('cast(channel as ' ~ dbt.type_string() ~ ')') }} as raw_channel,
        {{ clean_code_text('cast(region as ' ~ dbt.type_string() ~ ')') }} as raw_region
    from source

),

typed as (

    select
        cast(account_id as integer) as account_id,
        case raw_channel
            when '1' then 'HORECA'
            when '2' then 'Retail'
        end as channel,
        case raw_region
            when '1' then 'Lisbon'
            when '2' then 'Oporto'
            when '3' then 'Other'
        end as region,
        -- NaN and infinities are not spends: null, so the not_null test stops the build.
        {%- for house_name in spends %}
            {{ within_or_null(dbt.safe_cast('raw_' ~ house_name ~ '_spend', type_double())) }}
                as {{ house_name }}_spend,
            raw_{{ house_name }}_spend,
        {%- endfor %}
        raw_channel is null as is_unlabelled,
        raw_channel,
        raw_region
    from numbered

)

select * from typed
