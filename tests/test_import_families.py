"""Keras models built from the 1-D/3-D, transposed, normalization, activation,
regularization, reshaping and preprocessing families import layer by layer and compile
back to the same model (configs, shapes, weights counts, outputs with copied weights)."""

from __future__ import annotations

import pytest

import layergraph as lg
from layergraph.importers.keras import import_model

pytestmark = [pytest.mark.keras, pytest.mark.filterwarnings("ignore:.*does not support masking:UserWarning")]
from lazy_keras import keras, layers  # noqa: E402
from test_keras_import import assert_analysis_matches_keras, assert_same_model  # noqa: E402


def sequence_model():
    inputs = keras.Input((40, 6), name="signal")
    x = layers.Masking(0.0, name="mask")(inputs)
    x = layers.Conv1D(8, 5, padding="causal", dilation_rate=2, name="causal")(x)
    x = layers.PReLU(shared_axes=[1], name="prelu")(x)
    x = layers.SeparableConv1D(8, 3, depth_multiplier=2, name="sep")(x)
    x = layers.DepthwiseConv1D(3, padding="same", name="dw")(x)
    x = layers.SpatialDropout1D(0.1, name="sdrop")(x)
    x = layers.MaxPooling1D(2, name="pool")(x)
    x = layers.ZeroPadding1D((1, 2), name="pad")(x)
    x = layers.Cropping1D((2, 1), name="crop")(x)
    x = layers.UpSampling1D(3, name="up")(x)
    x = layers.Conv1DTranspose(4, 3, strides=2, output_padding=1, name="convT")(x)
    x = layers.GroupNormalization(2, name="gn")(x)
    x = layers.Permute((2, 1), name="permute")(x)
    x = layers.Softmax(axis=1, name="softmax")(x)
    x = layers.GlobalAveragePooling1D(name="gap")(x)
    x = layers.RepeatVector(3, name="repeat")(x)
    x = layers.Flatten(name="flat")(x)
    x = layers.GaussianNoise(0.1, name="noise")(x)
    x = layers.AlphaDropout(0.1, name="adrop")(x)
    x = layers.ELU(0.5, name="elu")(x)
    x = layers.UnitNormalization(name="unit")(x)
    x = layers.ActivityRegularization(l2=0.01, name="actreg")(x)
    a = layers.Dense(4, name="a")(x)
    b = layers.Dense(4, name="b")(layers.GaussianDropout(0.2, name="gdrop")(x))
    out = layers.Dot(axes=1, normalize=True, name="cosine")([a, b])
    return keras.Model(inputs, layers.Identity(name="identity")(out), name="sequence")


def image_and_volume_model():
    image = keras.Input((32, 32, 3), name="image")
    x = layers.Resizing(24, 24, name="resize")(image)
    x = layers.RandomFlip("horizontal", name="flip")(x)
    x = layers.RandomRotation(0.1, name="rotate")(x)
    x = layers.RandomZoom(0.1, name="zoom")(x)
    x = layers.RandomTranslation(0.1, 0.1, name="shift")(x)
    x = layers.RandomContrast(0.2, name="contrast")(x)
    x = layers.RandomBrightness(0.1, name="bright")(x)
    x = layers.RandomCrop(20, 20, name="rcrop")(x)
    x = layers.CenterCrop(16, 16, name="ccrop")(x)
    x = layers.Conv2DTranspose(4, 3, strides=2, padding="same", output_padding=1, name="convT2")(x)
    x = layers.LeakyReLU(0.1, name="leaky")(x)
    x = layers.UpSampling2D((1, 2), interpolation="bilinear", name="up2")(x)
    x = layers.SpatialDropout2D(0.1, name="sdrop2")(x)
    x = layers.AveragePooling2D(2, name="avg2")(x)
    x = layers.Reshape((16, 32, 4, 1), name="to_volume")(x)
    x = layers.Conv3D(4, 3, padding="same", name="conv3")(x)
    x = layers.ZeroPadding3D(((0, 1), (1, 0), (1, 1)), name="pad3")(x)
    x = layers.Cropping3D(1, name="crop3")(x)
    x = layers.MaxPooling3D((2, 2, 1), name="pool3")(x)
    x = layers.UpSampling3D((1, 1, 2), name="up3")(x)
    x = layers.Conv3DTranspose(2, 2, strides=(2, 2, 1), name="convT3")(x)
    x = layers.SpatialDropout3D(0.1, name="sdrop3")(x)
    x = layers.AveragePooling3D(2, name="avg3")(x)
    x = layers.GlobalMaxPooling3D(keepdims=True, name="gmp3")(x)
    return keras.Model(image, layers.Flatten(name="flat")(x), name="image_volume")


def channels_first_model():
    inputs = keras.Input((3, 16, 16), name="chw")
    x = layers.Conv2D(4, 3, data_format="channels_first", name="conv")(inputs)
    x = layers.MaxPooling2D(2, data_format="channels_first", name="pool")(x)
    x = layers.ZeroPadding2D(1, data_format="channels_first", name="pad")(x)
    x = layers.GlobalAveragePooling2D(data_format="channels_first", name="gap")(x)
    return keras.Model(inputs, layers.Dense(2, name="out")(x), name="channels_first")


@pytest.mark.parametrize("build", [sequence_model, image_and_volume_model], ids=lambda f: f.__name__)
def test_models_of_the_new_families_import_and_compile_back_identically(build):
    original = build()
    result = import_model(original)
    assert result.analysis.diagnostics == [] and result.warnings == []
    assert_analysis_matches_keras(result.analysis, original)
    assert_same_model(original, lg.to_keras(result.spec))


def test_a_channels_first_model_imports_with_its_data_format():
    original = channels_first_model()
    result = import_model(original)
    assert result.data["layers"][0]["data_format"] == "channels_first"
    assert_analysis_matches_keras(result.analysis, original)
    # TensorFlow's CPU kernels run only channels-last convolutions, so compare structure.
    assert_same_model(original, lg.to_keras(result.spec), forward=False)


@pytest.mark.parametrize("build", [sequence_model, image_and_volume_model, channels_first_model],
                         ids=lambda f: f.__name__)
def test_the_exported_script_of_the_new_families_builds_the_compiled_model(build, tmp_path):
    import runpy

    spec = import_model(build()).spec
    path = tmp_path / "model.py"
    path.write_text(lg.export_python(spec), encoding="utf-8")
    generated, compiled = runpy.run_path(str(path))["model"], lg.to_keras(spec)

    def layers_of(model):
        return sorted((layer.name, type(layer).__name__, tuple(layer.output.shape),
                       layer.count_params(), repr(sorted(layer.get_config().items())))
                      for layer in model.layers if type(layer).__name__ != "InputLayer")

    assert layers_of(generated) == layers_of(compiled)
