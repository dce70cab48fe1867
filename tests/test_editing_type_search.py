"""Finding a layer type in the add dialog: abbreviations and aliases, best match first."""

import pytest

from layergraph.editing.type_search import initials, rank
from layergraph.tui.screens.add_layer import type_choices

CHOICES = [(name, f"{family} {doc}") for name, family, doc in type_choices()]


@pytest.mark.parametrize("query, first", [
    ("bn", "BatchNormalization"), ("maxpool", "MaxPooling2D"), ("avgpool", "AveragePooling2D"),
    ("conv", "Conv2D"), ("dense", "Dense"), ("gap", "GlobalAveragePooling2D"), ("concat", "Concatenate"),
    ("relu", "ReLU"), ("drop", "Dropout"), ("Conv2D", "Conv2D"), ("fc", "Dense"),
])
def test_abbreviations_and_aliases_put_the_meant_type_first(query, first):
    assert rank(query, CHOICES)[0] == first


def test_lstm_is_found_when_the_registry_has_it():
    assert rank("lstm", CHOICES + [("LSTM", "recurrent long short-term memory")])[0] == "LSTM"


def test_a_name_match_ranks_above_a_mention_in_the_description():
    found = rank("pool", CHOICES)
    assert found.index("MaxPooling2D") < len(found) - 1
    assert all("pool" in name.lower() for name in found[:4])


def test_nothing_matches_nonsense_and_an_empty_query_lists_everything_in_order():
    assert rank("zzz", CHOICES) == []
    assert rank("", CHOICES) == [name for name, _ in CHOICES]


def test_initials_of_camel_case_names():
    assert initials("BatchNormalization") == "bn" and initials("GlobalAveragePooling2D") == "gap"


def test_a_new_pooling_layer_gets_a_window_of_two():
    from layergraph.editing.forms import new_layer_params
    from layergraph.registry import get_registry

    assert new_layer_params(get_registry().get("AveragePooling2D")) == {"pool_size": 2}
