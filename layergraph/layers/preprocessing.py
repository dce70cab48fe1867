"""Preprocessing layers that live inside models: Rescaling, Normalization, Resizing,
CenterCrop and the image augmentation layers.

EfficientNet and MobileNetV3 start with Rescaling/Normalization. The augmentation
layers are random only in training; analysis uses their shape rules alone.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any, ClassVar, Literal, Optional, Union

from pydantic import Field, field_validator

from ..registry import LayerType, ParamCount, Params, ShapeError, deferred_params
from .common import DataFormat, PositiveInt, StrictInt, fmt_shape
from .geometry import join_channels, require_spatial_rank, split_channels
from .normalization import normalize_axis

__all__ = ["Rescaling", "Normalization", "Resizing", "CenterCrop", "RandomFlip", "RandomRotation",
           "RandomZoom", "RandomTranslation", "RandomContrast", "RandomCrop", "RandomBrightness"]

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

    @deferred_params
    def Params():
        class RescalingParams(Params):
            scale: Annotated[Numbers, Field(description="multiplies each input (e.g. 1/255)")]
            offset: Annotated[Numbers, Field(description="added after scaling")] = 0.0

            _numbers = field_validator("scale", "offset")(_check_numbers)
        return RescalingParams

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

    @deferred_params
    def Params():
        class NormalizationParams(Params):
            axis: Annotated[Union[StrictInt, list[StrictInt], None], Field(
                description="the axis or axes with their own mean and variance")] = -1
            mean: Annotated[Optional[Numbers], Field(
                description="the mean subtracted (None: learned by adapt(), which a spec cannot hold)")] = None
            variance: Annotated[Optional[Numbers], Field(
                description="the variance divided by (its square root)")] = None
            invert: Annotated[bool, Field(
                description="undo the normalization instead: x * sqrt(variance) + mean")] = False

            _numbers = field_validator("mean", "variance")(
                lambda value: value if value is None else _check_numbers(value))
        return NormalizationParams

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


# -- image layers ----------------------------------------------------------------------

Factor = Union[float, tuple[float, float]]
Seed = Annotated[Optional[StrictInt], Field(description="random seed (None: random)")]
FillMode = Annotated[Literal["reflect", "wrap", "constant", "nearest"],
                     Field(description="how points outside the image are filled")]
Interpolation = Annotated[Literal["nearest", "bilinear"], Field(description="pixel interpolation")]
_FORMAT = Annotated[DataFormat, Field(description="where the channel axis is")]


class BaseImageLayer(LayerType):
    """An image layer: (height, width, channels) in, the same rank out."""

    family = "preprocessing"
    resizes: ClassVar[bool] = False  # sets the size to (height, width)
    call_defaults = {"training": True}  # Keras's image layers record it on every call

    @classmethod
    def output_shape(cls, p, shapes):
        (shape,) = shapes
        require_spatial_rank(cls.type_name, shape, 2)
        if not cls.resizes:
            return shape
        data_format = getattr(p, "data_format", None)
        return join_channels((p.height, p.width), split_channels(shape, data_format)[1], data_format)

    @classmethod
    def describe(cls, p):
        return f"→ {p.height}×{p.width}" if cls.resizes else ""


@functools.cache
def _size_params() -> type[Params]:
    """The target size of Resizing, CenterCrop and RandomCrop."""
    class _SizeParams(Params):
        height: Annotated[PositiveInt, Field(description="output height")]
        width: Annotated[PositiveInt, Field(description="output width")]
    return _SizeParams


class Resizing(BaseImageLayer):
    """Resizes images to `height` × `width`."""

    type_name, resizes = "Resizing", True
    export_positional = ("height", "width")

    @deferred_params
    def Params():
        class ResizingParams(_size_params()):
            interpolation: Annotated[Literal["bilinear", "nearest", "bicubic", "lanczos3", "lanczos5",
                                             "area"], Field(description="resampling method")] = "bilinear"
            crop_to_aspect_ratio: Annotated[bool, Field(description="crop to keep the aspect ratio")] = False
            pad_to_aspect_ratio: Annotated[bool, Field(description="pad to keep the aspect ratio")] = False
            fill_mode: Literal["constant"] = "constant"
            fill_value: float = 0.0
            antialias: bool = False
            data_format: _FORMAT = None
        return ResizingParams


class CenterCrop(BaseImageLayer):
    """Crops the central `height` × `width` part of each image (resizing smaller ones)."""

    type_name, resizes = "CenterCrop", True
    export_positional = ("height", "width")

    @deferred_params
    def Params():
        class CenterCropParams(_size_params()):
            data_format: _FORMAT = None
        return CenterCropParams


class RandomCrop(BaseImageLayer):
    """Crops a random `height` × `width` part in training (the centre at inference)."""

    type_name, resizes = "RandomCrop", True
    export_positional = ("height", "width")

    @deferred_params
    def Params():
        class RandomCropParams(_size_params()):
            seed: Seed = None
            data_format: _FORMAT = None
        return RandomCropParams


class RandomFlip(BaseImageLayer):
    """Flips images at random in training."""

    type_name = "RandomFlip"

    @deferred_params
    def Params():
        class RandomFlipParams(Params):
            mode: Annotated[Literal["horizontal", "vertical", "horizontal_and_vertical"],
                            Field(description="which flips")] = "horizontal_and_vertical"
            seed: Seed = None
            data_format: _FORMAT = None
        return RandomFlipParams

    @classmethod
    def describe(cls, p):
        return p.mode.replace("_and_", "+")


class RandomRotation(BaseImageLayer):
    """Rotates images by a random fraction of 2π in training."""

    type_name = "RandomRotation"
    export_positional = ("factor",)

    @deferred_params
    def Params():
        class RandomRotationParams(Params):
            factor: Annotated[Factor, Field(description="rotation range as a fraction of 2π")]
            fill_mode: FillMode = "reflect"
            interpolation: Interpolation = "bilinear"
            seed: Seed = None
            fill_value: float = 0.0
            data_format: _FORMAT = None
        return RandomRotationParams


class RandomZoom(BaseImageLayer):
    """Zooms images in or out at random in training."""

    type_name = "RandomZoom"
    export_positional = ("height_factor",)

    @deferred_params
    def Params():
        class RandomZoomParams(Params):
            height_factor: Annotated[Factor, Field(description="vertical zoom range (fraction)")]
            width_factor: Annotated[Optional[Factor], Field(description="horizontal zoom range "
                                                            "(None: as height)")] = None
            fill_mode: FillMode = "reflect"
            interpolation: Interpolation = "bilinear"
            seed: Seed = None
            fill_value: float = 0.0
            data_format: _FORMAT = None
        return RandomZoomParams


class RandomTranslation(BaseImageLayer):
    """Shifts images at random in training."""

    type_name = "RandomTranslation"
    export_positional = ("height_factor", "width_factor")

    @deferred_params
    def Params():
        class RandomTranslationParams(Params):
            height_factor: Annotated[Factor, Field(description="vertical shift range (fraction)")]
            width_factor: Annotated[Factor, Field(description="horizontal shift range (fraction)")]
            fill_mode: FillMode = "reflect"
            interpolation: Interpolation = "bilinear"
            seed: Seed = None
            fill_value: float = 0.0
            data_format: _FORMAT = None
        return RandomTranslationParams


@functools.cache
def _value_params() -> type[Params]:
    """RandomContrast's and RandomBrightness's shared arguments."""
    class _ValueParams(Params):
        factor: Annotated[Factor, Field(description="strength range of the random change")]
        value_range: Annotated[tuple[float, float], Field(description="range of the pixel values")] = (0, 255)
        seed: Seed = None
    return _ValueParams


class RandomContrast(BaseImageLayer):
    """Changes the contrast at random in training."""

    type_name = "RandomContrast"
    export_positional = ("factor",)
    Params = deferred_params(_value_params)


class RandomBrightness(BaseImageLayer):
    """Changes the brightness at random in training."""

    type_name = "RandomBrightness"
    export_positional = ("factor",)
    Params = deferred_params(_value_params)
