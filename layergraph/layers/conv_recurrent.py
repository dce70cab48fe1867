"""Convolutional LSTMs: ConvLSTM1D, ConvLSTM2D, ConvLSTM3D.

An LSTM whose gate products are convolutions: the input is a sequence of images
``(time, *spatial, channels)`` (``(time, channels, *spatial)`` with channels_first), the
states ``state_h``/``state_c`` are images of ``filters`` channels. The input convolution
has the layer's window, strides, padding and dilation, so the output's spatial sizes are
a convolution's (geometry.py); the recurrent convolution runs on the state with stride 1
and ``"same"`` padding, so it keeps them (Keras's conv_lstm.py).

Parameters: a kernel ``window × channels × 4·filters``, a recurrent kernel
``window × filters × 4·filters`` and a bias ``4·filters``.
MACs convention, as for LSTM: the gate convolutions only, per timestep
``output positions × 4 × filters × window × (channels + filters)``, times the number of
timesteps (unknown timesteps: unknown MACs); gate arithmetic and activations are not counted.
"""

from __future__ import annotations

import functools
from typing import Annotated, ClassVar, Optional

from pydantic import Field

from ..registry import ParamCount, Params, ShapeError, deferred_params
from .common import (ActivationName, DataFormat, IntPair, KerasObject, Padding, PositiveInt,
                     StrictInt, fmt_dim, macs_per_position, product)
from .convolutional import for_rank
from .geometry import (check_strides_and_dilation, conv_spatial, ints, join_channels,
                       known_channels, split_channels, window_text)
from .recurrent import Rate, _check_initial_state, _check_mask, _RNN

__all__ = ["ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"]


@functools.cache
def conv_lstm_params() -> type[Params]:
    """ConvLSTM2D's parameter model, created on first use (registry.deferred_params)."""
    class ConvLSTMParams(Params):
        """ConvLSTM2D's arguments (retyped per rank with ``for_rank``)."""

        filters: Annotated[PositiveInt, Field(description="channels of the output and of each state")]
        kernel_size: Annotated[IntPair, Field(description="window size per spatial axis (input "
                                              "and recurrent convolutions)")]
        strides: Annotated[IntPair, Field(description="step of the input convolution per axis")] = 1
        padding: Annotated[Padding, Field(description="'valid': no padding; 'same': output size "
                                          "= ceil(input / stride)")] = "valid"
        data_format: Annotated[DataFormat, Field(description="where the channel axis is, after "
                                                 "time (None: channels_last)")] = None
        dilation_rate: Annotated[IntPair, Field(description="gap between kernel taps per axis")] = 1
        activation: Annotated[ActivationName, Field(description="of the cell input and output")] = "tanh"
        recurrent_activation: Annotated[ActivationName, Field(description="of the gates")] = "sigmoid"
        use_bias: Annotated[bool, Field(description="one bias per filter and gate")] = True
        kernel_initializer: KerasObject = "glorot_uniform"
        recurrent_initializer: KerasObject = "orthogonal"
        bias_initializer: KerasObject = "zeros"
        unit_forget_bias: Annotated[bool, Field(description="start the forget gate's bias at 1")] = True
        kernel_regularizer: KerasObject = None
        recurrent_regularizer: KerasObject = None
        bias_regularizer: KerasObject = None
        activity_regularizer: KerasObject = None
        kernel_constraint: KerasObject = None
        recurrent_constraint: KerasObject = None
        bias_constraint: KerasObject = None
        dropout: Annotated[Rate, Field(description="input dropout rate (training)")] = 0.0
        recurrent_dropout: Annotated[Rate, Field(description="state dropout rate (training)")] = 0.0
        seed: Optional[StrictInt] = None
        return_sequences: Annotated[bool, Field(description="output every timestep, not the last")] = False
        return_state: Annotated[bool, Field(description="also output state_h and state_c")] = False
        go_backwards: Annotated[bool, Field(description="read the sequence in reverse")] = False
        stateful: bool = False
    return ConvLSTMParams


class BaseConvLSTM(_RNN):
    """A ConvLSTM over ``rank`` spatial axes: four gates, states ``state_h`` and ``state_c``."""

    rank: ClassVar[int]
    gates = 4
    states = ("state_h", "state_c")
    export_positional = ("filters", "kernel_size")

    @classmethod
    def _geometry(cls, p, shape) -> tuple[int, tuple]:
        """(input channels, the state's shape) for a (time, …) input shape."""
        cls._require_rank(shape)
        spatial, channels = split_channels(shape[1:], p.data_format)
        if None in spatial:  # the states' shape must be known before the first step
            raise ShapeError(f"{cls.type_name} needs known spatial sizes. Received: input "
                             f"shape (batch, {', '.join(map(fmt_dim, shape))}).",
                             hint="give the input fixed sizes except the time axis")
        channels = known_channels(cls.type_name, shape, channels)
        strides, dilation = ints(p.strides, cls.rank), ints(p.dilation_rate, cls.rank)
        check_strides_and_dilation(strides, dilation)
        out = conv_spatial(cls.type_name, spatial, ints(p.kernel_size, cls.rank), strides,
                           p.padding, dilation)
        return channels, join_channels(out, p.filters, p.data_format)

    @classmethod
    def _require_rank(cls, shape) -> None:
        if len(shape) != cls.rank + 2:
            axes = {1: "steps", 2: "rows, cols", 3: "depth, rows, cols"}[cls.rank]
            raise ShapeError(
                f"Input of {cls.type_name} has the wrong rank: expected a {cls.rank + 3}D input "
                f"(batch, time, {axes}, channels). Received: input shape "
                f"(batch, {', '.join(map(fmt_dim, shape))}).",
                hint="add a Reshape before it (or use the ConvLSTM of the input's rank)")

    @classmethod
    def output_shapes(cls, p, shapes, call_shapes):
        (shape,) = shapes
        _, state = cls._geometry(p, shape)
        _check_initial_state(cls.type_name, state, cls.states, call_shapes.get("initial_state"))
        _check_mask(cls.type_name, shape, call_shapes.get("mask"))
        output = (shape[0], *state) if p.return_sequences else state
        return [output] + ([state] * len(cls.states) if p.return_state else [])

    @classmethod
    def _taps(cls, p) -> int:
        return product(ints(p.kernel_size, cls.rank))

    @classmethod
    def count_params(cls, p, shapes):
        channels = split_channels(shapes[0][1:], p.data_format)[1]
        weights = cls.gates * cls._taps(p) * (channels + p.filters) * p.filters
        return ParamCount(weights + (cls.gates * p.filters if p.use_bias else 0))

    @classmethod
    def count_macs(cls, p, shapes, out):
        channels, state = cls._geometry(p, shapes[0])
        positions = split_channels(state, p.data_format)[0]
        per_step = macs_per_position(positions, cls.gates * p.filters * cls._taps(p)
                                     * (channels + p.filters))
        return macs_per_position([shapes[0][0]], per_step)

    @classmethod
    def window(cls, p, shapes, out):
        from ..receptive_field import NotDefined

        return NotDefined("a ConvLSTM's recurrent convolution widens its field at every timestep")

    @classmethod
    def describe(cls, p):
        flags = [f for f, on in (("seq", p.return_sequences), ("states", p.return_state),
                                 ("backwards", p.go_backwards)) if on]
        window = window_text(ints(p.kernel_size, cls.rank), ints(p.strides, cls.rank))
        return ", ".join([window, str(p.filters)] + flags)


class ConvLSTM1D(BaseConvLSTM):
    """1D convolutional LSTM over (time, steps, channels) inputs."""

    type_name, rank = "ConvLSTM1D", 1
    Params = deferred_params(lambda: for_rank(conv_lstm_params(), 1))


class ConvLSTM2D(BaseConvLSTM):
    """2D convolutional LSTM over (time, rows, cols, channels) inputs (video, radar frames)."""

    type_name, rank = "ConvLSTM2D", 2
    Params = deferred_params(conv_lstm_params)


class ConvLSTM3D(BaseConvLSTM):
    """3D convolutional LSTM over (time, depth, rows, cols, channels) inputs."""

    type_name, rank = "ConvLSTM3D", 3
    Params = deferred_params(lambda: for_rank(conv_lstm_params(), 3))
