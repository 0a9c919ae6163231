"""Wholesale channel: the HORECA-vs-Retail calls, and how far to trust them."""

from __future__ import annotations

import altair as alt
import streamlit as st

import dashboard_data as data


def _diagonal(frame, field: str) -> alt.Chart:
    """The dashed y = x line a ROC or reliability curve is read against."""
    return (
        alt.Chart(frame)
        .mark_line(strokeDash=[4, 4], color="grey")
        .encode(x=f"{field}:Q", y=f"{field}:Q")
    )


st.title("Wholesale channel")
if not data.require_tables(
    "marts.fct_channel_predictions",
    "marts.rpt_channel_roc_points",
    "marts.rpt_channel_calibration_bins",
    "marts.rpt_channel_feature_importances",
):
    st.stop()

st.subheader("Predictions")
predictions = data.frame(
    "select account_id, predicted_channel, probability_retail, confidence_level, "
    "channel_label, is_label_disagreement, top_feature_1_name, top_feature_2_name, "
    "top_feature_3_name, is_spend_outlier, marketing_strategy, account_manager_type, "
    "product_focus, pricing_tier from marts.fct_channel_predictions order by account_id"
)
confidence = st.multiselect(
    "Confidence",
    sorted(predictions["confidence_level"].dropna().unique()),
    key="confidence",
    placeholder="All confidence levels",
)
shown = predictions[predictions["confidence_level"].isin(confidence)] if confidence else predictions
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    height=320,
    column_config={
        "probability_retail": st.column_config.ProgressColumn(
            "P(retail)", min_value=0.0, max_value=1.0, format="%.2f"
        )
    },
)

left, right = st.columns(2)
with left:
    st.subheader("ROC curve (out of fold)")
    roc = data.frame(
        "select candidate || ' (' || model_stage || ', AUC ' || printf('%.3f', auc_mean) || ')' "
        "as curve, false_positive_rate, true_positive_rate_mean from marts.rpt_channel_roc_points "
        "where is_selected order by curve, false_positive_rate"
    )
    diagonal = _diagonal(roc, "false_positive_rate")
    curves = (
        alt.Chart(roc)
        .mark_line()
        .encode(
            alt.X("false_positive_rate:Q", title="False positive rate"),
            alt.Y("true_positive_rate_mean:Q", title="True positive rate (mean over folds)"),
            alt.Color(
                "curve:N",
                title="Selected model",
                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400),
            ),
        )
    )
    st.altair_chart((diagonal + curves).properties(height=380), width="stretch")
with right:
    st.subheader("Calibration")
    bins = data.frame(
        "select model_stage, bin_index, mean_predicted_probability, observed_retail_rate, "
        "prediction_count from marts.rpt_channel_calibration_bins order by model_stage, bin_index"
    )
    perfect = _diagonal(bins, "mean_predicted_probability")
    observed = (
        alt.Chart(bins)
        .mark_line(point=True)
        .encode(
            alt.X("mean_predicted_probability:Q", title="Mean predicted P(retail)"),
            alt.Y("observed_retail_rate:Q", title="Observed retail rate"),
            alt.Color("model_stage:N", title="Stage", legend=alt.Legend(orient="bottom")),
            tooltip=["model_stage:N", "bin_index:O", "prediction_count:Q"],
        )
    )
    st.altair_chart((perfect + observed).properties(height=380), width="stretch")

st.subheader("Feature importances")
importances = data.frame(
    "select candidate, feature_name, gain_importance_share, permutation_importance_mean, "
    "permutation_importance_std, is_selected from marts.rpt_channel_feature_importances "
    "order by is_selected desc, candidate, permutation_importance_mean desc"
)
selected = importances[importances["is_selected"]]
chart = (
    alt.Chart(selected if not selected.empty else importances)
    .mark_bar()
    .encode(
        alt.X("permutation_importance_mean:Q", title="Permutation importance (mean)"),
        alt.Y("feature_name:N", sort="-x", title=None),
        alt.Color("candidate:N"),
        alt.YOffset("candidate:N"),
        tooltip=["candidate:N", "feature_name:N", "permutation_importance_std:Q"],
    )
)
st.altair_chart(chart, width="stretch")
with st.expander("All candidates"):
    st.dataframe(importances, hide_index=True, width="stretch")
