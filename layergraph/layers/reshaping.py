"""Reshaping layers: Flatten, Reshape, padding, cropping and upsampling in 1-D/2-D/3-D,
Permute, RepeatVector."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from ..registry import LayerType, Params, ShapeError, deferred_params
from .common import DataFormat, PositiveInt, fmt_shape, product, require_rank
from .geometry import (int_tuple, ints, join_channels, pad_pairs, pad_spec, require_spatial_rank,
                       split_channels)

__all__ = ["Flatten", "Reshape", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D",
           "Cropping2D", "Cropping3D", "UpSampling1D", "UpSampling2D", "UpSampling3D", "Permute",
           "RepeatVector"]


class Flatten(LayerType):
    """Flattens each sample into one axis (a scalar becomes one value)."""

    type_name = "Flatten"
    family = "reshape"

    @deferred_params
    def Params():
        class FlattenParams(Params):
            data_format: DataFormat = None
        return FlattenParams

    @classmethod
    def output_shape(cls, p, shapes):
        return (product(shapes[0]),)


class Reshape(LayerType):
    """Reshapes each sample to ``target_shape`` (one axis may be -1)."""

    type_name = "Reshape"
    export_positional = ("target_shape",)
    family = "reshape"

    @deferred_params
    def Params():
        class ReshapeParams(Params):
            target_shape: Annotated[list[Annotated[int, Field(strict=True, ge=-1)]],
                                    Field(min_length=1, max_length=8)]
        return ReshapeParams

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


class BasePadding(LayerType):
    """Adds zeros at the borders of each of ``rank`` spatial axes."""

    rank: ClassVar[int]
    family = "reshape"
    sign: ClassVar[int] = 1
    word: ClassVar[str] = "pad"

    @classmethod
    def _amounts(cls, p):
        return pad_pairs(p.padding, cls.rank)

    @classmethod
    def output_shape(cls, p, shapes):
        (shape,) = shapes
        require_spatial_rank(cls.type_name, shape, cls.rank)
        spatial, channels = split_channels(shape, getattr(p, "data_format", None))
        amounts = cls._amounts(p)
        out = [None if n is None else n + cls.sign * (a + b) for n, (a, b) in zip(spatial, amounts)]
        if any(o is not None and o <= 0 for o in out):
            raise ShapeError(
                "Values in `cropping` must be smaller than the spatial size of the input. "
                f"Received: input shape {fmt_shape(shape)}, cropping={amounts}.",
                hint="crop less or use a larger input", kind="non_positive")
        return join_channels(out, channels, getattr(p, "data_format", None))

    @classmethod
    def describe(cls, p):
        return f"{cls.word} " + ",".join(f"{a},{b}" for a, b in cls._amounts(p))


class BaseCropping(BasePadding):
    """Removes rows at the borders of each of ``rank`` spatial axes."""

    sign, word = -1, "crop"

    @classmethod
    def _amounts(cls, p):
        return pad_pairs(p.cropping, cls.rank)


_FORMAT = Annotated[DataFormat, Field(description="where the channel axis is")]


class ZeroPadding1D(BasePadding):
    """Adds zeros at the start and end of each sequence."""

    type_name, rank, short_name = "ZeroPadding1D", 1, "ZeroPad1D"

    @deferred_params
    def Params():
        class ZeroPadding1DParams(Params):
            padding: Annotated[pad_spec(1), Field(description="zeros before and after (int or pair)")] = 1
            data_format: _FORMAT = None
        return ZeroPadding1DParams


class ZeroPadding2D(BasePadding):
    """Adds rows and columns of zeros around each feature map."""

    type_name, rank, short_name = "ZeroPadding2D", 2, "ZeroPad"

    @deferred_params
    def Params():
        class ZeroPadding2DParams(Params):
            padding: Annotated[pad_spec(2), Field(description="int, (rows, cols) or ((top, bottom), "
                                                  "(left, right))")] = (1, 1)
            data_format: _FORMAT = None
        return ZeroPadding2DParams


class ZeroPadding3D(BasePadding):
    """Adds zeros around each volume."""

    type_name, rank, short_name = "ZeroPadding3D", 3, "ZeroPad3D"

    @deferred_params
    def Params():
        class ZeroPadding3DParams(Params):
            padding: Annotated[pad_spec(3), Field(description="int, one int per axis or one "
                                                  "(before, after) pair per axis")] = ((1, 1), (1, 1), (1, 1))
            data_format: _FORMAT = None
        return ZeroPadding3DParams


class Cropping1D(BaseCropping):
    """Removes steps at the start and end of each sequence."""

    type_name, rank = "Cropping1D", 1

    @deferred_params
    def Params():
        class Cropping1DParams(Params):
            cropping: Annotated[pad_spec(1), Field(description="steps cut before and after")] = (1, 1)
        return Cropping1DParams


class Cropping2D(BaseCropping):
    """Removes rows and columns at the borders of each feature map."""

    type_name, rank = "Cropping2D", 2

    @deferred_params
    def Params():
        class Cropping2DParams(Params):
            cropping: Annotated[pad_spec(2), Field(description="int, (rows, cols) or ((top, bottom), "
                                                   "(left, right))")] = ((0, 0), (0, 0))
            data_format: _FORMAT = None
        return Cropping2DParams


class Cropping3D(BaseCropping):
    """Removes slices at the borders of each volume."""

    type_name, rank = "Cropping3D", 3

    @deferred_params
    def Params():
        class Cropping3DParams(Params):
            cropping: Annotated[pad_spec(3), Field(description="int, one int per axis or one "
                                                   "(before, after) pair per axis")] = ((1, 1), (1, 1), (1, 1))
            data_format: _FORMAT = None
        return Cropping3DParams


class BaseUpSampling(LayerType):
    """Repeats each position ``size`` times along each of ``rank`` spatial axes."""

    rank: ClassVar[int]
    family = "reshape"

    @classmethod
    def output_shape(cls, p, shapes):
        (shape,) = shapes
        require_spatial_rank(cls.type_name, shape, cls.rank)
        data_format = getattr(p, "data_format", None)
        spatial, channels = split_channels(shape, data_format)
        out = [None if n is None else n * f for n, f in zip(spatial, ints(p.size, cls.rank))]
        return join_channels(out, channels, data_format)

    @classmethod
    def describe(cls, p):
        return "×" + "×".join(map(str, ints(p.size, cls.rank)))


class UpSampling1D(BaseUpSampling):
    """Repeats each step `size` times."""

    type_name, rank = "UpSampling1D", 1

    @deferred_params
    def Params():
        class UpSampling1DParams(Params):
            size: Annotated[PositiveInt, Field(description="repetitions of each step")] = 2
        return UpSampling1DParams


class UpSampling2D(BaseUpSampling):
    """Scales feature maps up by `size` (nearest neighbour or interpolation)."""

    type_name, rank = "UpSampling2D", 2

    @deferred_params
    def Params():
        class UpSampling2DParams(Params):
            size: Annotated[int_tuple(2), Field(description="factor per axis (rows, cols)")] = 2
            data_format: _FORMAT = None
            interpolation: Annotated[Literal["nearest", "bilinear", "bicubic", "lanczos3", "lanczos5"],
                                     Field(description="how new pixels are computed")] = "nearest"
        return UpSampling2DParams


class UpSampling3D(BaseUpSampling):
    """Repeats each position `size` times along each axis of a volume."""

    type_name, rank = "UpSampling3D", 3

    @deferred_params
    def Params():
        class UpSampling3DParams(Params):
            size: Annotated[int_tuple(3), Field(description="factor per axis")] = 2
            data_format: _FORMAT = None
        return UpSampling3DParams


class Permute(LayerType):
    """Reorders the axes of each sample (`dims` counts from 1, the batch axis is fixed)."""

    type_name = "Permute"
    family = "reshape"
    export_positional = ("dims",)

    @deferred_params
    def Params():
        class PermuteParams(Params):
            dims: Annotated[list[PositiveInt], Field(min_length=1, max_length=8,
                                                     description="new order of the axes, from 1")]
        return PermuteParams

    @classmethod
    def output_shape(cls, p, shapes):
        (shape,) = shapes
        if sorted(p.dims) != list(range(1, len(p.dims) + 1)):
            raise ShapeError(
                "Invalid permutation argument `dims` for Permute Layer. The set of indices in "
                f"`dims` must be consecutive and start from 1. Received dims={tuple(p.dims)}.")
        if len(shape) != len(p.dims):
            raise ShapeError(f"Permute with dims={tuple(p.dims)} needs an input of {len(p.dims)} "
                             f"axes (batch excluded). Received: input shape {fmt_shape(shape)}.",
                             kind="mismatch")
        return tuple(shape[d - 1] for d in p.dims)

    @classmethod
    def describe(cls, p):
        return "→ " + ",".join(map(str, p.dims))


class RepeatVector(LayerType):
    """Repeats a vector `n` times: (features,) → (n, features)."""

    type_name = "RepeatVector"
    family = "reshape"
    export_positional = ("n",)

    @deferred_params
    def Params():
        class RepeatVectorParams(Params):
            n: Annotated[PositiveInt, Field(description="number of repetitions")]
        return RepeatVectorParams

    @classmethod
    def output_shape(cls, p, shapes):
        (shape,) = shapes
        require_rank(cls.type_name, shape, 1, "a 2D input (batch, features)")
        return (p.n, shape[0])

    @classmethod
    def describe(cls, p):
        return f"×{p.n}"
