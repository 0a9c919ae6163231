# The two commands a new user needs: `make build` and `make test`. Both create what they need.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-12)

export DBT_PROJECT_DIR := $(CURDIR)
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
# BLAS thread pools fight implicit/xgboost's own threads on a 2-core machine.
export OPENBLAS_NUM_THREADS := 1
WAREHOUSE_PATH ?= warehouse/customer_intelligence.duckdb
export WAREHOUSE_PATH
# `make test` builds its own warehouse so it never touches (or locks against) the user's.
TEST_WAREHOUSE_PATH ?= warehouse/test/customer_intelligence.duckdb

DBT := $(BIN)/dbt
PUBLISH := $(BIN)/python -m customer_intelligence.publish "$(WAREHOUSE_PATH)"
# A DuckDB 1.x engine, as the ODBC/JDBC drivers of BI tools embed, for the test that opens the
# published snapshot with it (its pin is in pyproject.toml, [tool.customer-intelligence]).
DUCKDB1_VENV := .venv-duckdb1
DUCKDB1_PIN := $(shell sed -n 's/^duckdb_1x_reader = "\(.*\)"/\1/p' pyproject.toml)
DUCKDB1_STAMP := $(DUCKDB1_VENV)/.installed-$(DUCKDB1_PIN)

comma := ,

.PHONY: metrics bench-build bench-dashboard build publish test test-warehouse test-spark venv lint format unit bench docs clean dashboard

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

venv: $(STAMP)

build: $(STAMP)  ## Install, build the warehouse, publish it for BI tools, print what it holds.
	@mkdir -p $(dir $(WAREHOUSE_PATH))
	$(DBT) build || { $(PUBLISH) --status; exit 1; }
	$(PUBLISH) --run-results target/run_results.json
	$(BIN)/python tools/warehouse_summary.py "$(WAREHOUSE_PATH)"

publish: $(STAMP)  ## Publish the last successful build again (a new snapshot).
	$(PUBLISH) --run-results target/run_results.json

$(DUCKDB1_STAMP): pyproject.toml
	$(PYTHON) -m venv $(DUCKDB1_VENV)
	$(DUCKDB1_VENV)/bin/pip install --quiet '$(DUCKDB1_PIN)'
	touch $@

lint: $(STAMP)  ## ruff + sqlfluff (against an in-memory DuckDB target, never the warehouse file).
	$(BIN)/ruff check src tests tools research bench python_models dashboard
	$(BIN)/ruff format --check src tests tools research bench python_models dashboard
	$(BIN)/sqlfluff lint models macros analyses tests/dbt

format: $(STAMP)
	$(BIN)/ruff format src tests tools research bench python_models dashboard
	$(BIN)/ruff check --fix src tests tools research bench python_models dashboard
	$(BIN)/sqlfluff fix models macros analyses tests/dbt

test: $(STAMP) $(DUCKDB1_STAMP)  ## Everything CI checks: lint beside the shipped-data build, then the rest.
	$(MAKE) --no-print-directory --jobs=2 lint test-warehouse
	$(BIN)/python -m tools.conventions target/test/manifest.json
	TEST_WAREHOUSE_PATH=$(TEST_WAREHOUSE_PATH) $(BIN)/pytest tests --ignore=tests/spark

test-warehouse: $(STAMP)  ## The whole build on the shipped data, into the test warehouse.
	@mkdir -p $(dir $(TEST_WAREHOUSE_PATH))
	rm -f $(TEST_WAREHOUSE_PATH)
	WAREHOUSE_PATH=$(TEST_WAREHOUSE_PATH) $(DBT) build --target-path target/test

unit: $(STAMP)  ## Fast package tests only.
	$(BIN)/pytest tests/unit

bench: $(STAMP)  ## SQL layer: full shipped data, then synthetic 1M and 10M rows.
	$(BIN)/python bench/bench_sql.py --rows 1000000 10000000

bench-build: $(STAMP)  ## The whole build: from empty, rebuilt, daily append (LOG=file for another log).
	$(BIN)/python bench/bench_build.py $(if $(LOG),--log $(LOG))

bench-dashboard: $(STAMP)  ## Publish and every dashboard page in Chromium, timed.
	$(BIN)/python bench/bench_dashboard.py "$(WAREHOUSE_PATH)"

# The published snapshot the dashboard reads (read-only); `make build` writes it.
PUBLISHED_DATABASE ?= $(dir $(WAREHOUSE_PATH))published/current/customer_intelligence.duckdb
export PUBLISHED_DATABASE
DASHBOARD_PORT ?= 8501

dashboard: $(STAMP)  ## Serve the dashboard on http://127.0.0.1:$(DASHBOARD_PORT) (reads the snapshot).
	$(BIN)/streamlit run dashboard/app.py --server.address 127.0.0.1 \
		--server.port $(DASHBOARD_PORT) --server.headless true --browser.gatherUsageStats false

# The semantic layer's metrics through MetricFlow, on a copy of the published snapshot (`mf` opens
# its database read-write). Any metrics and group-bys: see README, "Metrics".
METRICS ?= revenue,orders,average_order_value,active_customers,new_customers,churned_customers
GROUP_BY ?= metric_time__month

metrics: $(STAMP)  ## Print the headline metrics by month (METRICS=..., GROUP_BY=... to change).
	$(BIN)/python tools/metrics_query.py -- --metrics $(METRICS) --group-by $(GROUP_BY) \
		--order $(firstword $(subst $(comma), ,$(GROUP_BY)))

docs: $(STAMP)
	$(DBT) docs generate

# The SQL layer and the SQL inputs of the Python models (selector ml_inputs) on Apache Spark
# (dbt-spark's session method: PySpark in the dbt process, no server) against DuckDB's build of
# the same sample of the shipped transactions: whole invoices, one in SPARK_SAMPLE_EVERY, over
# the whole year (SPARK_SAMPLE_EVERY=1: the shipped file itself); then bad input on Spark
# (tests/spark). Spark needs a Java runtime (17 or later); as root the target installs Debian's
# openjdk-17-jre-headless. Its tables and metastore live under warehouse/spark, rebuilt each run.
SPARK_VENV := .venv-spark
SPARK_ADAPTER := $(shell sed -n 's/^spark_adapter = "\(.*\)"/\1/p' pyproject.toml)
# The project's own pins of dbt-core, pandas and pyarrow (the frames glue is tested on Spark).
SPARK_PINS := $(shell sed -n 's/^ *"\(\(dbt-core\|pandas\|pyarrow\)==[^"]*\)",/\1/p' pyproject.toml)
SPARK_STAMP := $(SPARK_VENV)/.installed-$(shell echo "$(SPARK_PINS) $(SPARK_ADAPTER)" | sha256sum | cut -c1-12)
SPARK_SAMPLE_EVERY ?= 20
SPARK_DIR := warehouse/spark
SPARK_SAMPLE := $(SPARK_DIR)/online_retail_sample.csv.gz
SPARK_INPUT := $(CURDIR)/$(if $(filter 1,$(SPARK_SAMPLE_EVERY)),data/online_retail.csv.gz,$(SPARK_SAMPLE))

$(SPARK_STAMP): pyproject.toml
	@command -v java >/dev/null || { [ "$$(id -u)" = 0 ] \
		&& apt-get update -qq && apt-get install -y -qq --no-install-recommends \
		openjdk-17-jre-headless >/dev/null; } \
		|| { echo "Spark needs Java 17+: apt-get install openjdk-17-jre-headless" >&2; exit 1; }
	$(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/pip install --quiet --upgrade pip
	$(SPARK_VENV)/bin/pip install --quiet $(foreach pin,$(SPARK_PINS),'$(pin)') '$(SPARK_ADAPTER)'
	touch $@

test-spark: $(STAMP) $(SPARK_STAMP)  ## The SQL layer on Spark, compared with DuckDB's build.
	rm -rf $(SPARK_DIR) && mkdir -p $(SPARK_DIR)
ifneq ($(SPARK_SAMPLE_EVERY),1)
	$(BIN)/python -c "import duckdb; duckdb.sql(\"copy (select * from \
		read_csv('data/online_retail.csv.gz', header = true, all_varchar = true, \
		strict_mode = false, null_padding = true, parallel = false) \
		where hash(InvoiceNo) % $(SPARK_SAMPLE_EVERY) = 0) to '$(SPARK_SAMPLE)' (header)\")"
endif
	WAREHOUSE_PATH=$(SPARK_DIR)/duckdb.duckdb TRANSACTIONS_PATH=$(SPARK_INPUT) \
		$(DBT) build --selector ml_inputs --target-path target/spark-duckdb
	SPARK_HOME_DIR=$(CURDIR)/$(SPARK_DIR)/spark TRANSACTIONS_PATH=$(SPARK_INPUT) \
		$(SPARK_VENV)/bin/dbt build --selector ml_inputs --target spark --target-path target/spark
	$(BIN)/python -m tools.compare_spark_build $(SPARK_DIR)/spark/tables $(SPARK_DIR)/duckdb.duckdb \
		--schemas marts,intermediate
	SPARK_DBT=$(CURDIR)/$(SPARK_VENV)/bin/dbt $(BIN)/pytest tests/spark

clean:
	rm -rf target logs warehouse bench/out $(DUCKDB1_VENV) $(SPARK_VENV)
