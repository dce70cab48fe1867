"""The custom layers of keras.applications: LayerScale (ConvNeXt) and CustomScaleLayer
(InceptionResNetV2). They are Keras's own classes, defined in its application modules
rather than keras.layers; a compiled spec uses those very classes."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ..registry import LayerType, ParamCount, Params, ShapeError, deferred_params
from .common import fmt_shape
from .merging import broadcast_shapes

__all__ = ["LayerScale", "CustomScaleLayer"]


class LayerScale(LayerType):
    """Multiplies each channel by a learned scale (``projection_dim`` weights), ConvNeXt."""

    type_name = "LayerScale"
    family = "normalization"
    keras_module = "keras.src.applications.convnext"

    @deferred_params
    def Params():
        class LayerScaleParams(Params):
            init_values: float
            projection_dim: Annotated[int, Field(strict=True, ge=1)]
        return LayerScaleParams

    @classmethod
    def output_shape(cls, p, shapes):
        (shape,) = shapes
        if not shape or shape[-1] not in (None, p.projection_dim, 1):
            raise ShapeError(
                f"LayerScale scales the last axis: expected it to have projection_dim="
                f"{p.projection_dim} channels. Received: input shape {fmt_shape(shape)}.",
                kind="mismatch")
        return broadcast_shapes(cls.type_name, [shape, (p.projection_dim,)])

    @classmethod
    def count_params(cls, p, shapes):
        return ParamCount(p.projection_dim)

    @classmethod
    def describe(cls, p):
        return f"×γ ({p.init_values:g})"


class CustomScaleLayer(LayerType):
    """``x + scale · r`` of two inputs ``[x, r]`` (InceptionResNetV2's residual scaling)."""

    type_name = "CustomScaleLayer"
    family = "merge"
    min_inputs = max_inputs = 2
    keras_module = "keras.src.applications.inception_resnet_v2"

    @deferred_params
    def Params():
        class CustomScaleLayerParams(Params):
            scale: Annotated[float, Field(description="the factor on the second input: x + scale · r")]
        return CustomScaleLayerParams

    @classmethod
    def output_shape(cls, p, shapes):
        return broadcast_shapes(cls.type_name, shapes)

    @classmethod
    def describe(cls, p):
        return f"x + {p.scale:g}·r"
