"""Model features from an accounts frame: log spends (and optionally region one-hot).

Input grain: one row per account of `int_wholesale_accounts_featured`: the raw spends
(`fresh_spend` ... `delicatessen_spend`, >= 0), the log spends SQL computes from them
(`log_fresh_spend` ..., ln(1 + spend)), `channel` ('HORECA' | 'Retail' | null) and, when
`use_region`, `region`. The only transform here is a one-hot on a fixed vocabulary; anything
fitted (standardisation) lives inside the candidate pipelines, refitted per CV fold.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SPEND_COLUMNS: tuple[str, ...] = (
    "fresh_spend",
    "milk_spend",
    "grocery_spend",
    "frozen_spend",
    "detergents_paper_spend",
    "delicatessen_spend",
)
LOG_SPEND_COLUMNS: tuple[str, ...] = tuple(f"log_{column}" for column in SPEND_COLUMNS)
REGIONS: tuple[str, ...] = ("Lisbon", "Oporto", "Other")
CHANNELS: tuple[str, str] = ("HORECA", "Retail")  # index 1 (Retail) is the positive class
UCI_COLUMNS: dict[str, str] = {
    "Fresh": "fresh_spend",
    "Milk": "milk_spend",
    "Grocery": "grocery_spend",
    "Frozen": "frozen_spend",
    "Detergents_Paper": "detergents_paper_spend",
    "Delicassen": "delicatessen_spend",
}


def feature_names(use_region: bool) -> list[str]:
    """Feature names in model order: the spend columns, then `region_<name>` dummies."""
    names = list(SPEND_COLUMNS)
    if use_region:
        names += [f"region_{region.lower()}" for region in REGIONS]
    return names


def validate_accounts(accounts: pd.DataFrame, use_region: bool = False) -> None:
    """Raise ValueError when required columns are missing or spends are missing/negative."""
    required = ["account_id", *SPEND_COLUMNS, *LOG_SPEND_COLUMNS] + (
        ["region"] if use_region else []
    )
    missing = [column for column in required if column not in accounts.columns]
    if missing:
        raise ValueError(f"accounts frame lacks columns {missing}")
    spends = accounts[list(SPEND_COLUMNS)].to_numpy(dtype=np.float64, na_value=np.nan)
    for problem, bad in (
        ("missing or not finite", ~np.isfinite(spends)),
        ("negative", spends < 0),
    ):
        if bad.any():
            columns = [
                column for column, hit in zip(SPEND_COLUMNS, bad.any(axis=0), strict=True) if hit
            ]
            ids = accounts["account_id"].to_numpy()[bad.any(axis=1)].tolist()
            raise ValueError(
                f"{problem} spend in {columns} for {len(ids)} account(s), e.g. account_id {ids[:5]}"
            )
    if accounts["account_id"].duplicated().any():
        raise ValueError("account_id is not unique")


def feature_matrix(accounts: pd.DataFrame, use_region: bool = False) -> np.ndarray:
    """(n_accounts, n_features) float64 matrix: the log spends, then region dummies.

    A null or unknown region gives all-zero dummies.
    """
    matrix = accounts[list(LOG_SPEND_COLUMNS)].to_numpy(dtype=np.float64)
    if use_region:
        region = accounts["region"].astype("string")
        dummies = np.column_stack([(region == name).fillna(False).to_numpy() for name in REGIONS])
        matrix = np.column_stack([matrix, dummies.astype(np.float64)])
    return matrix


def labels(accounts: pd.DataFrame) -> np.ndarray:
    """1 for Retail, 0 for HORECA, -1 for unlabelled (null or empty channel)."""
    channel = accounts["channel"].astype("string").str.strip()
    out = np.full(len(accounts), -1, dtype=np.int64)
    out[(channel == CHANNELS[0]).fillna(False).to_numpy()] = 0
    out[(channel == CHANNELS[1]).fillna(False).to_numpy()] = 1
    unknown = channel.notna() & (channel != "") & ~channel.isin(CHANNELS)
    if unknown.any():
        raise ValueError(f"unexpected channel values {sorted(channel[unknown].unique())}")
    return out


def from_uci_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """Map the UCI 'Wholesale customers' file to the `int_wholesale_accounts_featured` names.

    Output grain: one row per file row; `account_id` is the 1-based row order. Only the columns the
    package reads are produced. An offline stand-in for the SQL model (tests, benchmarks,
    research): the warehouse reads the log spends from SQL, not from here.
    """
    accounts = raw.rename(columns=UCI_COLUMNS)[list(SPEND_COLUMNS)].astype(np.float64)
    for column, log_column in zip(SPEND_COLUMNS, LOG_SPEND_COLUMNS, strict=True):
        accounts[log_column] = np.log1p(accounts[column])
    accounts.insert(0, "account_id", np.arange(1, len(raw) + 1, dtype=np.int64))
    accounts.insert(1, "channel", raw["Channel"].map({1: "HORECA", 2: "Retail"}).astype("string"))
    accounts.insert(2, "region", raw["Region"].map(dict(enumerate(REGIONS, 1))).astype("string"))
    return accounts
