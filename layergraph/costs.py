"""Costs of an analysed model: MACs, FLOPs, activation and weight memory, training memory.

Conventions (inference, one sample unless a batch is given):

- A MAC (multiply-accumulate) is 2 FLOPs. FLOPs = 2·MACs + element-wise work:
  1 per output element for a bias add and for an activation (fused or a layer),
  ``n − 1`` per output element for an ``n``-input Add/Multiply/Maximum/…, ``n`` for
  Average; ``window size`` per output of a Max/Average pooling; one per input
  element of a global pooling; 2 per element for a normalization at inference
  (a scale and a shift); 0 for reshaping, padding, cropping, dropout and inputs.
- A layer whose cost layergraph cannot know (a plugin type that counts no MACs,
  an unknown input size) has ``None`` and is listed, never counted as zero.
- Training memory = weights + gradients (one per trainable weight) + optimizer
  state (SGD none, momentum one slot, Adam two per trainable weight) + every
  layer's output kept for the backward pass. Frameworks free or recompute some
  of these, so it is an upper estimate of what a training step needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from .compiler.analysis import Analysis, LayerResult
from .layers.common import product
from .registry import LayerType


class Dtype(str, Enum):
    float32 = "float32"
    float16 = "float16"
    bfloat16 = "bfloat16"
    float64 = "float64"
    int8 = "int8"
    uint8 = "uint8"


DTYPE_BYTES = {Dtype.float32: 4, Dtype.float16: 2, Dtype.bfloat16: 2, Dtype.float64: 8,
               Dtype.int8: 1, Dtype.uint8: 1}


class Optimizer(str, Enum):
    sgd = "sgd"
    momentum = "momentum"
    adam = "adam"


OPTIMIZER_SLOTS = {Optimizer.sgd: 0, Optimizer.momentum: 1, Optimizer.adam: 2}

_ZERO_WORK_FAMILIES = {"input", "reshape", "regularization"}
_PER_ELEMENT = {"activation": 1, "normalization": 2}
_PER_ELEMENT_TYPES = {"Rescaling": 2}  # built-ins outside their family's rule


def dtype_bytes(dtype: str | Dtype) -> int:
    """Bytes per element of a dtype name (a ValueError names the accepted ones)."""
    try:
        return DTYPE_BYTES[Dtype(dtype)]
    except ValueError:
        raise ValueError(f"unknown dtype {dtype!r}: expected one of "
                         f"{', '.join(d.value for d in Dtype)}") from None


def macs_known(layer_type: type[LayerType]) -> bool:
    """Whether the type's MAC count means something: a plugin of family "other"
    that does not count its MACs inherits the base class's 0, which is no knowledge."""
    counts = layer_type.count_macs.__func__ is not LayerType.count_macs.__func__
    return counts or layer_type.family != "other" or layer_type.type_name in _PER_ELEMENT_TYPES


def elementwise_flops(result: LayerResult, shapes: list) -> int | None:
    """The FLOPs besides the MACs (see the module doc), None when unknown."""
    layer_type, p = result.layer_type, result.params
    family, name = layer_type.family, layer_type.type_name
    if family in _ZERO_WORK_FAMILIES or name == "Concatenate":
        return 0
    out = product(result.output_shape)
    if out is None:
        return None
    if name in _PER_ELEMENT_TYPES:
        return _PER_ELEMENT_TYPES[name] * out
    if family in _PER_ELEMENT:
        return _PER_ELEMENT[family] * out
    if family in ("conv", "dense"):
        bias = out if getattr(p, "use_bias", False) else 0
        return bias + (out if getattr(p, "activation", None) not in (None, "linear") else 0)
    if family == "merge":
        return (len(shapes) - (0 if name == "Average" else 1)) * out
    if family == "pooling":
        return _pooling_flops(result, shapes, out)
    return None


def _pooling_flops(result: LayerResult, shapes: list, out: int) -> int | None:
    window = result.layer_type.window(result.params, shapes, result.output_shape)
    if window is None:  # global pooling: every input element once
        return product(shapes[0])
    if isinstance(window, tuple):
        return out * product([w.kernel for w in window])
    return None


def layer_flops(result: LayerResult, shapes: list) -> int | None:
    """2·MACs + element-wise work, None when either is unknown."""
    if result.macs is None or not macs_known(result.layer_type):
        return None
    work = elementwise_flops(result, shapes)
    return None if work is None else 2 * result.macs + work


@dataclass
class LayerCost:
    """One layer's costs; None where unknown."""

    macs: int | None
    flops: int | None
    activation_bytes: int | None
    weight_bytes: int | None

    @property
    def known(self) -> bool:
        return self.macs is not None and self.flops is not None


def layer_cost(analysis: Analysis, result: LayerResult, batch_size: int = 1,
               dtype: str = "float32") -> LayerCost:
    """Costs of one analysed layer for a batch in a dtype."""
    width = dtype_bytes(dtype)
    if not result.ok:
        return LayerCost(None, None, None, None)
    shapes = [analysis.layers[i].output_shape for i in result.inputs]
    elements = product(result.output_shape)
    return LayerCost(
        macs=result.macs if macs_known(result.layer_type) else None,
        flops=layer_flops(result, shapes),
        activation_bytes=None if elements is None else elements * batch_size * width,
        weight_bytes=None if result.param_count is None else result.param_count * width)


@dataclass
class ModelCost:
    """Totals over the layers whose cost is known, and the names of the others
    (layers with an unknown MAC or FLOP count, which the totals leave out)."""

    layers: dict[str, LayerCost]
    macs: int
    flops: int
    unknown: list[str]
    weight_bytes: int
    activation_bytes: int


def model_cost(analysis: Analysis, batch_size: int = 1, dtype: str = "float32") -> ModelCost:
    """Per-layer costs and their totals; unknown layers are listed in ``unknown``."""
    layers = {name: layer_cost(analysis, r, batch_size, dtype) for name, r in analysis.layers.items()}
    return ModelCost(
        layers=layers,
        macs=sum(c.macs or 0 for c in layers.values()),
        flops=sum(c.flops or 0 for c in layers.values()),
        unknown=[name for name, c in layers.items() if not c.known],
        weight_bytes=analysis.total_params * dtype_bytes(dtype),
        activation_bytes=sum(c.activation_bytes or 0 for c in layers.values()))


def training_memory(analysis: Analysis, batch_size: int = 1, dtype: str = "float32",
                    optimizer: str = "adam") -> dict[str, Any]:
    """Bytes a training step needs (see the module doc): the parts and their total."""
    width = dtype_bytes(dtype)
    trainable = analysis.trainable_params * width
    parts = {
        "weights": analysis.total_params * width,
        "gradients": trainable,
        "optimizer_state": OPTIMIZER_SLOTS[Optimizer(optimizer)] * trainable,
        "activations": analysis.activation_elements() * batch_size * width,
    }
    return {**parts, "total": sum(parts.values()), "optimizer": Optimizer(optimizer).value,
            "batch_size": batch_size, "dtype": Dtype(dtype).value}
