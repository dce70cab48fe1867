"""Nested and shared models, with Keras as the oracle: a nested Functional or Sequential model
imports as a block used once, a layer or nested model called twice as a shared call; the
spec compiles back to a model with Keras's parameter count and, with the weights copied over
by name, Keras's outputs."""

from __future__ import annotations

import numpy as np
import pytest

import layergraph as lg
from layergraph.emit.source import export_python
from layergraph.importers.keras import import_model
from layergraph.keras_support import ModelImportError

pytestmark = pytest.mark.keras
from lazy_keras import keras, layers  # noqa: E402
from keras_roundtrip import assert_compiles_back, sample_inputs  # noqa: E402


def tower(name: str = "tower", size: int = 6):
    inputs = keras.Input((size,), name=f"{name}_in")
    x = layers.Dense(5, activation="relu", name="hidden")(inputs)
    return keras.Model(inputs, layers.Dense(3, name="embed")(x), name=name)


def test_a_nested_mobilenet_v2_imports_as_a_block_used_once_and_computes_the_same():
    base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(96, 96, 3))
    inputs = keras.Input((96, 96, 3), name="image")
    x = layers.GlobalAveragePooling2D(name="pool")(base(inputs))
    model = keras.Model(inputs, layers.Dense(3, name="head")(x), name="finetune")
    result, _ = assert_compiles_back(model, scale=1.0, atol=1e-4)
    assert [item.get("block") or item.get("type") for item in result.data["layers"]] == [
        base.name, "GlobalAveragePooling2D", "Dense"]
    assert result.data["blocks"][base.name]["inputs"] == [base.layers[0].name]
    assert [b.name for b in result.analysis.blocks] == [base.name]


def test_a_nested_sequential_of_augmentation_layers_imports_as_a_block_and_computes_the_same():
    augment = keras.Sequential([layers.RandomFlip("horizontal", name="flip"),
                                layers.RandomRotation(0.1, name="rotate"),
                                layers.Rescaling(1 / 255, name="rescale")], name="augment")
    inputs = keras.Input((16, 16, 3), name="image")
    x = layers.Conv2D(4, 3, name="conv")(augment(inputs))
    model = keras.Model(inputs, layers.GlobalAveragePooling2D(name="pool")(x))
    result, _ = assert_compiles_back(model)  # inference: the augmentation layers pass through
    block = result.data["blocks"]["augment"]
    assert [item["type"] for item in block["layers"]] == ["RandomFlip", "RandomRotation", "Rescaling"]
    assert list(result.analysis.layers)[1:4] == ["augment_flip", "augment_rotate", "augment_rescale"]


def test_a_nested_model_inside_a_nested_model_imports_as_a_block_inside_a_block():
    inner = tower("inner")
    outer_in = keras.Input((6,), name="outer_in")
    outer = keras.Model(outer_in, layers.Dense(2, name="squash")(inner(outer_in)), name="outer")
    inputs = keras.Input((6,), name="x")
    model = keras.Model(inputs, layers.Dense(1, name="out")(outer(inputs)))
    result, _ = assert_compiles_back(model, scale=1.0)
    assert [item["name"] for item in result.data["blocks"]["outer"]["layers"]] == ["inner", "squash"]
    assert {b.name: b.parent for b in result.analysis.blocks} == {"outer": None, "outer_inner": "outer"}
    assert "outer_inner_hidden" in result.analysis.layers


def test_a_nested_model_with_two_inputs_imports_as_a_block_with_two_inputs():
    left, right = keras.Input((4,), name="left"), keras.Input((3,), name="right")
    joined = layers.Concatenate(name="join")([left, layers.Dense(4, name="lift")(right)])
    pair = keras.Model([left, right], layers.Dense(2, name="mix")(joined), name="pair")
    a, b = keras.Input((4,), name="a"), keras.Input((3,), name="b")
    model = keras.Model([a, b], layers.Dense(1, name="out")(pair([a, b])))
    result, _ = assert_compiles_back(model, scale=1.0)
    assert result.data["blocks"]["pair"]["inputs"] == ["left", "right"]
    assert result.analysis.layers["pair_join"].inputs == ["a", "pair_lift"]


def test_a_nested_model_with_two_outputs_is_refused_clearly():
    inputs = keras.Input((4,), name="x")
    split = keras.Model(inputs, [layers.Dense(2, name="p")(inputs), layers.Dense(3, name="q")(inputs)],
                        name="split")
    outer_in = keras.Input((4,), name="outer_in")
    p, q = split(outer_in)
    model = keras.Model(outer_in, layers.Concatenate(name="cat")([p, q]))
    with pytest.raises(ModelImportError, match=r"nested models with several outputs \(a block has "
                                               r"one output.*'split' \(Functional\)"):
        import_model(model)


def siamese_dense():
    a, b = keras.Input((6,), name="a"), keras.Input((6,), name="b")
    shared = layers.Dense(4, activation="tanh", name="shared")
    distance = layers.Subtract(name="distance")([shared(a), shared(b)])
    return keras.Model([a, b], layers.Dense(1, name="score")(distance), name="siamese")


def test_a_siamese_model_with_a_shared_dense_tower_compiles_to_one_layer_called_twice():
    model = siamese_dense()
    result, rebuilt = assert_compiles_back(model, scale=1.0)
    shared_call = result.data["layers"][1]
    assert shared_call == {"name": "shared_call2", "shares": "shared", "inputs": ["b"]}
    assert len(rebuilt.layers) == len(model.layers)
    assert len(rebuilt.get_layer("shared")._inbound_nodes) == 2


def test_a_siamese_model_with_a_shared_nested_model_tower_imports_and_computes_the_same():
    net = tower()
    a, b = keras.Input((6,), name="a"), keras.Input((6,), name="b")
    distance = layers.Subtract(name="distance")([net(a), net(b)])
    model = keras.Model([a, b], layers.Dense(1, name="score")(distance), name="siamese_tower")
    result, rebuilt = assert_compiles_back(model, scale=1.0)
    assert {"name": "tower_call2", "shares": "tower", "inputs": ["b"]} in result.data["layers"]
    assert result.analysis.layers["distance"].inputs == ["tower_embed", "tower_call2_embed"]
    assert rebuilt.count_params() == model.count_params() == result.analysis.total_params


def test_a_spec_with_a_shared_layer_builds_the_same_model_as_keras_and_exports_it():
    spec = {"inputs": [{"name": "a", "shape": [6]}, {"name": "b", "shape": [6]}], "layers": [
        {"name": "shared", "type": "Dense", "units": 4, "activation": "tanh", "inputs": ["a"]},
        {"name": "shared_b", "shares": "shared", "inputs": ["b"]},
        {"name": "distance", "type": "Subtract", "inputs": ["shared", "shared_b"]},
        {"name": "score", "type": "Dense", "units": 1}]}
    model = siamese_dense()
    built = lg.to_keras(spec)
    namespace: dict = {}
    exec(compile(export_python(spec), "exported.py", "exec"), namespace)
    exported = namespace["model"]
    for other in (built, exported):
        assert [layer.name for layer in other.layers] == [layer.name for layer in model.layers]
        assert other.count_params() == model.count_params()
        for layer in other.layers:
            layer.set_weights(model.get_layer(layer.name).get_weights())
        x = sample_inputs(model, scale=1.0)
        np.testing.assert_allclose(np.asarray(other(x)), np.asarray(model(x)), rtol=1e-5, atol=1e-6)


def test_a_frozen_nested_functional_base_imports_frozen_and_counts_as_non_trainable():
    base = tower("base")
    base.trainable = False
    inputs = keras.Input((6,), name="x")
    model = keras.Model(inputs, layers.Dense(2, name="head")(base(inputs)))
    result, rebuilt = assert_compiles_back(model, scale=1.0)
    assert all(item["trainable"] is False for item in result.data["blocks"]["base"]["layers"])
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    assert (result.analysis.trainable_params, result.analysis.non_trainable_params) == (
        trainable, model.count_params() - trainable)
    assert sum(int(np.prod(w.shape)) for w in rebuilt.trainable_weights) == trainable
    assert not result.warnings
