"""Activation layers with parameters: LeakyReLU, PReLU, ELU, Softmax.

(Activation and ReLU live in core.py. Keras 3 has no ThresholdedReLU layer; use
``ReLU(threshold=...)``.)
"""

from __future__ import annotations

from typing import Annotated, Optional, Union

from pydantic import Field

from ..registry import LayerType, ParamCount, Params, ShapeError, deferred_params
from .common import KerasObject, PositiveInt, StrictInt, fmt_shape
from .normalization import normalize_axis

__all__ = ["LeakyReLU", "PReLU", "ELU", "Softmax"]


class LeakyReLU(LayerType):
    """ReLU with a small slope for negative inputs."""

    type_name = "LeakyReLU"
    family = "activation"

    @deferred_params
    def Params():
        class LeakyReLUParams(Params):
            negative_slope: Annotated[float, Field(ge=0, description="slope below zero")] = 0.3
        return LeakyReLUParams

    @classmethod
    def describe(cls, p):
        return f"{p.negative_slope:g}"


class PReLU(LayerType):
    """ReLU whose negative slope is learned, per element (or shared along `shared_axes`)."""

    type_name = "PReLU"
    family = "activation"

    @deferred_params
    def Params():
        class PReLUParams(Params):
            alpha_initializer: KerasObject = "zeros"
            alpha_regularizer: KerasObject = None
            alpha_constraint: KerasObject = None
            shared_axes: Annotated[Optional[list[PositiveInt]], Field(
                description="axes (from 1) sharing one slope, e.g. [1, 2] for one per channel")] = None
        return PReLUParams

    @classmethod
    def _alpha_shape(cls, p, shape) -> list:
        alpha = list(shape)
        for axis in p.shared_axes or []:
            if axis > len(shape):
                raise ShapeError(f"`shared_axes` of PReLU names axis {axis}, but the input has "
                                 f"{len(shape)} axes (batch excluded). Received: input shape "
                                 f"{fmt_shape(shape)}.")
            alpha[axis - 1] = 1
        if None in alpha:
            raise ShapeError("PReLU learns a slope per element, so the input's axes must have known "
                             f"sizes (or be listed in `shared_axes`). Received: {fmt_shape(shape)}.",
                             hint="list the variable axes in shared_axes")
        return alpha

    @classmethod
    def output_shape(cls, p, shapes):
        cls._alpha_shape(p, shapes[0])
        return shapes[0]

    @classmethod
    def count_params(cls, p, shapes):
        size = 1
        for d in cls._alpha_shape(p, shapes[0]):
            size *= d
        return ParamCount(size)


class ELU(LayerType):
    """Exponential linear unit: `alpha * (exp(x) - 1)` below zero."""

    type_name = "ELU"
    family = "activation"

    @deferred_params
    def Params():
        class ELUParams(Params):
            alpha: Annotated[float, Field(description="scale of the negative part")] = 1.0
        return ELUParams


class Softmax(LayerType):
    """Normalises `axis` into probabilities that sum to 1."""

    type_name = "Softmax"
    family = "activation"

    @deferred_params
    def Params():
        class SoftmaxParams(Params):
            axis: Annotated[Union[StrictInt, list[StrictInt]], Field(
                description="axis (or axes) normalised, counting the batch axis as 0")] = -1
        return SoftmaxParams

    @classmethod
    def output_shape(cls, p, shapes):
        for axis in p.axis if isinstance(p.axis, list) else [p.axis]:
            normalize_axis(axis, len(shapes[0]), cls.type_name)
        return shapes[0]

    @classmethod
    def describe(cls, p):
        return f"axis {p.axis}" if p.axis != -1 else ""
