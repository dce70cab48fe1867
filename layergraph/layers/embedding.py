"""Embedding: learned vectors for integer tokens.

An Embedding with ``mask_zero=True`` gives a mask that Keras passes on implicitly; a
functional config records it as a ``NotEqual(tokens, 0)`` operation feeding the
``mask`` of the next recurrent layer. A spec writes that as an ``ops.not_equal`` layer
(layers/ops.py) and the consumer's ``"call": {"mask": "not_equal"}``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ..registry import LayerType, ParamCount, Params, deferred_params
from .common import KerasObject

__all__ = ["Embedding"]


class Embedding(LayerType):
    """Looks up a learned ``output_dim`` vector for each integer token in [0, input_dim)."""

    type_name = "Embedding"
    family = "embedding"
    export_positional = ("input_dim", "output_dim")

    @deferred_params
    def Params():
        class EmbeddingParams(Params):
            input_dim: Annotated[int, Field(strict=True, ge=1)]
            output_dim: Annotated[int, Field(strict=True, ge=1)]
            embeddings_initializer: KerasObject = "uniform"
            embeddings_regularizer: KerasObject = None
            embeddings_constraint: KerasObject = None
            mask_zero: bool = False
        return EmbeddingParams

    @classmethod
    def output_shape(cls, p, shapes):
        return tuple(shapes[0]) + (p.output_dim,)

    @classmethod
    def count_params(cls, p, shapes):
        return ParamCount(p.input_dim * p.output_dim)

    @classmethod
    def describe(cls, p):
        return f"{p.input_dim}→{p.output_dim}" + (", mask 0" if p.mask_zero else "")
