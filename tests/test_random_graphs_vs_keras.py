"""Random graphs of the registered layer types analyse to exactly what Keras builds.

A differential test: Hypothesis grows a random DAG layer by layer (convolutions in
1-D, 2-D and 3-D, transposed convolutions, pooling, padding, cropping, upsampling,
normalisation, reshapes, dense layers, element-wise merges and concatenations
between random earlier layers). Every candidate layer is checked by
layergraph; when layergraph refuses one, Keras must refuse it too, and when it
accepts, the layer joins the graph. The finished graph is built in Keras, and every
layer's output shape and parameter count must equal layergraph's.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import layergraph as lg
from random_growth import grow

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


def ints(draw, rank, low=1, high=4):
    """An int or a tuple of ``rank`` ints, as Keras accepts for windows."""
    if draw(st.booleans()):
        return draw(st.integers(low, high))
    return tuple(draw(st.integers(low, high)) for _ in range(rank))


def conv(rank):
    def params(draw, shape):
        padding = ["valid", "same"] + (["causal"] if rank == 1 else [])
        strides = draw(st.sampled_from([1, 1, 2]))
        dilation = draw(st.sampled_from([1, 2])) if strides == 1 else 1
        return {"filters": draw(st.integers(1, 4)), "kernel_size": ints(draw, rank, high=3),
                "strides": strides, "dilation_rate": dilation,
                "padding": draw(st.sampled_from(padding)), "use_bias": draw(st.booleans())}
    return params


def conv_transpose(rank):
    def params(draw, shape):
        strides = ints(draw, rank, high=3)
        per_axis = strides if isinstance(strides, tuple) else (strides,) * rank
        output_padding = draw(st.none() | st.just(tuple(draw(st.integers(0, s - 1)) for s in per_axis)))
        return {"filters": draw(st.integers(1, 4)), "kernel_size": ints(draw, rank, high=3),
                "strides": strides, "padding": draw(st.sampled_from(["valid", "same"])),
                "output_padding": output_padding}
    return params


def pooling_n(rank):
    def params(draw, shape):
        return {"pool_size": ints(draw, rank, high=3), "strides": draw(st.none() | st.integers(1, 3)),
                "padding": draw(st.sampled_from(["valid", "same"]))}
    return params


def upsampling(rank):
    return lambda draw, shape: {"size": ints(draw, rank, high=3) if rank > 1 else draw(st.integers(1, 3))}


def padding_n(rank, key="padding"):
    def params(draw, shape):
        pair = st.tuples(st.integers(0, 2), st.integers(0, 2))
        if rank == 1:
            return {key: draw(st.integers(0, 2) | pair)}
        return {key: draw(st.integers(0, 2) | st.tuples(*[pair] * rank))}
    return params


SPATIAL = {
    1: {"Conv1D": conv(1), "Conv1DTranspose": conv_transpose(1), "MaxPooling1D": pooling_n(1),
        "AveragePooling1D": pooling_n(1), "UpSampling1D": upsampling(1), "ZeroPadding1D": padding_n(1),
        "Cropping1D": padding_n(1, "cropping"), "GlobalAveragePooling1D": global_pooling,
        "SeparableConv1D": lambda d, s: {"filters": d(st.integers(1, 4)), "kernel_size": d(st.integers(1, 3))}},
    2: {"Conv2D": conv2d, "Conv2DTranspose": conv_transpose(2), "MaxPooling2D": pooling,
        "AveragePooling2D": pooling, "ZeroPadding2D": zero_padding, "UpSampling2D": upsampling(2),
        "Cropping2D": padding_n(2, "cropping"), "GlobalAveragePooling2D": global_pooling,
        "GlobalMaxPooling2D": global_pooling,
        "DepthwiseConv2D": lambda d, s: {"kernel_size": ints(d, 2, high=3),
                                         "depth_multiplier": d(st.integers(1, 2))}},
    3: {"Conv3D": conv(3), "Conv3DTranspose": conv_transpose(3), "MaxPooling3D": pooling_n(3),
        "UpSampling3D": upsampling(3), "ZeroPadding3D": padding_n(3), "Cropping3D": padding_n(3, "cropping"),
        "GlobalMaxPooling3D": global_pooling},
}
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
    spatial = SPATIAL.get(len(shape) - 1, {})
    kinds = list(ANY_RANK) + list(spatial) * 2 + MERGES  # spatial layers twice as often
    type_name = draw(st.sampled_from(kinds))
    if type_name in MERGES:
        partner = draw(st.sampled_from(names))
        params = {}
        if type_name == "Concatenate":  # the batch axis is excluded on purpose (see the rules test)
            params["axis"] = draw(st.sampled_from([-1, *range(1, len(shape) + 1)]))
        return {"name": f"l{index}", "type": type_name, "inputs": [source, partner], **params}
    params = {**spatial, **ANY_RANK}[type_name](draw, shape)
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
    """A vector, a sequence, an image or a (small) volume, channels last."""
    rank = draw(st.sampled_from([0, 1, 2, 2, 3]))
    if rank == 0:
        return [draw(st.integers(1, 12))]
    size = 12 if rank < 3 else 6
    return [draw(st.integers(3, size)) for _ in range(rank)] + [draw(st.integers(1, 4))]


@EXAMPLES
@given(st.data())
def test_random_valid_graphs_analyse_to_the_shapes_and_params_keras_builds(keras, data):
    spec = {"inputs": [{"name": "x", "shape": data.draw(input_shapes())}],
            "layers": [{"type": "ReLU", "name": "l0", "inputs": ["x"]}]}
    spec = grow(data.draw, spec, candidate, lambda analysis, layer: keras_refuses(keras, analysis, layer))
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


@pytest.mark.parametrize("rank, size", [(1, 64), (2, 32), (3, 8)])
def test_synthetic_unets_in_every_rank_analyse_to_what_keras_builds(keras, rank, size):
    import synthetic_specs

    analysis = lg.analyze(synthetic_specs.unet(rank=rank, levels=3, size=size))
    assert analysis.ok, [d.format() for d in analysis.diagnostics]
    model = build_with_the_layer_hooks(keras, analysis)
    for name, result in analysis.layers.items():
        layer = model.get_layer(name)
        assert tuple(layer.output.shape[1:]) == result.output_shape, name
        assert layer.count_params() == result.param_count, name
    assert model.count_params() == analysis.total_params
    keras.backend.clear_session()
