"""Parameter types, formatting and small shape helpers shared by the built-in layer types.

Window arithmetic (convolutions, pooling, transposed convolutions in N dimensions)
lives in geometry.py.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Sequence, Union

from pydantic import AfterValidator, BeforeValidator, Field

from ..registry import Shape, ShapeError

StrictInt = Annotated[int, Field(strict=True)]
PositiveInt = Annotated[int, Field(strict=True, ge=1)]
NonNegativeInt = Annotated[int, Field(strict=True, ge=0)]
Dim = Union[PositiveInt, None]

# An int or a pair of ints, as Keras accepts for kernel sizes and strides.
IntPair = Union[PositiveInt, tuple[PositiveInt, PositiveInt]]
NonNegativePair = Union[NonNegativeInt, tuple[NonNegativeInt, NonNegativeInt]]


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


Padding = Annotated[Literal["valid", "same"], BeforeValidator(_lower)]
# None is Keras's default: the configured image_data_format, channels-last.
DataFormat = Union[Literal["channels_last", "channels_first"], None]

ACTIVATIONS = (
    "celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu",
    "hard_swish", "hard_tanh", "leaky_relu", "linear", "log_sigmoid", "log_softmax", "mish",
    "relu", "relu6", "selu", "sigmoid", "silu", "softmax", "soft_shrink", "softplus",
    "softsign", "sparse_plus", "sparsemax", "squareplus", "swish", "tanh", "tanh_shrink",
    "threshold",
)


def _check_activation(value: Any) -> Any:
    if isinstance(value, str) and value not in ACTIVATIONS:
        from ..diagnostics import did_you_mean

        hint = did_you_mean(value, ACTIVATIONS) or f"one of {', '.join(ACTIVATIONS)}"
        raise ValueError(f"unknown activation {value!r} ({hint})")
    return value


ActivationName = Annotated[Union[str, None], BeforeValidator(_check_activation)]
_KERAS_CONFIG_KEYS = {"class_name", "config", "module", "registered_name"}


def _check_keras_config(value: Any) -> Any:
    """A Keras serialized object may only name Keras's own classes.

    Keras's deserializer imports ``module``; Keras 3 limits that to its own packages,
    and layergraph refuses anything else before Keras sees it.
    """
    if not isinstance(value, dict):
        return value
    unknown = sorted(set(value) - _KERAS_CONFIG_KEYS)
    if unknown:
        raise ValueError(f"a Keras object config has only the keys {sorted(_KERAS_CONFIG_KEYS)}; "
                         f"found {unknown[0]!r}")
    if not isinstance(value.get("class_name"), str) or not value["class_name"].isidentifier():
        raise ValueError("a Keras object config needs a `class_name` naming a Keras class")
    module = value.get("module", "keras")
    if not isinstance(module, str) or not (module == "keras" or module.startswith("keras.")):
        raise ValueError(f"`module` must be a Keras module (keras or keras.*); found {module!r}")
    if not isinstance(value.get("config", {}), dict):
        raise ValueError("`config` of a Keras object config must be a JSON object")
    return value


# Initializers, regularizers and constraints: a Keras name or a Keras config dict.
KerasObject = Annotated[Union[str, dict[str, Any], None], AfterValidator(_check_keras_config)]


def require_rank(type_name: str, shape: Shape, rank: int, what: str = "") -> None:
    """Raise a Keras-style error unless the input has ``rank`` axes (batch excluded)."""
    if len(shape) != rank:
        expected = what or f"a tensor of rank {rank + 1} (batch, {', '.join(['…'] * rank)})"
        raise ShapeError(
            f"Input of {type_name} has the wrong rank: expected {expected}. "
            f"Received: input shape (batch, {', '.join(map(fmt_dim, shape))}).",
            hint="add a Reshape or Flatten before it" if len(shape) != rank else None)


def fmt_dim(d: int | None) -> str:
    return "?" if d is None else str(d)


def fmt_dims(shape: Sequence[int | None]) -> str:
    """A tensor size as lecture notes write it: ``55×55×96`` (``?`` for unknown sizes)."""
    return "×".join(map(fmt_dim, shape))


def fmt_shape(shape: Shape | None) -> str:
    """``(55, 55, 96)`` style, with ``?`` for unknown sizes."""
    if shape is None:
        return "—"
    inner = ", ".join(fmt_dim(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def product(dims: Sequence[int | None]) -> int | None:
    """Product of the sizes, or None if any is unknown."""
    total = 1
    for d in dims:
        if d is None:
            return None
        total *= d
    return total


def macs_per_position(positions: Sequence[int | None], per_position: int) -> int | None:
    """MACs of a layer doing ``per_position`` MACs at each output position (None if unknown)."""
    count = product(positions)
    return None if count is None else count * per_position


def window_text(window: Sequence[int], strides: Sequence[int]) -> str:
    """``3×3 /2`` (the stride only when it is not 1), for any number of axes."""
    text = "×".join(map(str, window))
    if any(s != 1 for s in strides):
        text += f" /{strides[0]}" if len(set(strides)) == 1 else " /" + "×".join(map(str, strides))
    return text
