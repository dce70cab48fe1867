"""A corpus of real Keras example models (https://keras.io/examples/), rebuilt small.

Each builder reproduces the architecture of one keras.io example as its code builds it
(functional, Sequential, custom ``Layer`` subclasses and ``Lambda`` where the example
uses them), with smaller inputs and widths so that it builds and runs in seconds, and
``weights=None`` wherever a pretrained backbone is used. The first line of a builder's
docstring is ``TITLE — URL``; the decorator records it with the family tag, so each
example's facts are written once. ``EXAMPLES`` maps a short name to its :class:`Example`.

Used by ``tests/test_keras_examples.py`` and ``benchmarks/examples_import.py``.
TensorFlow is imported on the first build, not when this module is imported.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Callable, Literal

import numpy as np

from lazy_keras import keras, layers
from keras_roundtrip import leaf_layers

Family = Literal["vision", "nlp", "audio", "timeseries", "generative", "structured"]
FAMILIES: tuple[str, ...] = ("vision", "nlp", "audio", "timeseries", "generative", "structured")


@dataclass(frozen=True)
class Example:
    """One keras.io example: its short name, family, title, URL and model builder."""

    name: str
    family: Family
    title: str
    url: str
    build: Callable[[], object]
    unknown_size: int = 8  # the length generated data gives an axis of unknown size (None)


EXAMPLES: dict[str, Example] = {}


def example(family: Family, unknown_size: int = 8):
    """Register the decorated builder; its docstring's first line is ``TITLE — URL``.
    ``unknown_size`` is the length of its inputs' unknown axes in generated data (long
    enough for the example's strides and pools)."""
    assert family in FAMILIES, family

    def register(build):
        title, url = build.__doc__.strip().splitlines()[0].split(" — ")
        assert url.startswith("https://keras.io/"), build.__name__
        EXAMPLES[build.__name__] = Example(build.__name__, family, title, url, build, unknown_size)
        return build

    return register


def ops():
    """keras.ops (through the lazy module, so TensorFlow loads on first use)."""
    return keras.ops


# -- vision -------------------------------------------------------------------------------


@example("vision")
def mnist_convnet():
    """Simple MNIST convnet — https://keras.io/examples/vision/mnist_convnet/"""
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ])


@example("vision")
def image_classification_from_scratch():
    """Image classification from scratch — https://keras.io/examples/vision/image_classification_from_scratch/"""
    inputs = keras.Input(shape=(64, 64, 3))
    x = layers.Rescaling(1.0 / 255)(inputs)
    x = layers.Conv2D(32, 3, strides=2, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    previous_block_activation = x  # Set aside residual
    for size in [32, 64]:
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(size, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(size, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
        residual = layers.Conv2D(size, 1, strides=2, padding="same")(previous_block_activation)
        x = layers.add([x, residual])  # Add back residual
        previous_block_activation = x  # Set aside next residual
    x = layers.SeparableConv2D(128, 3, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.25)(x)
    outputs = layers.Dense(1, activation=None)(x)
    return keras.Model(inputs, outputs)


@example("vision")
def oxford_pets_image_segmentation():
    """Image segmentation with a U-Net-like architecture — https://keras.io/examples/vision/oxford_pets_image_segmentation/"""
    inputs = keras.Input(shape=(64, 64, 3))
    x = layers.Conv2D(16, 3, strides=2, padding="same")(inputs)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    previous_block_activation = x
    for filters in [32, 64]:
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(filters, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(filters, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
        residual = layers.Conv2D(filters, 1, strides=2, padding="same")(previous_block_activation)
        x = layers.add([x, residual])
        previous_block_activation = x
    for filters in [64, 32, 16]:
        x = layers.Activation("relu")(x)
        x = layers.Conv2DTranspose(filters, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)
        x = layers.Conv2DTranspose(filters, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)
        x = layers.UpSampling2D(2)(x)
        residual = layers.UpSampling2D(2)(previous_block_activation)
        residual = layers.Conv2D(filters, 1, padding="same")(residual)
        x = layers.add([x, residual])
        previous_block_activation = x
    outputs = layers.Conv2D(3, 3, activation="softmax", padding="same")(x)
    return keras.Model(inputs, outputs)


def mlp(x, hidden_units, dropout_rate):
    """The transformer examples' feed-forward helper."""
    for units in hidden_units:
        x = layers.Dense(units, activation=keras.activations.gelu)(x)
        x = layers.Dropout(dropout_rate)(x)
    return x


@example("vision")
def image_classification_with_vision_transformer():
    """Image classification with Vision Transformer — https://keras.io/examples/vision/image_classification_with_vision_transformer/"""
    patch_size, num_patches, projection_dim, num_heads = 8, 16, 16, 2
    inputs = keras.Input(shape=(32, 32, 3))
    patches = custom().Patches(patch_size)(inputs)
    encoded_patches = custom().PatchEncoder(num_patches, projection_dim)(patches)
    for _ in range(2):
        x1 = layers.LayerNormalization(epsilon=1e-6)(encoded_patches)
        attention_output = layers.MultiHeadAttention(num_heads=num_heads, key_dim=projection_dim,
                                                     dropout=0.1)(x1, x1)
        x2 = layers.Add()([attention_output, encoded_patches])
        x3 = layers.LayerNormalization(epsilon=1e-6)(x2)
        x3 = mlp(x3, hidden_units=[projection_dim * 2, projection_dim], dropout_rate=0.1)
        encoded_patches = layers.Add()([x3, x2])
    representation = layers.LayerNormalization(epsilon=1e-6)(encoded_patches)
    representation = layers.Flatten()(representation)
    representation = layers.Dropout(0.5)(representation)
    features = mlp(representation, hidden_units=[64, 32], dropout_rate=0.5)
    logits = layers.Dense(10)(features)
    return keras.Model(inputs=inputs, outputs=logits)


@example("vision")
def convmixer():
    """Image classification with ConvMixer — https://keras.io/examples/vision/convmixer/"""
    def activation_block(x):
        x = layers.Activation("gelu")(x)
        return layers.BatchNormalization()(x)

    filters, depth, kernel_size, patch_size = 32, 2, 5, 2
    inputs = keras.Input((32, 32, 3))
    x = layers.Rescaling(scale=1.0 / 255)(inputs)
    x = layers.Conv2D(filters, kernel_size=patch_size, strides=patch_size)(x)  # conv_stem
    x = activation_block(x)
    for _ in range(depth):
        x0 = x
        x = layers.DepthwiseConv2D(kernel_size=kernel_size, padding="same")(x)
        x = layers.Add()([activation_block(x), x0])  # Residual.
        x = layers.Conv2D(filters, kernel_size=1)(x)
        x = activation_block(x)
    x = layers.GlobalAvgPool2D()(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs, outputs)


@example("vision")
def mlp_image_classification():
    """Image classification with modern MLP models (MLP-Mixer) — https://keras.io/examples/vision/mlp_image_classification/"""
    patch_size, num_patches, embedding_dim = 8, 16, 32
    inputs = layers.Input(shape=(32, 32, 3))
    patches = custom().Patches(patch_size)(inputs)
    x = layers.Dense(units=embedding_dim)(patches)
    x = keras.Sequential([custom().MLPMixerLayer(num_patches, embedding_dim, 0.2) for _ in range(2)])(x)
    representation = layers.GlobalAveragePooling1D()(x)
    representation = layers.Dropout(rate=0.2)(representation)
    logits = layers.Dense(10)(representation)
    return keras.Model(inputs=inputs, outputs=logits)


@example("vision")
def cct():
    """Compact Convolutional Transformers — https://keras.io/examples/vision/cct/"""
    projection_dim = 32
    inputs = layers.Input((32, 32, 3))
    encoded_patches = custom().CCTTokenizer((16, projection_dim))(inputs)
    for _ in range(2):
        x1 = layers.LayerNormalization(epsilon=1e-5)(encoded_patches)
        attention_output = layers.MultiHeadAttention(num_heads=2, key_dim=projection_dim,
                                                     dropout=0.1)(x1, x1)
        x2 = layers.Add()([attention_output, encoded_patches])
        x3 = layers.LayerNormalization(epsilon=1e-5)(x2)
        x3 = mlp(x3, hidden_units=[projection_dim, projection_dim], dropout_rate=0.1)
        encoded_patches = layers.Add()([x3, x2])
    representation = layers.LayerNormalization(epsilon=1e-5)(encoded_patches)
    attention_weights = keras.ops.softmax(layers.Dense(1)(representation), axis=1)  # sequence pooling
    weighted_representation = keras.ops.matmul(ops().transpose(attention_weights, (0, 2, 1)), representation)
    weighted_representation = keras.ops.squeeze(weighted_representation, -2)
    logits = layers.Dense(10)(weighted_representation)
    return keras.Model(inputs=inputs, outputs=logits)


@example("vision")
def image_classification_efficientnet_fine_tuning():
    """Image classification via fine-tuning with EfficientNet — https://keras.io/examples/vision/image_classification_efficientnet_fine_tuning/"""
    inputs = layers.Input(shape=(64, 64, 3))
    model = keras.applications.EfficientNetB0(include_top=False, input_tensor=inputs, weights=None)
    model.trainable = False  # Freeze the pretrained weights
    x = layers.GlobalAveragePooling2D(name="avg_pool")(model.output)
    x = layers.BatchNormalization()(x)
    x = layers.Dropout(0.2, name="top_dropout")(x)
    outputs = layers.Dense(10, activation="softmax", name="pred")(x)
    return keras.Model(inputs, outputs, name="EfficientNet")


@example("vision")
def transfer_learning_xception():
    """Transfer learning & fine-tuning (Xception base, nested) — https://keras.io/guides/transfer_learning/"""
    base_model = keras.applications.Xception(weights=None, input_shape=(96, 96, 3), include_top=False)
    base_model.trainable = False
    inputs = keras.Input(shape=(96, 96, 3))
    data_augmentation = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)])
    x = data_augmentation(inputs)
    x = layers.Rescaling(scale=1 / 127.5, offset=-1)(x)
    x = base_model(x, training=False)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.2)(x)
    outputs = layers.Dense(1)(x)
    return keras.Model(inputs, outputs)


@example("vision")
def siamese_contrastive():
    """Image similarity estimation using a Siamese Network with a contrastive loss — https://keras.io/examples/vision/siamese_contrastive/"""
    def euclidean_distance(vects):
        x, y = vects
        sum_square = keras.ops.sum(keras.ops.square(x - y), axis=1, keepdims=True)
        return keras.ops.sqrt(keras.ops.maximum(sum_square, keras.backend.epsilon()))

    input = keras.layers.Input((28, 28, 1))
    x = keras.layers.BatchNormalization()(input)
    x = keras.layers.Conv2D(4, (5, 5), activation="tanh")(x)
    x = keras.layers.AveragePooling2D(pool_size=(2, 2))(x)
    x = keras.layers.Conv2D(16, (5, 5), activation="tanh")(x)
    x = keras.layers.AveragePooling2D(pool_size=(2, 2))(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.Dense(10, activation="tanh")(x)
    embedding_network = keras.Model(input, x)
    input_1 = keras.layers.Input((28, 28, 1))
    input_2 = keras.layers.Input((28, 28, 1))
    tower_1 = embedding_network(input_1)  # one tower, called twice: shared weights
    tower_2 = embedding_network(input_2)
    merge_layer = keras.layers.Lambda(euclidean_distance, output_shape=(1,))([tower_1, tower_2])
    normal_layer = keras.layers.BatchNormalization()(merge_layer)
    output_layer = keras.layers.Dense(1, activation="sigmoid")(normal_layer)
    return keras.Model(inputs=[input_1, input_2], outputs=output_layer)


@example("vision")
def ct_3d_image_classification():
    """3D image classification from CT scans — https://keras.io/examples/vision/3D_image_classification/"""
    inputs = keras.Input((32, 32, 16, 1))
    x = layers.Conv3D(filters=8, kernel_size=3, activation="relu")(inputs)
    x = layers.MaxPool3D(pool_size=2)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Conv3D(filters=8, kernel_size=3, activation="relu")(x)
    x = layers.MaxPool3D(pool_size=2)(x)
    x = layers.BatchNormalization()(x)
    x = layers.GlobalAveragePooling3D()(x)
    x = layers.Dense(units=32, activation="relu")(x)
    x = layers.Dropout(0.3)(x)
    outputs = layers.Dense(units=1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs, name="3dcnn")


@example("vision")
def video_classification_cnn_rnn():
    """Video Classification with a CNN-RNN Architecture (sequence model) — https://keras.io/examples/vision/video_classification/"""
    frame_features_input = keras.Input((20, 64))
    mask_input = keras.Input((20,), dtype="bool")
    x = layers.GRU(16, return_sequences=True)(frame_features_input, mask=mask_input)
    x = layers.GRU(8)(x)
    x = layers.Dropout(0.4)(x)
    x = layers.Dense(8, activation="relu")(x)
    output = layers.Dense(5, activation="softmax")(x)
    return keras.Model([frame_features_input, mask_input], output)


@example("vision")
def conv_lstm():
    """Next-Frame Video Prediction with Convolutional LSTMs — https://keras.io/examples/vision/conv_lstm/"""
    inp = layers.Input(shape=(None, 16, 16, 1))
    x = layers.ConvLSTM2D(filters=8, kernel_size=(5, 5), padding="same", return_sequences=True,
                          activation="relu")(inp)
    x = layers.BatchNormalization()(x)
    x = layers.ConvLSTM2D(filters=8, kernel_size=(3, 3), padding="same", return_sequences=True,
                          activation="relu")(x)
    x = layers.BatchNormalization()(x)
    x = layers.ConvLSTM2D(filters=8, kernel_size=(1, 1), padding="same", return_sequences=True,
                          activation="relu")(x)
    x = layers.Conv3D(filters=1, kernel_size=(3, 3, 3), activation="sigmoid", padding="same")(x)
    return keras.models.Model(inp, x)


@example("vision")
def super_resolution_sub_pixel():
    """Image Super-Resolution using an Efficient Sub-Pixel CNN — https://keras.io/examples/vision/super_resolution_sub_pixel/"""
    upscale_factor, channels = 3, 1
    conv_args = {"activation": "relu", "kernel_initializer": "orthogonal", "padding": "same"}
    inputs = keras.Input(shape=(None, None, channels))
    x = layers.Conv2D(64, 5, **conv_args)(inputs)
    x = layers.Conv2D(64, 3, **conv_args)(x)
    x = layers.Conv2D(32, 3, **conv_args)(x)
    x = layers.Conv2D(channels * (upscale_factor ** 2), 3, **conv_args)(x)
    outputs = custom().DepthToSpace(upscale_factor)(x)
    return keras.Model(inputs, outputs)


@example("vision")
def autoencoder():
    """Convolutional autoencoder for image denoising — https://keras.io/examples/vision/autoencoder/"""
    input = layers.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(input)
    x = layers.MaxPooling2D((2, 2), padding="same")(x)
    x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(x)
    x = layers.MaxPooling2D((2, 2), padding="same")(x)
    x = layers.Conv2DTranspose(32, (3, 3), strides=2, activation="relu", padding="same")(x)
    x = layers.Conv2DTranspose(32, (3, 3), strides=2, activation="relu", padding="same")(x)
    x = layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same")(x)
    return keras.Model(input, x)


def _orthogonal_regularizer(num_features, l2reg=0.001):
    """The PointNet example's custom regularizer (a Regularizer subclass, as written there)."""
    class OrthogonalRegularizer(keras.regularizers.Regularizer):
        def __init__(self, num_features, l2reg=0.001):
            self.num_features, self.l2reg = num_features, l2reg
            self.eye = keras.ops.eye(num_features)

        def __call__(self, x):
            x = keras.ops.reshape(x, (-1, self.num_features, self.num_features))
            xxt = keras.ops.tensordot(x, x, axes=(2, 2))
            xxt = keras.ops.reshape(xxt, (-1, self.num_features, self.num_features))
            return keras.ops.sum(self.l2reg * keras.ops.square(xxt - self.eye))

        def get_config(self):
            return {"num_features": self.num_features, "l2reg": self.l2reg}

    return OrthogonalRegularizer(num_features, l2reg)


@example("vision")
def pointnet():
    """Point cloud classification with PointNet — https://keras.io/examples/vision/pointnet/"""
    def conv_bn(x, filters):
        x = layers.Conv1D(filters, kernel_size=1, padding="valid")(x)
        x = layers.BatchNormalization(momentum=0.0)(x)
        return layers.Activation("relu")(x)

    def dense_bn(x, filters):
        x = layers.Dense(filters)(x)
        x = layers.BatchNormalization(momentum=0.0)(x)
        return layers.Activation("relu")(x)

    def tnet(inputs, num_features):
        bias = keras.initializers.Constant(np.eye(num_features).flatten())
        reg = _orthogonal_regularizer(num_features)
        x = conv_bn(inputs, 8)
        x = conv_bn(x, 16)
        x = layers.GlobalMaxPooling1D()(x)
        x = dense_bn(x, 16)
        x = layers.Dense(num_features * num_features, kernel_initializer="zeros",
                         bias_initializer=bias, activity_regularizer=reg)(x)
        feat_t = layers.Reshape((num_features, num_features))(x)
        return layers.Dot(axes=(2, 1))([inputs, feat_t])  # Apply affine transformation

    inputs = keras.Input(shape=(64, 3))
    x = tnet(inputs, 3)
    x = conv_bn(x, 8)
    x = conv_bn(x, 8)
    x = tnet(x, 8)
    x = conv_bn(x, 8)
    x = conv_bn(x, 16)
    x = layers.GlobalMaxPooling1D()(x)
    x = dense_bn(x, 16)
    x = layers.Dropout(0.3)(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs=inputs, outputs=outputs, name="pointnet")


def _captcha_model():
    input_img = layers.Input(shape=(64, 16, 1), name="image", dtype="float32")
    labels = layers.Input(name="label", shape=(None,), dtype="float32")
    x = layers.Conv2D(32, (3, 3), activation="relu", kernel_initializer="he_normal",
                      padding="same", name="Conv1")(input_img)
    x = layers.MaxPooling2D((2, 2), name="pool1")(x)
    x = layers.Conv2D(64, (3, 3), activation="relu", kernel_initializer="he_normal",
                      padding="same", name="Conv2")(x)
    x = layers.MaxPooling2D((2, 2), name="pool2")(x)
    x = layers.Reshape(target_shape=((64 // 4), (16 // 4) * 64), name="reshape")(x)
    x = layers.Dense(64, activation="relu", name="dense1")(x)
    x = layers.Dropout(0.2)(x)
    x = layers.Bidirectional(layers.LSTM(32, return_sequences=True, dropout=0.25))(x)
    x = layers.Bidirectional(layers.LSTM(16, return_sequences=True, dropout=0.25))(x)
    x = layers.Dense(20 + 1, activation="softmax", name="dense2")(x)
    output = custom().CTCLayer(name="ctc_loss")(labels, x)
    return keras.models.Model(inputs=[input_img, labels], outputs=output, name="ocr_model_v1")


@example("vision")
def captcha_ocr():
    """OCR model for reading Captchas (training model) — https://keras.io/examples/vision/captcha_ocr/"""
    return _captcha_model()


@example("vision")
def captcha_ocr_prediction():
    """OCR model for reading Captchas (prediction model) — https://keras.io/examples/vision/captcha_ocr/"""
    model = _captcha_model()
    return keras.models.Model(model.input[0], model.get_layer(name="dense2").output)


@example("vision")
def knowledge_distillation():
    """Knowledge Distillation (teacher convnet) — https://keras.io/examples/vision/knowledge_distillation/"""
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, (3, 3), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.MaxPooling2D(pool_size=(2, 2), strides=(1, 1), padding="same"),
        layers.Conv2D(64, (3, 3), strides=(2, 2), padding="same"),
        layers.Flatten(),
        layers.Dense(10),
    ], name="teacher")


@example("vision")
def metric_learning():
    """Metric learning for image similarity search — https://keras.io/examples/vision/metric_learning/"""
    inputs = layers.Input(shape=(32, 32, 3))
    x = layers.Conv2D(filters=32, kernel_size=3, strides=2, activation="relu")(inputs)
    x = layers.Conv2D(filters=64, kernel_size=3, strides=2, activation="relu")(x)
    x = layers.Conv2D(filters=128, kernel_size=3, strides=2, activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    embeddings = layers.Dense(units=8, activation=None)(x)
    embeddings = layers.UnitNormalization()(embeddings)
    return keras.Model(inputs, embeddings)


@example("vision")
def zero_dce():
    """Zero-DCE for low-light image enhancement (DCE-Net) — https://keras.io/examples/vision/zero_dce/"""
    input_img = keras.Input(shape=[32, 32, 3])
    conv1 = layers.Conv2D(32, (3, 3), strides=(1, 1), activation="relu", padding="same")(input_img)
    conv2 = layers.Conv2D(32, (3, 3), strides=(1, 1), activation="relu", padding="same")(conv1)
    conv3 = layers.Conv2D(32, (3, 3), strides=(1, 1), activation="relu", padding="same")(conv2)
    conv4 = layers.Conv2D(32, (3, 3), strides=(1, 1), activation="relu", padding="same")(conv3)
    int_con1 = layers.Concatenate(axis=-1)([conv4, conv3])
    conv5 = layers.Conv2D(32, (3, 3), strides=(1, 1), activation="relu", padding="same")(int_con1)
    int_con2 = layers.Concatenate(axis=-1)([conv5, conv2])
    conv6 = layers.Conv2D(32, (3, 3), strides=(1, 1), activation="relu", padding="same")(int_con2)
    int_con3 = layers.Concatenate(axis=-1)([conv6, conv1])
    x_r = layers.Conv2D(24, (3, 3), strides=(1, 1), activation="tanh", padding="same")(int_con3)
    return keras.Model(inputs=input_img, outputs=x_r)


# -- nlp ----------------------------------------------------------------------------------


@example("nlp", unknown_size=64)
def text_classification_from_scratch():
    """Text classification from scratch — https://keras.io/examples/nlp/text_classification_from_scratch/"""
    inputs = keras.Input(shape=(None,), dtype="int64")
    x = layers.Embedding(200, 32)(inputs)
    x = layers.Dropout(0.5)(x)
    x = layers.Conv1D(32, 7, padding="valid", activation="relu", strides=3)(x)
    x = layers.Conv1D(32, 7, padding="valid", activation="relu", strides=3)(x)
    x = layers.GlobalMaxPooling1D()(x)
    x = layers.Dense(32, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    predictions = layers.Dense(1, activation="sigmoid", name="predictions")(x)
    return keras.Model(inputs, predictions)


@example("nlp")
def bidirectional_lstm_imdb():
    """Bidirectional LSTM on IMDB — https://keras.io/examples/nlp/bidirectional_lstm_imdb/"""
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(200, 32)(inputs)
    x = layers.Bidirectional(layers.LSTM(16, return_sequences=True))(x)
    x = layers.Bidirectional(layers.LSTM(16))(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs)


@example("nlp")
def text_classification_with_transformer():
    """Text classification with Transformer — https://keras.io/examples/nlp/text_classification_with_transformer/"""
    maxlen, vocab_size, embed_dim = 20, 200, 16
    inputs = layers.Input(shape=(maxlen,))
    x = custom().TokenAndPositionEmbedding(maxlen, vocab_size, embed_dim)(inputs)
    x = custom().TransformerBlock(embed_dim, 2, 16)(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(0.1)(x)
    x = layers.Dense(20, activation="relu")(x)
    x = layers.Dropout(0.1)(x)
    outputs = layers.Dense(2, activation="softmax")(x)
    return keras.Model(inputs=inputs, outputs=outputs)


@example("nlp")
def lstm_seq2seq():
    """Character-level recurrent sequence-to-sequence model — https://keras.io/examples/nlp/lstm_seq2seq/"""
    num_encoder_tokens, num_decoder_tokens, latent_dim = 20, 24, 32
    encoder_inputs = keras.Input(shape=(None, num_encoder_tokens))
    encoder = keras.layers.LSTM(latent_dim, return_state=True)
    encoder_outputs, state_h, state_c = encoder(encoder_inputs)
    encoder_states = [state_h, state_c]
    decoder_inputs = keras.Input(shape=(None, num_decoder_tokens))
    decoder_lstm = keras.layers.LSTM(latent_dim, return_sequences=True, return_state=True)
    decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=encoder_states)
    decoder_dense = keras.layers.Dense(num_decoder_tokens, activation="softmax")
    decoder_outputs = decoder_dense(decoder_outputs)
    return keras.Model([encoder_inputs, decoder_inputs], decoder_outputs)


@example("nlp")
def ner_with_transformers():
    """Named Entity Recognition using Transformers (a subclassed Model) — https://keras.io/examples/nlp/ner_transformers/"""
    class NERModel(keras.Model):
        def __init__(self, num_tags, vocab_size, maxlen=16, embed_dim=16, num_heads=2, ff_dim=16):
            super().__init__()
            self.embedding_layer = custom().TokenAndPositionEmbedding(maxlen, vocab_size, embed_dim)
            self.transformer_block = custom().TransformerBlock(embed_dim, num_heads, ff_dim)
            self.dropout1 = layers.Dropout(0.1)
            self.ff = layers.Dense(ff_dim, activation="relu")
            self.dropout2 = layers.Dropout(0.1)
            self.ff_final = layers.Dense(num_tags, activation="softmax")

        def call(self, inputs, training=False):
            x = self.embedding_layer(inputs)
            x = self.transformer_block(x)
            x = self.dropout1(x, training=training)
            x = self.ff(x)
            x = self.dropout2(x, training=training)
            return self.ff_final(x)

    model = NERModel(num_tags=10, vocab_size=200)
    model(np.zeros((1, 16), dtype="int32"))  # build it, as fitting does
    return model


@example("nlp")
def neural_machine_translation_with_transformer():
    """English-to-Spanish translation with a sequence-to-sequence Transformer — https://keras.io/examples/nlp/neural_machine_translation_with_transformer/"""
    embed_dim, latent_dim, num_heads, vocab_size, sequence_length = 16, 32, 2, 200, 10
    encoder_inputs = keras.Input(shape=(None,), dtype="int64", name="encoder_inputs")
    x = custom().PositionalEmbedding(sequence_length, vocab_size, embed_dim)(encoder_inputs)
    encoder_outputs = custom().TransformerEncoder(embed_dim, latent_dim, num_heads)(x)
    encoder = keras.Model(encoder_inputs, encoder_outputs)
    decoder_inputs = keras.Input(shape=(None,), dtype="int64", name="decoder_inputs")
    encoded_seq_inputs = keras.Input(shape=(None, embed_dim), name="decoder_state_inputs")
    x = custom().PositionalEmbedding(sequence_length, vocab_size, embed_dim)(decoder_inputs)
    x = custom().TransformerDecoder(embed_dim, latent_dim, num_heads)(x, encoded_seq_inputs)
    x = layers.Dropout(0.5)(x)
    decoder_outputs = layers.Dense(vocab_size, activation="softmax")(x)
    decoder = keras.Model([decoder_inputs, encoded_seq_inputs], decoder_outputs)
    decoder_outputs = decoder([decoder_inputs, encoder_outputs])
    return keras.Model([encoder_inputs, decoder_inputs], decoder_outputs, name="transformer")


@example("nlp")
def addition_rnn():
    """Sequence to sequence learning for performing number addition — https://keras.io/examples/nlp/addition_rnn/"""
    maxlen, digits, chars = 7, 3, 12
    return keras.Sequential([
        layers.Input((maxlen, chars)),
        layers.LSTM(32),  # the encoder
        layers.RepeatVector(digits + 1),
        layers.LSTM(32, return_sequences=True),  # the decoder
        layers.Dense(chars, activation="softmax"),
    ])


@example("nlp", unknown_size=160)
def pretrained_word_embeddings():
    """Using pre-trained word embeddings (frozen, constant-initialised Embedding) — https://keras.io/examples/nlp/pretrained_word_embeddings/"""
    num_tokens, embedding_dim = 50, 8
    embedding_matrix = np.random.default_rng(0).random((num_tokens, embedding_dim)).astype("float32")
    embedding_layer = layers.Embedding(num_tokens, embedding_dim, trainable=False,
                                       embeddings_initializer=keras.initializers.Constant(embedding_matrix))
    int_sequences_input = keras.Input(shape=(None,), dtype="int32")
    embedded_sequences = embedding_layer(int_sequences_input)
    x = layers.Conv1D(16, 5, activation="relu")(embedded_sequences)
    x = layers.MaxPooling1D(5)(x)
    x = layers.Conv1D(16, 5, activation="relu")(x)
    x = layers.MaxPooling1D(5)(x)
    x = layers.Conv1D(16, 5, activation="relu")(x)
    x = layers.GlobalMaxPooling1D()(x)
    x = layers.Dense(16, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    preds = layers.Dense(20, activation="softmax")(x)
    return keras.Model(int_sequences_input, preds)


@example("nlp")
def active_learning_review_classification():
    """Review classification using active learning — https://keras.io/examples/nlp/active_learning_review_classification/"""
    return keras.models.Sequential([
        layers.Input(shape=(30,)),
        layers.Embedding(input_dim=200, output_dim=16),
        layers.Bidirectional(layers.LSTM(8, return_sequences=True)),
        layers.GlobalMaxPool1D(),
        layers.Dense(20, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(1, activation="sigmoid"),
    ])


# -- audio --------------------------------------------------------------------------------


@example("audio")
def speaker_recognition_using_cnn():
    """Speaker Recognition (Conv1D residual blocks) — https://keras.io/examples/audio/speaker_recognition_using_cnn/"""
    def residual_block(x, filters, conv_num=3, activation="relu"):
        s = keras.layers.Conv1D(filters, 1, padding="same")(x)  # Shortcut
        for _ in range(conv_num - 1):
            x = keras.layers.Conv1D(filters, 3, padding="same")(x)
            x = keras.layers.Activation(activation)(x)
        x = keras.layers.Conv1D(filters, 3, padding="same")(x)
        x = keras.layers.Add()([x, s])
        x = keras.layers.Activation(activation)(x)
        return keras.layers.MaxPool1D(pool_size=2, strides=2)(x)

    inputs = keras.layers.Input(shape=(400, 1), name="input")
    x = residual_block(inputs, 8, 2)
    x = residual_block(x, 16, 2)
    x = residual_block(x, 32, 3)
    x = keras.layers.AveragePooling1D(pool_size=3, strides=3)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dense(32, activation="relu")(x)
    x = keras.layers.Dense(16, activation="relu")(x)
    outputs = keras.layers.Dense(5, activation="softmax", name="output")(x)
    return keras.models.Model(inputs=inputs, outputs=outputs)


@example("audio")
def ctc_asr():
    """Automatic Speech Recognition using CTC (DeepSpeech2-like) — https://keras.io/examples/audio/ctc_asr/"""
    input_dim, output_dim, rnn_layers, rnn_units = 33, 31, 2, 16
    input_spectrogram = layers.Input((None, input_dim), name="input")
    x = layers.Reshape((-1, input_dim, 1), name="expand_dim")(input_spectrogram)
    x = layers.Conv2D(filters=8, kernel_size=[11, 41], strides=[2, 2], padding="same",
                      use_bias=False, name="conv_1")(x)
    x = layers.BatchNormalization(name="conv_1_bn")(x)
    x = layers.ReLU(name="conv_1_relu")(x)
    x = layers.Conv2D(filters=8, kernel_size=[11, 21], strides=[1, 2], padding="same",
                      use_bias=False, name="conv_2")(x)
    x = layers.BatchNormalization(name="conv_2_bn")(x)
    x = layers.ReLU(name="conv_2_relu")(x)
    x = layers.Reshape((-1, x.shape[-2] * x.shape[-1]))(x)
    for i in range(1, rnn_layers + 1):
        recurrent = layers.GRU(units=rnn_units, activation="tanh", recurrent_activation="sigmoid",
                               use_bias=True, return_sequences=True, reset_after=True,
                               name=f"gru_{i}")
        x = layers.Bidirectional(recurrent, name=f"bidirectional_{i}", merge_mode="concat")(x)
        if i < rnn_layers:
            x = layers.Dropout(rate=0.5)(x)
    x = layers.Dense(units=rnn_units * 2, name="dense_1")(x)
    x = layers.ReLU(name="dense_1_relu")(x)
    x = layers.Dropout(rate=0.5)(x)
    output = layers.Dense(units=output_dim + 1, activation="softmax")(x)
    return keras.Model(input_spectrogram, output, name="DeepSpeech_2")


@example("audio")
def uk_ireland_accent_recognition():
    """English speaker accent recognition using Transfer Learning (classifier head on YAMNet embeddings) — https://keras.io/examples/audio/uk_ireland_accent_recognition/"""
    input_layer = keras.Input(shape=(1024,), dtype="float32", name="embedding")
    x = keras.layers.Dense(64, activation="relu", name="dense_1")(input_layer)
    x = keras.layers.Dropout(0.4, name="dropout_1")(x)
    x = keras.layers.Dense(96, activation="relu", name="dense_2")(x)
    x = keras.layers.Dropout(0.2, name="dropout_2")(x)
    x = keras.layers.Dense(48, activation="relu", name="dense_3")(x)
    x = keras.layers.Dropout(0.2, name="dropout_3")(x)
    x = keras.layers.Dense(6, name="ouput")(x)
    return keras.Model(input_layer, x, name="accent_recognition")


# -- timeseries ---------------------------------------------------------------------------


@example("timeseries")
def timeseries_classification_from_scratch():
    """Timeseries classification from scratch (fully convolutional network) — https://keras.io/examples/timeseries/timeseries_classification_from_scratch/"""
    input_layer = keras.layers.Input((100, 1))
    x = input_layer
    for _ in range(3):
        x = keras.layers.Conv1D(filters=16, kernel_size=3, padding="same")(x)
        x = keras.layers.BatchNormalization()(x)
        x = keras.layers.ReLU()(x)
    gap = keras.layers.GlobalAveragePooling1D()(x)
    output_layer = keras.layers.Dense(2, activation="softmax")(gap)
    return keras.models.Model(inputs=input_layer, outputs=output_layer)


@example("timeseries")
def timeseries_classification_transformer():
    """Timeseries classification with a Transformer model — https://keras.io/examples/timeseries/timeseries_classification_transformer/"""
    def transformer_encoder(inputs, head_size, num_heads, ff_dim, dropout=0):
        x = layers.MultiHeadAttention(key_dim=head_size, num_heads=num_heads,
                                      dropout=dropout)(inputs, inputs)
        x = layers.Dropout(dropout)(x)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
        res = x + inputs
        x = layers.Conv1D(filters=ff_dim, kernel_size=1, activation="relu")(res)
        x = layers.Dropout(dropout)(x)
        x = layers.Conv1D(filters=inputs.shape[-1], kernel_size=1)(x)
        x = layers.LayerNormalization(epsilon=1e-6)(x)
        return x + res

    inputs = keras.Input(shape=(50, 1))
    x = inputs
    for _ in range(2):
        x = transformer_encoder(x, head_size=16, num_heads=2, ff_dim=4, dropout=0.25)
    x = layers.GlobalAveragePooling1D(data_format="channels_first")(x)
    for dim in [32]:
        x = layers.Dense(dim, activation="relu")(x)
        x = layers.Dropout(0.4)(x)
    outputs = layers.Dense(2, activation="softmax")(x)
    return keras.Model(inputs, outputs)


@example("timeseries")
def timeseries_weather_forecasting():
    """Timeseries forecasting for weather prediction — https://keras.io/examples/timeseries/timeseries_weather_forecasting/"""
    inputs = keras.layers.Input(shape=(120, 7))
    lstm_out = keras.layers.LSTM(32)(inputs)
    outputs = keras.layers.Dense(1)(lstm_out)
    return keras.Model(inputs=inputs, outputs=outputs)


@example("timeseries")
def timeseries_anomaly_detection():
    """Timeseries anomaly detection using an Autoencoder — https://keras.io/examples/timeseries/timeseries_anomaly_detection/"""
    return keras.Sequential([
        layers.Input(shape=(288, 1)),
        layers.Conv1D(filters=32, kernel_size=7, padding="same", strides=2, activation="relu"),
        layers.Dropout(rate=0.2),
        layers.Conv1D(filters=16, kernel_size=7, padding="same", strides=2, activation="relu"),
        layers.Conv1DTranspose(filters=16, kernel_size=7, padding="same", strides=2, activation="relu"),
        layers.Dropout(rate=0.2),
        layers.Conv1DTranspose(filters=32, kernel_size=7, padding="same", strides=2, activation="relu"),
        layers.Conv1DTranspose(filters=1, kernel_size=7, padding="same"),
    ])


@example("timeseries")
def eeg_signal_classification():
    """Electroencephalogram Signal Classification for action identification (Conv1D model) — https://keras.io/examples/timeseries/eeg_signal_classification/"""
    input_layer = keras.Input(shape=(128, 1))
    x = layers.Conv1D(filters=16, kernel_size=3, strides=2, activation="relu", padding="same")(input_layer)
    x = layers.BatchNormalization()(x)
    x = layers.Conv1D(filters=32, kernel_size=3, strides=2, activation="relu", padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Conv1D(filters=64, kernel_size=5, strides=2, activation="relu", padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Conv1D(filters=64, kernel_size=5, strides=2, activation="relu", padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Dropout(0.2)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(64, activation="relu")(x)
    x = layers.Dropout(0.2)(x)
    x = layers.Dense(32, activation="relu", kernel_regularizer=keras.regularizers.L2())(x)
    x = layers.Dropout(0.2)(x)
    output_layer = layers.Dense(2, activation="softmax")(x)
    return keras.Model(inputs=input_layer, outputs=output_layer)


# -- generative ---------------------------------------------------------------------------


@example("generative")
def dcgan_discriminator():
    """DCGAN to generate face images (discriminator) — https://keras.io/examples/generative/dcgan_overriding_train_step/"""
    return keras.Sequential([
        keras.Input(shape=(32, 32, 3)),
        layers.Conv2D(16, kernel_size=4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(32, kernel_size=4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(32, kernel_size=4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Flatten(),
        layers.Dropout(0.2),
        layers.Dense(1, activation="sigmoid"),
    ], name="discriminator")


@example("generative")
def dcgan_generator():
    """DCGAN to generate face images (generator) — https://keras.io/examples/generative/dcgan_overriding_train_step/"""
    latent_dim = 32
    return keras.Sequential([
        keras.Input(shape=(latent_dim,)),
        layers.Dense(4 * 4 * 32),
        layers.Reshape((4, 4, 32)),
        layers.Conv2DTranspose(32, kernel_size=4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2DTranspose(64, kernel_size=4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2DTranspose(128, kernel_size=4, strides=2, padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(3, kernel_size=5, padding="same", activation="sigmoid"),
    ], name="generator")


@example("generative")
def vae_encoder():
    """Variational AutoEncoder (encoder) — https://keras.io/examples/generative/vae/"""
    latent_dim = 2
    encoder_inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, 3, activation="relu", strides=2, padding="same")(encoder_inputs)
    x = layers.Conv2D(64, 3, activation="relu", strides=2, padding="same")(x)
    x = layers.Flatten()(x)
    x = layers.Dense(16, activation="relu")(x)
    z_mean = layers.Dense(latent_dim, name="z_mean")(x)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(x)
    z = custom().Sampling()([z_mean, z_log_var])
    return keras.Model(encoder_inputs, [z_mean, z_log_var, z], name="encoder")


@example("generative")
def vae_decoder():
    """Variational AutoEncoder (decoder) — https://keras.io/examples/generative/vae/"""
    latent_inputs = keras.Input(shape=(2,))
    x = layers.Dense(7 * 7 * 64, activation="relu")(latent_inputs)
    x = layers.Reshape((7, 7, 64))(x)
    x = layers.Conv2DTranspose(64, 3, activation="relu", strides=2, padding="same")(x)
    x = layers.Conv2DTranspose(32, 3, activation="relu", strides=2, padding="same")(x)
    decoder_outputs = layers.Conv2DTranspose(1, 3, activation="sigmoid", padding="same")(x)
    return keras.Model(latent_inputs, decoder_outputs, name="decoder")


def _wgan_conv_block(x, filters, activation, kernel_size=(3, 3), strides=(1, 1), padding="same",
                     use_bias=True, use_bn=False, use_dropout=False, drop_value=0.5):
    x = layers.Conv2D(filters, kernel_size, strides=strides, padding=padding, use_bias=use_bias)(x)
    if use_bn:
        x = layers.BatchNormalization()(x)
    x = activation(x)
    if use_dropout:
        x = layers.Dropout(drop_value)(x)
    return x


@example("generative")
def wgan_gp_discriminator():
    """WGAN-GP overriding Model.train_step (discriminator) — https://keras.io/examples/generative/wgan_gp/"""
    img_input = layers.Input(shape=(28, 28, 1))
    x = layers.ZeroPadding2D((2, 2))(img_input)  # 28×28 to 32×32
    x = _wgan_conv_block(x, 16, kernel_size=(5, 5), strides=(2, 2), use_bn=False, use_bias=True,
                         activation=layers.LeakyReLU(0.2), use_dropout=False, drop_value=0.3)
    x = _wgan_conv_block(x, 32, kernel_size=(5, 5), strides=(2, 2), use_bn=False,
                         activation=layers.LeakyReLU(0.2), use_bias=True, use_dropout=True, drop_value=0.3)
    x = _wgan_conv_block(x, 64, kernel_size=(5, 5), strides=(2, 2), use_bn=False,
                         activation=layers.LeakyReLU(0.2), use_bias=True, use_dropout=True, drop_value=0.3)
    x = layers.Flatten()(x)
    x = layers.Dropout(0.2)(x)
    x = layers.Dense(1)(x)
    return keras.models.Model(img_input, x, name="discriminator")


@example("generative")
def wgan_gp_generator():
    """WGAN-GP overriding Model.train_step (generator) — https://keras.io/examples/generative/wgan_gp/"""
    def upsample_block(x, filters, activation, kernel_size=(3, 3), strides=(1, 1), up_size=(2, 2),
                       padding="same", use_bn=False, use_bias=True):
        x = layers.UpSampling2D(up_size)(x)
        x = layers.Conv2D(filters, kernel_size, strides=strides, padding=padding, use_bias=use_bias)(x)
        if use_bn:
            x = layers.BatchNormalization()(x)
        return activation(x) if activation else x

    noise = layers.Input(shape=(32,))
    x = layers.Dense(4 * 4 * 64, use_bias=False)(noise)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Reshape((4, 4, 64))(x)
    x = upsample_block(x, 32, layers.LeakyReLU(0.2), use_bias=False, use_bn=True)
    x = upsample_block(x, 16, layers.LeakyReLU(0.2), use_bias=False, use_bn=True)
    x = upsample_block(x, 1, layers.Activation("tanh"), use_bias=False, use_bn=True)
    x = layers.Cropping2D((2, 2))(x)  # 32×32 back to 28×28
    return keras.models.Model(noise, x, name="generator")


@example("generative")
def conditional_gan_generator():
    """Conditional GAN (generator) — https://keras.io/examples/generative/conditional_gan/"""
    generator_in_channels = 32 + 10
    return keras.Sequential([
        keras.layers.InputLayer((generator_in_channels,)),
        layers.Dense(7 * 7 * generator_in_channels),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Reshape((7, 7, generator_in_channels)),
        layers.Conv2DTranspose(32, (4, 4), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2DTranspose(32, (4, 4), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(1, (7, 7), padding="same", activation="sigmoid"),
    ], name="generator")


@example("generative")
def conditional_gan_discriminator():
    """Conditional GAN (discriminator) — https://keras.io/examples/generative/conditional_gan/"""
    return keras.Sequential([
        keras.layers.InputLayer((28, 28, 1 + 10)),
        layers.Conv2D(32, (3, 3), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.Conv2D(64, (3, 3), strides=(2, 2), padding="same"),
        layers.LeakyReLU(negative_slope=0.2),
        layers.GlobalMaxPooling2D(),
        layers.Dense(1),
    ], name="discriminator")


@example("generative")
def pixelcnn():
    """PixelCNN — https://keras.io/examples/generative/pixelcnn/"""
    inputs = keras.Input(shape=(28, 28, 1))
    x = custom().PixelConvLayer(mask_type="A", filters=16, kernel_size=7, activation="relu", padding="same")(inputs)
    for _ in range(2):
        x = custom().ResidualBlock(filters=16)(x)
    for _ in range(2):
        x = custom().PixelConvLayer(mask_type="B", filters=16, kernel_size=1, strides=1, activation="relu",
                           padding="valid")(x)
    out = layers.Conv2D(filters=1, kernel_size=1, strides=1, activation="sigmoid", padding="valid")(x)
    return keras.Model(inputs, out)


@example("generative")
def neural_style_transfer():
    """Neural style transfer (VGG19 feature extractor with a dict of outputs) — https://keras.io/examples/generative/neural_style_transfer/"""
    model = keras.applications.vgg19.VGG19(weights=None, include_top=False, input_shape=(64, 64, 3))
    outputs_dict = {layer.name: layer.output for layer in model.layers}
    return keras.Model(inputs=model.inputs, outputs=outputs_dict)


@example("generative")
def text_generation_with_miniature_gpt():
    """Text generation with a miniature GPT — https://keras.io/examples/generative/text_generation_with_miniature_gpt/"""
    maxlen, vocab_size, embed_dim = 16, 200, 16
    inputs = layers.Input(shape=(maxlen,), dtype="int32")
    x = custom().TokenAndPositionEmbedding(maxlen, vocab_size, embed_dim)(inputs)
    x = custom().TransformerBlock(embed_dim, 2, 16)(x)  # the example's block adds a causal mask
    outputs = layers.Dense(vocab_size)(x)
    return keras.Model(inputs=inputs, outputs=[outputs, x])


@example("generative")
def lstm_character_level_text_generation():
    """Character-level text generation with LSTM — https://keras.io/examples/generative/lstm_character_level_text_generation/"""
    maxlen, chars = 40, 30
    return keras.Sequential([
        keras.Input(shape=(maxlen, chars)),
        layers.LSTM(32),
        layers.Dense(chars, activation="softmax"),
    ])


# -- structured data ----------------------------------------------------------------------


@example("structured")
def structured_data_classification_from_scratch():
    """Structured data classification from scratch (lookup and normalization layers in the model) — https://keras.io/examples/structured_data/structured_data_classification_from_scratch/"""
    def categorical(name, vocabulary, dtype):
        feature = keras.Input(shape=(1,), name=name, dtype=dtype)
        lookup = (layers.StringLookup if dtype == "string" else layers.IntegerLookup)(
            vocabulary=vocabulary, output_mode="binary")
        return feature, lookup(feature)

    def numerical(name, mean, variance):
        feature = keras.Input(shape=(1,), name=name)
        return feature, layers.Normalization(mean=mean, variance=variance)(feature)

    features = [categorical("sex", [0, 1], "int64"), categorical("cp", [0, 1, 2, 3, 4], "int64"),
                categorical("thal", ["fixed", "normal", "reversible"], "string"),
                numerical("age", 54.0, 81.0), numerical("chol", 247.0, 2704.0)]
    all_inputs = [feature for feature, _ in features]
    all_features = layers.concatenate([encoded for _, encoded in features])
    x = layers.Dense(32, activation="relu")(all_features)
    x = layers.Dropout(0.5)(x)
    output = layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(all_inputs, output)


@example("structured")
def structured_data_classification_with_feature_space():
    """Structured data classification with FeatureSpace (the training model on encoded features) — https://keras.io/examples/structured_data/structured_data_classification_with_feature_space/"""
    encoded_features = keras.Input(shape=(31,))
    x = keras.layers.Dense(32, activation="relu")(encoded_features)
    x = keras.layers.Dropout(0.5)(x)
    predictions = keras.layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(inputs=encoded_features, outputs=predictions)


def _census_inputs():
    """The census examples' inputs: one scalar (shape ()) per feature, as they declare them."""
    numeric = {name: layers.Input(name=name, shape=(), dtype="float32")
               for name in ("age", "hours_per_week", "capital_gains")}
    categorical = {name: layers.Input(name=name, shape=(), dtype="int32")
                   for name in ("education", "occupation", "marital_status")}
    return numeric, categorical


def _encode_census(numeric, categorical, embedding_dims=4, vocabulary_size=20):
    """Embed each category and expand each number to a vector, then concatenate them."""
    encoded = [layers.Embedding(vocabulary_size, embedding_dims)(x) for x in categorical.values()]
    encoded += [keras.ops.expand_dims(x, -1) for x in numeric.values()]
    return layers.concatenate(encoded)


@example("structured")
def wide_deep_cross_networks_wide_and_deep():
    """Structured data learning with Wide, Deep, and Cross networks (wide & deep) — https://keras.io/examples/structured_data/wide_deep_cross_networks/"""
    numeric, categorical = _census_inputs()
    inputs = {**numeric, **categorical}
    wide = layers.concatenate([layers.CategoryEncoding(20, output_mode="one_hot")(x)
                               for x in categorical.values()])
    wide = layers.BatchNormalization()(wide)
    deep = _encode_census(numeric, categorical)
    for units in [32, 32]:
        deep = layers.Dense(units)(deep)
        deep = layers.BatchNormalization()(deep)
        deep = layers.ReLU()(deep)
        deep = layers.Dropout(0.1)(deep)
    merged = layers.concatenate([wide, deep])
    outputs = layers.Dense(units=5, activation="softmax")(merged)
    return keras.Model(inputs=inputs, outputs=outputs)


@example("structured")
def wide_deep_cross_networks_deep_and_cross():
    """Structured data learning with Wide, Deep, and Cross networks (deep & cross) — https://keras.io/examples/structured_data/wide_deep_cross_networks/"""
    numeric, categorical = _census_inputs()
    inputs = {**numeric, **categorical}
    x0 = _encode_census(numeric, categorical)
    cross = x0
    for _ in range(2):
        units = cross.shape[-1]
        x = layers.Dense(units)(cross)
        cross = x0 * x + cross
    cross = layers.BatchNormalization()(cross)
    deep = x0
    for units in [32, 32]:
        deep = layers.Dense(units)(deep)
        deep = layers.BatchNormalization()(deep)
        deep = layers.ReLU()(deep)
        deep = layers.Dropout(0.1)(deep)
    merged = layers.concatenate([cross, deep])
    outputs = layers.Dense(units=5, activation="softmax")(merged)
    return keras.Model(inputs=inputs, outputs=outputs)


@example("structured")
def tabtransformer():
    """Structured data learning with TabTransformer — https://keras.io/examples/structured_data/tabtransformer/"""
    embedding_dims, num_heads = 8, 2
    numeric, categorical = _census_inputs()
    inputs = {**numeric, **categorical}
    encoded_categorical = keras.ops.stack(
        [layers.Embedding(20, embedding_dims)(x) for x in categorical.values()], axis=1)
    numerical_features = layers.concatenate([keras.ops.expand_dims(x, -1) for x in numeric.values()])
    for block_idx in range(2):
        attention_output = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embedding_dims,
                                                     dropout=0.1,
                                                     name=f"multihead_attention_{block_idx}")(
            encoded_categorical, encoded_categorical)
        x = layers.Add(name=f"skip_connection1_{block_idx}")([attention_output, encoded_categorical])
        x = layers.LayerNormalization(name=f"layer_norm1_{block_idx}", epsilon=1e-6)(x)
        feedforward_output = keras.Sequential([layers.Dense(embedding_dims, activation="gelu"),
                                               layers.Dropout(0.1)],
                                              name=f"feedforward_{block_idx}")(x)
        x = layers.Add(name=f"skip_connection2_{block_idx}")([feedforward_output, x])
        encoded_categorical = layers.LayerNormalization(name=f"layer_norm2_{block_idx}",
                                                        epsilon=1e-6)(x)
    categorical_features = layers.Flatten()(encoded_categorical)
    numerical_features = layers.LayerNormalization(epsilon=1e-6)(numerical_features)
    features = layers.concatenate([categorical_features, numerical_features])
    features = mlp(features, hidden_units=[32, 16], dropout_rate=0.2)
    outputs = layers.Dense(units=1, activation="sigmoid", name="sigmoid")(features)
    return keras.Model(inputs=inputs, outputs=outputs)


@example("structured")
def collaborative_filtering_movielens():
    """Collaborative Filtering for Movie Recommendations (RecommenderNet written functionally) — https://keras.io/examples/structured_data/collaborative_filtering_movielens/"""
    num_users, num_movies, embedding_size = 30, 40, 8
    user = keras.Input(shape=(1,), dtype="int32", name="user")
    movie = keras.Input(shape=(1,), dtype="int32", name="movie")
    user_vector = layers.Embedding(num_users, embedding_size, embeddings_initializer="he_normal",
                                   embeddings_regularizer=keras.regularizers.l2(1e-6))(user)
    user_bias = layers.Embedding(num_users, 1)(user)
    movie_vector = layers.Embedding(num_movies, embedding_size, embeddings_initializer="he_normal",
                                    embeddings_regularizer=keras.regularizers.l2(1e-6))(movie)
    movie_bias = layers.Embedding(num_movies, 1)(movie)
    dot_user_movie = layers.Dot(axes=2)([user_vector, movie_vector])
    x = layers.Add()([dot_user_movie, user_bias, movie_bias])
    outputs = layers.Activation("sigmoid")(layers.Flatten()(x))
    return keras.Model([user, movie], outputs)


@example("structured")
def imbalanced_classification():
    """Imbalanced classification: credit card fraud detection — https://keras.io/examples/structured_data/imbalanced_classification/"""
    return keras.Sequential([
        keras.Input(shape=(30,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(1, activation="sigmoid"),
    ])


@example("structured")
def movielens_recommendations_transformers_features():
    """A Transformer-based recommendation system (features MLP head, simplified) — https://keras.io/examples/structured_data/movielens_recommendations_transformers/"""
    sequence = keras.Input(shape=(4,), dtype="int32", name="sequence_movie_ids")
    target = keras.Input(shape=(1,), dtype="int32", name="target_movie_id")
    movie_embedding = layers.Embedding(40, 8, name="movie_embedding")
    encoded_sequence = movie_embedding(sequence)
    encoded_target = movie_embedding(target)  # the embedding is shared by both inputs
    transformer_features = layers.concatenate([encoded_sequence, encoded_target], axis=1)
    attention_output = layers.MultiHeadAttention(num_heads=2, key_dim=8, dropout=0.1)(
        transformer_features, transformer_features)
    attention_output = layers.Dropout(0.1)(attention_output)
    x1 = layers.Add()([transformer_features, attention_output])
    x1 = layers.LayerNormalization()(x1)
    x2 = layers.LeakyReLU()(x1)
    x2 = layers.Dense(units=x2.shape[-1])(x2)
    x2 = layers.Dropout(0.1)(x2)
    features = layers.Add()([x1, x2])
    features = layers.LayerNormalization()(features)
    features = layers.Flatten()(features)
    for num_units in [32, 16]:
        features = layers.Dense(num_units)(features)
        features = layers.BatchNormalization()(features)
        features = layers.LeakyReLU()(features)
        features = layers.Dropout(0.1)(features)
    outputs = layers.Dense(units=1)(features)
    return keras.Model(inputs=[sequence, target], outputs=outputs)


# -- the examples' custom Layer subclasses (defined on first use: Keras loads lazily) ---------


@functools.cache
def custom() -> SimpleNamespace:
    """The custom Layer subclasses of the examples, as they write them (Keras loads here)."""

    class Patches(layers.Layer):
        """The ViT example's patch extraction layer (a custom Layer subclass, as written there)."""

        def __init__(self, patch_size, **kwargs):
            super().__init__(**kwargs)
            self.patch_size = patch_size

        def call(self, images):
            k = ops()
            shape = k.shape(images)
            patches = k.image.extract_patches(images, size=self.patch_size)
            rows, columns = shape[1] // self.patch_size, shape[2] // self.patch_size
            return k.reshape(patches, (shape[0], rows * columns, self.patch_size ** 2 * shape[-1]))

        def get_config(self):
            return {**super().get_config(), "patch_size": self.patch_size}

    class PatchEncoder(layers.Layer):
        """The ViT example's projection plus learned position embedding."""

        def __init__(self, num_patches, projection_dim, **kwargs):
            super().__init__(**kwargs)
            self.num_patches = num_patches
            self.projection = layers.Dense(units=projection_dim)
            self.position_embedding = layers.Embedding(input_dim=num_patches, output_dim=projection_dim)

        def call(self, patch):
            positions = ops().expand_dims(ops().arange(0, self.num_patches, 1), axis=0)
            return self.projection(patch) + self.position_embedding(positions)

        def get_config(self):
            return {**super().get_config(), "num_patches": self.num_patches,
                    "projection_dim": self.projection.units}

    class MLPMixerLayer(layers.Layer):
        """The MLP-Mixer example's token- and channel-mixing block (a custom Layer subclass)."""

        def __init__(self, num_patches, hidden_units, dropout_rate, **kwargs):
            super().__init__(**kwargs)
            self.mlp1 = keras.Sequential([layers.Dense(units=num_patches, activation="gelu"),
                                          layers.Dense(units=num_patches), layers.Dropout(dropout_rate)])
            self.mlp2 = keras.Sequential([layers.Dense(units=num_patches, activation="gelu"),
                                          layers.Dense(units=hidden_units), layers.Dropout(dropout_rate)])
            self.normalize = layers.LayerNormalization(epsilon=1e-6)
            self.config = {"num_patches": num_patches, "hidden_units": hidden_units,
                           "dropout_rate": dropout_rate}

        def call(self, inputs):
            x = self.normalize(inputs)
            x_channels = ops().transpose(x, axes=(0, 2, 1))
            x = ops().transpose(self.mlp1(x_channels), axes=(0, 2, 1)) + inputs
            return x + self.mlp2(self.normalize(x))

        def get_config(self):
            return {**super().get_config(), **self.config}

    class CCTTokenizer(layers.Layer):
        """The CCT example's convolutional tokenizer (a custom Layer subclass)."""

        def __init__(self, num_output_channels=(16, 32), **kwargs):
            super().__init__(**kwargs)
            self.channels = list(num_output_channels)
            self.conv_model = keras.Sequential()
            for channels in self.channels:
                self.conv_model.add(layers.Conv2D(channels, 3, 1, padding="valid", use_bias=False,
                                                  activation="relu", kernel_initializer="he_normal"))
                self.conv_model.add(layers.ZeroPadding2D(1))
                self.conv_model.add(layers.MaxPooling2D(3, 2, "same"))

        def call(self, images):
            outputs = self.conv_model(images)
            shape = ops().shape(outputs)
            return ops().reshape(outputs, (-1, shape[1] * shape[2], shape[-1]))

        def get_config(self):
            return {**super().get_config(), "num_output_channels": self.channels}

    class DepthToSpace(layers.Layer):
        """The ESPCN example's sub-pixel shuffle (a custom Layer subclass, as written there)."""

        def __init__(self, block_size, **kwargs):
            super().__init__(**kwargs)
            self.block_size = block_size

        def call(self, input):
            k, b = ops(), self.block_size
            batch, height, width, depth = k.shape(input)
            depth = depth // (b ** 2)
            x = k.reshape(input, [batch, height, width, b, b, depth])
            x = k.transpose(x, [0, 1, 3, 2, 4, 5])
            return k.reshape(x, [batch, height * b, width * b, depth])

        def get_config(self):
            return {**super().get_config(), "block_size": self.block_size}

    class CTCLayer(layers.Layer):
        """The captcha OCR example's loss endpoint (a custom Layer subclass)."""

        def call(self, y_true, y_pred):
            return y_pred  # the example adds the CTC loss here and returns the predictions

    class TransformerBlock(layers.Layer):
        """The transformer text examples' encoder block (a custom Layer subclass)."""

        def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1, **kwargs):
            super().__init__(**kwargs)
            self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
            self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
            self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
            self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
            self.dropout1, self.dropout2 = layers.Dropout(rate), layers.Dropout(rate)
            self.config = {"embed_dim": embed_dim, "num_heads": num_heads, "ff_dim": ff_dim, "rate": rate}

        def call(self, inputs, training=False):
            attn_output = self.dropout1(self.att(inputs, inputs), training=training)
            out1 = self.layernorm1(inputs + attn_output)
            ffn_output = self.dropout2(self.ffn(out1), training=training)
            return self.layernorm2(out1 + ffn_output)

        def get_config(self):
            return {**super().get_config(), **self.config}

    class TokenAndPositionEmbedding(layers.Layer):
        """The transformer text examples' token plus position embedding (a custom Layer)."""

        def __init__(self, maxlen, vocab_size, embed_dim, **kwargs):
            super().__init__(**kwargs)
            self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
            self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)
            self.config = {"maxlen": maxlen, "vocab_size": vocab_size, "embed_dim": embed_dim}

        def call(self, x):
            positions = ops().arange(start=0, stop=ops().shape(x)[-1], step=1)
            return self.token_emb(x) + self.pos_emb(positions)

        def get_config(self):
            return {**super().get_config(), **self.config}

    class PositionalEmbedding(layers.Layer):
        """The English-to-Spanish translation example's token plus position embedding."""

        def __init__(self, sequence_length, vocab_size, embed_dim, **kwargs):
            super().__init__(**kwargs)
            self.token_embeddings = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
            self.position_embeddings = layers.Embedding(input_dim=sequence_length, output_dim=embed_dim)
            self.config = {"sequence_length": sequence_length, "vocab_size": vocab_size,
                           "embed_dim": embed_dim}

        def call(self, inputs):
            positions = ops().arange(0, ops().shape(inputs)[-1], 1)
            return self.token_embeddings(inputs) + self.position_embeddings(positions)

        def get_config(self):
            return {**super().get_config(), **self.config}

    class TransformerEncoder(layers.Layer):
        """The English-to-Spanish translation example's encoder block (a custom Layer)."""

        def __init__(self, embed_dim, dense_dim, num_heads, **kwargs):
            super().__init__(**kwargs)
            self.attention = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
            self.dense_proj = keras.Sequential([layers.Dense(dense_dim, activation="relu"),
                                                layers.Dense(embed_dim)])
            self.layernorm_1 = layers.LayerNormalization()
            self.layernorm_2 = layers.LayerNormalization()
            self.config = {"embed_dim": embed_dim, "dense_dim": dense_dim, "num_heads": num_heads}

        def call(self, inputs):
            proj_input = self.layernorm_1(inputs + self.attention(query=inputs, value=inputs, key=inputs))
            return self.layernorm_2(proj_input + self.dense_proj(proj_input))

        def get_config(self):
            return {**super().get_config(), **self.config}

    class TransformerDecoder(layers.Layer):
        """The English-to-Spanish translation example's causal decoder block (a custom Layer)."""

        def __init__(self, embed_dim, latent_dim, num_heads, **kwargs):
            super().__init__(**kwargs)
            self.attention_1 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
            self.attention_2 = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
            self.dense_proj = keras.Sequential([layers.Dense(latent_dim, activation="relu"),
                                                layers.Dense(embed_dim)])
            self.layernorm_1 = layers.LayerNormalization()
            self.layernorm_2 = layers.LayerNormalization()
            self.layernorm_3 = layers.LayerNormalization()
            self.config = {"embed_dim": embed_dim, "latent_dim": latent_dim, "num_heads": num_heads}

        def call(self, inputs, encoder_outputs):
            attention_output_1 = self.attention_1(query=inputs, value=inputs, key=inputs,
                                                  use_causal_mask=True)
            out_1 = self.layernorm_1(inputs + attention_output_1)
            attention_output_2 = self.attention_2(query=out_1, value=encoder_outputs, key=encoder_outputs)
            out_2 = self.layernorm_2(out_1 + attention_output_2)
            return self.layernorm_3(out_2 + self.dense_proj(out_2))

        def get_config(self):
            return {**super().get_config(), **self.config}

    class Sampling(layers.Layer):
        """The VAE example's reparameterisation trick (a custom Layer subclass)."""

        def call(self, inputs):
            z_mean, z_log_var = inputs
            epsilon = keras.random.normal(shape=ops().shape(z_mean))
            return z_mean + ops().exp(0.5 * z_log_var) * epsilon

    class PixelConvLayer(layers.Layer):
        """The PixelCNN example's masked convolution (a custom Layer subclass)."""

        def __init__(self, mask_type, **kwargs):
            super().__init__()
            self.mask_type = mask_type
            self.conv = layers.Conv2D(**kwargs)
            self.conv_kwargs = kwargs

        def build(self, input_shape):
            self.conv.build(input_shape)
            kernel_shape = ops().shape(self.conv.kernel)
            mask = np.zeros(shape=kernel_shape)
            mask[: kernel_shape[0] // 2, ...] = 1.0
            mask[kernel_shape[0] // 2, : kernel_shape[1] // 2, ...] = 1.0
            if self.mask_type == "B":
                mask[kernel_shape[0] // 2, kernel_shape[1] // 2, ...] = 1.0
            self.mask = mask

        def call(self, inputs):
            self.conv.kernel.assign(self.conv.kernel * self.mask)
            return self.conv(inputs)

        def get_config(self):
            return {**super().get_config(), "mask_type": self.mask_type, **self.conv_kwargs}

    class ResidualBlock(layers.Layer):
        """The PixelCNN example's residual block around a masked convolution."""

        def __init__(self, filters, **kwargs):
            super().__init__(**kwargs)
            self.filters = filters
            self.conv1 = layers.Conv2D(filters=filters, kernel_size=1, activation="relu")
            self.pixel_conv = PixelConvLayer(mask_type="B", filters=filters // 2, kernel_size=3,
                                             activation="relu", padding="same")
            self.conv2 = layers.Conv2D(filters=filters, kernel_size=1, activation="relu")

        def call(self, inputs):
            x = self.conv2(self.pixel_conv(self.conv1(inputs)))
            return layers.add([inputs, x])

        def get_config(self):
            return {**super().get_config(), "filters": self.filters}

    return SimpleNamespace(**{k: v for k, v in locals().items() if isinstance(v, type)})


# -- trying an example: import, compile back, compare outputs with copied weights ---------

BATCH = 2
TOKENS = 20  # integer inputs are drawn from [0, TOKENS); every vocabulary is at least this big


@dataclass
class Outcome:
    """What happened to one example: imported (with its output difference) or refused, and why."""

    name: str
    family: str
    imported: bool
    reason: str = ""  # a few words: the constructs that blocked it
    message: str = ""  # layergraph's full message
    blockers: tuple[str, ...] = ()  # "Class: reason" keys, for grouping across models
    crashed: bool = False  # an error that is not a LayergraphError: a traceback, i.e. a bug
    params: tuple[int, int] | None = None  # (Keras's count, the spec's count) when imported
    max_difference: float | None = None
    tolerance: float | None = None
    seconds: float = 0.0

    @property
    def equal_outputs(self) -> bool:
        """Whether the compiled-back model computes what the original computes."""
        return self.max_difference is not None and self.max_difference <= self.tolerance


def try_example(example: Example, seed: int = 0) -> Outcome:
    """Build ``example``, import it with layergraph, compile the spec back to Keras, copy the
    weights and compare outputs on generated data (inference mode)."""
    import time

    from layergraph.errors import LayergraphError
    from layergraph.importers.keras import import_model

    keras.backend.clear_session()  # fresh names and memory for each example
    start = time.perf_counter()
    original = example.build()
    outcome = Outcome(example.name, example.family, imported=False)
    try:
        result = import_model(original)
    except LayergraphError as error:
        _refused(outcome, error)
    except Exception as error:  # noqa: BLE001 - a traceback is what we are looking for
        outcome.crashed, outcome.reason = True, f"crash: {type(error).__name__}: {error}"[:120]
        outcome.message = outcome.reason
    else:
        outcome.imported = True
        outcome.params = (original.count_params(), result.analysis.total_params)
        _compare(outcome, original, result.spec, input_data(original, example.unknown_size, seed))
    outcome.seconds = time.perf_counter() - start
    return outcome


def _refused(outcome: Outcome, error: Exception) -> None:
    outcome.message = str(error)
    problems = getattr(error, "problems", None) or []
    if problems:
        keys = dict.fromkeys(f"{p.type}: {p.reason}" for p in problems)
        outcome.blockers = tuple(keys)
        outcome.reason = ", ".join(dict.fromkeys(f"{p.type} ({_short(p.reason)})" for p in problems))
    else:  # the whole model is refused (a subclassed model, a malformed config)
        outcome.reason = _short(outcome.message, 100)


def _short(text: str, size: int = 40) -> str:
    """The start of a message, up to its first sentence end or ``size`` characters."""
    text = text.split(". ")[0].split(" (")[0] if len(text) > size else text
    return text if len(text) <= size else text[: size - 1] + "…"


def _compare(outcome: Outcome, original, spec, data: dict[str, np.ndarray]) -> None:
    import layergraph as lg
    from layergraph.errors import LayergraphError

    try:
        rebuilt = lg.to_keras(spec)
    except LayergraphError as error:
        outcome.imported, outcome.reason = False, f"does not compile back: {_short(str(error), 60)}"
        outcome.message = str(error)
        return
    copy_weights(original, rebuilt)
    expected, actual = outputs(original, data), outputs(rebuilt, data)
    if sorted(expected) == sorted(actual):  # pair outputs by name where the names agree
        actual = {key: actual[key] for key in expected}
    expected, actual = list(expected.values()), list(actual.values())
    if [e.shape for e in expected] != [a.shape for a in actual]:
        outcome.max_difference, outcome.tolerance = float("inf"), 0.0
        outcome.reason = (f"outputs of shapes {[a.shape for a in actual]} instead of "
                          f"{[e.shape for e in expected]}")
        return
    outcome.max_difference = max(float(np.max(np.abs(e - a), initial=0.0))
                                 for e, a in zip(expected, actual))
    largest = max(float(np.max(np.abs(e), initial=0.0)) for e in expected)
    outcome.tolerance = 1e-5 * max(1.0, largest)  # float32 arithmetic, scaled to the outputs


def copy_weights(source, target) -> None:
    """Copy the weights layer by layer, pairing layers by name (the import keeps Keras's
    names), or by order of the layers that have weights when the names differ."""
    by_name = _weighted(source)
    targets = _weighted(target)
    if sorted(by_name) == sorted(targets):
        for name, layer in targets.items():
            layer.set_weights(by_name[name].get_weights())
        return
    for a, b in zip(by_name.values(), targets.values(), strict=True):
        b.set_weights(a.get_weights())


def _weighted(model) -> dict:
    """The layers with weights by the name ``to_keras`` gives them: a nested model's layers
    (a block use in the spec) prefixed with its name."""
    return {name: layer for name, layer in leaf_layers(model).items() if layer.weights}


def input_data(model, unknown_size: int = 8, seed: int = 0) -> dict[str, np.ndarray]:
    """Generated data for each input of ``model``, by input name: floats in [0, 1), integers
    in [0, TOKENS), booleans mostly true, strings from a vocabulary the examples use."""
    rng = np.random.default_rng(seed)
    data = {}
    for tensor in model.inputs:
        shape = (BATCH,) + tuple(unknown_size if size is None else size for size in tensor.shape[1:])
        dtype = str(tensor.dtype)
        if dtype.startswith(("int", "uint")):
            data[tensor.name] = rng.integers(0, TOKENS, shape).astype(dtype)
        elif dtype == "bool":
            data[tensor.name] = rng.random(shape) < 0.8
        elif dtype == "string":
            data[tensor.name] = rng.choice(np.array(["fixed", "normal", "reversible"]), shape)
        else:
            data[tensor.name] = rng.random(shape, dtype=np.float32)
    return data


def outputs(model, data: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The model's outputs on ``data`` (matched to its inputs by name, else by position), in
    inference mode, keyed by the name of the layer giving each (``name#2`` for a repeat)."""
    structure = getattr(model, "_inputs_struct", None)
    if isinstance(structure, dict):  # keyed like the model's inputs dict, not by position
        feed = {key: data[tensor.name] for key, tensor in structure.items()}
    else:
        arrays = [data.get(t.name) for t in model.inputs]
        if any(a is None for a in arrays):
            arrays = list(data.values())
        feed = arrays if isinstance(structure, (list, tuple)) else arrays[0]
    result = model(feed, training=False)
    if isinstance(result, dict):  # a dict of outputs, keyed by the model's own names
        return {key: _numpy(value) for key, value in result.items()}
    named = {}
    for tensor, value in zip(model.outputs, keras.tree.flatten(result), strict=True):
        name = tensor._keras_history.operation.name
        key, repeat = name, 1
        while key in named:  # several outputs of one layer (an LSTM's states)
            repeat += 1
            key = f"{name}#{repeat}"
        named[key] = _numpy(value)
    return named


def _numpy(value) -> np.ndarray:
    return np.asarray(keras.ops.convert_to_numpy(value))
