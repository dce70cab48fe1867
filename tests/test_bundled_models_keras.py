"""The bundled LeNet-5, U-Net, convolutional autoencoder and DCGAN generator specs equal
the same models written by hand in Keras: per-layer shapes and parameter counts, and
outputs with copied weights."""

from __future__ import annotations

import numpy as np
import pytest

import layergraph as lg
from conftest import SPECS

pytestmark = pytest.mark.keras
from lazy_keras import keras, layers  # noqa: E402  (TensorFlow is imported on first use)


def lenet5():
    inputs = keras.Input((32, 32, 1), name="image")
    x = layers.Conv2D(6, 5, activation="tanh", name="c1")(inputs)
    x = layers.AveragePooling2D(2, name="s2")(x)
    x = layers.Conv2D(16, 5, activation="tanh", name="c3")(x)
    x = layers.AveragePooling2D(2, name="s4")(x)
    x = layers.Conv2D(120, 5, activation="tanh", name="c5")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(84, activation="tanh", name="f6")(x)
    return keras.Model(inputs, layers.Dense(10, activation="softmax", name="predictions")(x))


def unet():
    def double_conv(x, filters, name):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"{name}_conv1")(x)
        return layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"{name}_conv2")(x)

    def up(x, skip, filters, name):
        x = layers.Conv2DTranspose(filters, 2, strides=2, padding="same", name=f"{name}_upconv")(x)
        x = layers.Concatenate(name=f"{name}_concat")([x, skip])
        return double_conv(x, filters, name)

    inputs = keras.Input((128, 128, 3), name="image")
    skips, x = [], inputs
    for i, filters in enumerate([16, 32, 64, 128], start=1):
        x = double_conv(x, filters, f"enc{i}")
        skips.append(x)
        x = layers.MaxPooling2D(2, name=f"pool{i}")(x)
    x = double_conv(x, 256, "bottleneck")
    for i, filters in reversed(list(enumerate([16, 32, 64, 128], start=1))):
        x = up(x, skips[i - 1], filters, f"dec{i}")
    return keras.Model(inputs, layers.Conv2D(3, 1, activation="softmax", name="mask")(x))


def conv_autoencoder():
    inputs = keras.Input((28, 28, 1), name="image")
    x = layers.Conv2D(32, 3, padding="same", activation="relu", name="enc_conv1")(inputs)
    x = layers.MaxPooling2D(2, name="enc_pool1")(x)
    x = layers.Conv2D(16, 3, padding="same", activation="relu", name="enc_conv2")(x)
    x = layers.MaxPooling2D(2, name="code")(x)
    x = layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation="relu", name="dec_convT")(x)
    x = layers.UpSampling2D(2, name="dec_up")(x)
    x = layers.Conv2D(32, 3, padding="same", activation="relu", name="dec_conv")(x)
    out = layers.Conv2D(1, 3, padding="same", activation="sigmoid", name="reconstruction")(x)
    return keras.Model(inputs, out)


def dcgan_generator():
    inputs = keras.Input((100,), name="noise")
    x = layers.Dense(7 * 7 * 256, use_bias=False, name="project")(inputs)
    x = layers.BatchNormalization(name="project_bn")(x)
    x = layers.LeakyReLU(0.2, name="project_relu")(x)
    x = layers.Reshape((7, 7, 256), name="reshape")(x)
    x = layers.Conv2DTranspose(128, 5, padding="same", use_bias=False, name="up1")(x)
    x = layers.BatchNormalization(name="up1_bn")(x)
    x = layers.LeakyReLU(0.2, name="up1_relu")(x)
    x = layers.Conv2DTranspose(64, 5, strides=2, padding="same", use_bias=False, name="up2")(x)
    x = layers.BatchNormalization(name="up2_bn")(x)
    x = layers.LeakyReLU(0.2, name="up2_relu")(x)
    out = layers.Conv2DTranspose(1, 5, strides=2, padding="same", use_bias=False, activation="tanh",
                                 name="image")(x)
    return keras.Model(inputs, out)


MODELS = {"lenet5": lenet5, "unet": unet, "conv_autoencoder": conv_autoencoder,
          "dcgan_generator": dcgan_generator}


@pytest.mark.parametrize("stem", MODELS)
def test_bundled_spec_has_the_shapes_and_parameters_of_the_hand_written_keras_model(stem):
    reference = MODELS[stem]()
    analysis = lg.analyze(SPECS / f"{stem}.json")
    assert analysis.ok and analysis.spec.description
    names = [layer.name for layer in reference.layers]
    assert sorted(names) == sorted(analysis.layers)
    for layer in reference.layers:
        result = analysis.layers[layer.name]
        assert result.output_shape == tuple(layer.output.shape[1:]), layer.name
        assert result.param_count == layer.count_params(), layer.name
    assert analysis.total_params == reference.count_params()


@pytest.mark.parametrize("stem", MODELS)
def test_bundled_spec_computes_what_the_hand_written_keras_model_computes(stem):
    reference = MODELS[stem]()
    ours = lg.to_keras(SPECS / f"{stem}.json")
    for layer in ours.layers:
        source = reference.get_layer(layer.name)
        assert type(layer) is type(source), layer.name
        layer.set_weights(source.get_weights())
    x = np.random.default_rng(0).standard_normal((2,) + tuple(reference.inputs[0].shape[1:])).astype("float32")
    expected = reference(x, training=False).numpy()
    np.testing.assert_allclose(ours(x, training=False).numpy(), expected, atol=1e-5)
    # Without the copied weights the outputs differ: the comparison can fail.
    assert not np.allclose(lg.to_keras(SPECS / f"{stem}.json")(x, training=False).numpy(), expected,
                           atol=1e-5)
