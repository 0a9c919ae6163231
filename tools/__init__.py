"""Development tools of the warehouse: the convention check, the synthetic log generator and the
post-build summary. Not part of the runtime package (`customer_intelligence`), which dbt Python
models import at build time; run from the repository root (`python -m tools.conventions`)."""
