"""Embedding, and NotEqual: the comparison Keras records where ``mask_zero`` makes a mask.

An Embedding with ``mask_zero=True`` gives a mask that Keras passes on implicitly; a
functional config records it as a ``NotEqual(tokens, 0)`` operation feeding the
``mask`` of the next recurrent or attention layer. A spec writes that as a NotEqual
layer and the consumer's ``"call": {"mask": "not_equal"}``.
"""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from ..registry import LayerType, ParamCount, Params
from .common import KerasObject, StrictInt

__all__ = ["Embedding", "NotEqual"]


class Embedding(LayerType):
    """Looks up a learned ``output_dim`` vector for each integer token in [0, input_dim)."""

    type_name = "Embedding"
    family = "embedding"
    export_positional = ("input_dim", "output_dim")

    class Params(Params):
        input_dim: Annotated[int, Field(strict=True, ge=1)]
        output_dim: Annotated[int, Field(strict=True, ge=1)]
        embeddings_initializer: KerasObject = "uniform"
        embeddings_regularizer: KerasObject = None
        embeddings_constraint: KerasObject = None
        mask_zero: bool = False

    @classmethod
    def output_shape(cls, p, shapes):
        return tuple(shapes[0]) + (p.output_dim,)

    @classmethod
    def count_params(cls, p, shapes):
        return ParamCount(p.input_dim * p.output_dim)

    @classmethod
    def describe(cls, p):
        return f"{p.input_dim}→{p.output_dim}" + (", mask 0" if p.mask_zero else "")


class NotEqual(LayerType):
    """Element-wise ``x != value`` (a boolean mask of the same shape as ``x``)."""

    type_name = "NotEqual"
    family = "other"
    op = True
    constant_args = ("value",)

    class Params(Params):
        value: Union[StrictInt, float] = 0

    @classmethod
    def describe(cls, p):
        return f"≠ {p.value:g}"

    @classmethod
    def to_keras(cls, p, name):
        import keras

        # An operation, as Keras records it (not a Lambda layer): the config stays code-free.
        return lambda x: keras.ops.not_equal(x, p.value)
