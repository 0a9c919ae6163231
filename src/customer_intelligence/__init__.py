"""Customer-intelligence warehouse: the algorithms behind the dbt Python models.

Each subpackage is importable and tested on its own; the dbt Python models under `python_models/`
are thin shells that read a relation, call one function here and return a DataFrame.
"""

__version__ = "0.1.0"
