"""Rank-generic window geometry: output sizes of convolutions, transposed convolutions
and poolings over N spatial axes, declared once.

The arithmetic mirrors Keras 3: ``compute_conv_output_shape`` and
``compute_pooling_output_shape`` in keras/src/ops/operation_utils.py and
``compute_conv_transpose_output_shape`` in keras/src/backend/common/backend_utils.py.
Shapes here exclude the batch axis; an unknown size is ``None`` and stays unknown.
"""

from __future__ import annotations

from typing import Annotated, Callable, Literal, Sequence, Union

from pydantic import BeforeValidator, Field

from ..registry import Shape, ShapeError
from .common import (DataFormat, NonNegativeInt, Padding, _lower, fmt_dim, fmt_shape,  # noqa: F401
                     window_text)

# Conv1D alone also accepts "causal" (Keras's standardize_padding(allow_causal=rank == 1)).
CausalPadding = Annotated[Literal["valid", "same", "causal"], BeforeValidator(_lower)]


def int_tuple(rank: int, minimum: int = 1):
    """The type of an int-or-tuple argument of ``rank`` ints (kernel_size, strides, ...)."""
    item = Annotated[int, Field(strict=True, ge=minimum)]
    return Union[item, tuple[(item,) * rank]]  # type: ignore[misc]


def ints(value: int | Sequence[int], rank: int) -> tuple[int, ...]:
    """Keras's ``standardize_tuple``: an int repeated ``rank`` times, or the tuple itself."""
    if isinstance(value, int):
        return (value,) * rank
    return tuple(value)


def channels_first(data_format: str | None) -> bool:
    """Keras's default (None) is the ``image_data_format``, channels-last."""
    return data_format == "channels_first"


def split_channels(shape: Shape, data_format: str | None) -> tuple[tuple, int | None]:
    """(spatial sizes, channels) of a batch-less shape."""
    if data_format == "channels_first":  # inlined channels_first(): called for every layer
        return tuple(shape[1:]), shape[0]
    return tuple(shape[:-1]), shape[-1]


def join_channels(spatial: Sequence[int | None], channels: int | None, data_format: str | None) -> Shape:
    """The batch-less shape for spatial sizes and a channel count."""
    if data_format == "channels_first":
        return (channels, *spatial)
    return (*spatial, channels)


def require_spatial_rank(type_name: str, shape: Shape, rank: int) -> None:
    """Raise Keras's error unless the input has ``rank`` spatial axes plus channels."""
    if len(shape) != rank + 1:
        axes = {1: "steps", 2: "height, width", 3: "depth, height, width"}.get(rank, "…")
        raise ShapeError(
            f"Input of {type_name} has the wrong rank: expected a {rank + 2}D input (batch, "
            f"{axes}, channels). Received: input shape (batch, {', '.join(map(fmt_dim, shape))}).",
            hint="add a Reshape before it (or use the layer of the input's rank)")


def conv_length(size: int | None, kernel: int, stride: int, padding: str, dilation: int = 1) -> int | None:
    """Output length of a convolution along one axis ("causal" pads like "same")."""
    if size is None:
        return None
    if padding in ("same", "causal"):
        return (size - 1) // stride + 1
    return (size - dilation * (kernel - 1) - 1) // stride + 1


def pool_length(size: int | None, pool: int, stride: int, padding: str) -> int | None:
    """Output length of a pooling window along one axis."""
    if size is None:
        return None
    if padding == "same":
        return (size - 1) // stride + 1
    return (size - pool) // stride + 1


def conv_transpose_length(size: int | None, kernel: int, stride: int, padding: str,
                          output_padding: int | None = None, dilation: int = 1) -> int | None:
    """Output length of a transposed convolution along one axis (TensorFlow's convention)."""
    if size is None:
        return None
    kernel = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(kernel, stride) - kernel if output_padding is None else output_padding
        return (size - 1) * stride + kernel + extra
    if output_padding is None:
        return size * stride
    return (size - 1) * stride + kernel % 2 + output_padding


def checked(type_name: str, spatial: Sequence[int | None], out: Sequence[int | None],
            what: Callable[[], str]) -> tuple:
    """``out``, or Keras's "zero or negative" error naming the window that caused it
    (``what`` is only called for the message: analysis runs this for every layer)."""
    if any(o is not None and o <= 0 for o in out):
        raise ShapeError(
            f"Computed output size of {type_name} would be zero or negative. Received: input "
            f"size {'×'.join(map(fmt_dim, spatial))}, {what()}.",
            hint="use padding='same', a smaller window or stride, or a larger input",
            kind="non_positive")
    return tuple(out)


def conv_spatial(type_name: str, spatial, kernel, strides, padding: str, dilation) -> tuple:
    """Output spatial sizes of a convolution."""
    out = [conv_length(n, k, s, padding, d) for n, k, s, d in zip(spatial, kernel, strides, dilation)]
    return checked(type_name, spatial, out, lambda: f"window {window(kernel)}, strides "
                   f"{tuple(strides)}, dilation {tuple(dilation)}, padding={padding!r}")


def pool_spatial(type_name: str, spatial, pool, strides, padding: str) -> tuple:
    """Output spatial sizes of a pooling."""
    out = [pool_length(n, k, s, padding) for n, k, s in zip(spatial, pool, strides)]
    return checked(type_name, spatial, out,
                   lambda: f"window {window(pool)}, strides {tuple(strides)}, padding={padding!r}")


def conv_transpose_spatial(type_name: str, spatial, kernel, strides, padding: str,
                           output_padding, dilation) -> tuple:
    """Output spatial sizes of a transposed convolution."""
    paddings = output_padding if output_padding is not None else (None,) * len(spatial)
    out = [conv_transpose_length(n, k, s, padding, o, d)
           for n, k, s, o, d in zip(spatial, kernel, strides, paddings, dilation)]
    return checked(type_name, spatial, out, lambda: f"window {window(kernel)}, strides "
                   f"{tuple(strides)}, output_padding {output_padding}")


def check_strides_and_dilation(strides: Sequence[int], dilation: Sequence[int]) -> None:
    """Keras refuses strides > 1 together with dilation > 1 for convolutions."""
    if max(strides) > 1 and max(dilation) > 1:
        raise ShapeError(
            "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
            f"Received: strides={tuple(strides)} and dilation_rate={tuple(dilation)}.",
            hint="use strides=1 with dilation, or dilation_rate=1 with strides")


def known_channels(type_name: str, shape: Shape, channels: int | None) -> int:
    """The channel count, which every weight shape needs."""
    if channels is None:
        raise ShapeError(f"The channel axis of a {type_name} input must be known. "
                         f"Received: input shape {fmt_shape(shape)}.")
    return channels


def window(sizes: Sequence[int]) -> str:
    """``3×3`` for a window of sizes (3, 3)."""
    return "×".join(map(str, sizes))


def pad_pairs(value, rank: int) -> tuple[tuple[int, int], ...]:
    """((before, after), ...) per spatial axis from Keras's padding/cropping forms:
    an int; for one axis a (before, after) pair; for more axes one int or one pair per axis."""
    if isinstance(value, int):
        return ((value, value),) * rank
    if rank == 1:
        return ((value[0], value[1]),)
    return tuple((v, v) if isinstance(v, int) else (v[0], v[1]) for v in value)


def pad_spec(rank: int):
    """The type of a padding/cropping argument for ``rank`` spatial axes."""
    pair = tuple[NonNegativeInt, NonNegativeInt]
    if rank == 1:
        return Union[NonNegativeInt, pair]
    return Union[NonNegativeInt, tuple[(NonNegativeInt,) * rank], tuple[(pair,) * rank]]  # type: ignore[misc]
