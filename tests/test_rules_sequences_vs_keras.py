"""Sequence and attention layer types agree with Keras: every output's shape and the
parameter count, across return_sequences/return_state/go_backwards/reset_after, merge
modes, wrapped layers, initial states and attention shapes. Where Keras refuses,
layergraph reports an error for the layer.

Keras is the truth: each case builds the Keras layer from the same raw parameters (a
wrapped ``{"type": ...}`` layer becomes that Keras layer), calls it on ``keras.Input``s
(keyword tensors such as ``initial_state`` too) and reads every output's shape and
``count_params()``. layergraph analyses the same case as a one-layer spec.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field

import pytest

import layergraph as lg

pytestmark = pytest.mark.keras
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@dataclass(frozen=True)
class Case:
    id: str
    type: str
    params: dict
    shapes: tuple  # positional input shapes, batch axis excluded
    ok: bool = True
    call: dict = field(default_factory=dict)  # keyword → list of shapes
    dtype: str = "float32"

    def __str__(self) -> str:
        return self.id


def C(id, type, shapes, ok=True, call=None, dtype="float32", **params):  # noqa: N802
    return Case(id, type, params, tuple(shapes), ok, call or {}, dtype)


SEQ = (7, 5)
LSTM8 = {"type": "LSTM", "units": 8}
CASES = [
    C("rnn-last", "SimpleRNN", [SEQ], units=4),
    C("rnn-sequences", "SimpleRNN", [SEQ], units=4, return_sequences=True),
    C("rnn-state", "SimpleRNN", [SEQ], units=4, return_state=True),
    C("rnn-no-bias", "SimpleRNN", [SEQ], units=3, use_bias=False),
    C("rnn-unknown-time", "SimpleRNN", [(None, 5)], units=4, return_sequences=True),
    C("rnn-rank1-input", "SimpleRNN", [(5,)], ok=False, units=4),
    C("rnn-unknown-features", "SimpleRNN", [(7, None)], ok=False, units=4),
    C("lstm-last", "LSTM", [SEQ], units=6),
    C("lstm-sequences-states", "LSTM", [SEQ], units=6, return_sequences=True, return_state=True),
    C("lstm-states", "LSTM", [(None, 3)], units=2, return_state=True),
    C("lstm-backwards", "LSTM", [SEQ], units=6, go_backwards=True),
    C("lstm-no-bias", "LSTM", [SEQ], units=6, use_bias=False),
    C("lstm-initial-state", "LSTM", [SEQ], units=6, call={"initial_state": [(6,), (6,)]}),
    C("lstm-zero-units", "LSTM", [SEQ], ok=False, units=0),
    C("gru-reset-after", "GRU", [SEQ], units=6),
    C("gru-reset-before", "GRU", [SEQ], units=6, reset_after=False),
    C("gru-states-sequences", "GRU", [SEQ], units=6, return_state=True, return_sequences=True),
    C("gru-no-bias", "GRU", [SEQ], units=6, use_bias=False),
    C("gru-initial-state", "GRU", [SEQ], units=6, call={"initial_state": [(6,)]}),
    C("bi-concat", "Bidirectional", [SEQ], layer=LSTM8),
    C("bi-sum-sequences", "Bidirectional", [SEQ], layer={**LSTM8, "return_sequences": True},
      merge_mode="sum"),
    C("bi-mul", "Bidirectional", [SEQ], layer={"type": "GRU", "units": 4}, merge_mode="mul"),
    C("bi-ave", "Bidirectional", [SEQ], layer={"type": "SimpleRNN", "units": 4}, merge_mode="ave"),
    C("bi-none", "Bidirectional", [SEQ], layer=LSTM8, merge_mode=None),
    C("bi-states", "Bidirectional", [SEQ], layer={**LSTM8, "return_state": True}),
    C("bi-none-states", "Bidirectional", [SEQ], layer={"type": "GRU", "units": 3,
                                                       "return_state": True}, merge_mode=None),
    C("bi-dense", "Bidirectional", [SEQ], ok=False, layer={"type": "Dense", "units": 3}),
    C("bi-backwards", "Bidirectional", [SEQ], ok=False, layer={**LSTM8, "go_backwards": True}),
    C("td-dense", "TimeDistributed", [SEQ], layer={"type": "Dense", "units": 3}),
    C("td-dense-unknown-time", "TimeDistributed", [(None, 5)], layer={"type": "Dense", "units": 3}),
    C("td-rank1", "TimeDistributed", [(5,)], ok=False, layer={"type": "Dense", "units": 3}),
    C("embedding", "Embedding", [(10,)], dtype="int32", input_dim=100, output_dim=8),
    C("embedding-mask", "Embedding", [(None,)], dtype="int32", input_dim=50, output_dim=4,
      mask_zero=True),
    C("embedding-2d-tokens", "Embedding", [(3, 4)], dtype="int32", input_dim=20, output_dim=2),
    C("mha-self", "MultiHeadAttention", [(6, 16), (6, 16)], num_heads=4, key_dim=8),
    C("mha-cross", "MultiHeadAttention", [(6, 16), (9, 12)], num_heads=2, key_dim=4),
    C("mha-key", "MultiHeadAttention", [(6, 16), (9, 12), (9, 10)], num_heads=2, key_dim=4,
      value_dim=3),
    C("mha-output-shape", "MultiHeadAttention", [(6, 16), (6, 16)], num_heads=2, key_dim=4,
      output_shape=10),
    C("mha-no-bias", "MultiHeadAttention", [(6, 16), (6, 16)], num_heads=2, key_dim=4,
      use_bias=False),
    C("mha-unknown-length", "MultiHeadAttention", [(None, 16), (None, 16)], num_heads=2, key_dim=4),
    C("mha-2d-attention-axes", "MultiHeadAttention", [(4, 4, 8), (4, 4, 8)], num_heads=2,
      key_dim=4, attention_axes=[1, 2]),
    C("mha-key-value-mismatch", "MultiHeadAttention", [(6, 16), (9, 12), (8, 10)], ok=False,
      num_heads=2, key_dim=4),
    C("attention-dot", "Attention", [(6, 8), (9, 8)]),
    C("attention-scale-concat", "Attention", [(6, 8), (9, 8)], use_scale=True, score_mode="concat"),
    C("attention-key", "Attention", [(6, 8), (9, 5), (9, 8)]),
    C("additive", "AdditiveAttention", [(6, 8), (9, 8)]),
    C("additive-no-scale", "AdditiveAttention", [(6, 8), (9, 8)], use_scale=False),
    # Additive scores, tanh(query + key), broadcast a last axis of 1 (found by the random graphs).
    C("additive-key-of-1", "AdditiveAttention", [(6, 8), (9, 5), (9, 1)]),
    C("additive-query-of-1", "AdditiveAttention", [(6, 1), (9, 5), (9, 8)], use_scale=True),
    C("attention-concat-key-of-1", "Attention", [(6, 8), (9, 5), (9, 1)], score_mode="concat"),
    # The custom layers of keras.applications (their classes live in the application modules).
    C("layer-scale", "LayerScale", [(7, 7, 96)], init_values=1e-6, projection_dim=96),
    C("layer-scale-sequence", "LayerScale", [(10, 32)], init_values=0.1, projection_dim=32),
    C("custom-scale", "CustomScaleLayer", [(8, 8, 32), (8, 8, 32)], scale=0.17),
]
KERAS_MODULES = {"LayerScale": "keras.src.applications.convnext",
                 "CustomScaleLayer": "keras.src.applications.inception_resnet_v2"}


def as_json(value):
    return json.loads(json.dumps(value))


def spec_for(case: Case) -> dict:
    inputs = [{"name": f"in{i}", "shape": list(s), "dtype": case.dtype}
              for i, s in enumerate(case.shapes)]
    call = {}
    for argument, shapes in case.call.items():
        names = [f"{argument}{i}" for i in range(len(shapes))]
        inputs += [{"name": n, "shape": list(s)} for n, s in zip(names, shapes)]
        call[argument] = names
    layer = {"name": "layer", "type": case.type,
             "inputs": [f"in{i}" for i in range(len(case.shapes))], **case.params}
    if call:
        layer["call"] = call
    return as_json({"format": "layergraph/1", "inputs": inputs, "layers": [layer],
                    "outputs": ["layer"]})


def keras_layer(keras, type_name: str, params: dict):
    """The Keras layer for raw parameters, a wrapped ``{"type": ...}`` layer built first."""
    params = dict(params)
    if isinstance(params.get("layer"), dict):
        inner = dict(params["layer"])
        params["layer"] = keras_layer(keras, inner.pop("type"), inner)
    if type_name in KERAS_MODULES:
        import importlib

        return getattr(importlib.import_module(KERAS_MODULES[type_name]), type_name)(**params)
    return getattr(keras.layers, type_name)(**params)


def keras_build(keras, case: Case, layer=None):
    """(every output's shape, params, trainable params), or the exception Keras raised."""
    try:
        layer = layer or keras_layer(keras, case.type, case.params)
        tensors = [keras.Input(shape=s, dtype=case.dtype) for s in case.shapes]
        kwargs = {k: [keras.Input(shape=s) for s in v] for k, v in case.call.items()}
        if case.type == "MultiHeadAttention":
            out = layer(*tensors, **kwargs)
        else:
            out = layer(tensors if len(tensors) > 1 else tensors[0], **kwargs)
    except Exception as exc:
        return exc
    outputs = out if isinstance(out, (list, tuple)) else [out]
    trainable = sum(math.prod(w.shape) for w in layer.trainable_weights)
    return [tuple(o.shape[1:]) for o in outputs], layer.count_params(), trainable


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


@pytest.mark.parametrize("case", CASES, ids=str)
def test_every_output_shape_and_the_param_count_agree_with_keras(keras, case):
    truth = keras_build(keras, case)
    analysis = lg.analyze(spec_for(case))
    result = analysis.layers.get("layer")
    if not case.ok:
        assert isinstance(truth, Exception), f"Keras accepted the case: {truth}"
        assert [d for d in analysis.errors if d.layer == "layer"], "layergraph accepted it"
        assert result is None or result.output_shape is None
        return
    assert not isinstance(truth, Exception), f"Keras refused the case: {truth}"
    shapes, params, trainable = truth
    assert analysis.errors == [], [d.format() for d in analysis.errors]
    assert result.output_shapes == shapes
    assert len(result.layer_type.output_names(result.params)) == len(shapes)
    assert (result.param_count, result.trainable_params) == (params, trainable)


@pytest.mark.parametrize("case", [c for c in CASES if c.ok], ids=str)
def test_to_keras_builds_a_layer_with_the_same_outputs_and_params(keras, case):
    result = lg.analyze(spec_for(case)).layers["layer"]
    built = result.layer_type.to_keras(result.params, "layer")
    assert keras_build(keras, case, layer=built) == keras_build(keras, case)


@pytest.mark.parametrize("case", [c for c in CASES if c.ok and c.type in ("SimpleRNN", "LSTM", "GRU")
                                  and None not in c.shapes[0]], ids=str)
def test_recurrent_macs_are_timesteps_times_the_gate_kernels(keras, case):
    # Independent of the rules: Keras's own kernel and recurrent kernel sizes.
    layer = keras_layer(keras, case.type, case.params)
    layer(keras.Input(shape=case.shapes[0]))
    cell = layer.cell
    per_step = math.prod(cell.kernel.shape) + math.prod(cell.recurrent_kernel.shape)
    result = lg.analyze(spec_for(case)).layers["layer"]
    assert result.macs == case.shapes[0][0] * per_step


def test_an_initial_state_of_the_wrong_size_is_refused_as_it_fails_when_keras_runs_it(keras):
    # Keras accepts it symbolically; running the model fails. layergraph refuses up front.
    import numpy as np

    case = C("lstm-initial-state-wrong-size", "LSTM", [SEQ], units=6,
             call={"initial_state": [(4,), (4,)]})
    x, h, c = keras.Input(SEQ), keras.Input((4,)), keras.Input((4,))
    model = keras.Model([x, h, c], keras.layers.LSTM(6)(x, initial_state=[h, c]))
    with pytest.raises(Exception):
        model([np.zeros((1, *SEQ)), np.zeros((1, 4)), np.zeros((1, 4))])
    analysis = lg.analyze(spec_for(case))
    (error,) = analysis.errors
    assert error.code.value == "LG401" and "initial_state" in error.message

