"""Regularization layers (active only in training): spatial dropout, noise, activity penalties.

(Dropout lives in core.py.) They keep the input shape and have no weights.
"""

from __future__ import annotations

import functools
from typing import Annotated, ClassVar, Optional

from pydantic import Field

from ..registry import LayerType, Params, deferred_params
from .common import DataFormat, StrictInt
from .geometry import require_spatial_rank

__all__ = ["SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
           "GaussianDropout", "AlphaDropout", "ActivityRegularization"]

Rate = Annotated[float, Field(ge=0, le=1, description="fraction of units dropped")]
Seed = Annotated[Optional[StrictInt], Field(description="random seed (None: random)")]


class BaseSpatialDropout(LayerType):
    """Drops whole feature maps (channels) of an input with ``rank`` spatial axes."""

    rank: ClassVar[int]
    family = "regularization"
    export_positional = ("rate",)

    @classmethod
    def output_shape(cls, p, shapes):
        require_spatial_rank(cls.type_name, shapes[0], cls.rank)
        return shapes[0]

    @classmethod
    def describe(cls, p):
        return f"{p.rate:g}"


class SpatialDropout1D(BaseSpatialDropout):
    """Drops whole channels of a sequence."""

    type_name, rank = "SpatialDropout1D", 1

    @deferred_params
    def Params():
        class SpatialDropout1DParams(Params):
            rate: Rate
            seed: Seed = None
        return SpatialDropout1DParams


@functools.cache
def _spatial_params() -> type[Params]:
    """SpatialDropout2D's and 3D's arguments."""
    class _SpatialParams(Params):
        rate: Rate
        data_format: Annotated[DataFormat, Field(description="where the channel axis is")] = None
        seed: Seed = None
    return _SpatialParams


class SpatialDropout2D(BaseSpatialDropout):
    """Drops whole feature maps of an image."""

    type_name, rank = "SpatialDropout2D", 2
    Params = deferred_params(_spatial_params)


class SpatialDropout3D(BaseSpatialDropout):
    """Drops whole feature maps of a volume."""

    type_name, rank = "SpatialDropout3D", 3
    Params = deferred_params(_spatial_params)


class GaussianNoise(LayerType):
    """Adds zero-mean Gaussian noise of standard deviation `stddev`."""

    type_name = "GaussianNoise"
    family = "regularization"
    export_positional = ("stddev",)

    @deferred_params
    def Params():
        class GaussianNoiseParams(Params):
            stddev: Annotated[float, Field(ge=0, description="standard deviation of the noise")]
            seed: Seed = None
        return GaussianNoiseParams

    @classmethod
    def describe(cls, p):
        return f"σ {p.stddev:g}"


class GaussianDropout(LayerType):
    """Multiplies by Gaussian noise of mean 1 (variance `rate / (1 - rate)`)."""

    type_name = "GaussianDropout"
    family = "regularization"
    export_positional = ("rate",)

    @deferred_params
    def Params():
        class GaussianDropoutParams(Params):
            rate: Rate
            seed: Seed = None
        return GaussianDropoutParams

    @classmethod
    def describe(cls, p):
        return f"{p.rate:g}"


class AlphaDropout(LayerType):
    """Dropout that keeps the mean and variance of SELU activations."""

    type_name = "AlphaDropout"
    family = "regularization"
    export_positional = ("rate",)

    @deferred_params
    def Params():
        class AlphaDropoutParams(Params):
            rate: Rate
            noise_shape: Annotated[Optional[list[Optional[StrictInt]]],
                                   Field(description="shape of the drop mask (None: the input's)")] = None
            seed: Seed = None
        return AlphaDropoutParams

    @classmethod
    def describe(cls, p):
        return f"{p.rate:g}"


class ActivityRegularization(LayerType):
    """Adds an L1/L2 penalty on its input to the training loss; passes the input through."""

    type_name = "ActivityRegularization"
    family = "regularization"

    @deferred_params
    def Params():
        class ActivityRegularizationParams(Params):
            l1: Annotated[float, Field(ge=0, description="L1 penalty factor")] = 0.0
            l2: Annotated[float, Field(ge=0, description="L2 penalty factor")] = 0.0
        return ActivityRegularizationParams
