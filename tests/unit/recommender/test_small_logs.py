"""A user's small or short log: the recommender falls back or skips with a reason, never crashes."""

import pandas as pd

from customer_intelligence.recommender.cold_start import cold_start_list
from customer_intelligence.recommender.content import content_vectors
from customer_intelligence.recommender.data import build_interactions
from customer_intelligence.recommender.evaluation import evaluate_cutoff, evaluation_table
from customer_intelligence.recommender.production import registry_parameters, select_production
from customer_intelligence.recommender.scoring import score_customers
from customer_intelligence.recommender.split import relevance
from customer_intelligence.recommender.tuning import tune


def _line(customer: str, product: str, day: str, invoice: str | None = None) -> tuple:
    return (invoice or f"{customer}-{day}", customer, product, f"ITEM {product}", day, 1, 1.0)


def _frame(rows: list[tuple]) -> pd.DataFrame:
    columns = [
        "invoice_id",
        "customer_id",
        "product_id",
        "product_description",
        "invoice_date",
        "quantity",
        "unit_price",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["invoice_date"] = pd.to_datetime(frame["invoice_date"])
    return frame


def test_explore_relevance_with_no_returning_customer_is_empty():
    train = build_interactions(_frame([_line("1", "A", "2011-01-01")]), "2011-01-15")
    future = _frame([_line("2", "A", "2011-02-01")])
    for task in ("all", "explore"):
        rel = relevance(train, future, task)
        assert rel.n_users == 0
        assert rel.relevant.shape == (0, train.n_items)


def test_a_log_shorter_than_the_validation_window_falls_back_with_a_reason(lines, make_settings):
    recent = lines.loc[lines["invoice_date"] >= pd.Timestamp("2011-10-01")]
    spec = select_production(recent, "2011-10-28", make_settings(validation_days=91, k=5))
    assert {name: s["method"] for name, s in spec["lists"].items()} == {
        "all": "personal_top_frequency",
        "new": "popularity",
    }
    assert "setting validation_days" in spec["lists"]["all"]["fallback"]
    assert registry_parameters(spec)["new"] == {
        "method": "popularity",
        "fallback": spec["lists"]["new"]["fallback"],
    }
    assert spec["validation_ndcg"] == {"all": {}, "explore": {}}
    lists = score_customers(recent, spec, n=3)
    assert len(lists) > 0
    assert set(lists["list_name"]) == {"all", "new"}


def test_a_log_with_validation_customers_chooses_on_validation_without_fallback(
    lines, make_settings
):
    spec = select_production(lines, "2011-10-28", make_settings(validation_days=60, k=5))
    assert all("fallback" not in s for s in spec["lists"].values())
    assert all(
        "fallback" not in p for p in registry_parameters(spec).values() if isinstance(p, dict)
    )


def test_a_one_product_log_leaves_the_hybrid_out_instead_of_failing(make_settings):
    # Every validation candidate was bought: the blend has one class and cannot be learnt.
    rows = [_line(f"C{c}", "A", f"2011-0{m}-0{c + 1}") for c in range(6) for m in range(1, 7)]
    lines = _frame(rows)
    fit = lines.loc[lines["invoice_date"] < pd.Timestamp("2011-04-01")]
    validation = lines.loc[lines["invoice_date"] >= pd.Timestamp("2011-04-01")]
    choices, _ = tune(build_interactions(fit, "2011-04-01"), validation, make_settings(k=3))
    assert ("hybrid", "all") not in choices
    assert ("personal_top_frequency", "all") in choices
    short = make_settings(test_window_days=30, validation_days=30, k=3)
    frame = evaluate_cutoff(lines, "2011-05-15", short)
    assert "hybrid" not in set(frame["recommendation_method"])
    assert set(frame.loc[frame["task"] == "all", "recommendation_method"]) >= {"popularity", "ease"}


def test_a_task_without_customers_is_left_out_of_the_evaluation_not_scored_zero(
    lines, make_settings
):
    # After the cutoff every customer only re-buys what they had: nobody to evaluate "explore".
    cutoff = pd.Timestamp("2011-09-01")
    before = lines.loc[lines["invoice_date"] < cutoff]
    after = lines.loc[lines["invoice_date"] >= cutoff]
    bought = set(zip(before["customer_id"], before["product_id"], strict=True))
    keep = [pair in bought for pair in zip(after["customer_id"], after["product_id"], strict=True)]
    rebuys = pd.concat([before, after.loc[keep]], ignore_index=True)
    frame = evaluate_cutoff(
        rebuys, cutoff, make_settings(test_window_days=60, validation_days=60, k=5)
    )
    assert set(frame["task"]) == {"all"}
    assert (frame.loc[frame["metric"] == "users_evaluated", "metric_value"] > 0).all()


def test_a_log_too_short_for_any_cutoff_gives_an_empty_table_and_names_the_settings(
    lines, caplog, make_settings
):
    recent = lines.loc[lines["invoice_date"] >= pd.Timestamp("2011-10-01")]
    frame = evaluation_table(recent, "2011-10-28", make_settings(eval_cutoff_days_before="91"))
    assert frame.empty
    assert "settings eval_cutoff_days_before, test_window_days and validation_days" in caplog.text


def test_products_without_descriptions_get_no_content_similarity():
    products = ["P1", "P2", "P3", "P4"]
    rows = [_line(f"C{c}", p, "2011-01-0" + str(c + 1)) for c in range(4) for p in products]
    lines = _frame(rows)
    lines.loc[lines["product_id"].isin(["P3", "P4"]), "product_description"] = None
    inter = build_interactions(lines, "2011-02-01")
    assert list(inter.item_ids) == products
    vectors, _ = content_vectors(inter)
    similarity = (vectors @ vectors.T).toarray()
    assert similarity[2:, :].max() == 0.0  # P3 and P4: no words, so similar to nothing
    assert similarity[0, 1] > 0.99  # "ITEM P1" and "ITEM P2" share a word and a price band


def test_a_customer_who_bought_the_whole_catalogue_gets_an_empty_new_list(make_settings):
    # One product: nothing is left for the "new" list, and the lists are still written.
    rows = [_line(f"C{c}", "P1", f"2011-0{m}-0{c + 1}") for c in range(6) for m in range(1, 7)]
    lines = _frame(rows)
    spec = select_production(lines, "2011-07-01", make_settings(validation_days=30, k=3))
    lists = score_customers(lines, spec, n=3)
    assert set(lists["list_name"]) == {"all"}
    assert len(lists) == 6
    assert set(lists["product_id"]) == {"P1"}


def test_cold_start_says_when_a_product_was_not_bought_in_the_last_30_days():
    rows = [_line("C1", "P1", "2011-06-20"), _line("C2", "P2", "2011-03-01")]
    rows += [_line("C3", "P2", "2011-03-02"), _line("C4", "P3", "2011-02-01")]
    inter = build_interactions(_frame(rows), "2011-07-01")
    listed = cold_start_list(inter, n=3)
    assert listed["product_id"].tolist() == ["P1", "P2", "P3"]
    assert listed["score"].tolist() == [1.0, 0.0, 0.0]
    assert listed["reason"].tolist() == [
        "new customer: popular with customers in the last 30 days",
        "new customer: popular with customers before the last 30 days",
        "new customer: popular with customers before the last 30 days",
    ]


def test_a_cutoff_where_no_task_has_customers_leaves_a_typed_empty_table(make_settings):
    # Every customer buys once: nobody has purchases on both sides of any window.
    rows = [
        _line(f"C{c}", f"P{c % 5}", str(pd.Timestamp("2011-01-01") + pd.Timedelta(days=c))[:10])
        for c in range(200)
    ]
    short = make_settings(eval_cutoff_days_before="60", test_window_days=30, validation_days=30)
    frame = evaluation_table(_frame(rows), "2011-07-20", short)
    assert frame.empty
    assert {"cutoff_date", "recommendation_method", "task", "metric", "metric_value"} <= set(
        frame.columns
    )
