"""`layergraph explain`: the shape arithmetic of a layer, per axis, including failures."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import layergraph as lg
from layergraph.cli import app
from layergraph.explain import UnknownLayer, axis_arithmetic, explain
from layergraph.receptive_field import Window


def one_layer(layer: dict, shape=(224, 224, 3)):
    return lg.analyze({"inputs": [{"shape": list(shape)}], "layers": [{"name": "l", **layer}]})


def test_alexnet_conv1_shows_the_division_that_gives_55(spec_path):
    lines = explain(lg.analyze(spec_path("alexnet")), "conv1")
    assert "height: (227 − 11) / 4 + 1 = 55" in lines[1]
    assert "width:  (227 − 11) / 4 + 1 = 55" in lines[2]
    assert "(227, 227, 3) → (55, 55, 96)" in lines[0]


def test_a_non_integer_division_says_that_keras_floors_it():
    lines = explain(one_layer({"type": "Conv2D", "filters": 8, "kernel_size": 11, "strides": 4}), "l")
    assert "(224 − 11) / 4 + 1 = 54.25: not an integer — Keras floors it to 54" in lines[1]
    assert "(54, 54, 8)" in lines[0]  # and Keras's shape agrees with the floor


def test_same_padding_shows_the_ceiling_and_the_padding_before_and_after():
    lines = explain(one_layer({"type": "Conv2D", "filters": 8, "kernel_size": 7, "strides": 2,
                               "padding": "same"}), "l")
    assert "⌈224 / 2⌉ = 112 (padding 2 before, 3 after)" in lines[1]


def test_dilation_enters_the_window_size():
    assert axis_arithmetic(54, Window(3, 1, 0, 2)) == "(54 − ((3 − 1)·2 + 1)) / 1 + 1 = 50"


def test_a_window_larger_than_the_input_shows_the_failing_arithmetic():
    analysis = one_layer({"type": "Conv2D", "filters": 1, "kernel_size": 9}, (5, 5, 1))
    text = "\n".join(explain(analysis, "l"))
    assert "(5 − 9) / 1 + 1 = -3: zero or negative" in text


def test_padding_and_pooling_and_flatten_are_explained():
    analysis = lg.analyze({"inputs": [{"shape": [6, 6, 2]}], "layers": [
        {"name": "pad", "type": "ZeroPadding2D", "padding": [[1, 2], [0, 0]]},
        {"name": "pool", "type": "MaxPooling2D", "pool_size": 3},
        {"name": "flat", "type": "Flatten"}]})
    assert "height: 6 + 1 + 2 = 9" in explain(analysis, "pad")[1]
    assert "(9 − 3) / 3 + 1 = 3" in explain(analysis, "pool")[1]
    assert "3 × 2 × 2 = 12" in explain(analysis, "flat")[1]


def test_an_unknown_layer_name_suggests_a_close_one(spec_path):
    with pytest.raises(UnknownLayer) as caught:
        explain(lg.analyze(spec_path("alexnet")), "conv7")
    assert "conv" in (caught.value.hint or "")


def test_cli_explain_prints_the_arithmetic_and_refuses_an_unknown_layer(spec_path):
    runner = CliRunner()
    ok = runner.invoke(app, ["explain", str(spec_path("alexnet")), "conv1"])
    assert ok.exit_code == 0 and "(227 − 11) / 4 + 1 = 55" in ok.stdout
    bad = runner.invoke(app, ["explain", str(spec_path("alexnet")), "nope"])
    assert bad.exit_code == 1 and "No layer" in bad.stderr and "Traceback" not in bad.output


def test_cli_explain_of_a_block_instance_explains_its_output_layer(spec_path):
    result = CliRunner().invoke(app, ["explain", str(spec_path("vgg16")), "block1"])
    assert result.exit_code == 0 and "block1_pool (MaxPooling2D)" in result.stdout
