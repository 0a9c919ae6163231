{{- assert_input_contract(
    source('online_retail', 'transactions'),
    ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice',
        'CustomerID', 'Country'],
    'transactions',
) -}}
{{- assert_csv_field_counts('transactions') -}}
{{- assert_timestamps_parse(
    source('online_retail', 'transactions'), 'InvoiceDate', var('transactions_date_format'),
    'transactions',
) -}}

with

source as (

    select * from {{ source('online_retail', 'transactions') }}

),

non_product_stock_codes as (

    select * from {{ ref('non_product_stock_codes') }}

),

trimmed as (

    -- Everything as trimmed text first: a value that does not type is kept, not lost.
    select
        nullif(trim(cast(invoiceno as {{ dbt.type_string() }})), '') as raw_invoice_no,
        nullif(trim(cast(stockcode as {{ dbt.type_string() }})), '') as raw_stock_code,
        nullif(trim(cast(description as {{ dbt.type_string() }})), '') as raw_description,
        nullif(trim(cast(quantity as {{ dbt.type_string() }})), '') as raw_quantity,
        nullif(trim(cast(invoicedate as {{ dbt.type_string() }})), '') as raw_invoice_date,
        nullif(trim(cast(unitprice as {{ dbt.type_string() }})), '') as raw_unit_price,
        nullif(trim(cast(customerid as {{ dbt.type_string() }})), '') as raw_customer_id,
        nullif(trim(cast(country as {{ dbt.type_string() }})), '') as raw_country
    from source

),

{%- set raw_columns = [
    'raw_invoice_no', 'raw_stock_code', 'raw_description', 'raw_quantity', 'raw_invoice_date',
    'raw_unit_price', 'raw_customer_id', 'raw_country',
] %}

copies_counted as (

    select
        *,
        count(*) over (partition by {{ raw_columns | join(', ') }}) as copy_count
    from trimmed

),

-- Identical rows (all eight fields equal) are copies; an ordinal tells the first from the rest.
-- Only the ~1% of rows that have copies need numbering, so the costly row_number runs on them
-- alone. Copies are indistinguishable, so which one is "first" changes no output.
single_rows as (

    select
        *,
        1 as duplicate_ordinal
    from copies_counted
    where copy_count = 1

),

repeated_rows as (

    select
        *,
        row_number() over (
            partition by {{ raw_columns | join(', ') }}
            order by raw_invoice_no
        ) as duplicate_ordinal
    from copies_counted
    where copy_count > 1

),

numbered as (

    select * from single_rows
    union all
    select * from repeated_rows

),

fingerprinted as (

    select
        *,
        {%- set fingerprint_parts = [] %}
        {%- for column in raw_columns %}
            {%- do fingerprint_parts.append("coalesce(" ~ column ~ ", '<null>')") %}
            {%- if not loop.last %}{% do fingerprint_parts.append("'|'") %}{% endif %}
        {%- endfor %}
        {{ dbt.hash(dbt.concat(fingerprint_parts)) }} as line_fingerprint
    from numbered

),

typed as (

    select
        case
            when duplicate_ordinal = 1 then line_fingerprint
            else {{ dbt.hash(dbt.concat([
                "line_fingerprint", "'#'", dbt.safe_cast("duplicate_ordinal", dbt.type_string())
            ])) }}
        end as transaction_line_id,
        raw_invoice_no as invoice_id,
        upper(raw_stock_code) as product_id,
        raw_description as product_description,
        {{ dbt.safe_cast('raw_quantity', type_double()) }} as quantity_value,
        {{ safe_parse_timestamp('raw_invoice_date', var('transactions_date_format')) }}
            as invoiced_at,
        {{ dbt.safe_cast('raw_unit_price', type_double()) }} as unit_price_value,
        -- "17850.0" (a float export) is customer 17850; "NA", "nan" (R, pandas) are no customer.
        {{ clean_code_text('raw_customer_id') }} as customer_id,
        raw_country as country,
        {%- for column in raw_columns %}
            {{ column }},
        {%- endfor %}
        duplicate_ordinal
    from fingerprinted

),

-- Codes are matched to the patterns once per distinct code, then joined back by equality: no
-- correlated subquery in a select list (which Spark does not allow), and a few thousand LIKE
-- tests instead of one per row.
product_ids as (

    select distinct product_id from typed

),

non_product_ids as (

    -- product_id is upper case already.
    select distinct product_ids.product_id
    from product_ids
    inner join non_product_stock_codes
        on product_ids.product_id like upper(non_product_stock_codes.stock_code_pattern)

),

classified as (

    select
        typed.*,
        non_product_ids.product_id is not null as is_non_product
    from typed
    left join non_product_ids
        on typed.product_id = non_product_ids.product_id

),

flagged as (

    select
        transaction_line_id,
        invoice_id,
        product_id,
        product_description,
        -- A value that is not a usable number or date becomes null, so its row is rejected with a
        -- reason (invalid_quantity, invalid_unit_price, invalid_invoice_date) instead of failing a
        -- later cast: a quantity must be a whole number that fits 32 bits; a timestamp must be
        -- within the vars plausible_dates_from / plausible_dates_before.
        case
            when quantity_value = floor(quantity_value)
                then cast(
                    {{ within_or_null('quantity_value', 2147483647) }} as {{ dbt.type_bigint() }}
                )
        end as quantity,
        {%- set plausible_timestamp -%}
            invoiced_at >= cast('{{ var("plausible_dates_from") }}' as {{ dbt.type_timestamp() }})
            and invoiced_at < cast('{{ var("plausible_dates_before") }}' as {{ dbt.type_timestamp() }})
        {%- endset %}
        case when {{ plausible_timestamp }} then invoiced_at end as invoiced_at,
        case when {{ plausible_timestamp }} then cast(invoiced_at as date) end as invoice_date,
        {{ within_or_null('unit_price_value') }} as unit_price,
        customer_id,
        country,
        coalesce(upper(invoice_id) like 'C%', false) as is_cancellation,
        coalesce(upper(invoice_id) like 'A%', false) as is_adjustment,
        is_non_product,
        customer_id is not null as has_customer,
        duplicate_ordinal > 1 as is_duplicate_line,
        coalesce(lower(raw_invoice_no) = 'invoiceno', false) as is_repeated_header,
        raw_invoice_no,
        raw_stock_code,
        raw_description,
        raw_quantity,
        raw_invoice_date,
        raw_unit_price,
        raw_customer_id,
        raw_country
    from classified

)

select * from flagged
