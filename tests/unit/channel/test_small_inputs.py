"""Small or degenerate training data: clear errors, and an outlier rule that matches the SQL."""

import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from customer_intelligence.channel import train_channel_model
from customer_intelligence.channel.features import SPEND_COLUMNS


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
        "training needs at least cv_splits = 5 labelled accounts of each channel. "
        "Add labelled accounts or set the setting cv_splits to a value from 2 to 4."
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
    with pytest.raises(ValueError, match="no setting helps: even cv_splits = 2 needs 2"):
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
    constant = accounts.assign(
        **{column: 100.0 for column in SPEND_COLUMNS},
        **{f"log_{column}": np.log1p(100.0) for column in SPEND_COLUMNS},
    )
    message = (
        "channel classifier: no feature column (fresh_spend, milk_spend, grocery_spend, "
        "frozen_spend, detergents_paper_spend, delicatessen_spend) varies among the 440 "
        "labelled accounts: nothing to learn from."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        train_channel_model(constant, fast_config)
