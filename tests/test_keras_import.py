"""Importing Keras models: the spec matches Keras layer by layer and compiles back to an
identical model; bundled specs survive spec → Keras → spec unchanged."""

from __future__ import annotations

import numpy as np
import pytest

import layergraph as lg
from conftest import BUNDLED_SPECS, SPECS
from layergraph.importers.canonical import canonical_form
from layergraph.importers.keras import import_model
from layergraph.keras_support import ModelImportError

pytestmark = pytest.mark.keras
from lazy_keras import keras, layers  # noqa: E402  (TensorFlow is imported on first use)

# The models the issue requires, plus the two the diagram work needs.
APPLICATIONS = ["VGG16", "VGG19", "ResNet50", "ResNet50V2", "MobileNet", "MobileNetV2",
                "DenseNet121", "InceptionV3", "Xception", "EfficientNetB0", "NASNetMobile",
                "EfficientNetB7", "DenseNet201"]
# Forward passes of these take long on two CPU cores; their structure is still compared.
NO_FORWARD_PASS = {"EfficientNetB7"}


def application(name: str):
    keras.backend.clear_session()  # so the input is named input_layer, as in a fresh process
    return getattr(keras.applications, name)(weights=None)


def assert_same_model(original, rebuilt, forward: bool = True) -> None:
    """Same layers (names, classes, Keras configs, shapes, weights counts) and same outputs."""
    by_name = {layer.name: layer for layer in _layers(original)}
    assert sorted(by_name) == sorted(layer.name for layer in _layers(rebuilt))
    for layer in _layers(rebuilt):
        source = by_name[layer.name]
        assert type(layer) is type(source), layer.name
        assert layer.get_config() == source.get_config(), layer.name
        assert layer.output.shape == source.output.shape, layer.name
        assert layer.count_params() == source.count_params(), layer.name
        layer.set_weights(source.get_weights())
    if forward:
        shape = (1,) + tuple(original.inputs[0].shape[1:])
        x = np.random.default_rng(0).random(shape, dtype=np.float32) * 255
        difference = np.abs(original(x, training=False).numpy() - rebuilt(x, training=False).numpy())
        assert difference.max() <= 1e-6


def _layers(model) -> list:
    """The layers besides inputs (Sequential models do not list their input layer)."""
    return [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]


def assert_analysis_matches_keras(analysis, model) -> None:
    for layer in model.layers:
        result = analysis.layers[layer.name]
        assert tuple(layer.output.shape[1:]) == result.output_shape, layer.name
        assert layer.count_params() == result.param_count, layer.name
    assert analysis.total_params == model.count_params()


@pytest.mark.parametrize("name", APPLICATIONS)
def test_keras_applications_import_check_and_compile_back_identically(name):
    original = application(name)
    result = import_model(original)
    assert result.analysis.diagnostics == []
    assert result.warnings == []
    assert_analysis_matches_keras(result.analysis, original)
    assert_same_model(original, lg.to_keras(result.spec), forward=name not in NO_FORWARD_PASS)


@pytest.mark.parametrize("path", BUNDLED_SPECS, ids=lambda p: p.stem)
def test_bundled_specs_round_trip_through_keras_identically(path):
    spec = lg.from_keras(lg.to_keras(path))
    assert canonical_form(spec) == canonical_form(path)


def test_the_round_trip_check_notices_a_changed_parameter():
    model = lg.to_keras(SPECS / "alexnet.json")
    data = import_model(model).data
    assert data["layers"][2]["name"] == "conv2"
    data["layers"][2]["filters"] = 255
    assert canonical_form(data) != canonical_form(SPECS / "alexnet.json")


def test_resnet50_spec_is_identical_to_the_import_of_keras_applications():
    imported = import_model(application("ResNet50"))
    assert canonical_form(SPECS / "resnet50.json") == canonical_form(imported.spec)
    bundled = lg.analyze(SPECS / "resnet50.json")
    assert len(bundled.spec.layers) < 30 < len(bundled.layers)  # written with blocks


def test_a_sequential_model_imports_and_compiles_back(tmp_path):
    model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 3, activation="relu"),
                              layers.MaxPooling2D(), layers.Flatten(), layers.Dense(10)],
                             name="seq")
    result = import_model(model)
    assert result.analysis.total_params == model.count_params()
    assert_same_model(model, lg.to_keras(result.spec))


def test_a_saved_keras_file_imports_without_loading_it(tmp_path):
    inputs = keras.Input((32, 32, 3), name="pixels")
    x = layers.Rescaling(1 / 255, name="scale")(inputs)
    x = layers.SeparableConv2D(16, 3, padding="same", name="sep")(x)
    branch = layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same", name="dw")(x)
    x = layers.Concatenate(name="concat")([x, branch])
    x = layers.Cropping2D(((1, 2), (3, 0)), name="crop")(x)
    x = layers.LayerNormalization(axis=[-1], name="norm")(x)
    x = layers.GlobalMaxPooling2D(name="gmp")(x)
    outputs = layers.Dense(4, kernel_initializer="he_normal", name="out")(x)
    model = keras.Model(inputs, outputs, name="small")
    path = tmp_path / "small.keras"
    model.save(path)
    result = import_model(path)
    assert result.spec.name == "small"
    loaded = keras.models.load_model(path, safe_mode=True)
    assert_analysis_matches_keras(result.analysis, loaded)
    assert_same_model(loaded, lg.to_keras(result.spec))


def test_frozen_layers_import_as_trainable_false_without_a_warning():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3, name="frozen")])
    model.layers[0].trainable = False
    result = import_model(model)
    assert result.warnings == []
    assert result.data["layers"][0]["trainable"] is False
    assert (result.analysis.trainable_params, result.analysis.non_trainable_params) == (0, 15)


def _unsupported_model():
    inputs = keras.Input((8,), name="x")
    c = layers.Lambda(lambda t: t * 2, name="double")(inputs)
    inner_input = keras.Input((8,))  # a nested model with several outputs: not a block
    inner = keras.Model(inner_input, [layers.Dense(2)(inner_input), layers.Dense(3)(inner_input)],
                        name="inner")
    return keras.Model(inputs, inner(c), name="odd")


def test_unsupported_layers_are_each_named_with_the_way_out():
    with pytest.raises(ModelImportError) as info:
        import_model(_unsupported_model())
    message = str(info.value)
    for name, kind in [("double", "Lambda"), ("inner", "Functional")]:
        assert f"'{name}' ({kind})" in message
    assert "nested models with several outputs" in message
    assert "layergraph.layers" in message and "\n" not in message
    assert {p.layer for p in info.value.problems} >= {"double", "inner"}


def test_unregistered_custom_layers_are_named(tmp_path):
    @keras.saving.register_keras_serializable(package="lgtest")
    class Scale(layers.Layer):
        def call(self, x):
            return x * 3

    model = keras.Sequential([keras.Input((4,)), Scale(name="triple")])
    with pytest.raises(ModelImportError, match=r"'triple' \(lgtest>Scale\)"):
        import_model(model)


def test_an_applications_name_typo_gets_a_suggestion():
    with pytest.raises(ModelImportError, match="VGG16"):
        import_model("keras.applications:VGG61")


def test_a_plugin_layer_type_lets_a_custom_keras_layer_import_and_compile_back():
    from layergraph.registry import LayerType, Registry, get_registry

    @keras.saving.register_keras_serializable(package="lgplugin")
    class Gain(layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    class GainType(LayerType):
        """The plugin side: parameters, shape rule and how to build the Keras layer."""

        type_name = "Gain"

        class Params(lg.Params):
            factor: float = 2.0

        @classmethod
        def to_keras(cls, p, name):
            return Gain(factor=p.factor, name=name)

    registry = Registry(dict(get_registry().types), dict(get_registry().origins))
    registry.register(GainType, origin="lgplugin")
    model = keras.Sequential([keras.Input((4,)), Gain(3.0, name="gain"), layers.Dense(2)])
    result = import_model(model, registry=registry)
    assert result.data["layers"][0] == {"name": "gain", "type": "Gain", "factor": 3.0}
    rebuilt = lg.to_keras(lg.analyze(result.spec, registry=registry))
    assert_same_model(model, rebuilt)
