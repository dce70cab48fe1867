"""Merge layers: Add, Multiply, Subtract, Average, Maximum, Minimum, Concatenate, Dot."""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from ..registry import LayerType, Params, ShapeError, deferred_params
from .common import StrictInt, fmt_shape
from .normalization import normalize_axis

__all__ = ["Add", "Multiply", "Subtract", "Average", "Maximum", "Minimum", "Concatenate", "Dot"]


def broadcast_shapes(type_name: str, shapes) -> tuple:
    """Keras's element-wise merge rule: axes aligned from the right, each pair equal,
    or 1 (broadcast), or unknown; a lower-rank input is broadcast over the leading axes."""
    result = tuple(shapes[0])
    for shape in shapes[1:]:
        longer, shorter = (result, tuple(shape)) if len(result) >= len(shape) else (tuple(shape), result)
        tail = []
        for a, b in zip(longer[len(longer) - len(shorter):], shorter):
            if a is None or b is None:
                tail.append(None)
            elif a == 1 or b == 1 or a == b:
                tail.append(b if a == 1 else a)
            else:
                raise _mismatch(type_name, shapes, "inputs of the same shape (or of size 1 on an axis)")
        result = longer[:len(longer) - len(shorter)] + tuple(tail)
    return result


def _mismatch(type_name: str, shapes, expected: str) -> ShapeError:
    received = ", ".join(fmt_shape(s) for s in shapes)
    return ShapeError(
        f"Inputs of {type_name} have incompatible shapes: expected {expected}. "
        f"Received shapes {received}.",
        hint="make the branches agree (e.g. a 1×1 Conv2D or a pooling on the shortcut)",
        kind="mismatch")


class _ElementwiseMerge(LayerType):
    family = "merge"
    min_inputs = 2
    max_inputs = None

    @classmethod
    def output_shape(cls, p, shapes):
        return broadcast_shapes(cls.type_name, shapes)


class Add(_ElementwiseMerge):
    """Element-wise sum of its inputs (residual connections)."""

    type_name = "Add"
    merge_symbol = "+"


class Multiply(_ElementwiseMerge):
    """Element-wise product of its inputs (gates, squeeze-and-excitation)."""

    type_name = "Multiply"
    merge_symbol = "×"


class Subtract(_ElementwiseMerge):
    """Difference of exactly two inputs."""

    type_name = "Subtract"
    merge_symbol = "−"
    max_inputs = 2


class Average(_ElementwiseMerge):
    """Element-wise mean of its inputs."""

    type_name = "Average"
    merge_symbol = "avg"


class Maximum(_ElementwiseMerge):
    """Element-wise maximum of its inputs."""

    type_name = "Maximum"
    merge_symbol = "max"


class Minimum(_ElementwiseMerge):
    """Element-wise minimum of its inputs."""

    type_name = "Minimum"
    merge_symbol = "min"


class Concatenate(LayerType):
    """Joins its inputs along ``axis``; all other axes must match."""

    type_name = "Concatenate"
    short_name = "Concat"
    family = "merge"
    min_inputs = 2
    max_inputs = None

    @deferred_params
    def Params():
        class ConcatenateParams(Params):
            axis: Annotated[StrictInt, Field(description="the axis joined along (the others must agree)")] = -1
        return ConcatenateParams

    @classmethod
    def output_shape(cls, p, shapes):
        if len({len(s) for s in shapes}) > 1:
            raise _mismatch(cls.type_name, shapes, "inputs of the same rank")
        axis = normalize_axis(p.axis, len(shapes[0]), cls.type_name)
        result = list(shapes[0])
        for shape in shapes[1:]:
            for i, (a, b) in enumerate(zip(result, shape)):
                if i != axis and a is not None and b is not None and a != b:
                    raise _mismatch(cls.type_name, shapes,
                                    f"equal sizes on every axis except the concatenation axis {p.axis}")
        sizes = [s[axis] for s in shapes]
        result[axis] = None if None in sizes else sum(sizes)
        return tuple(result)

    @classmethod
    def describe(cls, p):
        return f"axis {p.axis}" if p.axis != -1 else ""


class Dot(LayerType):
    """Dot product of two inputs along `axes` (e.g. attention scores, cosine similarity)."""

    type_name = "Dot"
    family = "merge"
    merge_symbol = "·"
    min_inputs = max_inputs = 2
    export_positional = ("axes",)

    @deferred_params
    def Params():
        class DotParams(Params):
            axes: Annotated[Union[StrictInt, tuple[StrictInt, StrictInt]], Field(
                description="axis of each input summed over, counting the batch axis as 0")]
            normalize: Annotated[bool, Field(description="L2-normalise first (cosine similarity)")] = False
        return DotParams

    @classmethod
    def output_shape(cls, p, shapes):
        first, second = (list(s) for s in shapes)
        axes = (p.axes, p.axes) if isinstance(p.axes, int) else p.axes
        a = normalize_axis(axes[0], len(first), cls.type_name)
        b = normalize_axis(axes[1], len(second), cls.type_name)
        if first[a] is not None and second[b] is not None and first[a] != second[b]:
            raise _mismatch(cls.type_name, shapes, f"equal sizes on the dot axes {tuple(axes)}")
        del first[a], second[b]
        return tuple(first + second) or (1,)

    @classmethod
    def describe(cls, p):
        return f"axes {p.axes}"
