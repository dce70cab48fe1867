"""Convolution layers: Conv2D, DepthwiseConv2D, SeparableConv2D."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ..registry import LayerType, ParamCount, Params, ShapeError
from .common import (ActivationName, DataFormat, IntPair, KerasObject, Padding, macs_per_position, pair,
                     require_rank, spatial_output, window_text)

__all__ = ["Conv2D", "DepthwiseConv2D", "SeparableConv2D"]


class Conv2D(LayerType):
    """2D convolution over (height, width, channels) inputs."""

    type_name = "Conv2D"
    family = "conv"

    class Params(Params):
        filters: Annotated[int, Field(strict=True, ge=1)]
        kernel_size: IntPair
        strides: IntPair = 1
        padding: Padding = "valid"
        data_format: DataFormat = None
        dilation_rate: IntPair = 1
        groups: Annotated[int, Field(strict=True, ge=1)] = 1
        activation: ActivationName = None
        use_bias: bool = True
        kernel_initializer: KerasObject = "glorot_uniform"
        bias_initializer: KerasObject = "zeros"
        kernel_regularizer: KerasObject = None
        bias_regularizer: KerasObject = None
        activity_regularizer: KerasObject = None
        kernel_constraint: KerasObject = None
        bias_constraint: KerasObject = None

    @classmethod
    def output_shape(cls, p, shapes):
        (shape,) = shapes
        require_rank(cls.type_name, shape, 3, "a 4D input (batch, height, width, channels)")
        strides, dilation = pair(p.strides), pair(p.dilation_rate)
        if max(strides) > 1 and max(dilation) > 1:
            raise ShapeError(
                "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                f"Received: strides={strides} and dilation_rate={dilation}.",
                hint="use strides=1 with dilation, or dilation_rate=1 with strides")
        _check_groups(p, shape[-1])
        h, w = spatial_output(cls.type_name, shape[:2], pair(p.kernel_size), strides,
                              p.padding, dilation)
        return (h, w, p.filters)

    @classmethod
    def count_params(cls, p, shapes):
        kh, kw = pair(p.kernel_size)
        channels_in = shapes[0][-1]
        weights = kh * kw * (channels_in // p.groups) * p.filters
        return ParamCount(weights + (p.filters if p.use_bias else 0))

    @classmethod
    def count_macs(cls, p, shapes, out):
        kh, kw = pair(p.kernel_size)
        return macs_per_position(out[:2], kh * kw * (shapes[0][-1] // p.groups) * p.filters)

    @classmethod
    def describe(cls, p):
        return f"{window_text(pair(p.kernel_size), pair(p.strides))}, {p.filters}"


def _check_groups(p, channels_in: int | None) -> None:
    if channels_in is None:
        raise ShapeError("The channel axis of a Conv2D input must be known. Received: None.")
    if p.filters % p.groups or channels_in % p.groups:
        raise ShapeError(
            "The number of input channels and of filters must both be divisible by `groups`. "
            f"Received: groups={p.groups}, input channels={channels_in}, filters={p.filters}.")


class DepthwiseConv2D(LayerType):
    """Depthwise 2D convolution: each input channel gets its own `depth_multiplier` filters."""

    type_name = "DepthwiseConv2D"
    family = "conv"

    class Params(Params):
        kernel_size: IntPair
        strides: IntPair = 1
        padding: Padding = "valid"
        depth_multiplier: Annotated[int, Field(strict=True, ge=1)] = 1
        data_format: DataFormat = None
        dilation_rate: IntPair = 1
        activation: ActivationName = None
        use_bias: bool = True
        depthwise_initializer: KerasObject = "glorot_uniform"
        bias_initializer: KerasObject = "zeros"
        depthwise_regularizer: KerasObject = None
        bias_regularizer: KerasObject = None
        activity_regularizer: KerasObject = None
        depthwise_constraint: KerasObject = None
        bias_constraint: KerasObject = None

    @classmethod
    def output_shape(cls, p, shapes):
        h, w, channels = _depthwise_output(cls.type_name, p, shapes)
        return (h, w, channels * p.depth_multiplier)

    @classmethod
    def count_params(cls, p, shapes):
        kh, kw = pair(p.kernel_size)
        channels = shapes[0][-1] * p.depth_multiplier
        return ParamCount(kh * kw * channels + (channels if p.use_bias else 0))

    @classmethod
    def count_macs(cls, p, shapes, out):
        kh, kw = pair(p.kernel_size)
        return macs_per_position(out[:2], kh * kw * shapes[0][-1] * p.depth_multiplier)

    @classmethod
    def describe(cls, p):
        multiplier = f", ×{p.depth_multiplier}" if p.depth_multiplier != 1 else ""
        return f"{window_text(pair(p.kernel_size), pair(p.strides))} dw{multiplier}"


class SeparableConv2D(LayerType):
    """Depthwise convolution followed by a 1×1 (pointwise) convolution to `filters` channels."""

    type_name = "SeparableConv2D"
    family = "conv"

    class Params(Params):
        filters: Annotated[int, Field(strict=True, ge=1)]
        kernel_size: IntPair
        strides: IntPair = 1
        padding: Padding = "valid"
        data_format: DataFormat = None
        dilation_rate: IntPair = 1
        depth_multiplier: Annotated[int, Field(strict=True, ge=1)] = 1
        activation: ActivationName = None
        use_bias: bool = True
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

    @classmethod
    def output_shape(cls, p, shapes):
        h, w, _ = _depthwise_output(cls.type_name, p, shapes)
        return (h, w, p.filters)

    @classmethod
    def count_params(cls, p, shapes):
        kh, kw = pair(p.kernel_size)
        depth = shapes[0][-1] * p.depth_multiplier
        return ParamCount(kh * kw * depth + depth * p.filters + (p.filters if p.use_bias else 0))

    @classmethod
    def count_macs(cls, p, shapes, out):
        kh, kw = pair(p.kernel_size)
        depth = shapes[0][-1] * p.depth_multiplier
        return macs_per_position(out[:2], depth * (kh * kw + p.filters))

    @classmethod
    def describe(cls, p):
        return f"{window_text(pair(p.kernel_size), pair(p.strides))} sep, {p.filters}"


def _depthwise_output(type_name: str, p, shapes) -> tuple:
    """(height, width, input channels) after the depthwise step."""
    (shape,) = shapes
    require_rank(type_name, shape, 3, "a 4D input (batch, height, width, channels)")
    if shape[-1] is None:
        raise ShapeError(f"The channel axis of a {type_name} input must be known. Received: None.")
    h, w = spatial_output(type_name, shape[:2], pair(p.kernel_size), pair(p.strides),
                          p.padding, pair(p.dilation_rate))
    return h, w, shape[-1]
