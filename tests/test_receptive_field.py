"""Receptive fields (Araujo et al., Distill 2019): golden values, hand-checked cases,
branches, and a property test against a brute-force propagation of pixel sets."""

from __future__ import annotations

import json
import math
from typing import Literal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import layergraph as lg
from layergraph import summary
from layergraph.diagnostics import Code, Severity
from layergraph.receptive_field import ensure
from layergraph.registry import LayerType, Params, Registry, builtin_types


def analyze(spec, **options):
    """The analysis with its receptive fields (they are computed on demand)."""
    return ensure(lg.analyze(spec, **options))


def fields(analysis) -> dict:
    return {name: (r.receptive_field.to_dict() if r.receptive_field else "unset")
            for name, r in analysis.layers.items()}


def rf(size, stride, padding, axes=2) -> dict:
    return {"size": [size] * axes, "stride": [stride] * axes, "padding": [padding] * axes}


def spec(layers, shape=(32, 32, 1)) -> dict:
    return {"inputs": [{"name": "x", "shape": list(shape)}], "layers": layers}


def test_vgg16_block5_pool_has_the_published_field_212_stride_32_padding_90(spec_path):
    analysis = analyze(spec_path("vgg16"))
    assert fields(analysis)["block5_pool"] == rf(212, 32, 90)


def test_the_seed_alexnet_has_the_hand_computed_fields_and_none_after_flatten(spec_path):
    # conv1 11/4 valid; pools 3/2 valid; conv2 5 'same' (pad 2); conv3-5 3 'same' (pad 1):
    # size += (k − 1)·stride, padding += pad·stride, stride *= s.
    expected = {"image": rf(1, 1, 0), "conv1": rf(11, 4, 0), "pool1": rf(19, 8, 0),
                "conv2": rf(51, 8, 16), "pool2": rf(67, 16, 16), "conv3": rf(99, 16, 32),
                "conv4": rf(131, 16, 48), "conv5": rf(163, 16, 64), "pool3": rf(195, 32, 64),
                "flatten": None, "fc1": None, "predictions": None}
    got = fields(analyze(spec_path("alexnet")))
    assert {name: got[name] for name in expected} == expected


def test_stacked_dilations_1_2_4_grow_the_field_to_3_7_15_as_in_yu_and_koltun():
    layers = [{"name": f"d{d}", "type": "Conv2D", "filters": 4, "kernel_size": 3,
               "dilation_rate": d, "padding": "same"} for d in (1, 2, 4)]
    got = fields(analyze(spec(layers)))
    assert [got[f"d{d}"] for d in (1, 2, 4)] == [rf(3, 1, 1), rf(7, 1, 3), rf(15, 1, 7)]


def test_zero_padding_adds_padding_and_cropping_removes_it_per_axis():
    layers = [{"name": "pad", "type": "ZeroPadding2D", "padding": [[2, 0], [1, 1]]},
              {"name": "conv", "type": "Conv2D", "filters": 2, "kernel_size": 3},
              {"name": "crop", "type": "Cropping2D", "cropping": [[1, 0], [0, 3]]}]
    got = fields(analyze(spec(layers)))
    assert got["pad"] == {"size": [1, 1], "stride": [1, 1], "padding": [2, 1]}
    assert got["conv"] == {"size": [3, 3], "stride": [1, 1], "padding": [2, 1]}
    assert got["crop"] == {"size": [3, 3], "stride": [1, 1], "padding": [1, 1]}


def test_same_padding_with_stride_follows_keras_which_pads_less_before_than_after():
    # 7×7 /2 'same' on 224: total padding (112 − 1)·2 + 7 − 224 = 5, 2 before and 3 after.
    layers = [{"name": "c", "type": "Conv2D", "filters": 2, "kernel_size": 7, "strides": 2,
               "padding": "same"}]
    assert fields(analyze(spec(layers, (224, 224, 3))))["c"] == rf(7, 2, 2)


def test_a_global_pooling_sees_the_whole_input():
    layers = [{"type": "Conv2D", "filters": 2, "kernel_size": 3},
              {"name": "gap", "type": "GlobalAveragePooling2D"}]
    analysis = analyze(spec(layers))
    assert analysis.layers["gap"].receptive_field.axes is None
    assert json.loads(summary.to_json(analysis))["layers"][-1]["receptive_field"] is None


def test_summary_json_has_one_entry_per_spatial_axis(spec_path):
    data = json.loads(summary.to_json(analyze(spec_path("vgg16"))))
    by_name = {layer["name"]: layer for layer in data["layers"]}
    assert by_name["block1_conv1"]["receptive_field"] == rf(3, 1, 1)
    assert by_name["flatten"]["receptive_field"] is None


def test_merging_aligned_branches_takes_the_union_without_a_diagnostic():
    layers = [{"name": "a", "type": "Conv2D", "filters": 2, "kernel_size": 3, "padding": "same",
               "inputs": ["x"]},
              {"name": "b", "type": "Conv2D", "filters": 2, "kernel_size": 1, "inputs": ["x"]},
              {"name": "sum", "type": "Add", "inputs": ["a", "b"]}]
    analysis = analyze(spec(layers))
    assert fields(analysis)["sum"] == rf(3, 1, 1)
    assert not [d for d in analysis.diagnostics if d.code is Code.RECEPTIVE_FIELD_NOT_ALIGNED]


def test_branches_with_different_centres_get_a_not_aligned_note_and_the_union():
    # A 2×2 'same' window is centred half a pixel after the 1×1 one.
    layers = [{"name": "a", "type": "Conv2D", "filters": 2, "kernel_size": 2, "padding": "same",
               "inputs": ["x"]},
              {"name": "b", "type": "Conv2D", "filters": 2, "kernel_size": 1, "inputs": ["x"]},
              {"name": "sum", "type": "Add", "inputs": ["a", "b"]}]
    analysis = analyze(spec(layers))
    assert fields(analysis)["sum"] == rf(2, 1, 0)
    (note,) = [d for d in analysis.diagnostics if d.code is Code.RECEPTIVE_FIELD_NOT_ALIGNED]
    assert note.severity is Severity.INFO and "not aligned" in note.message and analysis.ok


def test_branches_with_different_strides_get_a_warning_and_no_wrong_number():
    layers = [{"name": "a", "type": "Conv2D", "filters": 2, "kernel_size": 1, "strides": 2,
               "inputs": ["x"]},
              {"name": "b", "type": "Conv2D", "filters": 2, "kernel_size": 2, "inputs": ["x"]},
              {"name": "sum", "type": "Add", "inputs": ["a", "b"]}]
    analysis = analyze(spec(layers, (2, 2, 1)))
    assert fields(analysis)["sum"] is None
    (warning,) = [d for d in analysis.diagnostics if d.code is Code.RECEPTIVE_FIELD_NOT_ALIGNED]
    assert warning.severity is Severity.WARNING and "different strides" in warning.message


def test_dense_on_a_feature_map_acts_per_position_and_keeps_the_field():
    layers = [{"type": "Conv2D", "filters": 2, "kernel_size": 3},
              {"name": "fc", "type": "Dense", "units": 4}]
    assert fields(analyze(spec(layers)))["fc"] == rf(3, 1, 0)


def test_a_one_dimensional_chain_gets_the_hand_checked_fields_from_parameter_names():
    layers = [{"name": "c5", "type": "Conv1D", "filters": 4, "kernel_size": 5},       # 100 → 96
              {"name": "dil", "type": "Conv1D", "filters": 4, "kernel_size": 3,
               "dilation_rate": 2, "padding": "same"},                              # span 5, pad 2
              {"name": "pool", "type": "MaxPooling1D"},                             # 96 → 48
              {"name": "s2", "type": "Conv1D", "filters": 4, "kernel_size": 3, "strides": 2,
               "padding": "same"},     # 48 → 24: total pad (24 − 1)·2 + 3 − 48 = 1, 0 before
              {"name": "causal", "type": "Conv1D", "filters": 4, "kernel_size": 2,
               "padding": "causal"},                                                # 1 before
              {"name": "up", "type": "UpSampling1D"}]
    analysis = analyze(spec(layers, (100, 1)))  # the built-in 1-D types: no window of their own
    got = fields(analysis)
    assert [got[n] for n in ("c5", "dil", "pool", "s2", "causal")] == [
        rf(5, 1, 0, 1), rf(9, 1, 2, 1), rf(10, 2, 2, 1), rf(14, 4, 2, 1), rf(18, 4, 6, 1)]
    assert got["up"] is None and "not defined" in analysis.layers["up"].receptive_field.note


# ---- property test: a random chain's field equals the brute-force set of input pixels ----

_layer = st.one_of(
    st.tuples(st.just("conv"), st.integers(1, 5), st.integers(1, 3), st.integers(1, 3),
              st.sampled_from(["valid", "same"])),
    st.tuples(st.just("pool"), st.integers(1, 4), st.integers(1, 3), st.just(1),
              st.sampled_from(["valid", "same"])),
    st.tuples(st.just("pad"), st.integers(0, 3), st.integers(0, 3), st.just(1), st.just("")),
    st.tuples(st.just("crop"), st.integers(0, 3), st.integers(0, 3), st.just(1), st.just("")),
)


def _spec_layer(kind, a, b, d, padding) -> dict:
    if kind == "conv":
        stride, dilation = (b, 1) if d == 1 else (1, d)  # Keras refuses both above 1
        return {"type": "Conv2D", "filters": 1, "kernel_size": [a, 1], "strides": [stride, 1],
                "dilation_rate": [dilation, 1], "padding": padding}
    if kind == "pool":
        return {"type": "MaxPooling2D", "pool_size": [a, 1], "strides": [b, 1], "padding": padding}
    key, type_name = ("padding", "ZeroPadding2D") if kind == "pad" else ("cropping", "Cropping2D")
    return {"type": type_name, key: [[a, b], [0, 0]]}


def _reads(layer, n: int, clip: bool) -> tuple[int, "callable"]:
    """Brute force for one layer on an axis of length n: (output length, j ↦ input pixels).

    With ``clip`` only real pixels count (padding reads zeros); without, padded
    positions keep their coordinates, which is what the field's formula describes."""
    kind, a, b, d, padding = layer
    inside = set(range(n)) if clip else None

    def keep(pixels: set) -> set:
        return pixels & inside if clip else pixels

    if kind in ("pad", "crop"):
        shift = a if kind == "pad" else -a
        out = n + a + b if kind == "pad" else n - a - b
        return out, lambda j: keep({j - shift})
    k, s, dil = (a, b, 1) if kind == "pool" or d == 1 else (a, 1, d)
    span = (k - 1) * dil + 1
    if padding == "same":  # TensorFlow's rule, which Keras follows: the extra pixel goes after
        out = math.ceil(n / s)
        before = max((out - 1) * s + span - n, 0) // 2
    else:
        out, before = (n - span) // s + 1, 0
    return out, lambda j: keep({j * s - before + t * dil for t in range(k)})


def _pixels(chain, length: int, j: int, clip: bool) -> set:
    maps, n = [], length
    for layer in chain:
        n, read = _reads(layer, n, clip)
        maps.append(read)
    pixels = {j}
    for read in reversed(maps):
        pixels = set().union(*(read(i) for i in pixels)) if pixels else set()
    return pixels


@given(st.integers(8, 40), st.lists(_layer, min_size=1, max_size=5))
def test_the_field_of_a_random_chain_equals_the_brute_force_set_of_input_pixels(length, chain):
    analysis = analyze(spec([_spec_layer(*layer) for layer in chain], (length, 1, 1)))
    assume(analysis.ok)
    last = list(analysis.layers.values())[-1]
    field = last.receptive_field.axes[0]
    for j in range(last.output_shape[0]):
        start = j * field.stride - field.padding
        end = start + field.size - 1
        unclipped = _pixels(chain, length, j, clip=False)
        assert (min(unclipped), max(unclipped)) == (start, end)
        assert _pixels(chain, length, j, clip=True) <= set(range(start, end + 1))


def test_a_strided_same_convolution_beside_a_strided_1x1_shortcut_is_noted_as_not_aligned(spec_path):
    # On an even input TensorFlow's 'same' puts the extra padding after: the 3×3 /2 field of
    # output j covers 2j … 2j+2 (centre 2j+1), the 1×1 /2 shortcut sees pixel 2j.
    analysis = analyze(spec_path("residual_cnn"))
    (note,) = [d for d in analysis.diagnostics if d.code is Code.RECEPTIVE_FIELD_NOT_ALIGNED]
    assert note.layer == "down_add" and note.severity is Severity.INFO and analysis.ok


def test_receptive_fields_are_computed_on_demand_once():
    analysis = lg.analyze(spec([{"name": "c", "type": "Conv2D", "filters": 2, "kernel_size": 3}]))
    assert analysis.layers["c"].receptive_field is None and not analysis.receptive_fields_done
    assert ensure(analysis) is analysis and analysis.layers["c"].receptive_field.axes
    before = len(analysis.diagnostics)
    ensure(analysis)
    assert len(analysis.diagnostics) == before


@pytest.mark.keras
def test_the_field_equals_the_pixels_whose_gradient_is_nonzero_in_keras():
    """The independent truth: which input pixels change an output pixel of the compiled model."""
    import numpy as np
    import tensorflow as tf

    layers = [{"type": "Conv2D", "filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"},
              {"type": "AveragePooling2D", "pool_size": 3, "strides": 2, "padding": "same"},
              {"type": "Conv2D", "filters": 2, "kernel_size": 3, "dilation_rate": 2},
              {"type": "ZeroPadding2D", "padding": [[2, 1], [0, 3]]},
              {"name": "last", "type": "Conv2D", "filters": 1, "kernel_size": [5, 3], "padding": "same"}]
    model = lg.to_keras(spec(layers, (64, 64, 1)))
    for weight in model.weights:  # positive weights: no cancellation hides a pixel
        weight.assign(np.ones(weight.shape, dtype="float32"))
    field = analyze(spec(layers, (64, 64, 1))).layers["last"].receptive_field.axes
    x = tf.Variable(np.ones((1, 64, 64, 1), dtype="float32"))
    j = (6, 7)
    with tf.GradientTape() as tape:
        value = model(x)[0, j[0], j[1], 0]
    touched = np.argwhere(tape.gradient(value, x).numpy()[0, :, :, 0] != 0)
    for axis in (0, 1):
        start = j[axis] * field[axis].stride - field[axis].padding
        assert 0 <= start and start + field[axis].size <= 64  # the field is inside the input
        assert (touched[:, axis].min(), touched[:, axis].max()) == (start, start + field[axis].size - 1)
