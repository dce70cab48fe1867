"""Reshaping layers: Flatten, Reshape, ZeroPadding2D, Cropping2D."""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from ..registry import LayerType, Params, ShapeError
from .common import DataFormat, NonNegativeInt, NonNegativePair, fmt_shape, product, require_rank

__all__ = ["Flatten", "Reshape", "ZeroPadding2D", "Cropping2D"]


class Flatten(LayerType):
    """Flattens each sample into one axis."""

    type_name = "Flatten"
    family = "reshape"

    class Params(Params):
        data_format: DataFormat = None

    @classmethod
    def output_shape(cls, p, shapes):
        return (product(shapes[0]),)


class Reshape(LayerType):
    """Reshapes each sample to ``target_shape`` (one axis may be -1)."""

    type_name = "Reshape"
    export_positional = ("target_shape",)
    family = "reshape"

    class Params(Params):
        target_shape: Annotated[list[Annotated[int, Field(strict=True, ge=-1)]],
                                Field(min_length=1, max_length=8)]

    @classmethod
    def output_shape(cls, p, shapes):
        target = list(p.target_shape)
        if 0 in target or target.count(-1) > 1:
            raise ShapeError(
                "`target_shape` may hold at most one -1 and no 0. "
                f"Received: target_shape={tuple(target)}.")
        size = product(shapes[0])
        known = product([d for d in target if d != -1])
        if -1 in target:
            if size is not None and size % known:
                raise _mismatch(shapes[0], target)
            target[target.index(-1)] = None if size is None else size // known
        elif size is not None and size != known:
            raise _mismatch(shapes[0], target)
        return tuple(target)

    @classmethod
    def describe(cls, p):
        return "→ " + "×".join(map(str, p.target_shape))


def _mismatch(shape, target) -> ShapeError:
    return ShapeError(
        "The total size of the new shape must equal the input's. "
        f"Received: input shape {fmt_shape(shape)}, target_shape={tuple(target)}.",
        kind="mismatch")


PaddingSpec = Union[NonNegativePair, tuple[tuple[NonNegativeInt, NonNegativeInt],
                                           tuple[NonNegativeInt, NonNegativeInt]]]


def padding_pairs(padding) -> tuple[tuple[int, int], tuple[int, int]]:
    """((top, bottom), (left, right)) from Keras's int / pair / pair-of-pairs forms."""
    if isinstance(padding, int):
        return ((padding, padding), (padding, padding))
    if isinstance(padding[0], int):
        return ((padding[0], padding[0]), (padding[1], padding[1]))
    return (tuple(padding[0]), tuple(padding[1]))  # type: ignore[return-value]


class ZeroPadding2D(LayerType):
    """Adds rows and columns of zeros around each feature map."""

    type_name = "ZeroPadding2D"
    family = "reshape"

    class Params(Params):
        padding: PaddingSpec = (1, 1)
        data_format: DataFormat = None

    @classmethod
    def output_shape(cls, p, shapes):
        (shape,) = shapes
        require_rank(cls.type_name, shape, 3, "a 4D input (batch, height, width, channels)")
        (top, bottom), (left, right) = padding_pairs(p.padding)
        h, w, c = shape
        return (None if h is None else h + top + bottom,
                None if w is None else w + left + right, c)

    @classmethod
    def describe(cls, p):
        (top, bottom), (left, right) = padding_pairs(p.padding)
        return f"pad {top},{bottom},{left},{right}"


class Cropping2D(LayerType):
    """Removes rows and columns at the borders of each feature map."""

    type_name = "Cropping2D"
    family = "reshape"

    class Params(Params):
        cropping: PaddingSpec = ((0, 0), (0, 0))
        data_format: DataFormat = None

    @classmethod
    def output_shape(cls, p, shapes):
        (shape,) = shapes
        require_rank(cls.type_name, shape, 3, "a 4D input (batch, height, width, channels)")
        (top, bottom), (left, right) = padding_pairs(p.cropping)
        h, w, c = shape
        if (h is not None and top + bottom >= h) or (w is not None and left + right >= w):
            raise ShapeError(
                "Values in `cropping` must be smaller than the spatial size of the input. "
                f"Received: input shape {fmt_shape(shape)}, cropping=(({top}, {bottom}), "
                f"({left}, {right})).", hint="crop less or use a larger input", kind="non_positive")
        return (None if h is None else h - top - bottom,
                None if w is None else w - left - right, c)

    @classmethod
    def describe(cls, p):
        (top, bottom), (left, right) = padding_pairs(p.cropping)
        return f"crop {top},{bottom},{left},{right}"
