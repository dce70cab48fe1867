"""Numerical fidelity: the compiled models compute exactly what the seed notes' own Keras
code (and keras.applications) computes, given the same weights."""

from __future__ import annotations

import numpy as np
import pytest

import layergraph as lg
from conftest import SPECS

pytestmark = pytest.mark.keras
from lazy_keras import keras, layers  # noqa: E402  (TensorFlow is imported on first use)


def seed_alexnet():
    """The AlexNet code of the seed notes (Chapter 1), verbatim apart from comments."""
    alexnet = keras.Sequential()
    alexnet.add(layers.Input(shape=(227, 227, 3)))
    alexnet.add(layers.Conv2D(filters=96, kernel_size=11, strides=4, activation='relu'))
    alexnet.add(layers.MaxPooling2D(pool_size=3, strides=2))
    alexnet.add(layers.Conv2D(filters=256, kernel_size=5, padding='same', activation='relu'))
    alexnet.add(layers.MaxPooling2D(pool_size=3, strides=2))
    alexnet.add(layers.Conv2D(filters=384, kernel_size=3, padding='same', activation='relu'))
    alexnet.add(layers.Conv2D(filters=384, kernel_size=3, padding='same', activation='relu'))
    alexnet.add(layers.Conv2D(filters=256, kernel_size=3, padding='same', activation='relu'))
    alexnet.add(layers.MaxPooling2D(pool_size=3, strides=2))
    alexnet.add(layers.Flatten())
    alexnet.add(layers.Dense(4096, activation='relu'))
    alexnet.add(layers.Dropout(0.5))
    alexnet.add(layers.Dense(4096, activation='relu'))
    alexnet.add(layers.Dropout(0.5))
    alexnet.add(layers.Dense(1000, activation='softmax'))
    return alexnet


def seed_basic_cnn():
    """The MNIST CNN of the seed notes ("CNN model 만들기"), with keras for tf.keras."""
    input_shape = (28, 28, 1)
    num_classes = 10
    inputs = layers.Input(input_shape)
    net = layers.Conv2D(32, (3, 3), padding='SAME')(inputs)
    net = layers.Activation('relu')(net)
    net = layers.Conv2D(32, (3, 3), padding='SAME')(net)
    net = layers.Activation('relu')(net)
    net = layers.MaxPooling2D(pool_size=(2, 2))(net)
    net = layers.Dropout(0.25)(net)
    net = layers.Conv2D(64, (3, 3), padding='SAME')(net)
    net = layers.Activation('relu')(net)
    net = layers.Conv2D(64, (3, 3), padding='SAME')(net)
    net = layers.Activation('relu')(net)
    net = layers.MaxPooling2D(pool_size=(2, 2))(net)
    net = layers.Dropout(0.25)(net)
    net = layers.Flatten()(net)
    net = layers.Dense(512)(net)
    net = layers.Activation('relu')(net)
    net = layers.Dropout(0.5)(net)
    net = layers.Dense(num_classes)(net)
    net = layers.Activation('softmax')(net)
    return keras.Model(inputs=inputs, outputs=net, name='Basic_CNN')


def copy_weights_in_layer_order(source, target) -> int:
    """Copy weights between the layers that have them, pairing them by order."""
    weighted_source = [layer for layer in source.layers if layer.weights]
    weighted_target = [layer for layer in target.layers if layer.weights]
    assert len(weighted_source) == len(weighted_target)
    for a, b in zip(weighted_source, weighted_target):
        b.set_weights(a.get_weights())
    return len(weighted_source)


def max_difference(a, b, seed: int = 0) -> float:
    """Largest absolute difference of the outputs on random input (inference mode).

    Softmax outputs are small, so the relative difference must be tiny as well.
    """
    x = np.random.default_rng(seed).random((2,) + tuple(a.inputs[0].shape[1:]), dtype=np.float32)
    out_a, out_b = a(x, training=False).numpy(), b(x, training=False).numpy()
    difference = np.abs(out_a - out_b)
    assert np.all(difference <= 1e-5 * np.abs(out_a) + 1e-12) or difference.max() > 1e-6
    return float(difference.max())


@pytest.mark.parametrize("stem, seed_model", [("alexnet", seed_alexnet), ("mnist_cnn", seed_basic_cnn)])
def test_the_compiled_model_computes_what_the_seed_code_computes(stem, seed_model):
    seed = seed_model()
    ours = lg.to_keras(SPECS / f"{stem}.json")
    assert ours.count_params() == seed.count_params()
    assert copy_weights_in_layer_order(seed, ours) > 0
    # Weights are random (glorot), so equal outputs mean equal wiring and arithmetic.
    assert max_difference(seed, ours) <= 1e-6


def test_the_seed_models_give_different_outputs_without_copied_weights():
    # The fidelity check can fail: independently initialised models disagree.
    assert max_difference(seed_basic_cnn(), lg.to_keras(SPECS / "mnist_cnn.json")) > 1e-3


def test_vgg16_computes_what_keras_applications_vgg16_computes():
    reference = keras.applications.VGG16(weights=None)
    ours = lg.to_keras(SPECS / "vgg16.json")
    # Keras numbers unnamed inputs per session (input_layer_3); the other names are fixed.
    assert [layer.name for layer in ours.layers[1:]] == [layer.name for layer in reference.layers[1:]]
    copy_weights_in_layer_order(reference, ours)
    assert max_difference(reference, ours) <= 1e-6


def test_resnet50_spec_computes_what_keras_applications_resnet50_computes():
    reference = keras.applications.ResNet50(weights=None)
    ours = lg.to_keras(SPECS / "resnet50.json")
    by_name = {layer.name: layer for layer in reference.layers[1:]}
    assert sorted(by_name) == sorted(layer.name for layer in ours.layers[1:])
    for layer in ours.layers[1:]:
        assert layer.get_config() == by_name[layer.name].get_config(), layer.name
        layer.set_weights(by_name[layer.name].get_weights())
    assert max_difference(reference, ours) <= 1e-6
