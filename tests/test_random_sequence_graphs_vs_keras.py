"""Random sequence graphs (recurrent, bidirectional, time-distributed, attention and
convolutional-LSTM layers) analyse to exactly what Keras builds, and compile to a model that
computes what Keras computes.

A differential test, as tests/test_random_graphs_vs_keras.py is for the spatial layers:
Hypothesis grows a random DAG over sequences (time, features), sequences of 1-D signals
(time, steps, channels) and vectors. Each candidate layer is checked by layergraph; when
layergraph refuses it, Keras must refuse it too. The finished graph is built a second time
directly with ``keras.layers`` — by this test, not by layergraph — and every layer's output
shape and parameter count must equal layergraph's; then ``lg.to_keras`` compiles the spec,
the weights are copied over by layer name, and both models must compute the same outputs
on the same generated inputs (so a layer wired to the wrong input, or an attention layer
given query and value the wrong way round, fails even where the shapes agree).
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import layergraph as lg
from random_growth import grow

pytestmark = [pytest.mark.keras, pytest.mark.slow]
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# 20 graphs (about a minute); LAYERGRAPH_KERAS_EXAMPLES=300 for a long local run.
EXAMPLES = settings(max_examples=int(os.environ.get("LAYERGRAPH_KERAS_EXAMPLES", "20")),
                    deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

RECURRENT = ["SimpleRNN", "LSTM", "GRU"]
ATTENTION = ["MultiHeadAttention", "Attention", "AdditiveAttention"]


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


# -- candidate layers, by the rank of their input (time and features: rank 2) ----------

def recurrent_params(draw, type_name):
    params = {"units": draw(st.integers(1, 5)), "return_sequences": draw(st.booleans()),
              "go_backwards": draw(st.booleans()), "use_bias": draw(st.booleans())}
    if type_name == "GRU":
        params["reset_after"] = draw(st.booleans())  # two bias vectors or one: other params
    return params


def recurrent(type_name):
    return lambda draw, names, shapes: recurrent_params(draw, type_name)


def bidirectional(draw, names, shapes):
    inner = draw(st.sampled_from(RECURRENT))
    return {"layer": {"type": inner, **recurrent_params(draw, inner)},
            "merge_mode": draw(st.sampled_from(["concat", "sum", "mul", "ave"]))}


def time_distributed(draw, names, shapes):
    return {"layer": {"type": "Dense", "units": draw(st.integers(1, 4)),
                      "use_bias": draw(st.booleans())}}


def time_distributed_conv(draw, names, shapes):
    return {"layer": {"type": "Conv1D", "filters": draw(st.integers(1, 3)),
                      "kernel_size": draw(st.integers(1, 3)),
                      "padding": draw(st.sampled_from(["valid", "same"]))}}


def multi_head_attention(draw, names, shapes):
    return {"num_heads": draw(st.integers(1, 3)), "key_dim": draw(st.integers(1, 4)),
            "value_dim": draw(st.none() | st.integers(1, 4)), "use_bias": draw(st.booleans()),
            "output_shape": draw(st.none() | st.integers(1, 4))}


def dot_attention(draw, names, shapes):
    return {"use_scale": draw(st.booleans()), "score_mode": draw(st.sampled_from(["dot", "concat"]))}


def additive_attention(draw, names, shapes):
    return {"use_scale": draw(st.booleans())}


def conv_lstm(draw, names, shapes):
    strides = draw(st.sampled_from([1, 1, 2]))
    return {"filters": draw(st.integers(1, 3)), "kernel_size": draw(st.integers(1, 3)),
            "strides": strides, "dilation_rate": draw(st.sampled_from([1, 2])) if strides == 1 else 1,
            "padding": draw(st.sampled_from(["valid", "same"])),
            "return_sequences": draw(st.booleans())}


def dense(draw, names, shapes):
    return {"units": draw(st.integers(1, 5)), "use_bias": draw(st.booleans())}


def conv1d(draw, names, shapes):
    return {"filters": draw(st.integers(1, 4)), "kernel_size": draw(st.integers(1, 3)),
            "padding": draw(st.sampled_from(["valid", "same", "causal"]))}


def no_params(draw, names, shapes):
    return {}


BY_RANK = {
    1: {"Dense": dense, "RepeatVector": lambda d, n, s: {"n": d(st.integers(1, 4))}},
    2: {**{t: recurrent(t) for t in RECURRENT}, "Bidirectional": bidirectional,
        "TimeDistributed": time_distributed, "MultiHeadAttention": multi_head_attention,
        "Attention": dot_attention, "AdditiveAttention": additive_attention,
        "Dense": dense, "Conv1D": conv1d, "LayerNormalization": no_params,
        "GlobalAveragePooling1D": no_params, "Flatten": no_params},
    3: {"ConvLSTM1D": conv_lstm, "TimeDistributed": time_distributed_conv, "Dense": dense},
}
MERGES = ["Add", "Concatenate"]


def candidate(draw, analysis, index):
    """A random new layer fed by random earlier layers (attention: a query and a value)."""
    names = [n for n, r in analysis.layers.items() if r.ok]
    shapes = {n: analysis.layers[n].output_shape for n in names}
    source = draw(st.sampled_from(names[-3:]))  # mostly grow at the end
    kinds = list(BY_RANK.get(len(shapes[source]), {})) + MERGES
    type_name = draw(st.sampled_from(kinds))
    inputs = [source]
    if type_name in MERGES:
        inputs.append(draw(st.sampled_from(names)))
        params = {}
    else:
        params = BY_RANK[len(shapes[source])][type_name](draw, names, shapes)
    if type_name in ATTENTION:
        sequences = [n for n in names if len(shapes[n]) == 2]
        value = draw(st.sampled_from(sequences))
        inputs.append(value)
        if type_name == "MultiHeadAttention" and draw(st.booleans()):
            inputs.append(draw(st.sampled_from([n for n in sequences if shapes[n] == shapes[value]])))
    return {"name": f"l{index}", "type": type_name, "inputs": inputs, **params}


# -- the same graph built with keras.layers by this test ---------------------------------

def keras_layer(keras, layer):
    """The Keras layer of a spec layer, from its parameters alone."""
    params = {k: v for k, v in layer.items() if k not in ("name", "type", "inputs")}
    if "layer" in params:  # Bidirectional and TimeDistributed wrap a layer
        inner = dict(params["layer"])
        params["layer"] = getattr(keras.layers, inner.pop("type"))(**inner)
    return getattr(keras.layers, layer["type"])(name=layer["name"], **params)


def call(keras_layer_, type_name, tensors):
    """Keras's calling convention: attention takes (query, value[, key]) or [query, value]."""
    if type_name == "MultiHeadAttention":
        return keras_layer_(*tensors)
    if type_name in ATTENTION or len(tensors) > 1:
        return keras_layer_(tensors)
    return keras_layer_(tensors[0])


def keras_refuses(keras, analysis, layer) -> bool:
    """Whether Keras raises when this one layer is built on its inputs' shapes and run on
    data of those shapes (attention checks its query and key only when it computes)."""
    shapes = [analysis.layers[i].output_shape for i in layer["inputs"]]
    try:
        tensors = [keras.Input(shape=shape) for shape in shapes]
        model = keras.Model(tensors, call(keras_layer(keras, layer), layer["type"], tensors))
        model([np.zeros((1, *shape), "float32") for shape in shapes])
    except Exception:
        return True
    return False


def build_by_hand(keras, spec):
    tensors = {i["name"]: keras.Input(shape=i["shape"], name=i["name"]) for i in spec["inputs"]}
    for layer in spec["layers"]:
        tensors[layer["name"]] = call(keras_layer(keras, layer), layer["type"],
                                      [tensors[i] for i in layer["inputs"]])
    return keras.Model([tensors[i["name"]] for i in spec["inputs"]],
                       [tensors[o] for o in spec["outputs"]])


@st.composite
def input_shapes(draw):
    """A sequence of feature vectors, a sequence of 1-D signals, or a vector."""
    kind = draw(st.sampled_from(["sequence", "sequence", "signals", "vector"]))
    if kind == "sequence":
        return [draw(st.integers(2, 6)), draw(st.integers(1, 4))]
    if kind == "signals":
        return [draw(st.integers(2, 4)), draw(st.integers(3, 6)), draw(st.integers(1, 3))]
    return [draw(st.integers(1, 6))]


@EXAMPLES
@given(st.data())
def test_random_sequence_graphs_analyse_and_compute_what_keras_builds(keras, data):
    spec = {"inputs": [{"name": "x", "shape": data.draw(input_shapes())}],
            "layers": [{"type": "Identity", "name": "l0", "inputs": ["x"]}]}
    spec = grow(data.draw, spec, candidate, lambda analysis, layer: keras_refuses(keras, analysis, layer),
                size=st.integers(3, 9))
    analysis = lg.analyze(spec)
    assert analysis.ok and analysis.complete, [d.format() for d in analysis.diagnostics]
    model = build_by_hand(keras, spec)
    for name, result in analysis.layers.items():
        if name == "x":
            continue
        layer = model.get_layer(name)
        assert tuple(layer.output.shape[1:]) == result.output_shape, name
        assert layer.count_params() == result.param_count, name
    assert model.count_params() == analysis.total_params

    compiled = lg.to_keras(analysis)
    assert compiled.count_params() == analysis.total_params
    for layer in compiled.layers:
        layer.set_weights(model.get_layer(layer.name).get_weights())
    x = np.random.default_rng(0).random((2, *spec["inputs"][0]["shape"])).astype("float32")
    expected, actual = model([x], training=False), compiled([x], training=False)
    expected = expected if isinstance(expected, (list, tuple)) else [expected]
    actual = actual if isinstance(actual, (list, tuple)) else [actual]
    assert len(expected) == len(actual)
    for e, a in zip(expected, actual):
        np.testing.assert_allclose(np.asarray(a), np.asarray(e), rtol=1e-5, atol=1e-5)
    keras.backend.clear_session()


def test_the_output_comparison_notices_attention_given_query_and_value_swapped(keras):
    # The oracle can fail: swapping the attention's query and value (same shapes) changes
    # what the layer computes, so a miswired compile could not pass the test above.
    spec = {"inputs": [{"name": "x", "shape": [4, 3]}],
            "layers": [{"name": "a", "type": "Dense", "units": 3, "inputs": ["x"]},
                       {"name": "att", "type": "Attention", "inputs": ["x", "a"]}],
            "outputs": ["att"]}
    swapped = {**spec, "layers": [spec["layers"][0], {**spec["layers"][1], "inputs": ["a", "x"]}]}
    model, other = build_by_hand(keras, spec), lg.to_keras(swapped)
    for layer in other.layers:
        layer.set_weights(model.get_layer(layer.name).get_weights())
    x = np.random.default_rng(0).random((2, 4, 3)).astype("float32")
    assert np.abs(np.asarray(model(x)) - np.asarray(other(x))).max() > 1e-3
