"""Core layers: InputLayer, Dense, Activation, ReLU, Dropout, Identity, Masking."""

from __future__ import annotations

from typing import Annotated, Optional

from pydantic import Field

from ..registry import LayerType, ParamCount, Params, ShapeError, deferred_params
from .common import ActivationName, Dim, KerasObject, StrictInt, fmt_shape, macs_per_position

__all__ = ["InputLayer", "Dense", "Activation", "ReLU", "Dropout", "Identity", "Masking"]


class InputLayer(LayerType):
    """A model input: declares the shape of one sample (batch axis excluded)."""

    type_name = "InputLayer"
    short_name = "Input"
    family = "input"
    min_inputs = max_inputs = 0

    @deferred_params
    def Params():
        class InputLayerParams(Params):
            shape: Annotated[list[Dim], Field(
                description="one sample's shape, without the batch axis (null: any size)", max_length=8)]
            dtype: Annotated[str, Field(description="the element type, e.g. float32 or int32")] = "float32"
        return InputLayerParams

    @classmethod
    def output_shape(cls, p, shapes):
        return tuple(p.shape)

    @classmethod
    def to_keras(cls, p, name):
        import keras

        return keras.Input(shape=tuple(p.shape), dtype=p.dtype, name=name)


class Dense(LayerType):
    """Fully connected layer; acts on the last axis of an input of any rank."""

    type_name = "Dense"
    export_positional = ("units",)
    family = "dense"

    @deferred_params
    def Params():
        class DenseParams(Params):
            units: Annotated[int, Field(strict=True, ge=1)]
            activation: ActivationName = None
            use_bias: bool = True
            kernel_initializer: KerasObject = "glorot_uniform"
            bias_initializer: KerasObject = "zeros"
            kernel_regularizer: KerasObject = None
            bias_regularizer: KerasObject = None
            activity_regularizer: KerasObject = None
            kernel_constraint: KerasObject = None
            bias_constraint: KerasObject = None
        return DenseParams

    @classmethod
    def output_shape(cls, p, shapes):
        (shape,) = shapes
        if len(shape) < 1 or shape[-1] is None:
            raise ShapeError(
                "Dense needs an input whose last axis has a known size. "
                f"Received: input shape {fmt_shape(shape)}.")
        return tuple(shape[:-1]) + (p.units,)

    @classmethod
    def count_params(cls, p, shapes):
        fan_in = shapes[0][-1]
        return ParamCount(fan_in * p.units + (p.units if p.use_bias else 0))

    @classmethod
    def count_macs(cls, p, shapes, out):
        return macs_per_position(shapes[0][:-1], shapes[0][-1] * p.units)

    @classmethod
    def describe(cls, p):
        return f"{p.units}" + (f", {p.activation}" if p.activation else "")


class Activation(LayerType):
    """Applies an activation function element-wise."""

    type_name = "Activation"
    export_positional = ("activation",)
    family = "activation"

    @deferred_params
    def Params():
        class ActivationParams(Params):
            activation: ActivationName
        return ActivationParams

    @classmethod
    def describe(cls, p):
        return str(p.activation)


class ReLU(LayerType):
    """Rectified linear unit with optional cap, leak and threshold."""

    type_name = "ReLU"
    family = "activation"

    @deferred_params
    def Params():
        class ReLUParams(Params):
            max_value: Optional[Annotated[float, Field(ge=0)]] = None
            negative_slope: Annotated[float, Field(ge=0)] = 0.0
            threshold: float = 0.0
        return ReLUParams

    @classmethod
    def describe(cls, p):
        return f"max {p.max_value:g}" if p.max_value is not None else ""


class Dropout(LayerType):
    """Randomly sets a fraction ``rate`` of inputs to 0 during training."""

    type_name = "Dropout"
    export_positional = ("rate",)
    family = "regularization"

    @deferred_params
    def Params():
        class DropoutParams(Params):
            rate: Annotated[float, Field(ge=0, le=1)]
            noise_shape: Optional[list[Optional[StrictInt]]] = None
            seed: Optional[StrictInt] = None
        return DropoutParams

    @classmethod
    def describe(cls, p):
        return f"{p.rate:g}"


class Identity(LayerType):
    """Passes its input through unchanged (a placeholder, or a named point in the graph)."""

    type_name = "Identity"
    family = "other"


class Masking(LayerType):
    """Marks time steps whose features all equal `mask_value` as padding for later layers."""

    type_name = "Masking"
    family = "other"

    @deferred_params
    def Params():
        class MaskingParams(Params):
            mask_value: Annotated[float, Field(description="feature value that marks a padded step")] = 0.0
        return MaskingParams

    @classmethod
    def describe(cls, p):
        return f"mask {p.mask_value:g}"
