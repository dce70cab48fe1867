"""Importing sequence and attention models: several outputs (an LSTM's states), keyword
tensors (initial_state, the mask an Embedding makes), MultiHeadAttention's query/value/key,
wrapped layers. The oracle is Keras: each layer's inbound layers, the parameter count, and
the recompiled model's outputs with copied weights.
"""

from __future__ import annotations

import numpy as np
import pytest

import layergraph as lg
from layergraph.importers.keras import import_model
from layergraph.keras_support import ModelImportError

pytestmark = pytest.mark.keras
from lazy_keras import keras, layers  # noqa: E402


def masked_text_transformer():
    tokens = keras.Input((7,), dtype="int32", name="tokens")
    x = layers.Embedding(10, 16, mask_zero=True, name="embed")(tokens)
    x = layers.MultiHeadAttention(2, 8, name="causal")(x, x, use_causal_mask=True)
    x = layers.MultiHeadAttention(2, 8, name="by_keyword")(query=x, value=x, key=x)
    x = layers.TimeDistributed(layers.Dense(3), name="per_step")(x)
    x = layers.Bidirectional(layers.LSTM(4, return_sequences=True), name="bi")(x)
    return keras.Model(tokens, x, name="masked")


def lstm_seq2seq():
    src, tgt = keras.Input((None, 8), name="src"), keras.Input((None, 6), name="tgt")
    _, h, c = layers.LSTM(5, return_state=True, name="enc")(src)
    dec = layers.LSTM(5, return_sequences=True, name="dec")(tgt, initial_state=[h, c])
    out = layers.Dense(6, activation="softmax", name="out")(dec)
    return keras.Model([src, tgt], [out, h], name="seq2seq")


def gru_state_and_attention():
    x = keras.Input((5, 3), name="x")
    seq, state = layers.GRU(4, return_sequences=True, return_state=True, go_backwards=True,
                            reset_after=False, name="gru")(x)
    query = layers.Reshape((1, 4), name="query")(state)
    context = layers.Attention(use_scale=True, name="att")([query, seq])
    summed = layers.AdditiveAttention(name="add_att")([query, seq, seq])
    both = layers.Concatenate(name="cat")([layers.Flatten(name="f1")(context),
                                           layers.Flatten(name="f2")(summed)])
    return keras.Model(x, layers.Dense(2, name="head")(both), name="gru_attention")


def bidirectional_states_unmerged():
    x = keras.Input((6, 4), name="x")
    outputs = layers.Bidirectional(layers.SimpleRNN(3, return_state=True), merge_mode=None,
                                   name="bi")(x)
    return keras.Model(x, layers.Concatenate(name="cat")(list(outputs)), name="bi_states")


MODELS = [masked_text_transformer, lstm_seq2seq, gru_state_and_attention,
          bidirectional_states_unmerged]


def keras_wiring(model) -> dict[str, list[str]]:
    return {layer.name: [t._keras_history.operation.name
                         for t in layer._inbound_nodes[0].input_tensors]
            for layer in model.operations if type(layer).__name__ != "InputLayer"}


def sample_inputs(model) -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    data = []
    for t in model.inputs:
        shape = (2,) + tuple(d or 5 for d in t.shape[1:])
        data.append(rng.integers(0, 10, shape).astype("int32") if t.dtype == "int32"
                    else rng.normal(size=shape).astype("float32"))
    return data


@pytest.mark.parametrize("build", MODELS, ids=lambda f: f.__name__)
def test_sequence_models_import_wired_and_counted_as_in_keras(build):
    model = build()
    result = import_model(model)
    spec_wiring = {name: list(r.inputs) for name, r in result.analysis.layers.items()
                   if r.type != "InputLayer"}
    assert spec_wiring == keras_wiring(model)
    assert result.analysis.total_params == model.count_params()


@pytest.mark.parametrize("build", MODELS, ids=lambda f: f.__name__)
def test_imported_sequence_models_compute_what_keras_computes(build):
    model = build()
    rebuilt = lg.to_keras(import_model(model).spec)
    for layer in rebuilt.layers:
        layer.set_weights(model.get_layer(layer.name).get_weights())
    x = sample_inputs(model)
    mine, theirs = rebuilt(x), model(x)
    mine = mine if isinstance(mine, (list, tuple)) else [mine]
    theirs = theirs if isinstance(theirs, (list, tuple)) else [theirs]
    assert len(mine) == len(theirs)
    for a, b in zip(mine, theirs):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-6)


def test_the_seq2seq_import_writes_states_as_output_references_and_initial_state_as_call():
    data = import_model(lstm_seq2seq()).data
    dec = next(item for item in data["layers"] if item["name"] == "dec")
    assert dec["call"] == {"initial_state": ["enc:1", "enc:2"]}
    assert data["outputs"] == ["out", "enc:1"]


def test_the_embedding_mask_imports_as_an_ops_not_equal_layer_feeding_the_call_mask():
    data = import_model(masked_text_transformer()).data
    by_name = {item["name"]: item for item in data["layers"]}
    (mask,) = [item for item in data["layers"] if item["type"] == "ops.not_equal"]
    assert mask["inputs"] == ["tokens"] and mask.get("value", 0) == 0
    assert by_name["bi"]["call"] == {"mask": mask["name"]}
    assert by_name["causal"]["use_causal_mask"] is True
    assert by_name["bi"]["layer"] == {"type": "LSTM", "units": 4, "return_sequences": True}


def test_a_bidirectional_layer_with_a_different_backward_layer_is_refused_by_name():
    x = keras.Input((6, 4))
    bi = layers.Bidirectional(layers.LSTM(3), backward_layer=layers.LSTM(5, go_backwards=True),
                              name="odd")
    model = keras.Model(x, bi(x))
    with pytest.raises(ModelImportError, match="backward_layer that is not the forward layer run backwards: 'odd'"):
        import_model(model)
