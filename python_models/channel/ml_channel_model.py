"""Train the HORECA-vs-Retail classifier and return its registry row (artefact inside).

All algorithm code lives in `customer_intelligence.channel`. Parameters come from the YAML config
`channel_training` (a mapping templated from vars, so values arrive as strings and are cast by
`config_from_mapping`).
"""

import pandas as pd

from customer_intelligence.channel import config_from_mapping, train_channel_model


def model(dbt, session):
    dbt.config(materialized="table")
    training = dbt.config.get("channel_training")
    config = config_from_mapping(training or {})
    accounts = dbt.ref("int_wholesale_accounts_featured").df()
    registry = train_channel_model(accounts, config).registry
    # A typed DATE even when null, so the SQL registry can union rows of every model.
    registry["as_of_date"] = pd.array(registry["as_of_date"], dtype="date32[pyarrow]")
    return registry
