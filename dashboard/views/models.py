"""Model health: what is trained, how the recommender and the churn model do against their
baselines, how k was chosen."""

from __future__ import annotations

import altair as alt
import streamlit as st

import dashboard_data as data

st.title("Model health")
if not data.require_tables(
    "marts.fct_model_registry",
    "marts.rpt_recommender_evaluation",
    "marts.rpt_segment_k_selections",
    "marts.rpt_lifecycle_evaluation",
):
    st.stop()

st.subheader("Model registry")
registry = data.frame(
    "select model_name, model_version, trained_at, as_of_date, algorithm, training_rows, "
    "training_data_hash, artefact_format, metrics_json, parameters_json, library_versions_json "
    "from marts.fct_model_registry order by model_name, trained_at desc"
)
st.dataframe(registry, hide_index=True, width="stretch")

st.subheader("Recommender: NDCG against the baselines")
evaluation = data.frame(
    "select task, recommendation_method, k, cutoff_date, metric_value, "
    "case when is_selected then 'selected' when is_baseline then 'baseline' "
    "else 'candidate' end as role "
    "from marts.rpt_recommender_evaluation where metric = 'ndcg' "
    "order by task, metric_value desc"
)
if evaluation.empty:
    st.info("No NDCG rows in rpt_recommender_evaluation.")
else:
    st.caption(
        f"NDCG@{evaluation['k'].iloc[0]} on the held-out period after "
        f"{evaluation['cutoff_date'].iloc[0]:%Y-%m-%d}; 'all' = any product, "
        "'explore' = products the customer has not bought."
    )
    chart = (
        alt.Chart(evaluation)
        .mark_bar()
        .encode(
            alt.X("metric_value:Q", title="NDCG"),
            alt.Y("recommendation_method:N", sort="-x", title=None),
            alt.Color(
                "role:N",
                scale=alt.Scale(
                    domain=["selected", "candidate", "baseline"],
                    range=["#d62728", "#1f77b4", "#bbbbbb"],
                ),
            ),
            alt.Row("task:N", title=None),
            tooltip=[
                "recommendation_method:N",
                "role:N",
                alt.Tooltip("metric_value:Q", format=".4f"),
            ],
        )
        .properties(height=220)
    )
    st.altair_chart(chart, width="stretch")

st.subheader("Churn: back-test against the baselines")
churn = data.frame(
    "select cutoff_date, method, "
    "case when is_selected then 'selected' when is_baseline then 'baseline' "
    "else 'candidate' end as role, "
    "max(metric_value) filter (where metric = 'roc_auc') as roc_auc, "
    "max(metric_value) filter (where metric = 'brier') as brier, "
    "max(metric_value) filter (where metric = 'expected_calibration_error') "
    "as calibration_error, "
    "max(metric_value) filter (where metric = 'top_decile_lift') as top_decile_lift, "
    "max(customers) as customers "
    "from marts.rpt_lifecycle_evaluation where target = 'churn' "
    "group by all order by cutoff_date desc, roc_auc desc"
)
if churn.empty:
    st.info("No back-test rows in rpt_lifecycle_evaluation: the log is too short for one.")
else:
    st.caption(
        "Each cutoff: models trained only on what was known before it, scored on whether each "
        "customer bought in the following horizon. Higher ROC-AUC and lift, lower Brier and "
        "calibration error are better."
    )
    st.dataframe(
        churn,
        hide_index=True,
        width="stretch",
        column_config={
            name: st.column_config.NumberColumn(format="%.3f")
            for name in ("roc_auc", "brier", "calibration_error", "top_decile_lift")
        },
    )

st.subheader("Segmentation: choosing k")
selections = data.frame(
    "select population, k, inertia, silhouette, davies_bouldin, stability_ari, "
    "smallest_cluster_share, is_chosen, selection_reason "
    "from marts.rpt_segment_k_selections order by population, k"
)
long = selections.melt(
    id_vars=["population", "k", "is_chosen"],
    value_vars=["silhouette", "davies_bouldin", "stability_ari", "inertia"],
    var_name="criterion",
    value_name="value",
)
chart = (
    alt.Chart(long)
    .mark_line(point=True)
    .encode(
        alt.X("k:O"),
        alt.Y("value:Q", title=None),
        alt.Color("population:N"),
        tooltip=["population:N", "k:O", "criterion:N", "value:Q", "is_chosen:N"],
    )
    .properties(width=260, height=200)
    .facet(facet=alt.Facet("criterion:N", title=None), columns=4)
    .resolve_scale(y="independent")
)
st.altair_chart(chart)
st.markdown("**Chosen k**")
for population, reason in selections[selections["is_chosen"]][
    ["population", "selection_reason"]
].itertuples(index=False):
    st.markdown(f"- **{population}**: {reason}")
