"""Preprocessing layers that live inside models: Rescaling, Normalization.

EfficientNet and MobileNetV3 start with them, so importing those models needs them.
"""

from __future__ import annotations

from typing import Any, Optional, Union

from pydantic import field_validator

from ..registry import LayerType, ParamCount, Params, ShapeError
from .common import StrictInt, fmt_shape
from .normalization import normalize_axis

__all__ = ["Rescaling", "Normalization"]

# A number, or nested lists of numbers that broadcast against the input.
Numbers = Union[float, list[Any]]


def _check_numbers(value: Any) -> Any:
    """Accept a number or (nested) lists of numbers; reject anything else."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, bool) or not isinstance(item, (int, float)):
            raise ValueError(f"expected a number or nested lists of numbers, got {item!r}")
    return value


class Rescaling(LayerType):
    """Multiplies its input by `scale` and adds `offset` (e.g. 1/255 for pixel values)."""

    type_name = "Rescaling"
    export_positional = ("scale",)
    family = "other"

    class Params(Params):
        scale: Numbers
        offset: Numbers = 0.0

        _numbers = field_validator("scale", "offset")(_check_numbers)

    @classmethod
    def describe(cls, p):
        scale = f"×{p.scale:.4g}" if isinstance(p.scale, float) else "×[…]"
        offset = f" {p.offset:+.4g}" if isinstance(p.offset, float) and p.offset else ""
        return scale + offset


class Normalization(LayerType):
    """Subtracts a mean and divides by a standard deviation, per element of `axis`.

    Without `mean` and `variance` the statistics are weights (set by `adapt()`):
    a mean and a variance per kept element plus a sample count, none trainable.
    """

    type_name = "Normalization"
    family = "normalization"

    class Params(Params):
        axis: Union[StrictInt, list[StrictInt], None] = -1
        mean: Optional[Numbers] = None
        variance: Optional[Numbers] = None
        invert: bool = False

        _numbers = field_validator("mean", "variance")(
            lambda value: value if value is None else _check_numbers(value))

    @classmethod
    def _kept_sizes(cls, p, shape) -> list[int]:
        axes = [] if p.axis is None else (p.axis if isinstance(p.axis, list) else [p.axis])
        sizes = [shape[normalize_axis(a, len(shape), cls.type_name)] for a in axes]
        if None in sizes:
            raise ShapeError(
                "The axes that Normalization keeps must have known sizes. "
                f"Received: input shape {fmt_shape(shape)}, axis={p.axis}.")
        return sizes

    @classmethod
    def output_shape(cls, p, shapes):
        if (p.mean is None) != (p.variance is None):
            raise ShapeError(
                "When setting values directly, both `mean` and `variance` must be set. "
                f"Received: mean={p.mean} and variance={p.variance}.")
        cls._kept_sizes(p, shapes[0])
        return shapes[0]

    @classmethod
    def count_params(cls, p, shapes):
        if p.mean is not None:
            return ParamCount(0)  # constants, not weights
        size = 1
        for d in cls._kept_sizes(p, shapes[0]):
            size *= d
        return ParamCount(0, 2 * size + 1)

    @classmethod
    def describe(cls, p):
        return "invert" if p.invert else ""
