"""One row per account: predicted channel, probabilities, confidence, top reasons.

Scores every account of `int_wholesale_accounts_featured` (labelled or not) with the artefact of
the current registry row; cut-offs come from YAML config (vars, cast here).
"""

from customer_intelligence.channel import score_accounts
from customer_intelligence.frames import to_pandas


def model(dbt, session):
    dbt.config(materialized="table")
    confidence_high = dbt.config.get("channel_confidence_high")
    confidence_medium = dbt.config.get("channel_confidence_medium")
    exact_contributions = dbt.config.get("channel_exact_contributions")
    accounts = to_pandas(dbt.ref("int_wholesale_accounts_featured"))
    registry = to_pandas(dbt.ref("ml_channel_model"))
    return score_accounts(
        accounts,
        registry,
        confidence_high=float(confidence_high),
        confidence_medium=float(confidence_medium),
        exact_contributions=str(exact_contributions).lower() == "true",
    )
