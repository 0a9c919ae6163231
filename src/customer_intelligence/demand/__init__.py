"""Product demand: weekly series, forecasts by statsforecast's statistical methods and a global
gradient-boosted model, a rolling-origin back-test that picks a method per demand class, and
the forecast-error quantiles the intervals and the inventory policy are built from."""

from .config import DemandConfig
from .evaluation import evaluation_table
from .pipeline import MODEL_NAME, forecast_demand, train_demand, training_data
from .series import WeeklyDemand

__all__ = [
    "MODEL_NAME",
    "DemandConfig",
    "WeeklyDemand",
    "evaluation_table",
    "forecast_demand",
    "train_demand",
    "training_data",
]
