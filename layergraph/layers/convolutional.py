"""Convolution layers in 1-D, 2-D and 3-D: plain, transposed, depthwise and separable.

One base class per kind with a ``rank`` (as Keras's base_conv.py); the classes Keras
exports are a few lines each. The window arithmetic lives in geometry.py.
"""

from __future__ import annotations

import functools
from typing import Annotated, ClassVar, Optional

from pydantic import Field, create_model

from ..registry import LayerType, ParamCount, Params, ShapeError, deferred_params
from .common import (ActivationName, DataFormat, IntPair, KerasObject, NonNegativePair, Padding,
                     macs_per_position, product)
from .geometry import (CausalPadding, check_strides_and_dilation, conv_spatial, conv_transpose_spatial,
                       int_tuple, ints, join_channels, known_channels, require_spatial_rank,
                       split_channels, window_text)

__all__ = ["Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
           "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D"]

PositiveInt = Annotated[int, Field(strict=True, ge=1)]
_WINDOW_FIELDS = ("kernel_size", "strides", "dilation_rate", "output_padding")


# -- parameter models, declared once per kind (written for 2-D, retyped per rank) ------
# Each is created when a type using it is first read (registry.deferred_params): a spec
# uses one or two of the ten convolution types.

@functools.cache
def conv_params() -> type[Params]:
    """Conv2D's arguments; the other ranks retype them with ``for_rank``."""
    class ConvParams(Params):
        filters: Annotated[PositiveInt, Field(description="number of output channels")]
        kernel_size: Annotated[IntPair, Field(description="window size per spatial axis")]
        strides: Annotated[IntPair, Field(description="step of the window per axis")] = 1
        padding: Annotated[Padding, Field(description="'valid': no padding; 'same': output size "
                                          "= ceil(input / stride)")] = "valid"
        data_format: Annotated[DataFormat, Field(description="where the channel axis is (None: "
                                                 "channels_last)")] = None
        dilation_rate: Annotated[IntPair, Field(description="gap between kernel taps per axis")] = 1
        groups: Annotated[PositiveInt, Field(description="channel groups convolved separately")] = 1
        activation: Annotated[ActivationName, Field(description="applied to the output")] = None
        use_bias: Annotated[bool, Field(description="add one bias per filter")] = True
        kernel_initializer: KerasObject = "glorot_uniform"
        bias_initializer: KerasObject = "zeros"
        kernel_regularizer: KerasObject = None
        bias_regularizer: KerasObject = None
        activity_regularizer: KerasObject = None
        kernel_constraint: KerasObject = None
        bias_constraint: KerasObject = None
    return ConvParams


@functools.cache
def conv_transpose_params() -> type[Params]:
    """Conv2DTranspose's arguments (retyped per rank)."""
    class ConvTransposeParams(Params):
        filters: Annotated[PositiveInt, Field(description="number of output channels")]
        kernel_size: Annotated[IntPair, Field(description="window size per spatial axis")]
        strides: Annotated[IntPair, Field(description="upsampling factor per axis")] = 1
        padding: Annotated[Padding, Field(description="'same': output = input × stride")] = "valid"
        output_padding: Annotated[Optional[NonNegativePair], Field(
            description="extra output rows per axis, less than the stride (None: inferred)")] = None
        data_format: Annotated[DataFormat, Field(description="where the channel axis is")] = None
        dilation_rate: Annotated[IntPair, Field(description="gap between kernel taps per axis")] = 1
        activation: Annotated[ActivationName, Field(description="applied to the output")] = None
        use_bias: Annotated[bool, Field(description="add one bias per filter")] = True
        kernel_initializer: KerasObject = "glorot_uniform"
        bias_initializer: KerasObject = "zeros"
        kernel_regularizer: KerasObject = None
        bias_regularizer: KerasObject = None
        activity_regularizer: KerasObject = None
        kernel_constraint: KerasObject = None
        bias_constraint: KerasObject = None
    return ConvTransposeParams


@functools.cache
def depthwise_params() -> type[Params]:
    """DepthwiseConv2D's arguments (retyped per rank)."""
    class DepthwiseParams(Params):
        kernel_size: Annotated[IntPair, Field(description="window size per spatial axis")]
        strides: Annotated[IntPair, Field(description="step of the window per axis")] = 1
        padding: Annotated[Padding, Field(description="'valid' or 'same'")] = "valid"
        depth_multiplier: Annotated[PositiveInt, Field(description="filters per input channel")] = 1
        data_format: Annotated[DataFormat, Field(description="where the channel axis is")] = None
        dilation_rate: Annotated[IntPair, Field(description="gap between kernel taps per axis")] = 1
        activation: Annotated[ActivationName, Field(description="applied to the output")] = None
        use_bias: Annotated[bool, Field(description="add one bias per output channel")] = True
        depthwise_initializer: KerasObject = "glorot_uniform"
        bias_initializer: KerasObject = "zeros"
        depthwise_regularizer: KerasObject = None
        bias_regularizer: KerasObject = None
        activity_regularizer: KerasObject = None
        depthwise_constraint: KerasObject = None
        bias_constraint: KerasObject = None
    return DepthwiseParams


@functools.cache
def separable_params() -> type[Params]:
    """SeparableConv2D's arguments (retyped per rank)."""
    class SeparableParams(Params):
        filters: Annotated[PositiveInt, Field(description="output channels of the pointwise step")]
        kernel_size: Annotated[IntPair, Field(description="window size per spatial axis")]
        strides: Annotated[IntPair, Field(description="step of the window per axis")] = 1
        padding: Annotated[Padding, Field(description="'valid' or 'same'")] = "valid"
        data_format: Annotated[DataFormat, Field(description="where the channel axis is")] = None
        dilation_rate: Annotated[IntPair, Field(description="gap between kernel taps per axis")] = 1
        depth_multiplier: Annotated[PositiveInt, Field(description="depthwise filters per input "
                                                       "channel")] = 1
        activation: Annotated[ActivationName, Field(description="applied to the output")] = None
        use_bias: Annotated[bool, Field(description="add one bias per filter")] = True
        depthwise_initializer: KerasObject = "glorot_uniform"
        pointwise_initializer: KerasObject = "glorot_uniform"
        bias_initializer: KerasObject = "zeros"
        depthwise_regularizer: KerasObject = None
        pointwise_regularizer: KerasObject = None
        bias_regularizer: KerasObject = None
        activity_regularizer: KerasObject = None
        depthwise_constraint: KerasObject = None
        pointwise_constraint: KerasObject = None
        bias_constraint: KerasObject = None
    return SeparableParams


def for_rank(base: type[Params], rank: int, *, causal: bool = False) -> type[Params]:
    """``base`` with its per-axis arguments typed for ``rank`` axes (the 2-D model itself
    for rank 2); ``causal`` adds Conv1D's causal padding."""
    if rank == 2 and not causal:
        return base
    overrides = {}
    for name in _WINDOW_FIELDS:
        info = base.model_fields.get(name)
        if info is None:
            continue
        kind = int_tuple(rank, 0 if name == "output_padding" else 1)
        annotation = Optional[kind] if name == "output_padding" else kind
        overrides[name] = (annotation, Field(info.default, description=info.description))
    if causal:
        info = base.model_fields["padding"]
        overrides["padding"] = (CausalPadding, Field(info.default, description=info.description
                                                     + "; 'causal': left padding (Conv1D)"))
    return create_model(f"{base.__name__}{rank}D", __base__=base, **overrides)


# -- the base classes ------------------------------------------------------------------

class BaseConv(LayerType):
    """A convolution over ``rank`` spatial axes plus a channel axis."""

    rank: ClassVar[int]
    family = "conv"
    export_positional = ("filters", "kernel_size")

    @classmethod
    def _geometry(cls, p, shapes):
        """(spatial input sizes, input channels, spatial output sizes)."""
        (shape,) = shapes
        require_spatial_rank(cls.type_name, shape, cls.rank)
        spatial, channels = split_channels(shape, p.data_format)
        strides, dilation = ints(p.strides, cls.rank), ints(p.dilation_rate, cls.rank)
        check_strides_and_dilation(strides, dilation)
        channels = known_channels(cls.type_name, shape, channels)
        out = conv_spatial(cls.type_name, spatial, ints(p.kernel_size, cls.rank), strides,
                           p.padding, dilation)
        return spatial, channels, out

    @classmethod
    def output_shape(cls, p, shapes):
        _, channels, out = cls._geometry(p, shapes)
        cls._check_channels(p, channels)
        return join_channels(out, cls._out_channels(p, channels), p.data_format)

    @classmethod
    def _check_channels(cls, p, channels: int) -> None:
        if p.filters % p.groups or channels % p.groups:
            raise ShapeError(
                "The number of input channels and of filters must both be divisible by `groups`. "
                f"Received: groups={p.groups}, input channels={channels}, filters={p.filters}.")

    @classmethod
    def _out_channels(cls, p, channels: int) -> int:
        return p.filters

    @classmethod
    def _channels_in(cls, p, shapes) -> int:
        return split_channels(shapes[0], p.data_format)[1]

    @classmethod
    def _taps(cls, p) -> int:
        return product(ints(p.kernel_size, cls.rank))

    @classmethod
    def count_params(cls, p, shapes):
        weights = cls._taps(p) * (cls._channels_in(p, shapes) // p.groups) * p.filters
        return ParamCount(weights + (p.filters if p.use_bias else 0))

    @classmethod
    def count_macs(cls, p, shapes, out):
        positions = split_channels(out, p.data_format)[0]
        return macs_per_position(positions, cls._taps(p) * (cls._channels_in(p, shapes) // p.groups)
                                 * p.filters)

    @classmethod
    def describe(cls, p):
        return f"{window_text(ints(p.kernel_size, cls.rank), ints(p.strides, cls.rank))}, {p.filters}"


class BaseConvTranspose(BaseConv):
    """A transposed convolution (learned upsampling) over ``rank`` spatial axes."""

    @classmethod
    def output_shape(cls, p, shapes):
        (shape,) = shapes
        require_spatial_rank(cls.type_name, shape, cls.rank)
        spatial, channels = split_channels(shape, p.data_format)
        known_channels(cls.type_name, shape, channels)
        strides, dilation = ints(p.strides, cls.rank), ints(p.dilation_rate, cls.rank)
        padding = None if p.output_padding is None else ints(p.output_padding, cls.rank)
        if padding is not None and any(o >= s for o, s in zip(padding, strides)):
            raise ShapeError(
                "`output_padding` must be strictly less than `strides` on every axis. "
                f"Received: output_padding={padding}, strides={strides}.",
                hint="use an output_padding below the stride, or leave it None")
        check_strides_and_dilation(strides, dilation)
        out = conv_transpose_spatial(cls.type_name, spatial, ints(p.kernel_size, cls.rank), strides,
                                     p.padding, padding, dilation)
        return join_channels(out, p.filters, p.data_format)

    @classmethod
    def count_params(cls, p, shapes):
        weights = cls._taps(p) * cls._channels_in(p, shapes) * p.filters
        return ParamCount(weights + (p.filters if p.use_bias else 0))

    @classmethod
    def count_macs(cls, p, shapes, out):
        # Each input position scatters its kernel into the output.
        positions = split_channels(shapes[0], p.data_format)[0]
        return macs_per_position(positions, cls._taps(p) * cls._channels_in(p, shapes) * p.filters)

    @classmethod
    def describe(cls, p):
        return "↑ " + super().describe(p)


class BaseDepthwiseConv(BaseConv):
    """Each input channel gets its own ``depth_multiplier`` filters."""

    export_positional = ("kernel_size",)

    @classmethod
    def _geometry(cls, p, shapes):
        (shape,) = shapes
        require_spatial_rank(cls.type_name, shape, cls.rank)
        spatial, channels = split_channels(shape, p.data_format)
        channels = known_channels(cls.type_name, shape, channels)
        out = conv_spatial(cls.type_name, spatial, ints(p.kernel_size, cls.rank),
                           ints(p.strides, cls.rank), p.padding, ints(p.dilation_rate, cls.rank))
        return spatial, channels, out

    @classmethod
    def _check_channels(cls, p, channels):
        return None

    @classmethod
    def _out_channels(cls, p, channels):
        return channels * p.depth_multiplier

    @classmethod
    def count_params(cls, p, shapes):
        channels = cls._channels_in(p, shapes) * p.depth_multiplier
        return ParamCount(cls._taps(p) * channels + (channels if p.use_bias else 0))

    @classmethod
    def count_macs(cls, p, shapes, out):
        positions = split_channels(out, p.data_format)[0]
        return macs_per_position(positions, cls._taps(p) * cls._channels_in(p, shapes) * p.depth_multiplier)

    @classmethod
    def describe(cls, p):
        multiplier = f", ×{p.depth_multiplier}" if p.depth_multiplier != 1 else ""
        return f"{window_text(ints(p.kernel_size, cls.rank), ints(p.strides, cls.rank))} dw{multiplier}"


class BaseSeparableConv(BaseDepthwiseConv):
    """A depthwise convolution followed by a pointwise (1×1) one to ``filters`` channels."""

    export_positional = ("filters", "kernel_size")

    @classmethod
    def _out_channels(cls, p, channels):
        return p.filters

    @classmethod
    def count_params(cls, p, shapes):
        depth = cls._channels_in(p, shapes) * p.depth_multiplier
        return ParamCount(cls._taps(p) * depth + depth * p.filters + (p.filters if p.use_bias else 0))

    @classmethod
    def count_macs(cls, p, shapes, out):
        positions = split_channels(out, p.data_format)[0]
        depth = cls._channels_in(p, shapes) * p.depth_multiplier
        return macs_per_position(positions, depth * (cls._taps(p) + p.filters))

    @classmethod
    def describe(cls, p):
        return f"{window_text(ints(p.kernel_size, cls.rank), ints(p.strides, cls.rank))} sep, {p.filters}"


# -- the Keras classes -----------------------------------------------------------------

class Conv1D(BaseConv):
    """1D convolution over (steps, channels) inputs; padding may be 'causal'."""

    type_name, rank = "Conv1D", 1
    Params = deferred_params(lambda: for_rank(conv_params(), 1, causal=True))


class Conv2D(BaseConv):
    """2D convolution over (height, width, channels) inputs."""

    type_name, rank = "Conv2D", 2
    Params = deferred_params(conv_params)


class Conv3D(BaseConv):
    """3D convolution over (depth, height, width, channels) inputs."""

    type_name, rank = "Conv3D", 3
    Params = deferred_params(lambda: for_rank(conv_params(), 3))


class Conv1DTranspose(BaseConvTranspose):
    """Transposed 1D convolution: learned upsampling of sequences."""

    short_name = "ConvT1D"
    type_name, rank = "Conv1DTranspose", 1
    Params = deferred_params(lambda: for_rank(conv_transpose_params(), 1))


class Conv2DTranspose(BaseConvTranspose):
    """Transposed 2D convolution: learned upsampling (decoders, U-Net, GAN generators)."""

    short_name = "ConvT"
    type_name, rank = "Conv2DTranspose", 2
    Params = deferred_params(conv_transpose_params)


class Conv3DTranspose(BaseConvTranspose):
    """Transposed 3D convolution: learned upsampling of volumes."""

    short_name = "ConvT3D"
    type_name, rank = "Conv3DTranspose", 3
    Params = deferred_params(lambda: for_rank(conv_transpose_params(), 3))


class DepthwiseConv1D(BaseDepthwiseConv):
    """Depthwise 1D convolution: each channel gets its own `depth_multiplier` filters."""

    short_name = "DWConv1D"
    type_name, rank = "DepthwiseConv1D", 1
    Params = deferred_params(lambda: for_rank(depthwise_params(), 1))


class DepthwiseConv2D(BaseDepthwiseConv):
    """Depthwise 2D convolution: each input channel gets its own `depth_multiplier` filters."""

    short_name = "DWConv"
    type_name, rank = "DepthwiseConv2D", 2
    Params = deferred_params(depthwise_params)


class SeparableConv1D(BaseSeparableConv):
    """Depthwise 1D convolution followed by a pointwise convolution to `filters` channels."""

    short_name = "SepConv1D"
    type_name, rank = "SeparableConv1D", 1
    Params = deferred_params(lambda: for_rank(separable_params(), 1))


class SeparableConv2D(BaseSeparableConv):
    """Depthwise convolution followed by a 1×1 (pointwise) convolution to `filters` channels."""

    short_name = "SepConv"
    type_name, rank = "SeparableConv2D", 2
    Params = deferred_params(separable_params)
