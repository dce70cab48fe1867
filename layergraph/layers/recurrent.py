"""Recurrent layers: SimpleRNN, LSTM, GRU, and the wrappers Bidirectional and TimeDistributed.

Inputs are (timesteps, features); timesteps may be unknown (``None``). With
``return_sequences`` the output keeps the time axis; with ``return_state`` the
layer has several outputs, Keras's order: the output, then the final states
(``state_h``, ``state_c`` for an LSTM), referenced as ``"lstm:1"`` / ``"lstm:state_h"``.
``initial_state`` and ``mask`` are keyword tensors of the call (a spec layer's ``call``).

MACs convention: the multiply-accumulates of the gate matrix products, per timestep
(``gates × units × (features + units)``), times the number of timesteps; element-wise
gate arithmetic and activations are not counted (as for Dense). Unknown timesteps give
unknown MACs.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any, Literal, Optional

from pydantic import AfterValidator, Field

from ..registry import LayerType, ParamCount, Params, ShapeError, deferred_params
from .common import ActivationName, KerasObject, StrictInt, fmt_shape, macs_per_position

__all__ = ["SimpleRNN", "LSTM", "GRU", "Bidirectional", "TimeDistributed"]

Rate = Annotated[float, Field(ge=0, le=1)]


@functools.cache
def _rnn_params() -> type[Params]:
    """The arguments every recurrent layer shares."""
    class _RNNParams(Params):
        units: Annotated[int, Field(strict=True, ge=1)]
        activation: ActivationName = "tanh"
        use_bias: bool = True
        kernel_initializer: KerasObject = "glorot_uniform"
        recurrent_initializer: KerasObject = "orthogonal"
        bias_initializer: KerasObject = "zeros"
        kernel_regularizer: KerasObject = None
        recurrent_regularizer: KerasObject = None
        bias_regularizer: KerasObject = None
        activity_regularizer: KerasObject = None
        kernel_constraint: KerasObject = None
        recurrent_constraint: KerasObject = None
        bias_constraint: KerasObject = None
        dropout: Rate = 0.0
        recurrent_dropout: Rate = 0.0
        seed: Optional[StrictInt] = None
        return_sequences: bool = False
        return_state: bool = False
        go_backwards: bool = False
        stateful: bool = False
        unroll: bool = False
    return _RNNParams


@functools.cache
def _gated_params() -> type[Params]:
    """LSTM's and GRU's arguments beyond SimpleRNN's."""
    class _GatedParams(_rnn_params()):
        recurrent_activation: ActivationName = "sigmoid"
        use_cudnn: Literal["auto", True, False] = "auto"
    return _GatedParams


class _RNN(LayerType):
    """Shared rules: ``gates`` weight blocks of size units × (features + units) (+ bias)."""

    family = "recurrent"
    call_arguments = ("initial_state", "mask")
    export_positional = ("units",)
    gates: int = 1
    states: tuple[str, ...] = ("state",)

    @classmethod
    def output_names(cls, p):
        return ("output",) + (cls.states if p.return_state else ())

    @classmethod
    def output_shapes(cls, p, shapes, call_shapes):
        (shape,) = shapes
        _sequence_features(cls.type_name, shape)
        _check_initial_state(cls.type_name, (p.units,), cls.states, call_shapes.get("initial_state"))
        _check_mask(cls.type_name, shape, call_shapes.get("mask"))
        output = (shape[0], p.units) if p.return_sequences else (p.units,)
        return [output] + ([(p.units,)] * len(cls.states) if p.return_state else [])

    @classmethod
    def output_shape(cls, p, shapes):
        return cls.output_shapes(p, shapes, {})[0]

    @classmethod
    def count_params(cls, p, shapes):
        features = shapes[0][-1]
        weights = cls.gates * p.units * (features + p.units)
        return ParamCount(weights + (cls.bias_size(p) if p.use_bias else 0))

    @classmethod
    def bias_size(cls, p) -> int:
        return cls.gates * p.units

    @classmethod
    def count_macs(cls, p, shapes, out):
        timesteps, features = shapes[0]
        return macs_per_position([timesteps], cls.gates * p.units * (features + p.units))

    @classmethod
    def describe(cls, p):
        flags = [f for f, on in (("seq", p.return_sequences), ("states", p.return_state),
                                 ("backwards", p.go_backwards)) if on]
        return ", ".join([str(p.units)] + flags)


def _sequence_features(type_name: str, shape) -> int:
    if len(shape) != 2 or shape[-1] is None:
        raise ShapeError(
            f"Input of {type_name} must be a sequence: expected a 3D input (batch, timesteps, "
            f"features) with a known number of features. Received: input shape {fmt_shape(shape)}.",
            hint="put an Embedding, Reshape or a Conv1D before it, or wrap it in TimeDistributed")
    return shape[-1]


def _check_initial_state(type_name: str, state: tuple, states: tuple[str, ...], given) -> None:
    """Raise unless ``given`` is one tensor of shape ``state`` per state (Keras accepts a
    wrong size symbolically and fails only when the model runs)."""
    if given is None:
        return
    if [tuple(s) for s in given] != [tuple(state)] * len(states):
        raise ShapeError(
            f"initial_state of {type_name} does not fit: expected {len(states)} tensor"
            f"{'s' if len(states) > 1 else ''} ({', '.join(states)}) of shape {fmt_shape(state)}. "
            f"Received: {', '.join(fmt_shape(s) for s in given) or 'none'}.",
            hint="pass the states of an RNN with the same units (its outputs 1…)", kind="mismatch")


def _check_mask(type_name: str, shape, given) -> None:
    if given is None:
        return
    if len(given) != 1 or len(given[0]) != 1 or given[0][0] not in (None, shape[0]):
        raise ShapeError(
            f"mask of {type_name} does not fit: expected one (timesteps,) tensor, "
            f"({shape[0]},). Received: {', '.join(fmt_shape(s) for s in given)}.", kind="mismatch")


class SimpleRNN(_RNN):
    """Fully connected recurrent layer: h = activation(x·W + h·U + b)."""

    type_name = "SimpleRNN"

    @deferred_params
    def Params():
        class SimpleRNNParams(_rnn_params()):
            pass
        return SimpleRNNParams


class LSTM(_RNN):
    """Long short-term memory: four gates; states ``state_h`` and ``state_c``."""

    type_name = "LSTM"
    gates = 4
    states = ("state_h", "state_c")

    @deferred_params
    def Params():
        class LSTMParams(_gated_params()):
            unit_forget_bias: bool = True
        return LSTMParams


class GRU(_RNN):
    """Gated recurrent unit: three gates; ``reset_after`` (Keras's default) has two biases."""

    type_name = "GRU"
    gates = 3

    @deferred_params
    def Params():
        class GRUParams(_gated_params()):
            reset_after: bool = True
        return GRUParams

    @classmethod
    def bias_size(cls, p) -> int:
        return cls.gates * p.units * (2 if p.reset_after else 1)


# -- wrappers ----------------------------------------------------------------


def _check_wrapped(value: Any) -> Any:
    """A wrapped layer is written as a spec layer: ``{"type": "LSTM", "units": 64}``."""
    from ..registry import get_registry

    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        raise ValueError('expected a layer object such as {"type": "LSTM", "units": 64}')
    layer_type = get_registry().get(value["type"])
    if layer_type is None or layer_type.max_inputs != 1 or layer_type.min_inputs != 1:
        raise ValueError(f"{value['type']!r} is not a known single-input layer type")
    layer_type.Params.model_validate({k: v for k, v in value.items() if k not in ("type", "name")})
    return value


WrappedLayer = Annotated[dict[str, Any], AfterValidator(_check_wrapped)]


def inner(p) -> tuple[type[LayerType], Any]:
    """The wrapped layer's type and validated parameters."""
    from ..registry import get_registry

    layer_type = get_registry().get(p.layer["type"])
    params = layer_type.Params.model_validate(
        {k: v for k, v in p.layer.items() if k not in ("type", "name")})
    return layer_type, params


def inner_name(p, name: str) -> str:
    """The wrapped Keras layer's name: as written, or ``<wrapper>_<type>`` (``bilstm1_lstm``),
    deterministic where Keras's own default depends on how many layers came before."""
    from ..compiler.expand import to_snake_case

    return p.layer.get("name") or f"{name}_{to_snake_case(p.layer['type'])}"


def _inner_keras(p, name: str):
    layer_type, params = inner(p)
    return layer_type.to_keras(params, inner_name(p, name))


class Bidirectional(LayerType):
    """Runs a recurrent layer forwards and backwards and merges the two (``merge_mode``).

    ``merge_mode=None`` gives two outputs (forward, backward); with ``return_state``
    the forward states follow, then the backward ones, as in Keras.
    """

    type_name = "Bidirectional"
    family = "recurrent"
    call_arguments = ("initial_state", "mask")
    export_positional = ("layer",)

    @deferred_params
    def Params():
        class BidirectionalParams(Params):
            layer: Annotated[WrappedLayer, Field(
                description='the recurrent layer run both ways, as {"type": "LSTM", "units": …}')]
            merge_mode: Optional[Literal["sum", "mul", "concat", "ave"]] = "concat"
        return BidirectionalParams

    @classmethod
    def _rnn(cls, p):
        layer_type, params = inner(p)
        if not issubclass(layer_type, _RNN):
            raise ShapeError(f"Bidirectional wraps a recurrent layer (SimpleRNN, LSTM, GRU). "
                             f"Received: layer type {layer_type.type_name}.")
        if getattr(params, "go_backwards", False):
            # Keras builds the backward copy with go_backwards=True whatever the layer says,
            # and refuses two layers reading the same way.
            raise ShapeError("Bidirectional runs its layer forwards and a copy backwards, so the "
                             "wrapped layer must not set go_backwards=True (Keras refuses it). "
                             "Received: go_backwards=True.")
        return layer_type, params

    @classmethod
    def output_names(cls, p):
        layer_type, params = inner(p)
        outputs = ("output",) if p.merge_mode else ("forward", "backward")
        states = getattr(layer_type, "states", ()) if getattr(params, "return_state", False) else ()
        return outputs + tuple(f"forward_{s}" for s in states) + tuple(f"backward_{s}" for s in states)

    @classmethod
    def output_shapes(cls, p, shapes, call_shapes):
        layer_type, params = cls._rnn(p)
        given = call_shapes.get("initial_state")
        states = layer_type.states
        if given is not None and len(given) != 2 * len(states):
            raise ShapeError(f"initial_state of Bidirectional: expected {2 * len(states)} tensors "
                             f"(forward then backward states). Received: {len(given)}.",
                             kind="mismatch")
        half = {"mask": call_shapes["mask"]} if "mask" in call_shapes else {}
        if given is not None:
            half["initial_state"] = given[:len(states)]
        outputs = layer_type.output_shapes(params, shapes, half)
        output, states_out = outputs[0], outputs[1:]
        if p.merge_mode is None:
            return [output, output] + states_out * 2
        if p.merge_mode == "concat":
            output = output[:-1] + (2 * output[-1],)
        return [output] + states_out * 2

    @classmethod
    def output_shape(cls, p, shapes):
        return cls.output_shapes(p, shapes, {})[0]

    @classmethod
    def count_params(cls, p, shapes):
        layer_type, params = cls._rnn(p)
        one = layer_type.count_params(params, shapes)
        return ParamCount(2 * one.trainable, 2 * one.non_trainable)

    @classmethod
    def count_macs(cls, p, shapes, out):
        layer_type, params = cls._rnn(p)
        one = layer_type.count_macs(params, shapes, out)
        return None if one is None else 2 * one

    @classmethod
    def describe(cls, p):
        layer_type, params = inner(p)
        return f"{layer_type.type_name} {layer_type.describe(params)}, {p.merge_mode}"

    @classmethod
    def to_keras(cls, p, name):
        import keras

        return keras.layers.Bidirectional(_inner_keras(p, name), merge_mode=p.merge_mode, name=name)


class TimeDistributed(LayerType):
    """Applies one layer to every timestep (axis 1) with the same weights."""

    type_name = "TimeDistributed"
    family = "reshape"
    call_arguments = ("mask",)
    export_positional = ("layer",)

    @deferred_params
    def Params():
        class TimeDistributedParams(Params):
            layer: Annotated[WrappedLayer, Field(
                description='the layer applied to every timestep, as {"type": "Dense", "units": …}')]
        return TimeDistributedParams

    @classmethod
    def output_shape(cls, p, shapes):
        (shape,) = shapes
        if len(shape) < 2:
            raise ShapeError("Input of TimeDistributed needs a time axis: expected at least a 3D "
                             f"input (batch, timesteps, …). Received: input shape {fmt_shape(shape)}.")
        layer_type, params = inner(p)
        return (shape[0],) + tuple(layer_type.output_shape(params, [shape[1:]]))

    @classmethod
    def count_params(cls, p, shapes):
        layer_type, params = inner(p)
        return layer_type.count_params(params, [shapes[0][1:]])

    @classmethod
    def count_macs(cls, p, shapes, out):
        layer_type, params = inner(p)
        step = layer_type.count_macs(params, [shapes[0][1:]], out[1:])
        return None if step is None else macs_per_position([shapes[0][0]], step)

    @classmethod
    def describe(cls, p):
        layer_type, params = inner(p)
        return f"{layer_type.type_name} {layer_type.describe(params)}".strip()

    @classmethod
    def to_keras(cls, p, name):
        import keras

        return keras.layers.TimeDistributed(_inner_keras(p, name), name=name)
