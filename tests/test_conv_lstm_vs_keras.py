"""ConvLSTM1D/2D/3D agree with Keras: every output's shape and the parameter count across
rank, padding, strides, dilation, data_format, return_sequences/return_state/go_backwards,
initial states, masks and wrappers; where Keras refuses, layergraph reports an error. MACs
come from Keras's own kernel shapes; an imported model compiles back to equal outputs.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import layergraph as lg
from test_rules_sequences_vs_keras import C, keras_build, keras_layer, spec_for

pytestmark = pytest.mark.keras

V1, V2, V3 = (4, 10, 3), (3, 8, 9, 2), (2, 5, 6, 4, 1)  # (time, *spatial, channels)
CASES = [
    C("1d-last", "ConvLSTM1D", [V1], filters=2, kernel_size=3),
    C("1d-same-strides-sequences", "ConvLSTM1D", [V1], filters=3, kernel_size=3, strides=2,
      padding="same", return_sequences=True),
    C("1d-dilated-states", "ConvLSTM1D", [V1], filters=2, kernel_size=2, dilation_rate=3,
      return_state=True),
    C("1d-unknown-time", "ConvLSTM1D", [(None, 10, 3)], filters=2, kernel_size=3,
      return_sequences=True),
    C("1d-causal", "ConvLSTM1D", [V1], ok=False, filters=2, kernel_size=3, padding="causal"),
    C("2d-last", "ConvLSTM2D", [V2], filters=4, kernel_size=3),
    C("2d-sequences-states", "ConvLSTM2D", [V2], filters=2, kernel_size=(3, 2), strides=(2, 1),
      return_sequences=True, return_state=True),
    C("2d-same-no-bias-backwards", "ConvLSTM2D", [V2], filters=3, kernel_size=3, padding="same",
      use_bias=False, go_backwards=True),
    C("2d-channels-first", "ConvLSTM2D", [(3, 2, 8, 9)], filters=2, kernel_size=3,
      data_format="channels_first", return_state=True),
    C("2d-initial-state", "ConvLSTM2D", [V2], filters=2, kernel_size=3,
      call={"initial_state": [(6, 7, 2), (6, 7, 2)]}),
    C("2d-mask", "ConvLSTM2D", [V2], filters=2, kernel_size=3, call={"mask": [(3,)]}),
    C("2d-wrong-rank", "ConvLSTM2D", [(3, 8, 2)], ok=False, filters=2, kernel_size=3),
    C("2d-unknown-spatial", "ConvLSTM2D", [(3, None, 9, 2)], ok=False, filters=2, kernel_size=3),
    C("2d-unknown-channels", "ConvLSTM2D", [(3, 8, 9, None)], ok=False, filters=2, kernel_size=3),
    C("2d-window-too-large", "ConvLSTM2D", [V2], ok=False, filters=2, kernel_size=9),
    C("2d-strides-and-dilation", "ConvLSTM2D", [V2], ok=False, filters=2, kernel_size=3,
      strides=2, dilation_rate=2),
    C("3d-last", "ConvLSTM3D", [V3], filters=2, kernel_size=(3, 3, 1)),
    C("3d-same-sequences", "ConvLSTM3D", [V3], filters=2, kernel_size=3, padding="same",
      strides=(1, 2, 2), return_sequences=True),
    C("3d-channels-first", "ConvLSTM3D", [(2, 1, 5, 6, 4)], filters=3, kernel_size=2,
      data_format="channels_first"),
    C("bidirectional-concat", "Bidirectional", [V2],
      layer={"type": "ConvLSTM2D", "filters": 2, "kernel_size": 3, "return_sequences": True}),
    C("bidirectional-states", "Bidirectional", [V1], merge_mode="sum",
      layer={"type": "ConvLSTM1D", "filters": 2, "kernel_size": 3, "return_state": True}),
    C("time-distributed", "TimeDistributed", [(2, *V1)],
      layer={"type": "ConvLSTM1D", "filters": 2, "kernel_size": 3}),
]


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


@pytest.mark.parametrize("case", CASES, ids=str)
def test_conv_lstm_outputs_and_params_agree_with_keras(keras, case):
    truth = keras_build(keras, case)
    analysis = lg.analyze(spec_for(case))
    if not case.ok:
        assert isinstance(truth, Exception), f"Keras accepted the case: {truth}"
        assert [d for d in analysis.errors if d.layer == "layer"], "layergraph accepted it"
        return
    assert not isinstance(truth, Exception), f"Keras refused the case: {truth}"
    assert analysis.errors == [], [d.format() for d in analysis.errors]
    result = analysis.layers["layer"]
    shapes, params, trainable = truth
    assert result.output_shapes == shapes
    assert len(result.layer_type.output_names(result.params)) == len(shapes)
    assert (result.param_count, result.trainable_params) == (params, trainable)


@pytest.mark.parametrize("case", [c for c in CASES if c.ok], ids=str)
def test_to_keras_builds_a_conv_lstm_with_the_same_outputs_and_params(keras, case):
    result = lg.analyze(spec_for(case)).layers["layer"]
    built = result.layer_type.to_keras(result.params, "layer")
    assert keras_build(keras, case, layer=built) == keras_build(keras, case)


@pytest.mark.parametrize("case", [c for c in CASES if c.ok and c.type.startswith("ConvLSTM")
                                  and c.shapes[0][0] is not None], ids=str)
def test_conv_lstm_macs_are_timesteps_times_both_kernels_at_every_state_position(keras, case):
    # Independent of the rules: Keras's kernel shapes and its state's spatial size.
    layer = keras_layer(keras, case.type, case.params)
    layer(keras.Input(shape=case.shapes[0]))
    state = layer.compute_output_shape((None, *case.shapes[0]))
    state = state[0] if isinstance(state, tuple) and isinstance(state[0], tuple) else state
    spatial = state[2:] if case.params.get("return_sequences") else state[1:]
    spatial = spatial[1:] if case.params.get("data_format") == "channels_first" else spatial[:-1]
    per_position = (math.prod(layer.cell.kernel.shape) + math.prod(layer.cell.recurrent_kernel.shape))
    result = lg.analyze(spec_for(case)).layers["layer"]
    assert result.macs == case.shapes[0][0] * math.prod(spatial) * per_position


def test_a_conv_lstm_initial_state_of_the_wrong_size_is_refused_as_it_fails_when_keras_runs_it(keras):
    x, h = keras.Input(V2), keras.Input((5, 7, 2))
    model = keras.Model([x, h], keras.layers.ConvLSTM2D(2, 3)(x, initial_state=[h, h]))
    with pytest.raises(Exception):
        model([np.zeros((1, *V2)), np.zeros((1, 5, 7, 2))])
    case = C("wrong-state", "ConvLSTM2D", [V2], filters=2, kernel_size=3,
             call={"initial_state": [(5, 7, 2), (5, 7, 2)]})
    (error,) = lg.analyze(spec_for(case)).errors
    assert error.code.value == "LG401" and "(6, 7, 2)" in error.message


def conv_lstm_video_model(keras):
    layers = keras.layers
    frames = keras.Input((3, 8, 8, 2), name="frames")
    seq, h, c = layers.ConvLSTM2D(4, 3, padding="same", return_sequences=True, return_state=True,
                                  name="cl2")(frames)
    last = layers.ConvLSTM2D(3, (3, 2), strides=2, go_backwards=True, name="cl2b")(
        seq, initial_state=None)
    rows = layers.Reshape((3, 64, 4), name="rows")(seq)
    line = layers.ConvLSTM1D(2, 5, strides=2, return_sequences=True, name="cl1")(rows)
    volume = layers.Reshape((3, 2, 30, 1, 1), name="volume")(line)
    cube = layers.ConvLSTM3D(2, (2, 3, 1), name="cl3")(volume)
    return keras.Model(frames, [last, h, c, cube], name="video")


def test_an_imported_conv_lstm_model_compiles_back_to_the_same_outputs(keras):
    from layergraph.importers.keras import import_model

    model = conv_lstm_video_model(keras)
    imported = import_model(model)
    assert imported.analysis.total_params == model.count_params()
    assert imported.data["outputs"] == ["cl2b", "cl2:1", "cl2:2", "cl3"]
    rebuilt = lg.to_keras(imported.spec)
    for layer in rebuilt.layers:
        layer.set_weights(model.get_layer(layer.name).get_weights())
    x = np.random.default_rng(0).normal(size=(2, 3, 8, 8, 2)).astype("float32")
    for mine, theirs in zip(rebuilt(x), model(x), strict=True):
        np.testing.assert_allclose(np.asarray(mine), np.asarray(theirs), rtol=1e-5, atol=1e-6)
