"""Pooling layers: Max/Average pooling and their global forms."""

from __future__ import annotations

from typing import Optional

from ..registry import LayerType, Params
from .common import DataFormat, IntPair, Padding, pair, require_rank, spatial_output, window_text

__all__ = ["MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D"]


class _Pooling2D(LayerType):
    family = "pooling"
    short = ""

    class Params(Params):
        pool_size: IntPair = 2
        strides: Optional[IntPair] = None
        padding: Padding = "valid"
        data_format: DataFormat = None

    @classmethod
    def _strides(cls, p) -> tuple[int, int]:
        return pair(p.strides if p.strides is not None else p.pool_size)

    @classmethod
    def output_shape(cls, p, shapes):
        (shape,) = shapes
        require_rank(cls.type_name, shape, 3, "a 4D input (batch, height, width, channels)")
        h, w = spatial_output(cls.type_name, shape[:2], pair(p.pool_size), cls._strides(p), p.padding)
        return (h, w, shape[2])

    @classmethod
    def describe(cls, p):
        return f"{window_text(pair(p.pool_size), cls._strides(p))} {cls.short}"

    @classmethod
    def keras_kwargs(cls, p):
        # Keras's AveragePooling2D has no default pool_size, so always pass it.
        return {"pool_size": p.pool_size, **super().keras_kwargs(p)}


class MaxPooling2D(_Pooling2D):
    """Max over each window."""

    type_name = "MaxPooling2D"
    short = "max"


class AveragePooling2D(_Pooling2D):
    """Mean over each window."""

    type_name = "AveragePooling2D"
    short = "avg"

    class Params(_Pooling2D.Params):
        # Unlike MaxPooling2D, Keras 3's AveragePooling2D has no default pool size.
        pool_size: IntPair


class _GlobalPooling2D(LayerType):
    family = "pooling"

    class Params(Params):
        data_format: DataFormat = None
        keepdims: bool = False

    @classmethod
    def output_shape(cls, p, shapes):
        (shape,) = shapes
        require_rank(cls.type_name, shape, 3, "a 4D input (batch, height, width, channels)")
        return (1, 1, shape[2]) if p.keepdims else (shape[2],)


class GlobalAveragePooling2D(_GlobalPooling2D):
    """Mean over all spatial positions."""

    type_name = "GlobalAveragePooling2D"


class GlobalMaxPooling2D(_GlobalPooling2D):
    """Max over all spatial positions."""

    type_name = "GlobalMaxPooling2D"
