"""Product associations: what is bought with a product, or resembles it.

Reads fct_product_associations and dim_products.
"""

from __future__ import annotations

import streamlit as st

import dashboard_data as data

st.title("Product associations")
if not data.require_tables("marts.fct_product_associations", "marts.dim_products"):
    st.stop()

# A list the browser can hold: the most popular products; any other is found by its id.
TOP_PRODUCTS = 2000

products = data.frame(
    "select product_id, product_description, customer_count from marts.dim_products "
    "where product_id in (select product_id from marts.fct_product_associations) "
    "order by popularity_rank, product_id limit ?",
    (TOP_PRODUCTS,),
)
labels = {
    row.product_id: f"{row.product_id}: {row.product_description} "
    f"({row.customer_count:,} customers)"
    for row in products.itertuples()
}
left, right = st.columns([3, 1])
chosen = left.selectbox(
    f"Product (the {len(labels):,} with most customers)",
    list(labels),
    format_func=labels.get,
    key="product_id",
)
typed = right.text_input("or any product id", key="product_search").strip()
product_id = typed or chosen

related = data.frame(
    "select associations.related_rank, associations.related_product_id, "
    "products.product_description as related_description, associations.relation_type, "
    "associations.co_invoice_count, associations.confidence, associations.lift, "
    "associations.similarity "
    "from marts.fct_product_associations as associations "
    "left join marts.dim_products as products "
    "on associations.related_product_id = products.product_id "
    "where associations.product_id = ? order by associations.related_rank",
    (product_id,),
)
if related.empty:
    st.info(f"No related products for product id '{product_id}' in this snapshot.")
    st.stop()
bought_together = int((related["relation_type"] == "co_purchase").sum())
st.caption(
    f"{bought_together} of {len(related)} related products are bought on the same invoices, "
    "ranked by similarity (cosine of the two products' invoices); lift says how many times more "
    "often than chance they share an invoice, confidence the share of this product's invoices "
    "that also hold the other. The rest resemble it by description and price band, for products "
    "with too few shared invoices."
)
st.dataframe(related, hide_index=True, width="stretch")
