"""Order and customer anomaly flags: calibrated tail scores of unit price against the product's
usual, line quantities, order amount and cancellations against the customer's usual, repeated
and bursty orders, and an isolation forest over them; reasons; and an evaluation of the review
list on injected anomalies."""

from .config import AnomalyConfig
from .evaluation import evaluate, summary
from .scoring import score_customers, score_orders

__all__ = ["AnomalyConfig", "evaluate", "score_customers", "score_orders", "summary"]
