"""Bad transaction input gives a clear error naming the file and column, or lands in rejects."""

from __future__ import annotations

from pathlib import Path

import pytest

from .dbt_runner import run_dbt

pytestmark = pytest.mark.integration

HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"
GOOD = "536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom"


def _write(path: Path, *lines: str) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines))
    return path


@pytest.mark.parametrize(
    ("name", "lines", "expected"),
    [
        ("empty.csv", [], ["is empty"]),
        ("header_only.csv", [HEADER], ["has a header but no data rows"]),
        (
            "no_price.csv",
            [HEADER.replace(",UnitPrice", ""), GOOD.replace(",2.55", "")],
            ["missing the column 'UnitPrice'"],
        ),
        (
            "twice.csv",
            [HEADER.replace("Quantity", "Quantity,Quantity"), GOOD.replace(",6,", ",6,6,")],
            ["'Quantity' more than once"],
        ),
    ],
)
def test_unusable_file_fails_early_naming_file_and_column(
    tmp_path: Path, name: str, lines: list[str], expected: list[str]
) -> None:
    path = tmp_path / name
    if lines:
        _write(path, *lines)
    else:
        path.write_text("")
    run = run_dbt(
        ["run", "--select", "stg_online_retail__transactions"], tmp_path / "dbt", transactions=path
    )
    assert run.returncode != 0
    assert str(path) in run.output
    for fragment in expected:
        assert fragment in run.output


def test_missing_file_names_the_path_and_the_var(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "transactions.csv"
    run = run_dbt(
        ["run", "--select", "stg_online_retail__transactions"],
        tmp_path / "dbt",
        transactions=missing,
    )
    assert run.returncode != 0
    assert f"'{missing}'" in run.output
    assert "matches no file" in run.output
    assert "transactions_path" in run.output


def test_malformed_rows_land_in_rejects_with_reasons(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "messy.csv",
        HEADER,
        GOOD,
        "536366,22633,HAND WARMER,6,not a date,1.85,17850,United Kingdom",
        "536367,22632,HAND WARMER RED,six,2010-12-01 08:28:00,1.85,17850,United Kingdom",
        "536368,22632,HAND WARMER RED,2.5,2010-12-01 08:28:00,1.85,17850,United Kingdom",
        "536369,84879,ASSORTED BIRD,32,2010-12-01 08:34:00,abc,13047,United Kingdom",
        HEADER,
        GOOD,
        "C536370,85123A,WHITE HANGING HEART,-2,2010-12-02 09:00:00,2.55,17850,United Kingdom",
        "536371,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,2.55,,United Kingdom",
        "536372,85123A,WHITE HANGING HEART,NaN,2010-12-01 08:26:00,2.55,17850,United Kingdom",
        "536373,85123A,WHITE HANGING HEART,3000000000,2010-12-01 08:26:00,2.55,17850,UK",
        "536374,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,inf,17850,United Kingdom",
        "536375,85123A,WHITE HANGING HEART,6,0010-12-01 08:26:00,2.55,17850,United Kingdom",
        "536376,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,2.55,NA,United Kingdom",
        '536377,21730,"GLASS STAR\nLANTERN, FROSTED",2,2010-12-01 09:00:00,4.25,17850.0,UK',
    )
    # The selector alone (no --indirect-selection flag) builds on a fresh warehouse.
    run = run_dbt(["build", "--selector", "sql_layer"], tmp_path / "dbt", transactions=path)
    assert run.returncode == 0, run.output[-3000:]
    con = run.connect()
    reasons = dict(
        con.sql(
            "select raw_invoice_no, rejection_reason from marts.fct_transaction_rejects"
        ).fetchall()
    )
    assert reasons == {
        "536366": "invalid_invoice_date",
        "536367": "invalid_quantity",
        "536368": "invalid_quantity",
        "536369": "invalid_unit_price",
        "InvoiceNo": "repeated_header_row",
        "536365": "duplicate_line",
        "C536370": "cancellation_netted",
        "536371": "missing_customer_id",
        "536372": "invalid_quantity",
        "536373": "invalid_quantity",
        "536374": "invalid_unit_price",
        "536375": "invalid_invoice_date",
        "536376": "missing_customer_id",
    }
    kept = con.sql(
        "select invoice_id, customer_id, product_description, quantity, net_quantity"
        " from marts.fct_order_lines order by 1"
    ).fetchall()
    assert kept == [
        ("536365", "17850", "WHITE HANGING HEART", 6, 4),
        ("536377", "17850", "GLASS STAR\nLANTERN, FROSTED", 2, 2),
    ]


def test_dates_that_do_not_parse_fail_early_showing_a_value_and_the_var(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "us_dates.csv",
        HEADER,
        GOOD.replace("2010-12-01 08:26:00", "12/1/2010 8:26"),
        GOOD.replace("2010-12-01 08:26:00", "12/2/2010 9:30"),
    )
    run = run_dbt(
        ["run", "--select", "stg_online_retail__transactions"], tmp_path / "dbt", transactions=path
    )
    assert run.returncode != 0
    for fragment in [str(path), "InvoiceDate", "'12/1/2010 8:26'", "transactions_date_format"]:
        assert fragment in run.output


def test_a_build_that_keeps_no_row_fails(tmp_path: Path) -> None:
    path = _write(tmp_path / "one.csv", HEADER, GOOD)
    run = run_dbt(
        ["build", "--selector", "sql_layer"],
        tmp_path / "dbt",
        transactions=path,
        variables={"as_of_date": "2009-01-01"},
    )
    assert run.returncode != 0
    assert (
        "No transaction line was kept: every input row was rejected (on_or_after_as_of_date 1). "
        "Likely: the var as_of_date is on or before the first sale."
    ) in run.output
    # Rows after a replayed day are not bad rows: no warning about the rejected share.
    assert "WARN 1 assert_most_transaction_lines_are_kept" not in run.output
    only_cancellations = _write(
        tmp_path / "cancellations.csv",
        HEADER,
        "C536370,85123A,WHITE HANGING HEART,-2,2010-12-02 09:00:00,2.55,17850,United Kingdom",
        "C536371,22633,HAND WARMER,-1,2010-12-02 09:00:00,1.85,17850,United Kingdom",
    )
    run = run_dbt(
        ["build", "--selector", "sql_layer"], tmp_path / "dbt2", transactions=only_cancellations
    )
    assert run.returncode != 0
    assert "every input row was rejected (cancellation_unmatched 2)" in run.output
    assert "the log holds cancellations but no sale they cancel" in run.output


def test_a_globbed_file_missing_a_column_is_named(tmp_path: Path) -> None:
    _write(tmp_path / "sales_1.csv", HEADER, GOOD)
    short = _write(
        tmp_path / "sales_2.csv", HEADER.replace(",UnitPrice", ""), GOOD.replace(",2.55", "")
    )
    run = run_dbt(
        ["run", "--select", "stg_online_retail__transactions"],
        tmp_path / "dbt",
        transactions=tmp_path / "sales_*.csv",
    )
    assert run.returncode != 0
    assert f"Input file '{short}', one of the 2 files" in run.output
    assert "missing the column 'UnitPrice'" in run.output


def test_a_missing_table_and_an_impossible_as_of_date_are_named(tmp_path: Path) -> None:
    run = run_dbt(
        ["run", "--select", "stg_online_retail__transactions"],
        tmp_path / "dbt",
        variables={"transactions_table": "main.no_such_sales"},
    )
    assert run.returncode != 0
    assert "table 'main.no_such_sales' (var transactions_table) is no table or view" in run.output
    run = run_dbt(
        ["run", "--select", "int_as_of_dates_resolved"],
        tmp_path / "dbt2",
        variables={"as_of_date": "2011-02-30"},
    )
    assert run.returncode != 0
    assert "var as_of_date '2011-02-30' is not a calendar date" in run.output


def test_rows_with_more_fields_than_the_header_are_named_not_cut(tmp_path: Path) -> None:
    # DuckDB's lenient reader drops the extra fields of a row beyond its sniffing sample (20,480
    # lines), and gives a row within it an unnamed column that staging never reads.
    shifted = "536380,85123B,WHITE HANGING, HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom"
    filler = [GOOD.replace("536365", f"9{number:06d}") for number in range(25_000)]
    late = _write(tmp_path / "late.csv", HEADER, *filler, shifted)
    early = _write(
        tmp_path / "early.csv", HEADER, GOOD, GOOD.replace("United Kingdom", "Korea, Republic of")
    )
    cases = [
        (late, f"line 25002: '{shifted}'"),
        (early, "'536365|85123A|WHITE HANGING HEART|6|2010-12-01 08:26:00|2.55|17850|Korea"),
    ]
    for path, example in cases:
        run = run_dbt(
            ["run", "--select", "stg_online_retail__transactions"],
            tmp_path / path.stem,
            transactions=path,
        )
        assert run.returncode != 0
        assert (
            f"Input file '{path}' (var transactions_path) has 1 row(s) with more fields than its"
            " header: a value holds an unquoted ','"
        ) in run.output
        assert example in run.output
        assert "set the var transactions_allow_extra_fields: true" in run.output
    run = run_dbt(
        ["build", "--selector", "sql_layer"],
        tmp_path / "allowed",
        transactions=late,
        variables={"transactions_allow_extra_fields": True},
    )
    assert run.returncode == 0, run.output[-3000:]
    assert "Building anyway (transactions_allow_extra_fields is true)" in run.output
    rejected = run.connect().sql(
        "select rejection_reason, raw_quantity from marts.fct_transaction_rejects"
        " where raw_invoice_no = '536380'"
    )
    assert rejected.fetchall() == [("invalid_invoice_date", "HEART")]
    # A trailing separator on every line (an empty unnamed column) is no extra field.
    trailing = _write(tmp_path / "trailing.csv", f"{HEADER},", f"{GOOD},")
    run = run_dbt(
        ["build", "--selector", "sql_layer"],
        tmp_path / "trailing",
        transactions=trailing,
    )
    assert run.returncode == 0, run.output[-3000:]


def test_failing_wholesale_spends_name_the_accounts(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "accounts.csv",
        "Channel,Region,Fresh,Milk,Grocery,Frozen,Detergents_Paper,Delicassen",
        "1,3,100,200,300,400,500,600",
        "2,3,-5,200,300,400,500,600",
        "1,3,100,abc,300,400,500,600",
    )
    run = run_dbt(
        ["build", "--select", "stg_wholesale__accounts"], tmp_path / "dbt", wholesale=path
    )
    assert run.returncode != 0
    assert "FAIL 1 accepted_range_stg_wholesale__accounts_fresh_spend" in run.output
    assert 'select * from "warehouse"."audit"."not_null_stg_wholesale__accounts_milk_spend"' in (
        run.output
    )
    con = run.connect()
    negative = "audit.accepted_range_stg_wholesale__accounts_fresh_spend__0"
    assert con.sql(f"select account_id, raw_fresh_spend from {negative}").fetchall() == [(2, "-5")]
    missing = "audit.not_null_stg_wholesale__accounts_milk_spend"
    assert con.sql(f"select account_id, raw_milk_spend from {missing}").fetchall() == [(3, "abc")]
