"""Quality bar on the shipped real data (CSV files, quick pandas cleaning; no warehouse needed).

Retail: log-RFM features, k = 2..5 evaluated with the production rule (choose_k_min = 3). The
chosen k must reach silhouette >= 0.30, smallest cluster >= 5% and bootstrap stability >= 0.9.
Wholesale: log spends + shares; the chosen k must be stable (>= 0.9) with no tiny cluster.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import CATEGORIES, retail_config, wholesale_config

from customer_intelligence.segmentation import choose_k, evaluate_k_range

DATA = Path(__file__).resolve().parents[3] / "data"


def shipped_retail_rfm() -> pd.DataFrame:
    raw = pd.read_csv(
        DATA / "online_retail.csv.gz",
        dtype={"InvoiceNo": "string", "StockCode": "string", "CustomerID": "string"},
    ).drop_duplicates()
    keep = (
        raw["CustomerID"].notna()
        & ~raw["InvoiceNo"].str.startswith("C")
        & (raw["Quantity"] > 0)
        & (raw["UnitPrice"] > 0)
    )
    lines = raw[keep].assign(
        amount=lambda d: d["Quantity"] * d["UnitPrice"],
        invoiced_at=lambda d: pd.to_datetime(d["InvoiceDate"]),
    )
    customers = lines.groupby("CustomerID").agg(
        last=("invoiced_at", "max"), frequency=("InvoiceNo", "nunique"), monetary=("amount", "sum")
    )
    customers["recency_days"] = (pd.Timestamp("2011-12-10") - customers["last"]).dt.days.clip(
        lower=1
    )
    return customers.reset_index().rename(columns={"CustomerID": "customer_id"})


def shipped_wholesale() -> pd.DataFrame:
    raw = pd.read_csv(DATA / "wholesale_customers.csv")
    source = ["Fresh", "Milk", "Grocery", "Frozen", "Detergents_Paper", "Delicassen"]
    out = pd.DataFrame({"account_id": np.arange(1, len(raw) + 1)})
    for column, category in zip(source, CATEGORIES, strict=True):
        out[f"{category}_spend"] = raw[column].astype(float)
    out["total_spend"] = out[[f"{c}_spend" for c in CATEGORIES]].sum(axis=1)
    for category in CATEGORIES:
        out[f"{category}_share"] = out[f"{category}_spend"] / out["total_spend"]
        out[f"log_{category}_spend"] = np.log1p(out[f"{category}_spend"])
    return out


@pytest.mark.skipif(not (DATA / "online_retail.csv.gz").exists(), reason="shipped data missing")
def test_retail_quality_bar():
    frame = shipped_retail_rfm()
    assert 4_300 <= len(frame) <= 4_400
    config = retail_config(k_min=2, k_max=5, choose_k_min=3, n_bootstrap=10, n_init=10)
    table = evaluate_k_range(frame, config).set_index("k")
    k, _ = choose_k(table.reset_index(), config)
    assert table.loc[k, "silhouette"] >= 0.30
    assert table.loc[k, "silhouette"] < 0.5  # far above 0.5 would mean a tiny outlier cluster
    assert table.loc[k, "smallest_cluster_share"] >= 0.05
    assert table.loc[k, "stability_ari"] >= 0.9


@pytest.mark.skipif(not (DATA / "wholesale_customers.csv").exists(), reason="shipped data missing")
def test_wholesale_chosen_k_is_stable():
    config = wholesale_config(k_min=2, k_max=4, n_bootstrap=10, n_init=10)
    table = evaluate_k_range(shipped_wholesale(), config).set_index("k")
    k, reason = choose_k(table.reset_index(), config)
    assert "size and stability" in reason
    assert table.loc[k, "smallest_cluster_share"] >= 0.05
    assert table.loc[k, "stability_ari"] >= 0.9
