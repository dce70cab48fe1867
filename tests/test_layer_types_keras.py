"""Shape and parameter rules of the layer types added for keras.applications, checked
against Keras's own layers over a table of parameter combinations."""

from __future__ import annotations

import pytest

from layergraph.registry import ShapeError, get_registry

CASES = [
    # (type, params, input shape without batch)
    ("DepthwiseConv2D", {"kernel_size": 3}, (32, 32, 16)),
    ("DepthwiseConv2D", {"kernel_size": 3, "strides": 2, "padding": "same"}, (33, 31, 8)),
    ("DepthwiseConv2D", {"kernel_size": (5, 3), "depth_multiplier": 3, "use_bias": False}, (20, 9, 4)),
    ("DepthwiseConv2D", {"kernel_size": 3, "dilation_rate": 2}, (15, 15, 2)),
    ("DepthwiseConv2D", {"kernel_size": 7}, (5, 5, 3)),  # too small: both must refuse
    ("DepthwiseConv2D", {"kernel_size": 3, "strides": 2}, (None, 17, 8)),
    ("SeparableConv2D", {"filters": 32, "kernel_size": 3}, (32, 32, 16)),
    ("SeparableConv2D", {"filters": 7, "kernel_size": 5, "strides": 2, "padding": "same",
                         "depth_multiplier": 2}, (35, 18, 6)),
    ("SeparableConv2D", {"filters": 8, "kernel_size": (1, 3), "use_bias": False}, (4, 4, 3)),
    ("SeparableConv2D", {"filters": 4, "kernel_size": 3, "dilation_rate": (2, 1)}, (12, 12, 5)),
    ("SeparableConv2D", {"filters": 4, "kernel_size": 9}, (8, 8, 1)),
    ("Cropping2D", {"cropping": 1}, (10, 12, 3)),
    ("Cropping2D", {"cropping": (2, 0)}, (10, 12, 3)),
    ("Cropping2D", {"cropping": ((1, 0), (0, 3))}, (10, 12, 3)),
    ("Cropping2D", {"cropping": ((5, 5), (0, 0))}, (10, 12, 3)),  # nothing left: refused
    ("Cropping2D", {"cropping": ((1, 2), (3, 4))}, (None, None, 3)),
    ("LayerNormalization", {}, (10, 7)),
    ("LayerNormalization", {"axis": [1, 2], "center": False}, (6, 5, 4)),
    ("LayerNormalization", {"axis": 1, "scale": False}, (6, 5, 4)),
    ("LayerNormalization", {"axis": -2, "center": False, "scale": False}, (6, 5, 4)),
    ("Rescaling", {"scale": 1 / 255}, (8, 8, 3)),
    ("Rescaling", {"scale": [0.5, 0.25, 2.0], "offset": -1.0}, (8, 8, 3)),
    ("Normalization", {}, (8, 8, 3)),
    ("Normalization", {"axis": [1, 3]}, (8, 6, 3)),
    ("Normalization", {"axis": None}, (8, 6, 3)),
    ("Normalization", {"mean": 0.5, "variance": 4.0}, (8, 8, 3)),
    ("Normalization", {"mean": [1.0, 2.0, 3.0], "variance": [1.0, 1.0, 2.0], "invert": True},
     (8, 8, 3)),
    ("AveragePooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}, (9, 10, 3)),
]


def layergraph_result(type_name: str, params: dict, shape: tuple):
    """(output shape, (trainable, non-trainable)) from layergraph, or 'error'."""
    layer_type = get_registry().get(type_name)
    p = layer_type.Params.model_validate(params)
    try:
        out = tuple(layer_type.output_shape(p, [shape]))
        counts = layer_type.count_params(p, [shape])
    except ShapeError:
        return "error"
    return out, (counts.trainable, counts.non_trainable)


def keras_result(type_name: str, params: dict, shape: tuple):
    """The same from Keras: a symbolic call on an input of that shape, or 'error'."""
    keras = pytest.importorskip("keras")
    layer = getattr(keras.layers, type_name)(**params)
    try:
        out = layer(keras.Input(shape))
    except Exception:  # Keras raises ValueError or a backend error for impossible shapes
        return "error"
    trainable = sum(int(w.numpy().size) for w in layer.trainable_weights)
    frozen = sum(int(w.numpy().size) for w in layer.non_trainable_weights)
    assert trainable + frozen == layer.count_params()
    return tuple(out.shape[1:]), (trainable, frozen)


@pytest.mark.keras
@pytest.mark.parametrize("type_name, params, shape", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_shape_and_parameter_rules_match_keras(type_name, params, shape):
    assert layergraph_result(type_name, params, shape) == keras_result(type_name, params, shape)


def test_the_table_covers_refusals_and_every_new_type():
    results = [layergraph_result(*case) for case in CASES]
    assert results.count("error") == 3
    assert {c[0] for c in CASES} >= {"DepthwiseConv2D", "SeparableConv2D", "Cropping2D",
                                     "LayerNormalization", "Rescaling", "Normalization"}


@pytest.mark.parametrize("type_name, params, shape, expected", [
    # Depthwise: one k×k filter per input channel (× multiplier) at every output position.
    ("DepthwiseConv2D", {"kernel_size": 3, "padding": "same"}, (10, 10, 4), 10 * 10 * 9 * 4),
    ("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2}, (10, 10, 4), 8 * 8 * 9 * 8),
    # Separable: the depthwise part plus a 1×1 convolution from C·m to `filters` channels.
    ("SeparableConv2D", {"filters": 16, "kernel_size": 3, "padding": "same"}, (10, 10, 4),
     10 * 10 * (9 * 4 + 4 * 16)),
    ("LayerNormalization", {}, (10, 7), 0),
])
def test_macs_follow_the_usual_convention(type_name, params, shape, expected):
    layer_type = get_registry().get(type_name)
    p = layer_type.Params.model_validate(params)
    out = layer_type.output_shape(p, [shape])
    assert layer_type.count_macs(p, [shape], out) == expected


def test_normalization_needs_both_mean_and_variance():
    layer_type = get_registry().get("Normalization")
    p = layer_type.Params.model_validate({"mean": 1.0})
    with pytest.raises(ShapeError, match="both `mean` and `variance`"):
        layer_type.output_shape(p, [(4, 4, 3)])


def test_rescaling_rejects_values_that_are_not_numbers():
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        get_registry().get("Rescaling").Params.model_validate({"scale": ["a"]})


@pytest.mark.keras
def test_average_pooling_compiles_with_layergraphs_default_pool_size():
    # Keras's AveragePooling2D has no default pool_size; layergraph's is 2, and is passed.
    layer_type = get_registry().get("AveragePooling2D")
    layer = layer_type.to_keras(layer_type.Params.model_validate({}), "pool")
    assert layer.pool_size == (2, 2)
