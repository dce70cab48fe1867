"""The canonical form behind the round-trip guarantee, and the readable spec writer."""

from __future__ import annotations

import json

import pytest

from conftest import BUNDLED_SPECS
from layergraph.importers.canonical import canonical_form, canonical_params, canonical_object
from layergraph.registry import get_registry
from layergraph.spec_json import dumps_spec


def params(type_name: str, raw: dict) -> dict:
    return canonical_params(get_registry().get(type_name).Params, raw)


@pytest.mark.parametrize("type_name, raw, expected", [
    ("Conv2D", {"filters": 8, "kernel_size": (3, 3), "strides": [1, 1], "padding": "SAME"},
     {"filters": 8, "kernel_size": 3, "padding": "same"}),
    ("Conv2D", {"filters": 8, "kernel_size": [1, 7], "activation": "linear",
                "data_format": "channels_last"}, {"filters": 8, "kernel_size": [1, 7]}),
    ("Dense", {"units": 4, "activation": "swish"}, {"units": 4, "activation": "silu"}),
    ("Activation", {"activation": "linear"}, {"activation": "linear"}),
    ("ZeroPadding2D", {"padding": ((1, 1), (1, 1))}, {}),
    ("ZeroPadding2D", {"padding": ((2, 2), (3, 3))}, {"padding": [2, 3]}),
    ("ZeroPadding2D", {"padding": ((0, 1), (0, 1))}, {"padding": [[0, 1], [0, 1]]}),
    ("Cropping2D", {"cropping": ((0, 0), (0, 0))}, {}),
    ("MaxPooling2D", {"pool_size": (2, 2), "strides": (2, 2)}, {}),
    ("MaxPooling2D", {"pool_size": 3, "strides": 2}, {"pool_size": 3, "strides": 2}),
    ("Normalization", {"axis": (3,)}, {"axis": 3}),
    ("Normalization", {"axis": (-1,)}, {}),
    ("Reshape", {"target_shape": (1, 1, 32)}, {"target_shape": [1, 1, 32]}),
    ("Dropout", {"rate": 0.2, "noise_shape": (None, 1, 1, 1)},
     {"rate": 0.2, "noise_shape": [None, 1, 1, 1]}),
    ("Dense", {"units": 2, "kernel_initializer": {
        "module": "keras.initializers", "class_name": "HeNormal", "registered_name": None,
        "config": {"seed": None}}}, {"units": 2, "kernel_initializer": "he_normal"}),
    ("Dense", {"units": 2, "kernel_initializer": "GlorotUniform"}, {"units": 2}),
])
def test_equivalent_spellings_have_one_canonical_form(type_name, raw, expected):
    assert params(type_name, raw) == expected


def test_initializer_settings_are_kept_without_keras_bookkeeping():
    value = {"module": "keras.initializers", "class_name": "VarianceScaling", "registered_name": None,
             "config": {"scale": 2.0, "mode": "fan_out", "seed": None}}
    assert canonical_object(value) == {"class_name": "VarianceScaling",
                                       "config": {"scale": 2.0, "mode": "fan_out"}}


def test_layer_order_of_parallel_branches_does_not_matter_but_inputs_order_does():
    base = {"inputs": [{"name": "x", "shape": [4]}], "layers": [
        {"name": "a", "type": "Dense", "units": 4, "inputs": ["x"]},
        {"name": "b", "type": "Dense", "units": 4, "inputs": ["x"]},
        {"name": "sum", "type": "Subtract", "inputs": ["a", "b"]}]}
    swapped = json.loads(json.dumps(base))
    swapped["layers"][:2] = swapped["layers"][1::-1]
    assert canonical_form(base) == canonical_form(swapped)
    swapped["layers"][2]["inputs"] = ["b", "a"]
    assert canonical_form(base) != canonical_form(swapped)


@pytest.mark.parametrize("path", BUNDLED_SPECS, ids=lambda p: p.stem)
def test_the_spec_writer_loses_nothing(path):
    data = json.loads(path.read_text())
    text = dumps_spec(data)
    assert json.loads(text) == data
    assert text.count("\n") < 20 + len(json.dumps(data)) // 80  # compact: a layer per line
