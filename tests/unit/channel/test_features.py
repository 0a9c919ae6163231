from dataclasses import fields
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from customer_intelligence.channel.config import ChannelConfig, config_from_mapping
from customer_intelligence.channel.features import (
    SPEND_COLUMNS,
    feature_matrix,
    feature_names,
    from_uci_frame,
    labels,
    validate_accounts,
)


def _frame(**overrides) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "account_id": [1, 2, 3],
            "channel": ["HORECA", "Retail", None],
            "region": ["Lisbon", None, "Other"],
            **{column: [0.0, 9.0, 99.0] for column in SPEND_COLUMNS},
            **{f"log_{column}": np.log1p([0.0, 9.0, 99.0]) for column in SPEND_COLUMNS},
        }
    )
    return frame.assign(**overrides)


def test_uci_mapping_names_channels_and_regions():
    raw = pd.DataFrame(
        {
            "Channel": [1, 2],
            "Region": [3, 1],
            "Fresh": [1, 2],
            "Milk": [3, 4],
            "Grocery": [5, 6],
            "Frozen": [7, 8],
            "Detergents_Paper": [9, 10],
            "Delicassen": [11, 12],
        }
    )
    accounts = from_uci_frame(raw)
    assert accounts["account_id"].tolist() == [1, 2]
    assert accounts["channel"].tolist() == ["HORECA", "Retail"]
    assert accounts["region"].tolist() == ["Other", "Lisbon"]
    assert accounts["delicatessen_spend"].tolist() == [11.0, 12.0]


def test_log_features_and_region_dummies():
    matrix = feature_matrix(_frame(), use_region=True)
    assert matrix.shape == (3, 9)
    np.testing.assert_allclose(matrix[:, 0], np.log([1.0, 10.0, 100.0]))
    # Lisbon, Oporto, Other; a null region gives no dummy at all.
    np.testing.assert_array_equal(matrix[:, 6:], [[1, 0, 0], [0, 0, 0], [0, 0, 1]])
    assert feature_names(True)[-1] == "region_other"


def test_labels_map_channels_and_unlabelled():
    assert labels(_frame(channel=["HORECA", "Retail", ""])).tolist() == [0, 1, -1]
    with pytest.raises(ValueError, match="unexpected channel"):
        labels(_frame(channel=["HORECA", "Wholesale", None]))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"milk_spend": [1.0, -1.0, 2.0]}, r"negative spend in \['milk_spend'\].*account_id \[2\]"),
        ({"milk_spend": [1.0, None, 2.0]}, r"missing or not finite spend in \['milk_spend'\]"),
        ({"fresh_spend": [np.inf, 1.0, np.nan]}, r"fresh_spend.*2 account\(s\).*\[1, 3\]"),
        ({"account_id": [1, 1, 2]}, "unique"),
    ],
)
def test_validation_rejects_bad_input(overrides, message):
    with pytest.raises(ValueError, match=message):
        validate_accounts(_frame(**overrides))


def test_config_from_dbt_strings():
    config = config_from_mapping(
        {
            "cv_repeats": "7",
            "use_region": "False",
            "class_weight_balanced": "true",
            "cost_retail_as_horeca": "100",
            "logreg_cs": "0.1, 1.0",
            "selection_metric": "neg_log_loss",
            "seed": None,
        }
    )
    assert config.cv_repeats == 7 and config.use_region is False
    assert config.class_weight_balanced is True
    assert config.cost_retail_as_horeca == 100.0 and config.logreg_cs == (0.1, 1.0)
    assert config.seed == ChannelConfig().seed
    with pytest.raises(ValueError, match="selection_metric"):
        ChannelConfig(selection_metric="speed")
    with pytest.raises(ValueError, match="threshold_rule"):
        config_from_mapping({"threshold_rule": "median"})


def test_every_config_field_is_a_dbt_var_with_the_project_default():
    """A user retrains through vars only: each ChannelConfig field is templated in the YAML from
    a var whose one default, in dbt_project.yml, is the library's own default."""
    root = Path(__file__).resolve().parents[3]
    yml = root / "python_models" / "channel" / "_channel__models.yml"
    block = yaml.safe_load(yml.read_text())["models"][0]["config"]["channel_training"]
    assert set(block) == {field.name for field in fields(ChannelConfig)}
    project_vars = yaml.safe_load((root / "dbt_project.yml").read_text())["vars"]
    defaults = ChannelConfig()
    for name, template in block.items():
        assert template == f"{{{{ var('channel_{name}') }}}}", (name, template)
        default = str(project_vars[f"channel_{name}"])
        assert config_from_mapping({name: default}) == defaults, (name, default)
