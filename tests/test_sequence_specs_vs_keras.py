"""The bundled sequence and attention specs equal the same models written by hand in Keras:
every layer's output shape and parameter count, and the outputs with copied weights."""

from __future__ import annotations

import numpy as np
import pytest

import layergraph as lg
from conftest import SPECS

pytestmark = pytest.mark.keras
from lazy_keras import keras, layers  # noqa: E402


def text_cnn():
    tokens = keras.Input((200,), dtype="int32", name="tokens")
    x = layers.Embedding(20000, 128, name="embedding")(tokens)
    x = layers.Dropout(0.5, name="dropout_in")(x)
    x = layers.Conv1D(128, 7, strides=3, activation="relu", name="conv1")(x)
    x = layers.Conv1D(128, 7, strides=3, activation="relu", name="conv2")(x)
    x = layers.GlobalMaxPooling1D(name="pool")(x)
    x = layers.Dense(128, activation="relu", name="dense")(x)
    x = layers.Dropout(0.5, name="dropout")(x)
    return keras.Model(tokens, layers.Dense(1, activation="sigmoid", name="prediction")(x))


def lstm_classifier():
    tokens = keras.Input((200,), dtype="int32", name="tokens")
    x = layers.Embedding(20000, 128, name="embedding")(tokens)
    x = layers.Bidirectional(layers.LSTM(64, return_sequences=True), name="bilstm1")(x)
    x = layers.Bidirectional(layers.LSTM(64), name="bilstm2")(x)
    return keras.Model(tokens, layers.Dense(1, activation="sigmoid", name="prediction")(x))


def seq2seq():
    encoder_inputs = keras.Input((None, 71), name="encoder_inputs")
    _, state_h, state_c = layers.LSTM(256, return_state=True, name="encoder")(encoder_inputs)
    decoder_inputs = keras.Input((None, 93), name="decoder_inputs")
    decoded, _, _ = layers.LSTM(256, return_sequences=True, return_state=True, name="decoder")(
        decoder_inputs, initial_state=[state_h, state_c])
    out = layers.Dense(93, activation="softmax", name="next_char")(decoded)
    return keras.Model([encoder_inputs, decoder_inputs], out)


def vit_tiny():
    image = keras.Input((32, 32, 3), name="image")
    positions = keras.Input((64,), dtype="int32", name="positions")
    x = layers.Conv2D(64, 4, strides=4, name="patches")(image)
    x = layers.Reshape((64, 64), name="patch_sequence")(x)
    x = layers.Add(name="embedded")([x, layers.Embedding(64, 64, name="position_embedding")(positions)])
    for i in range(1, 5):
        h = layers.LayerNormalization(epsilon=1e-6, name=f"block{i}_norm1")(x)
        h = layers.MultiHeadAttention(4, 16, name=f"block{i}_attention")(h, h)
        x = layers.Add(name=f"block{i}_add1")([h, x])
        h = layers.LayerNormalization(epsilon=1e-6, name=f"block{i}_norm2")(x)
        h = layers.Dense(128, activation="gelu", name=f"block{i}_mlp1")(h)
        h = layers.Dense(64, name=f"block{i}_mlp2")(h)
        x = layers.Add(name=f"block{i}_add2")([h, x])
    x = layers.LayerNormalization(epsilon=1e-6, name="norm")(x)
    x = layers.GlobalAveragePooling1D(name="pool")(x)
    return keras.Model([image, positions], layers.Dense(10, activation="softmax", name="classifier")(x))


HAND_WRITTEN = {"text_cnn": text_cnn, "lstm_classifier": lstm_classifier, "seq2seq": seq2seq,
                "vit_tiny": vit_tiny}


def sample(model) -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    data = []
    for t in model.inputs:
        shape = (2,) + tuple(d or 6 for d in t.shape[1:])
        if t.name == "positions":
            data.append(np.tile(np.arange(64, dtype="int32"), (2, 1)))
        elif t.dtype == "int32":
            data.append(rng.integers(0, 64, shape).astype("int32"))
        else:
            data.append(rng.random(shape).astype("float32"))
    return data


@pytest.mark.parametrize("stem", sorted(HAND_WRITTEN))
def test_every_layer_has_the_shape_and_params_of_the_hand_written_keras_model(stem):
    model = HAND_WRITTEN[stem]()
    analysis = lg.analyze(SPECS / f"{stem}.json")
    assert analysis.ok and analysis.description
    assert sorted(analysis.layers) == sorted(layer.name for layer in model.layers)
    for layer in model.layers:
        result = analysis.layers[layer.name]
        outputs = layer.output if isinstance(layer.output, (list, tuple)) else [layer.output]
        assert result.output_shapes == [tuple(t.shape[1:]) for t in outputs], layer.name
        assert result.param_count == layer.count_params(), layer.name
    assert analysis.total_params == model.count_params()


@pytest.mark.parametrize("stem", sorted(HAND_WRITTEN))
def test_the_compiled_spec_computes_what_the_hand_written_model_computes(stem):
    model = HAND_WRITTEN[stem]()
    compiled = lg.to_keras(SPECS / f"{stem}.json")
    for layer in compiled.layers:
        layer.set_weights(model.get_layer(layer.name).get_weights())
    x = sample(model)
    np.testing.assert_allclose(np.asarray(compiled(x)), np.asarray(model(x)), rtol=1e-4, atol=1e-5)
