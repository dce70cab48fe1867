"""Random graphs of the registered layer types analyse to exactly what Keras builds.

A differential test: Hypothesis grows a random DAG layer by layer (convolutions,
pooling, padding, normalisation, reshapes, dense layers, element-wise merges and
concatenations between random earlier layers). Every candidate layer is checked by
layergraph; when layergraph refuses one, Keras must refuse it too, and when it
accepts, the layer joins the graph. The finished graph is built in Keras, and every
layer's output shape and parameter count must equal layergraph's.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import layergraph as lg

pytestmark = [pytest.mark.keras, pytest.mark.slow]
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# 25 graphs (about 10 s); LAYERGRAPH_KERAS_EXAMPLES=500 for a long local run.
EXAMPLES = settings(max_examples=int(os.environ.get("LAYERGRAPH_KERAS_EXAMPLES", "25")),
                    deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


# -- candidate layers for an input of a given shape -------------------------------------

INT_OR_PAIR = st.integers(1, 4) | st.tuples(st.integers(1, 4), st.integers(1, 4))


def conv2d(draw, shape):
    channels = shape[-1]
    groups = draw(st.sampled_from([g for g in (1, 2, 3) if channels % g == 0]))
    strides = draw(st.sampled_from([1, 1, 2, (1, 2)]))
    # Mostly a valid strides/dilation pair; sometimes both > 1, which both tools refuse.
    dilation = draw(st.sampled_from([1, 2, (2, 1)])) if strides == 1 or draw(
        st.integers(0, 9)) == 0 else 1
    return {"filters": groups * draw(st.integers(1, 3)), "kernel_size": draw(INT_OR_PAIR),
            "strides": strides, "dilation_rate": dilation, "groups": groups,
            "padding": draw(st.sampled_from(["valid", "same"])), "use_bias": draw(st.booleans())}


def pooling(draw, shape):
    return {"pool_size": draw(INT_OR_PAIR), "strides": draw(st.none() | INT_OR_PAIR),
            "padding": draw(st.sampled_from(["valid", "same"]))}


def zero_padding(draw, shape):
    pad = st.integers(0, 2)
    return {"padding": draw(pad | st.tuples(pad, pad)
                            | st.tuples(st.tuples(pad, pad), st.tuples(pad, pad)))}


def batch_norm(draw, shape):
    axis = draw(st.sampled_from([-1, *range(1, len(shape) + 1), -len(shape)]))
    return {"axis": axis, "center": draw(st.booleans()), "scale": draw(st.booleans())}


def dense(draw, shape):
    return {"units": draw(st.integers(1, 6)), "use_bias": draw(st.booleans())}


def reshape(draw, shape):
    size = 1
    for d in shape:
        size *= d
    target = draw(st.sampled_from([[-1], [size], [1, -1], [-1, shape[-1]], [size // 2 or 1, 2]]))
    return {"target_shape": target}


def global_pooling(draw, shape):
    return {"keepdims": draw(st.booleans())}


SPATIAL = {"Conv2D": conv2d, "MaxPooling2D": pooling, "AveragePooling2D": pooling,
           "ZeroPadding2D": zero_padding, "GlobalAveragePooling2D": global_pooling,
           "GlobalMaxPooling2D": global_pooling}
ANY_RANK = {"Dense": dense, "BatchNormalization": batch_norm, "Flatten": lambda d, s: {},
            "Reshape": reshape, "ReLU": lambda d, s: {"max_value": d(st.none() | st.just(6.0))},
            "Activation": lambda d, s: {"activation": d(st.sampled_from(["relu", "tanh", "softmax"]))},
            "Dropout": lambda d, s: {"rate": d(st.sampled_from([0.0, 0.25, 0.5]))}}
MERGES = ["Add", "Multiply", "Subtract", "Average", "Maximum", "Minimum", "Concatenate"]


def candidate(draw, analysis, index):
    """A random new layer fed by random earlier layers."""
    names = [n for n, r in analysis.layers.items() if r.ok]
    source = draw(st.sampled_from(names[-3:]))  # mostly grow at the end
    shape = analysis.layers[source].output_shape
    kinds = list(ANY_RANK) + (list(SPATIAL) if len(shape) == 3 else []) + MERGES
    type_name = draw(st.sampled_from(kinds))
    if type_name in MERGES:
        partner = draw(st.sampled_from(names))
        params = {}
        if type_name == "Concatenate":  # the batch axis is excluded on purpose (see the rules test)
            params["axis"] = draw(st.sampled_from([-1, *range(1, len(shape) + 1)]))
        return {"name": f"l{index}", "type": type_name, "inputs": [source, partner], **params}
    params = {**SPATIAL, **ANY_RANK}[type_name](draw, shape)
    return {"name": f"l{index}", "type": type_name, "inputs": [source], **params}


def keras_refuses(keras, analysis, layer) -> bool:
    """Whether Keras raises when this one layer is built on its inputs' shapes."""
    params = {k: v for k, v in layer.items() if k not in ("name", "type", "inputs")}
    try:
        tensors = [keras.Input(shape=analysis.layers[i].output_shape) for i in layer["inputs"]]
        getattr(keras.layers, layer["type"])(**params)(tensors if len(tensors) > 1 else tensors[0])
    except Exception:
        return True
    return False


@st.composite
def input_shapes(draw):
    if draw(st.integers(0, 3)):
        return [draw(st.integers(3, 12)), draw(st.integers(3, 12)), draw(st.integers(1, 4))]
    return [draw(st.integers(1, 12))]


def sinks(spec):
    used = {i for layer in spec["layers"] for i in layer["inputs"]}
    return [layer["name"] for layer in spec["layers"] if layer["name"] not in used] or ["x"]


@EXAMPLES
@given(st.data())
def test_random_valid_graphs_analyse_to_the_shapes_and_params_keras_builds(keras, data):
    spec = {"inputs": [{"name": "x", "shape": data.draw(input_shapes())}], "layers": []}
    analysis = lg.analyze({**spec, "layers": [{"type": "ReLU", "name": "l0", "inputs": ["x"]}]})
    spec["layers"].append({"type": "ReLU", "name": "l0", "inputs": ["x"]})
    refused = 0
    for index in range(1, data.draw(st.integers(3, 12))):
        layer = candidate(data.draw, analysis, index)
        trial = lg.analyze({**spec, "layers": spec["layers"] + [layer], "outputs": [layer["name"]]})
        if trial.ok:
            spec["layers"].append(layer)
            analysis = trial
        else:
            assert keras_refuses(keras, analysis, layer), \
                f"layergraph refused what Keras builds: {layer}\n" + \
                "\n".join(d.format() for d in trial.errors)
            refused += 1
    event(f"{len(spec['layers'])} layers kept, {refused} refused by both")
    spec["outputs"] = sinks(spec)
    analysis = lg.analyze(spec)
    assert analysis.ok and analysis.complete, [d.format() for d in analysis.diagnostics]
    model = build_with_the_layer_hooks(keras, analysis)
    for name, result in analysis.layers.items():
        layer = model.get_layer(name)
        assert tuple(layer.output.shape[1:]) == result.output_shape, name
        assert layer.count_params() == result.param_count, name
    assert model.count_params() == analysis.total_params
    if hasattr(lg, "to_keras"):  # the Keras emitter, once merged, must agree as well
        emitted = lg.to_keras(analysis)
        assert emitted.count_params() == analysis.total_params
        for name, result in analysis.layers.items():
            assert tuple(emitted.get_layer(name).output.shape[1:]) == result.output_shape
    keras.backend.clear_session()


def build_with_the_layer_hooks(keras, analysis):
    """A functional model from each layer type's own to_keras hook."""
    tensors = {}
    for name, result in analysis.layers.items():
        if result.type == "InputLayer":
            tensors[name] = result.layer_type.to_keras(result.params, name)
            continue
        inputs = [tensors[i] for i in result.inputs]
        tensors[name] = result.layer_type.to_keras(result.params, name)(
            inputs if len(inputs) > 1 else inputs[0])
    return keras.Model([tensors[i] for i in analysis.inputs], [tensors[o] for o in analysis.outputs])
