"""Pooling layers in 1-D, 2-D and 3-D: Max/Average pooling and their global forms."""

from __future__ import annotations

import functools
from typing import Annotated, ClassVar, Optional

from pydantic import Field, create_model

from ..registry import LayerType, Params, deferred_params
from .common import DataFormat, IntPair, Padding
from .geometry import (int_tuple, ints, join_channels, pool_spatial, require_spatial_rank,
                       split_channels, window_text)

__all__ = ["MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
           "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
           "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
           "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D"]


@functools.cache
def max_pooling_params() -> type[Params]:
    """MaxPooling2D's arguments; the other poolings retype them."""
    class PoolingParams(Params):
        pool_size: Annotated[IntPair, Field(description="window size per spatial axis")] = 2
        strides: Annotated[Optional[IntPair], Field(description="step per axis (None: the pool "
                                                    "size)")] = None
        padding: Annotated[Padding, Field(description="'valid' or 'same'")] = "valid"
        data_format: Annotated[DataFormat, Field(description="where the channel axis is")] = None
    return PoolingParams


def pooling_params(rank: int, *, required: bool = False) -> type[Params]:
    """The pooling parameters for ``rank`` axes; Keras's AveragePooling has no default size."""
    kind, base = int_tuple(rank), max_pooling_params()
    size = base.model_fields["pool_size"].description
    step = base.model_fields["strides"].description
    default = ... if required else 2
    return create_model(f"{'Average' if required else 'Max'}PoolingParams{rank}D", __base__=base,
                        pool_size=(kind, Field(default, description=size)),
                        strides=(Optional[kind], Field(None, description=step)))


class BasePooling(LayerType):
    """A pooling window over ``rank`` spatial axes; channels are kept."""

    rank: ClassVar[int]
    family = "pooling"
    kind: ClassVar[str] = ""

    @classmethod
    def _strides(cls, p) -> tuple[int, ...]:
        return ints(p.strides if p.strides is not None else p.pool_size, cls.rank)

    @classmethod
    def output_shape(cls, p, shapes):
        (shape,) = shapes
        require_spatial_rank(cls.type_name, shape, cls.rank)
        spatial, channels = split_channels(shape, p.data_format)
        out = pool_spatial(cls.type_name, spatial, ints(p.pool_size, cls.rank), cls._strides(p),
                           p.padding)
        return join_channels(out, channels, p.data_format)

    @classmethod
    def describe(cls, p):
        return f"{window_text(ints(p.pool_size, cls.rank), cls._strides(p))} {cls.kind}"

    @classmethod
    def keras_kwargs(cls, p):
        # Keras's AveragePooling has no default pool_size, so always pass it.
        return {"pool_size": p.pool_size, **super().keras_kwargs(p)}


class MaxPooling1D(BasePooling):
    """Max over each window of steps."""

    type_name, rank, kind, short_name = "MaxPooling1D", 1, "max", "MaxPool1D"
    Params = deferred_params(lambda: pooling_params(1))


class MaxPooling2D(BasePooling):
    """Max over each window."""

    type_name, rank, kind, short_name = "MaxPooling2D", 2, "max", "MaxPool"
    Params = deferred_params(max_pooling_params)


class MaxPooling3D(BasePooling):
    """Max over each window of a volume."""

    type_name, rank, kind, short_name = "MaxPooling3D", 3, "max", "MaxPool3D"
    Params = deferred_params(lambda: pooling_params(3))


class AveragePooling1D(BasePooling):
    """Mean over each window of steps."""

    type_name, rank, kind, short_name = "AveragePooling1D", 1, "avg", "AvgPool1D"
    Params = deferred_params(lambda: pooling_params(1, required=True))


class AveragePooling2D(BasePooling):
    """Mean over each window."""

    type_name, rank, kind, short_name = "AveragePooling2D", 2, "avg", "AvgPool"
    Params = deferred_params(lambda: pooling_params(2, required=True))


class AveragePooling3D(BasePooling):
    """Mean over each window of a volume."""

    type_name, rank, kind, short_name = "AveragePooling3D", 3, "avg", "AvgPool3D"
    Params = deferred_params(lambda: pooling_params(3, required=True))


@functools.cache
def global_pooling_params() -> type[Params]:
    """The arguments of every global pooling."""
    class GlobalPoolingParams(Params):
        data_format: Annotated[DataFormat, Field(description="where the channel axis is")] = None
        keepdims: Annotated[bool, Field(description="keep the spatial axes with size 1")] = False
    return GlobalPoolingParams


class BaseGlobalPooling(LayerType):
    """Pools over all ``rank`` spatial axes: one value per channel."""

    rank: ClassVar[int]
    family = "pooling"
    Params = deferred_params(global_pooling_params)

    @classmethod
    def output_shape(cls, p, shapes):
        (shape,) = shapes
        require_spatial_rank(cls.type_name, shape, cls.rank)
        _, channels = split_channels(shape, p.data_format)
        return join_channels((1,) * cls.rank, channels, p.data_format) if p.keepdims else (channels,)


class GlobalMaxPooling1D(BaseGlobalPooling):
    """Max over all steps."""

    type_name, rank, short_name = "GlobalMaxPooling1D", 1, "GlobalMaxPool1D"


class GlobalMaxPooling2D(BaseGlobalPooling):
    """Max over all spatial positions."""

    type_name, rank, short_name = "GlobalMaxPooling2D", 2, "GlobalMaxPool"


class GlobalMaxPooling3D(BaseGlobalPooling):
    """Max over all positions of a volume."""

    type_name, rank, short_name = "GlobalMaxPooling3D", 3, "GlobalMaxPool3D"


class GlobalAveragePooling1D(BaseGlobalPooling):
    """Mean over all steps."""

    type_name, rank, short_name = "GlobalAveragePooling1D", 1, "GlobalAvgPool1D"


class GlobalAveragePooling2D(BaseGlobalPooling):
    """Mean over all spatial positions."""

    type_name, rank, short_name = "GlobalAveragePooling2D", 2, "GlobalAvgPool"


class GlobalAveragePooling3D(BaseGlobalPooling):
    """Mean over all positions of a volume."""

    type_name, rank, short_name = "GlobalAveragePooling3D", 3, "GlobalAvgPool3D"
