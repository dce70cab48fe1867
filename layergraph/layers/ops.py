"""keras.ops operations that Keras records in functional configs as graph nodes.

``x + 3.0``, ``x * y``, ``x / 6.0``, ``2.0 - x``, ``ops.relu(x)``, ``ops.mean(x, axis)``,
``ops.expand_dims(x, axis)`` and ``ops.not_equal(x, 0)`` (the mask of an Embedding
with ``mask_zero``) appear in a Keras 3 config as operations (module ``keras.src.ops…``)
rather than layers. A spec writes them as types named ``ops.add`` and so on; a binary
operation on a constant holds it as ``left`` (``2.0 - x``) or ``right`` (``x / 6.0``).
They have no weights and no MACs (element-wise arithmetic is not counted, as for Add).
Axes count the batch axis, as keras.ops does (``axis=[1, 2]`` are an image's height and
width).
"""

from __future__ import annotations

from typing import Annotated, Optional, Union

from pydantic import Field

from ..registry import LayerType, Params, ShapeError, deferred_params
from .common import StrictInt
from .merging import broadcast_shapes

__all__ = ["OpsAdd", "OpsSubtract", "OpsMultiply", "OpsDivide", "OpsRelu", "OpsMean",
           "OpsExpandDims", "OpsNotEqual"]

Number = Union[StrictInt, float]


def _keras_op(module: str, class_name: str, name: str, **kwargs):
    """One keras.ops operation object, named as the spec names it.

    keras.ops functions cannot be given a name; their classes (which Keras records in
    configs) can, so the compiled model keeps the spec's names.
    """
    import importlib

    return getattr(importlib.import_module(f"keras.src.ops.{module}"), class_name)(
        name=name, **kwargs)


class _Op(LayerType):
    family = "merge"
    op = True
    module = "numpy"  # keras.src.ops.<module> holds the operation class
    function = ""  # the keras.ops function an exported script calls

    @classmethod
    def to_keras(cls, p, name):
        return _keras_op(cls.module, cls.keras_op_name, name, **cls.op_kwargs(p))

    @classmethod
    def op_kwargs(cls, p) -> dict:
        return {}

    @classmethod
    def source(cls, p, args: list[str]) -> str:
        """The keras.ops call an exported script writes (``keras.ops.add(x, 3.0)``)."""
        keywords = [f"{k}={v!r}" for k, v in cls.op_kwargs(p).items()]
        return f"keras.ops.{cls.function}({', '.join(args + keywords)})"



class _Binary(_Op):
    """``x ∘ y`` of two tensors (broadcast), or of one tensor and a constant."""

    min_inputs, max_inputs = 1, 2
    positional_call = True
    constant_args = ("left", "right")  # a constant at argument 0 / 1 of the Keras call
    symbol = "?"

    @deferred_params
    def Params():
        class _BinaryParams(Params):
            left: Annotated[Optional[Number], Field(
                description="a constant first argument: left ∘ x (the input is the second)")] = None
            right: Annotated[Optional[Number], Field(description="a constant second argument: x ∘ right")] = None
        return _BinaryParams

    @classmethod
    def output_shape(cls, p, shapes):
        constants = (p.left is not None) + (p.right is not None)
        if len(shapes) + constants != 2:
            raise ShapeError(
                f"{cls.type_name} takes two operands: expected two inputs, or one input and a "
                f"`left` or `right` constant. Received: {len(shapes)} input(s) and {constants} "
                "constant(s).", hint="e.g. {\"type\": \"ops.add\", \"right\": 3.0} for x + 3.0")
        return broadcast_shapes(cls.type_name, shapes)

    @classmethod
    def to_keras(cls, p, name):
        op = _keras_op(cls.module, cls.keras_op_name, name)
        if p.left is not None:
            return lambda x: op(p.left, x)
        if p.right is not None:
            return lambda x: op(x, p.right)
        return op

    @classmethod
    def source(cls, p, args):
        operands = ([repr(p.left)] if p.left is not None else []) + args + (
            [repr(p.right)] if p.right is not None else [])
        return f"keras.ops.{cls.function}({', '.join(operands)})"

    @classmethod
    def describe(cls, p):
        if p.left is not None:
            return f"{p.left:g} {cls.symbol} x"
        return f"x {cls.symbol} {p.right:g}" if p.right is not None else f"x {cls.symbol} y"


class OpsAdd(_Binary):
    """``x + y`` or ``x + c`` (e.g. MobileNetV3's hard sigmoid ``relu6(x + 3) / 6``)."""

    type_name = "ops.add"
    keras_op_name = "Add"
    function = "add"
    symbol = "+"
    merge_symbol = "+"


class OpsSubtract(_Binary):
    """``x - y``, ``x - c`` or ``c - x``."""

    type_name = "ops.subtract"
    keras_op_name = "Subtract"
    function = "subtract"
    symbol = "−"


class OpsMultiply(_Binary):
    """``x * y`` or ``x * c``."""

    type_name = "ops.multiply"
    keras_op_name = "Multiply"
    function = "multiply"
    symbol = "×"
    merge_symbol = "×"


class OpsDivide(_Binary):
    """``x / y``, ``x / c`` or ``c / x`` (Keras's TrueDivide)."""

    type_name = "ops.divide"
    keras_op_name = "TrueDivide"
    function = "true_divide"
    symbol = "/"


class OpsRelu(_Op):
    """``ops.relu(x)``."""

    type_name = "ops.relu"
    keras_op_name = "Relu"
    function = "relu"
    family = "activation"
    module = "nn"


def _axis(type_name: str, axis: int, rank: int, extra: int = 0) -> int:
    """A keras.ops axis (batch axis counted) as an index into a batch-less shape."""
    full = rank + 1 + extra
    if not -full <= axis < full:
        raise ShapeError(f"axis {axis} is out of range for {type_name} on a tensor of rank {full - extra}.")
    index = axis % full
    if index == 0:
        raise ShapeError(f"{type_name} over the batch axis (axis {axis}) is not supported: a spec "
                         "describes one sample.", hint="use an axis of 1 or more")
    return index - 1


class OpsMean(_Op):
    """``ops.mean(x, axis, keepdims)``: the mean over axes (None: over every sample axis)."""

    type_name = "ops.mean"
    keras_op_name = "Mean"
    function = "mean"
    family = "pooling"

    @deferred_params
    def Params():
        class OpsMeanParams(Params):
            axis: Annotated[Union[StrictInt, list[StrictInt], None], Field(
                description="the axis or axes averaged over (None: all but the batch axis)")] = None
            keepdims: bool = False
        return OpsMeanParams

    @classmethod
    def _axes(cls, p, shape) -> set[int]:
        if p.axis is None:
            return set(range(len(shape)))
        axes = [p.axis] if isinstance(p.axis, int) else p.axis
        return {_axis(cls.type_name, a, len(shape)) for a in axes}

    @classmethod
    def output_shape(cls, p, shapes):
        (shape,) = shapes
        axes = cls._axes(p, shape)
        if p.keepdims:
            return tuple(1 if i in axes else d for i, d in enumerate(shape))
        return tuple(d for i, d in enumerate(shape) if i not in axes)

    @classmethod
    def op_kwargs(cls, p):
        return {"axis": p.axis, "keepdims": p.keepdims}

    @classmethod
    def describe(cls, p):
        return f"axis {p.axis}" if p.axis is not None else "all"


class OpsExpandDims(_Op):
    """``ops.expand_dims(x, axis)``: a new axis of size 1."""

    type_name = "ops.expand_dims"
    keras_op_name = "ExpandDims"
    function = "expand_dims"
    family = "reshape"

    @deferred_params
    def Params():
        class OpsExpandDimsParams(Params):
            axis: Annotated[StrictInt, Field(description="where the new axis of size 1 goes")]
        return OpsExpandDimsParams

    @classmethod
    def output_shape(cls, p, shapes):
        (shape,) = shapes
        index = _axis(cls.type_name, p.axis, len(shape), extra=1)
        return tuple(shape[:index]) + (1,) + tuple(shape[index:])

    @classmethod
    def op_kwargs(cls, p):
        return {"axis": p.axis}


class OpsNotEqual(_Op):
    """``ops.not_equal(x, value)``: a boolean mask (an Embedding's ``mask_zero`` mask)."""

    type_name = "ops.not_equal"
    keras_op_name = "NotEqual"
    function = "not_equal"
    family = "other"
    constant_args = ("x", "value")

    @deferred_params
    def Params():
        class OpsNotEqualParams(Params):
            value: Annotated[Number, Field(description="the constant each element is compared with")] = 0
        return OpsNotEqualParams

    @classmethod
    def to_keras(cls, p, name):
        op = _keras_op(cls.module, cls.keras_op_name, name)
        return lambda x: op(x, p.value)

    @classmethod
    def source(cls, p, args):
        return f"keras.ops.not_equal({args[0]}, {p.value!r})"

    @classmethod
    def describe(cls, p):
        return f"≠ {p.value:g}"
