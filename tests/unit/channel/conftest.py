"""Fixtures for the channel classifier tests: the shipped UCI file and a fast training config."""

from pathlib import Path

import pandas as pd
import pytest

from customer_intelligence.channel import ChannelConfig, from_uci_frame, train_channel_model

DATA = Path(__file__).resolve().parents[3] / "data" / "wholesale_customers.csv"


@pytest.fixture(scope="session")
def accounts() -> pd.DataFrame:
    """The 440 shipped accounts under the int_wholesale_accounts_featured column names."""
    return from_uci_frame(pd.read_csv(DATA))


@pytest.fixture(scope="session")
def fast_config() -> ChannelConfig:
    """Small forests and one CV repeat: the same code paths in a few seconds."""
    return ChannelConfig(
        cv_repeats=1,
        rf_trees=20,
        xgb_trees=40,
        calibration_folds=2,
        permutation_repeats=1,
        selection_metric="brier",
    )


@pytest.fixture(scope="session")
def trained(accounts, fast_config):
    return train_channel_model(accounts, fast_config)
