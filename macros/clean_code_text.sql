{% macro clean_code_text(expression) -%}
    {#- An identifier or code as exports write it: trimmed; empty and the spellings of "no value"
        that R, pandas and SQL dumps write (NA, N/A, nan, null, none) become null; a float's
        trailing ".0" is dropped ("17850.0" and "2.0" are 17850 and 2). The dot is a character
        class, not an escape: engines disagree on backslashes in string literals. -#}
    case
        when lower(trim({{ expression }})) in ('', 'na', 'n/a', 'nan', 'null', 'none') then null
        else nullif(regexp_replace(trim({{ expression }}), '[.]0+$', ''), '')
    end
{%- endmacro %}
