"""Normalization layers: BatchNormalization, LayerNormalization, GroupNormalization,
UnitNormalization."""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from ..registry import LayerType, ParamCount, Params, ShapeError, deferred_params
from .common import KerasObject, StrictInt, fmt_shape

__all__ = ["BatchNormalization", "LayerNormalization", "GroupNormalization", "UnitNormalization"]


def normalize_axis(axis: int, rank: int, type_name: str) -> int:
    """Index into a batch-less shape for a Keras axis (which counts the batch axis)."""
    full_rank = rank + 1
    if not -full_rank <= axis < full_rank or axis % full_rank == 0:
        raise ShapeError(
            f"Invalid `axis` for {type_name}: expected an axis of the input other than the batch "
            f"axis, between 1 and {rank} (or -{rank} and -1). Received: axis={axis}.")
    return axis % full_rank - 1


class BatchNormalization(LayerType):
    """Normalizes activations over the batch; 4 weights per channel (2 trainable)."""

    type_name = "BatchNormalization"
    short_name = "BN"
    family = "normalization"

    @deferred_params
    def Params():
        class BatchNormalizationParams(Params):
            axis: Annotated[StrictInt, Field(
                description="the feature (channel) axis; one statistic per entry along it")] = -1
            momentum: Annotated[float, Field(
                description="how slowly the moving mean and variance follow each batch", ge=0, le=1)] = 0.99
            epsilon: Annotated[float, Field(
                description="added to the variance before dividing, for stability", gt=0)] = 0.001
            center: Annotated[bool, Field(description="learn an offset (beta) per feature")] = True
            scale: Annotated[bool, Field(description="learn a multiplier (gamma) per feature")] = True
            beta_initializer: KerasObject = "zeros"
            gamma_initializer: KerasObject = "ones"
            moving_mean_initializer: KerasObject = "zeros"
            moving_variance_initializer: KerasObject = "ones"
            beta_regularizer: KerasObject = None
            gamma_regularizer: KerasObject = None
            beta_constraint: KerasObject = None
            gamma_constraint: KerasObject = None
        return BatchNormalizationParams

    @classmethod
    def output_shape(cls, p, shapes):
        axis = normalize_axis(p.axis, len(shapes[0]), cls.type_name)
        if shapes[0][axis] is None:
            raise ShapeError("The normalized axis of BatchNormalization must have a known size.")
        return shapes[0]

    @classmethod
    def count_params(cls, p, shapes):
        channels = shapes[0][normalize_axis(p.axis, len(shapes[0]), cls.type_name)]
        return ParamCount(channels * (int(p.center) + int(p.scale)), 2 * channels)


class LayerNormalization(LayerType):
    """Normalizes each sample over `axis`; a scale and an offset per normalized element."""

    type_name = "LayerNormalization"
    short_name = "LayerNorm"
    family = "normalization"

    @deferred_params
    def Params():
        class LayerNormalizationParams(Params):
            axis: Annotated[Union[StrictInt, list[StrictInt]], Field(
                description="the axis or axes normalized over, per sample")] = -1
            epsilon: Annotated[float, Field(
                description="added to the variance before dividing, for stability", gt=0)] = 0.001
            center: Annotated[bool, Field(description="learn an offset (beta) per normalized element")] = True
            scale: Annotated[bool, Field(description="learn a multiplier (gamma) per normalized element")] = True
            beta_initializer: KerasObject = "zeros"
            gamma_initializer: KerasObject = "ones"
            beta_regularizer: KerasObject = None
            gamma_regularizer: KerasObject = None
            beta_constraint: KerasObject = None
            gamma_constraint: KerasObject = None
        return LayerNormalizationParams

    @classmethod
    def _normalized_sizes(cls, p, shape) -> list[int]:
        axes = p.axis if isinstance(p.axis, list) else [p.axis]
        sizes = [shape[normalize_axis(a, len(shape), cls.type_name)] for a in axes]
        if None in sizes:
            raise ShapeError(
                "The normalized axes of LayerNormalization must have known sizes. "
                f"Received: input shape {fmt_shape(shape)}, axis={p.axis}.")
        return sizes

    @classmethod
    def output_shape(cls, p, shapes):
        cls._normalized_sizes(p, shapes[0])
        return shapes[0]

    @classmethod
    def count_params(cls, p, shapes):
        size = 1
        for d in cls._normalized_sizes(p, shapes[0]):
            size *= d
        return ParamCount(size * (int(p.center) + int(p.scale)))


class GroupNormalization(LayerType):
    """Normalizes channels in `groups` groups per sample; a scale and an offset per channel."""

    type_name = "GroupNormalization"
    family = "normalization"
    short_name = "GroupNorm"

    @deferred_params
    def Params():
        class GroupNormalizationParams(Params):
            groups: Annotated[int, Field(strict=True, ge=-1, description="number of channel groups "
                                         "(-1: one per channel, instance normalization)")] = 32
            axis: Annotated[StrictInt, Field(description="the channel axis")] = -1
            epsilon: Annotated[float, Field(gt=0)] = 0.001
            center: Annotated[bool, Field(description="learn an offset per channel")] = True
            scale: Annotated[bool, Field(description="learn a scale per channel")] = True
            beta_initializer: KerasObject = "zeros"
            gamma_initializer: KerasObject = "ones"
            beta_regularizer: KerasObject = None
            gamma_regularizer: KerasObject = None
            beta_constraint: KerasObject = None
            gamma_constraint: KerasObject = None
        return GroupNormalizationParams

    @classmethod
    def _channels(cls, p, shape) -> int:
        channels = shape[normalize_axis(p.axis, len(shape), cls.type_name)]
        if channels is None:
            raise ShapeError(f"Axis {p.axis} of a GroupNormalization input must have a known size. "
                             f"Received: input shape {fmt_shape(shape)}.")
        groups = channels if p.groups == -1 else p.groups
        if groups == 0 or channels < groups or channels % groups:
            raise ShapeError(
                f"The number of groups ({p.groups}) must divide the number of channels "
                f"({channels}).", hint="choose groups among the divisors of the channel count")
        return channels

    @classmethod
    def output_shape(cls, p, shapes):
        cls._channels(p, shapes[0])
        return shapes[0]

    @classmethod
    def count_params(cls, p, shapes):
        return ParamCount(cls._channels(p, shapes[0]) * (int(p.center) + int(p.scale)))

    @classmethod
    def describe(cls, p):
        return f"{p.groups} groups"


class UnitNormalization(LayerType):
    """Scales each sample to unit L2 norm along `axis`."""

    type_name = "UnitNormalization"
    family = "normalization"
    short_name = "UnitNorm"

    @deferred_params
    def Params():
        class UnitNormalizationParams(Params):
            axis: Annotated[Union[StrictInt, list[StrictInt]], Field(
                description="axis (or axes) of the norm, counting the batch axis as 0")] = -1
        return UnitNormalizationParams

    @classmethod
    def output_shape(cls, p, shapes):
        for axis in p.axis if isinstance(p.axis, list) else [p.axis]:
            normalize_axis(axis, len(shapes[0]), cls.type_name)
        return shapes[0]
