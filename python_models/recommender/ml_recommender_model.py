"""Registry row of the production recommender: winner per list chosen on the validation window,
or the last build's, reused when the lines have not changed materially (`retraining`)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from customer_intelligence.frames import to_pandas
    from customer_intelligence.recommender import RecommenderConfig
    from customer_intelligence.recommender.data import read_lines
    from customer_intelligence.recommender.production import (
        MODEL_NAME,
        encode_spec,
        registry_parameters,
        select_production,
        training_data,
    )
    from customer_intelligence.registry import registry_row
    from customer_intelligence.retraining import RetrainPolicy, previous_output, train_or_reuse

    settings = RecommenderConfig.from_mapping(dbt.config.get("recommender"))
    lines = read_lines(dbt.ref("fct_order_lines"))
    as_of_date = to_pandas(dbt.ref("int_as_of_dates_resolved"))["as_of_date"].iloc[0]
    current = training_data(lines, as_of_date, settings)

    artefact_format = "json+zlib+base64 (recommender spec: method, parameters, blend weights)"

    def train():
        spec = select_production(lines, as_of_date, settings)
        lists = spec["lists"]
        return registry_row(
            model_name=MODEL_NAME,
            algorithm=f"all={lists['all']['method']}; new={lists['new']['method']}",
            training_data_hash=current.data_hash,
            training_rows=spec["training_lines"],
            parameters=registry_parameters(spec),
            metrics={"validation_ndcg_at_k": spec["validation_ndcg"], "k": spec["k"]},
            artefact_format=artefact_format,
            artefact=encode_spec(spec),
            as_of_date=as_of_date,
        )

    return train_or_reuse(
        previous_output(session, dbt.this),
        current,
        RetrainPolicy.from_mapping(dbt.config.get("retraining")),
        train,
    )
