"""Customer-intelligence dashboard: reads the published snapshot, read-only.

Run with `make dashboard` (http://127.0.0.1:8501). The snapshot is the one `make build`
publishes; PUBLISHED_DATABASE points elsewhere.
"""

from __future__ import annotations

import streamlit as st

import dashboard_data as data

st.set_page_config(page_title="Customer intelligence", layout="wide")

PAGES = [
    st.Page("views/overview.py", title="Executive overview", default=True),
    st.Page("views/customers.py", title="Customers & segments"),
    st.Page("views/lookup.py", title="Customer look-up"),
    st.Page("views/products.py", title="Product associations"),
    st.Page("views/demand.py", title="Demand & inventory"),
    st.Page("views/pricing.py", title="Pricing"),
    st.Page("views/review.py", title="Order review"),
    st.Page("views/channel.py", title="Wholesale channel"),
    st.Page("views/models.py", title="Model health"),
    st.Page("views/quality.py", title="Data quality"),
]

page = st.navigation(PAGES)
try:
    snapshot = data.current_snapshot()
except data.NoSnapshotError as error:
    st.error(str(error))
    st.stop()
st.sidebar.caption(
    f"Snapshot {snapshot.build_id}  \nData as of {snapshot.as_of_date}, "
    f"published {snapshot.published_at} UTC"
)
page.run()
