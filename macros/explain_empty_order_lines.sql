{% macro explain_empty_order_lines(order_lines, rejects) %}
    {#-
        Stops the build with words when no input row became an order line: the count of rows
        rejected per reason and what each leading reason usually means. Runs when the test that
        calls it executes, after the two tables are built.
    -#}
    {%- if not execute or load_relation(order_lines) is none -%}{{ return('') }}{%- endif -%}
    {%- set kept = run_query('select count(*) from ' ~ order_lines).columns[0].values()[0] -%}
    {%- if kept > 0 -%}{{ return('') }}{%- endif -%}
    {%- set reasons = run_query(
        'select rejection_reason, count(*) from ' ~ rejects ~ ' group by 1 order by 2 desc, 1'
    ) -%}
    {%- set hints = {
        'on_or_after_as_of_date': 'the var as_of_date is on or before the first sale',
        'invalid_invoice_date': 'InvoiceDate does not match the var transactions_date_format',
        'invalid_quantity': 'Quantity is not a whole number (a decimal comma?)',
        'invalid_unit_price': 'UnitPrice is not a number (a decimal comma such as 1,25?)',
        'missing_customer_id': 'no row has a CustomerID: only guest sales',
        'cancellation_unmatched': 'the log holds cancellations but no sale they cancel',
        'cancellation_netted': 'every sale is cancelled in full',
    } -%}
    {%- set counts = [] -%}
    {%- set advice = [] -%}
    {%- for row in reasons.rows -%}
        {%- do counts.append(row[0] ~ ' ' ~ row[1]) -%}
        {%- if row[0] in hints and advice | length < 2 -%}
            {%- do advice.append(hints[row[0]]) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(
        'No transaction line was kept: every input row was rejected ('
        ~ (counts | join(', ') or 'no input row') ~ '). '
        ~ ('Likely: ' ~ (advice | join('; ')) ~ '. ' if advice else '')
        ~ 'fct_transaction_rejects gives each row with its reason.'
    ) }}
{% endmacro %}
