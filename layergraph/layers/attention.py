"""Attention layers: MultiHeadAttention, Attention (dot-product), AdditiveAttention.

MultiHeadAttention is called as Keras calls it, ``(query, value)`` or
``(query, value, key)``: a spec lists them in that order in ``inputs`` (self-attention
lists the same layer twice). ``use_causal_mask`` is a parameter of the spec layer and
goes to the call. Attention and AdditiveAttention take ``[query, value]`` or
``[query, value, key]`` as Keras does.

MACs convention (default ``attention_axes``): the query/key/value/output projections
(as Dense layers) plus the score and weighted-sum products,
``Tq·Tv·heads·(key_dim + value_dim)``; softmax is not counted. Unknown when a
sequence length is unknown or ``attention_axes`` is set.
"""

from __future__ import annotations

from typing import Annotated, Literal, Optional, Union

from pydantic import Field

from ..registry import LayerType, ParamCount, Params, ShapeError, deferred_params
from .common import KerasObject, PositiveInt, StrictInt, fmt_shape, product

__all__ = ["MultiHeadAttention", "Attention", "AdditiveAttention"]

Rate = Annotated[float, Field(ge=0, le=1)]


def _last_known(type_name: str, role: str, shape) -> int:
    if len(shape) < 1 or shape[-1] is None:
        raise ShapeError(f"The {role} of {type_name} needs a known last axis. "
                         f"Received: {role} shape {fmt_shape(shape)}.")
    return shape[-1]


class MultiHeadAttention(LayerType):
    """Multi-head attention of ``query`` over ``value`` (and ``key``, default ``value``)."""

    type_name = "MultiHeadAttention"
    family = "attention"
    min_inputs, max_inputs = 2, 3
    positional_call = True
    positional_names = ("query", "value", "key")
    export_positional = ("num_heads", "key_dim")
    short_name = "MHA"
    call_arguments = ("query_mask", "value_mask", "key_mask", "attention_mask")
    call_options = ("use_causal_mask",)

    @deferred_params
    def Params():
        class MultiHeadAttentionParams(Params):
            num_heads: PositiveInt
            key_dim: PositiveInt
            value_dim: Optional[PositiveInt] = None
            dropout: Rate = 0.0
            use_bias: bool = True
            output_shape: Union[PositiveInt, list[PositiveInt], None] = None
            attention_axes: Union[StrictInt, list[StrictInt], None] = None
            kernel_initializer: KerasObject = "glorot_uniform"
            bias_initializer: KerasObject = "zeros"
            kernel_regularizer: KerasObject = None
            bias_regularizer: KerasObject = None
            activity_regularizer: KerasObject = None
            kernel_constraint: KerasObject = None
            bias_constraint: KerasObject = None
            seed: Optional[StrictInt] = None
            use_causal_mask: bool = False
        return MultiHeadAttentionParams

    @classmethod
    def _dims(cls, p, shapes):
        query, value = shapes[0], shapes[1]
        key = shapes[2] if len(shapes) > 2 else value
        dims = [_last_known(cls.type_name, role, s)
                for role, s in (("query", query), ("value", value), ("key", key))]
        if value[:-1] != key[:-1] and None not in value[:-1] + key[:-1]:
            raise ShapeError(
                "The key and value of MultiHeadAttention must have the same shape except the "
                f"last axis. Received: value shape {fmt_shape(value)}, key shape {fmt_shape(key)}.",
                kind="mismatch")
        return dims

    @classmethod
    def _out_dims(cls, p, query) -> tuple:
        if p.output_shape is None:
            return (query[-1],)
        return (p.output_shape,) if isinstance(p.output_shape, int) else tuple(p.output_shape)

    @classmethod
    def output_shape(cls, p, shapes):
        cls._dims(p, shapes)
        query = shapes[0]
        return tuple(query[:-1]) + cls._out_dims(p, query)

    @classmethod
    def count_params(cls, p, shapes):
        q, v, k = cls._dims(p, shapes)
        heads, kd, vd = p.num_heads, p.key_dim, p.value_dim or p.key_dim
        out = product(cls._out_dims(p, shapes[0]))
        bias = p.use_bias
        total = (q * heads * kd + (heads * kd if bias else 0)
                 + k * heads * kd + (heads * kd if bias else 0)
                 + v * heads * vd + (heads * vd if bias else 0)
                 + heads * vd * out + (out if bias else 0))
        return ParamCount(total)

    @classmethod
    def imported_params(cls, params, shapes):
        # A built layer's config records value_dim=key_dim and the default axes explicitly.
        params = dict(params)
        if params.get("value_dim") == params.get("key_dim"):
            params.pop("value_dim", None)
        axes = params.get("attention_axes")
        if axes is not None and shapes and shapes[0] is not None:
            axes = [axes] if isinstance(axes, int) else axes
            rank = len(shapes[0]) + 1
            if sorted(a % rank for a in axes) == list(range(1, rank - 1)):
                params.pop("attention_axes")
        return params

    @classmethod
    def _default_axes(cls, p, query) -> bool:
        """``attention_axes`` None, or the axes Keras uses for None (all but batch and last)."""
        if p.attention_axes is None:
            return True
        axes = [p.attention_axes] if isinstance(p.attention_axes, int) else p.attention_axes
        rank = len(query) + 1
        return sorted(a % rank for a in axes) == list(range(1, rank - 1))

    @classmethod
    def count_macs(cls, p, shapes, out_shape):
        if not cls._default_axes(p, shapes[0]):
            return None
        q, v, k = cls._dims(p, shapes)
        tq, tv = product(shapes[0][:-1]), product(shapes[1][:-1])
        if tq is None or tv is None:
            return None
        heads, kd, vd = p.num_heads, p.key_dim, p.value_dim or p.key_dim
        out = product(cls._out_dims(p, shapes[0]))
        projections = tq * q * heads * kd + tv * (k * heads * kd + v * heads * vd) + tq * heads * vd * out
        return projections + tq * tv * heads * (kd + vd)

    @classmethod
    def describe(cls, p):
        return f"{p.num_heads}×{p.key_dim}" + (", causal" if p.use_causal_mask else "")


class _ScoreAttention(LayerType):
    """Shared rules of Attention and AdditiveAttention: ``[query, value(, key)]``."""

    family = "attention"
    min_inputs, max_inputs = 2, 3
    call_arguments = ("mask",)
    call_options = ("use_causal_mask",)

    @classmethod
    def output_shape(cls, p, shapes):
        query, value = shapes[0], shapes[1]
        key = shapes[2] if len(shapes) > 2 else value
        q, v, k = (_last_known(cls.type_name, r, s)
                   for r, s in (("query", query), ("value", value), ("key", key)))
        # Additive scores, tanh(query + key), broadcast an axis of 1 as Keras's call does;
        # a dot product needs the two to be equal.
        broadcast = cls.additive_scores(p)
        if q != k and not (broadcast and 1 in (q, k)):
            raise ShapeError(f"The query and key of {cls.type_name} must have the same last axis"
                             f"{' (or one of them 1)' if broadcast else ''}. Received: query shape "
                             f"{fmt_shape(query)}, key shape {fmt_shape(key)}.", kind="mismatch")
        return tuple(query[:-1]) + (v,)

    @classmethod
    def additive_scores(cls, p) -> bool:
        """Whether the scores are tanh(query + key) (additive), not a dot product."""
        return True

    @classmethod
    def count_macs(cls, p, shapes, out):
        tq, tv = product(shapes[0][:-1]), product(shapes[1][:-1])
        return None if tq is None or tv is None else tq * tv * (shapes[0][-1] + shapes[1][-1])


class Attention(_ScoreAttention):
    """Dot-product (Luong) attention; ``use_scale`` learns one scalar scale."""

    type_name = "Attention"

    @deferred_params
    def Params():
        class AttentionParams(Params):
            use_scale: bool = False
            score_mode: Literal["dot", "concat"] = "dot"
            dropout: Rate = 0.0
            seed: Optional[StrictInt] = None
            use_causal_mask: bool = False
        return AttentionParams

    @classmethod
    def count_params(cls, p, shapes):
        return ParamCount(int(p.use_scale) + int(p.score_mode == "concat"))

    @classmethod
    def additive_scores(cls, p) -> bool:
        return p.score_mode == "concat"


class AdditiveAttention(_ScoreAttention):
    """Additive (Bahdanau) attention; ``use_scale`` learns one scale per feature."""

    type_name = "AdditiveAttention"

    @deferred_params
    def Params():
        class AdditiveAttentionParams(Params):
            use_scale: bool = True
            dropout: Rate = 0.0
            use_causal_mask: bool = False
        return AdditiveAttentionParams

    @classmethod
    def count_params(cls, p, shapes):
        return ParamCount(shapes[0][-1] if p.use_scale else 0)
