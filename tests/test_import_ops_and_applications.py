"""keras.ops arithmetic, nested Sequential models and the custom layers of keras.applications
import: MobileNetV3 (``x + 3.0``, ``x * (1/6)``), ConvNeXt (nested Sequential stem and
downsampling blocks, LayerScale), InceptionResNetV2 (CustomScaleLayer). The oracle is Keras:
parameter counts, layer names, and the recompiled model's outputs with copied weights."""

from __future__ import annotations

import numpy as np
import pytest

import layergraph as lg
from layergraph.importers.keras import build_application, import_model
from layergraph.keras_support import ModelImportError

pytestmark = pytest.mark.keras
from lazy_keras import keras, layers  # noqa: E402
import keras_roundtrip as roundtrip  # noqa: E402


def assert_compiles_back(model, shape):
    return roundtrip.assert_compiles_back(model, shapes=[shape])[0]


def test_a_residual_written_as_x_plus_inputs_and_constant_arithmetic_import_and_compile_back():
    inputs = keras.Input((8, 8, 3), name="inputs")
    x = layers.Conv2D(3, 3, padding="same", name="conv")(inputs)
    x = x + inputs
    x = keras.ops.relu(x * (1.0 / 6.0) - 0.5)
    model = keras.Model(inputs, keras.ops.mean(x, axis=[1, 2]))
    result = assert_compiles_back(model, (8, 8, 3))
    types = [item["type"] for item in result.data["layers"]]
    assert types == ["Conv2D", "ops.add", "ops.multiply", "ops.subtract", "ops.relu", "ops.mean"]
    assert result.data["layers"][2]["right"] == pytest.approx(1 / 6)


def test_a_nested_sequential_of_layers_imports_as_a_block_and_computes_the_same():
    augment = keras.Sequential([layers.Rescaling(1 / 255, name="scale"),
                                layers.Conv2D(4, 3, name="inner_conv")], name="stem")
    inputs = keras.Input((16, 16, 3), name="image")
    x = augment(inputs)
    model = keras.Model(inputs, layers.GlobalAveragePooling2D(name="gap")(x), name="nested")
    result = assert_compiles_back(model, (16, 16, 3))
    assert [item["name"] for item in result.data["layers"]] == ["stem", "gap"]
    assert [item["name"] for item in result.data["blocks"]["stem"]["layers"]] == ["scale", "inner_conv"]
    assert list(result.analysis.layers) == ["image", "stem_scale", "stem_inner_conv", "gap"]


def test_mobilenet_v3_small_imports_and_compiles_back_to_equal_outputs():
    assert_compiles_back(build_application("MobileNetV3Small"), (224, 224, 3))


def test_convnext_tiny_imports_and_compiles_back_to_equal_outputs():
    result = assert_compiles_back(build_application("ConvNeXtTiny"), (224, 224, 3))
    assert "LayerScale" in {result.type for result in result.analysis.layers.values()}


@pytest.mark.slow
def test_inception_resnet_v2_imports_and_compiles_back_to_equal_outputs():
    result = assert_compiles_back(build_application("InceptionResNetV2"), (299, 299, 3))
    assert "CustomScaleLayer" in {result.type for result in result.analysis.layers.values()}


def test_a_custom_class_saved_with_module_null_is_reported_as_a_custom_class_with_the_plugin_hint():
    serialized = {"class_name": "Functional", "config": {
        "name": "m", "input_layers": [["x", 0, 0]], "output_layers": [["mine", 0, 0]],
        "layers": [
            {"module": "keras.layers", "class_name": "InputLayer", "name": "x",
             "config": {"batch_shape": [None, 4], "name": "x"}, "inbound_nodes": []},
            {"module": None, "class_name": "MyScale", "registered_name": "MyScale", "name": "mine",
             "config": {"name": "mine"}, "inbound_nodes": [{"args": [
                 {"class_name": "__keras_tensor__", "config": {"shape": [None, 4],
                                                               "keras_history": ["x", 0, 0]}}],
                 "kwargs": {}}]}]}}
    with pytest.raises(ModelImportError, match=r"custom classes without a layergraph layer type: "
                                               r"'mine' \(MyScale\).*register a layergraph LayerType"):
        import_model(serialized)


def test_frozen_layers_are_kept_in_the_spec_and_counted_as_non_trainable_as_in_keras():
    base = keras.Sequential([layers.Conv2D(4, 3, name="base_conv"),
                             layers.BatchNormalization(name="base_bn")], name="base")
    base.trainable = False
    inputs = keras.Input((8, 8, 3), name="image")
    x = layers.GlobalAveragePooling2D(name="gap")(base(inputs))
    model = keras.Model(inputs, layers.Dense(2, name="head")(x))
    result = assert_compiles_back(model, (8, 8, 3))
    frozen = [item["name"] for item in result.data["blocks"]["base"]["layers"]
              if item.get("trainable") is False]
    assert frozen == ["base_conv", "base_bn"]
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    assert (result.analysis.trainable_params, result.analysis.total_params) == (
        trainable, model.count_params())
    rebuilt = lg.to_keras(result.spec)
    assert sum(int(np.prod(w.shape)) for w in rebuilt.trainable_weights) == trainable
    assert not result.warnings
