"""Train the HORECA-vs-Retail classifier, or reuse the last build's, and return its registry row.

All algorithm code lives in `customer_intelligence.channel`. Parameters come from the YAML config
`channel_training` (a mapping templated from vars, so values arrive as strings and are cast by
`config_from_mapping`); whether to retrain from `retraining` (customer_intelligence.retraining).
"""

import pandas as pd

from customer_intelligence.channel import config_from_mapping, train_channel_model, training_data
from customer_intelligence.frames import to_pandas
from customer_intelligence.retraining import RetrainPolicy, previous_output, train_or_reuse


def model(dbt, session):
    dbt.config(materialized="table")
    training = dbt.config.get("channel_training")
    config = config_from_mapping(training or {})
    accounts = to_pandas(dbt.ref("int_wholesale_accounts_featured"))

    def train() -> pd.DataFrame:
        registry = train_channel_model(accounts, config).registry
        # A typed DATE even when null, so the SQL registry can union rows of every model.
        registry["as_of_date"] = pd.array(registry["as_of_date"], dtype="date32[pyarrow]")
        return registry

    return train_or_reuse(
        previous_output(session, dbt.this),
        training_data(accounts, config),
        RetrainPolicy.from_mapping(dbt.config.get("retraining")),
        train,
    )
