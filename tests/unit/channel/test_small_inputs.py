"""Small or degenerate training data: clear errors, and an outlier rule that matches the SQL."""

import re
from dataclasses import replace

import duckdb
import numpy as np
import pandas as pd
import pytest

from customer_intelligence.channel import score_accounts, train_channel_model
from customer_intelligence.channel.features import SPEND_COLUMNS, feature_matrix
from customer_intelligence.channel.scoring import robust_z, spend_outliers
from customer_intelligence.channel.training import outlier_reference

FROZEN = SPEND_COLUMNS.index("frozen_spend")


def ten_accounts(accounts: pd.DataFrame) -> pd.DataFrame:
    """6 HORECA and 4 Retail accounts, as in a small customer file."""
    horeca = accounts[accounts["channel"] == "HORECA"].head(6)
    retail = accounts[accounts["channel"] == "Retail"].head(4)
    return pd.concat([horeca, retail], ignore_index=True)


def test_too_few_labelled_accounts_gives_counts_and_the_var(accounts, fast_config):
    small = pd.concat(
        [ten_accounts(accounts), accounts.tail(3).assign(channel=None)], ignore_index=True
    )
    message = (
        "channel classifier: 10 labelled accounts (HORECA 6, Retail 4) and 3 unlabelled; "
        "training needs at least channel_cv_splits = 5 labelled accounts of each channel. "
        "Add labelled accounts or set the var channel_cv_splits to a value from 2 to 4."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        train_channel_model(small, fast_config)


def test_lowering_channel_cv_splits_as_the_message_says_trains(accounts, fast_config):
    result = train_channel_model(ten_accounts(accounts), replace(fast_config, cv_splits=4))
    assert result.registry.loc[0, "training_rows"] == 10


def test_one_labelled_account_of_a_channel_says_no_var_helps(accounts, fast_config):
    small = ten_accounts(accounts).iloc[:7]  # 6 HORECA, 1 Retail
    with pytest.raises(ValueError, match=re.escape("(HORECA 6, Retail 1) and 0 unlabelled")):
        train_channel_model(small, fast_config)
    with pytest.raises(ValueError, match="no var helps: even channel_cv_splits = 2 needs 2"):
        train_channel_model(small, fast_config)


def test_only_one_channel_labelled(accounts, fast_config):
    message = (
        "channel classifier: 298 labelled accounts (HORECA 298, Retail 0) and 142 unlabelled; "
        "training needs labelled accounts of both channels, none are labelled Retail."
    )
    one_channel = accounts.assign(channel=accounts["channel"].where(lambda c: c == "HORECA"))
    with pytest.raises(ValueError, match=re.escape(message)):
        train_channel_model(one_channel, fast_config)


def test_no_labelled_accounts(accounts, fast_config):
    message = (
        "channel classifier: 0 labelled accounts (HORECA 0, Retail 0) and 440 unlabelled; "
        "training needs labelled accounts of both channels, none are labelled HORECA or Retail."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        train_channel_model(accounts.assign(channel=None), fast_config)


def test_constant_spend_columns_are_rejected(accounts, fast_config):
    constant = accounts.assign(**{column: 100.0 for column in SPEND_COLUMNS})
    message = (
        "channel classifier: no feature column (fresh_spend, milk_spend, grocery_spend, "
        "frozen_spend, detergents_paper_spend, delicatessen_spend) varies among the 440 "
        "labelled accounts: nothing to learn from."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        train_channel_model(constant, fast_config)


def mostly_zero_frozen(accounts: pd.DataFrame) -> pd.DataFrame:
    """300 of 440 accounts with Frozen = 0: the Frozen MAD of the log spends is 0."""
    out = accounts.copy()
    out.loc[out.index[:300], "frozen_spend"] = 0.0
    return out


def test_a_category_with_mad_zero_flags_no_outliers(accounts, trained):
    data = mostly_zero_frozen(accounts)
    median, mad = outlier_reference(feature_matrix(data)[:, : len(SPEND_COLUMNS)])
    assert mad[FROZEN] == 0
    model = replace(trained.model, outlier_median=median, outlier_mad=mad)
    registry = trained.registry.assign(artefact=model.to_json())
    scored = score_accounts(data, registry)
    z = robust_z(feature_matrix(data)[:, : len(SPEND_COLUMNS)], median, mad)
    assert np.isnan(z[:, FROZEN]).all()
    others = np.delete(z, FROZEN, axis=1)
    np.testing.assert_array_equal(scored["is_spend_outlier"], (others > 3.5).any(axis=1))
    np.testing.assert_allclose(scored["spend_robust_z_max"], others.max(axis=1))
    # 140 accounts buy frozen goods; without the rule every one of them was an "outlier".
    assert scored["is_spend_outlier"].sum() < 40


def test_every_category_with_mad_zero_gives_z_max_zero():
    z = robust_z(np.array([[0.0, 5.0], [1.0, 5.0]]), np.array([0.0, 5.0]), np.zeros(2))
    z_max, flagged = spend_outliers(z, 3.5)
    np.testing.assert_array_equal(z_max, [0.0, 0.0])
    np.testing.assert_array_equal(flagged, [False, False])


def sql_outlier_flags(data: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """The flag rule of int_wholesale_accounts_featured.sql, run in DuckDB on `data`."""
    categories = [column.removesuffix("_spend") for column in SPEND_COLUMNS]
    logs = ", ".join(f"ln(1 + {c}_spend) as log_{c}" for c in categories)
    medians = ", ".join(f"median(log_{c}) as median_{c}" for c in categories)
    deviations = ", ".join(f"abs(log_{c} - median_{c}) as deviation_{c}" for c in categories)
    mads = ", ".join(f"median(deviation_{c}) as mad_{c}" for c in categories)
    flags = ", ".join(
        f"coalesce(deviation_{c} / nullif(1.4826 * mad_{c}, 0) > {threshold}, false) as is_{c}"
        for c in categories
    )
    query = f"""
        with logged as (select account_id, {logs} from data),
        medians as (select {medians} from logged),
        deviations as (select account_id, {deviations} from logged cross join medians),
        mads as (select {mads} from deviations)
        select account_id, {flags} from deviations cross join mads order by account_id
    """
    return duckdb.connect().register("data", data).execute(query).df()


def test_python_and_sql_outlier_rules_agree(accounts):
    """Same accounts as reference and scored: the SQL and the Python flags coincide per category,
    including the MAD-0 Frozen column and the interpolated median of an even row count."""
    data = mostly_zero_frozen(accounts).sort_values("account_id")
    log_spend = feature_matrix(data)[:, : len(SPEND_COLUMNS)]
    median, mad = outlier_reference(log_spend)
    z = robust_z(log_spend, median, mad)
    python_flags = np.where(np.isnan(z), False, z > 3.5)
    sql = sql_outlier_flags(data, 3.5)
    sql_flags = sql.drop(columns="account_id").to_numpy(dtype=bool)
    np.testing.assert_array_equal(python_flags, sql_flags)
    np.testing.assert_array_equal(spend_outliers(z, 3.5)[1], sql_flags.any(axis=1))
    assert python_flags.any() and not python_flags[:, FROZEN].any()
