"""Keras backends: which one is configured, and what each cannot build faithfully.

Keras 3 runs one model on TensorFlow, JAX or PyTorch, chosen once per process by
``KERAS_BACKEND`` (or ``~/.keras/keras.json``) before Keras is imported. Nothing here
imports Keras or a backend: the configured backend is read the way Keras reads it,
and the known gaps are checked on an analysis, so a spec is refused *before* a slow
build with a message naming the layer and the backend.

The gaps table is grounded in measurement: ``tests/test_backends_parity.py`` builds
each gap's layer on every backend and checks that it really differs from TensorFlow,
so a Keras release that fixes one fails the test and the entry can go.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from math import ceil
from pathlib import Path
from typing import Any, Callable, Literal, get_args

from .diagnostics import Code, Diagnostic, did_you_mean
from .keras_support import KerasError

Backend = Literal["tensorflow", "jax", "torch"]
BACKENDS: tuple[str, ...] = get_args(Backend)
# What `pip install` brings each backend in, for messages.
EXTRAS = {"tensorflow": "keras", "jax": "jax", "torch": "torch"}


class BackendError(KerasError, ValueError):
    """An unknown backend, or one other than the backend this process already runs."""


def configured_backend() -> str:
    """The backend Keras will use in this process: the running one if Keras is imported,
    else ``KERAS_BACKEND``, else ``keras.json``'s, else ``"tensorflow"`` (Keras's order)."""
    running = active_backend()
    if running:
        return running
    if os.environ.get("KERAS_BACKEND"):
        return os.environ["KERAS_BACKEND"]
    home = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")
    try:
        return json.loads((home / "keras.json").read_text()).get("backend") or "tensorflow"
    except (OSError, ValueError, AttributeError):
        return "tensorflow"


def active_backend() -> str | None:
    """The backend of the Keras already imported in this process (None before import)."""
    keras = sys.modules.get("keras")
    backend = getattr(getattr(keras, "backend", None), "backend", None)
    return backend() if callable(backend) else None


def check_backend_name(backend: str) -> str:
    """``backend`` if it is one of :data:`BACKENDS`, else :class:`BackendError` (did-you-mean)."""
    if backend in BACKENDS:
        return backend
    hint = did_you_mean(backend, BACKENDS)
    raise BackendError(f"Unknown Keras backend {backend!r}: expected one of {', '.join(BACKENDS)}"
                       f"{' (' + hint + ')' if hint else ''}.")


def select_backend(backend: str | None) -> str:
    """Make ``backend`` (default: the configured one) the one Keras imports, returning it.

    A backend given by name is set as ``KERAS_BACKEND`` when Keras is not imported yet.

    Keras fixes its backend at import, so once it is imported with another backend
    this raises :class:`BackendError`; the CLI then builds in a child process instead.
    """
    wanted = check_backend_name(backend) if backend else configured_backend()
    running = active_backend()
    if running and running != wanted:
        raise BackendError(
            f"Keras is already running on {running!r} in this process, so it cannot build on "
            f"{wanted!r}: set KERAS_BACKEND={wanted} before importing keras (or run the build "
            "in a new process, as `layergraph compile --backend` does).")
    if not running and backend:  # without a choice, Keras's own configuration stands
        os.environ["KERAS_BACKEND"] = wanted
    return wanted


# -- known gaps --------------------------------------------------------------

@dataclass(frozen=True)
class Gap:
    """A layer configuration one backend cannot build with TensorFlow's results."""

    layer_type: str
    backend: str
    reason: str
    hint: str
    applies: Callable[[Any, list], bool]  # (validated params, input shapes) -> bool


def _same_padding_totals(size: int | None, window: int, stride: int) -> int | None:
    """Total "same" padding along one axis (as every backend computes it)."""
    if size is None:
        return None
    return max(0, (ceil(size / stride) - 1) * stride + window - size)


def _uneven_average_window(p, shapes) -> bool:
    """Torch pads uneven "same" windows by repeating the edge, and averages the copies.

    Rank-generic: the rank is the input's number of spatial axes (AveragePooling1D/2D/3D).
    """
    if p.padding != "same" or not shapes or shapes[0] is None:
        return False
    from .layers.geometry import ints, split_channels

    spatial, _ = split_channels(shapes[0], p.data_format)
    pool = ints(p.pool_size, len(spatial))
    strides = ints(p.strides if p.strides is not None else p.pool_size, len(spatial))
    totals = [_same_padding_totals(size, k, s) for size, k, s in zip(spatial, pool, strides)]
    # A 2-wide window with one padded cell averages a value with its own copy: still exact.
    return any(t is None or (t % 2 == 1 and k > 2) for t, k in zip(totals, pool))


KNOWN_GAPS: tuple[Gap, ...] = tuple(
    Gap(f"AveragePooling{rank}D", "torch",
        'with padding="same" and an odd amount of padding on an axis (window larger than 2), '
        "Keras's torch backend pads by repeating the edge values and counts them in the "
        "average, so the border outputs differ from TensorFlow and JAX",
        "choose an input or pool size that pads evenly (or padding=\"valid\"), "
        "or build on the jax or tensorflow backend",
        _uneven_average_window)
    for rank in (1, 2, 3)) + (
    Gap("MultiHeadAttention", "jax",
        "with a value_dim other than key_dim (and no dropout), Keras calls "
        "jax.nn.dot_product_attention, which requires equal key and value head sizes, so the "
        "layer fails when it is called",
        "leave value_dim unset (or equal to key_dim), or build on the tensorflow or torch backend",
        lambda p, shapes: _fused_attention(p, shapes) and p.value_dim not in (None, p.key_dim)),
)


def _fused_attention(p, shapes) -> bool:
    """Keras's MultiHeadAttention uses the backend's fused ``dot_product_attention`` only
    without dropout and for a (batch, steps, features) query (heads add one axis: rank 4)."""
    return p.dropout == 0 and bool(shapes) and shapes[0] is not None and len(shapes[0]) == 2


def backend_problems(analysis, backend: str) -> list[Diagnostic]:
    """Errors for the layers of an analysis that ``backend`` cannot build faithfully."""
    problems = []
    for result in analysis.layers.values():
        for gap in KNOWN_GAPS:
            if gap.backend != backend or gap.layer_type != result.type or result.params is None:
                continue
            shapes = [analysis.layers[name].output_shape if name in analysis.layers else None
                      for name in result.inputs]
            if gap.applies(result.params, shapes):
                problems.append(_placed(analysis, Diagnostic(
                    Code.BACKEND_UNSUPPORTED,
                    f"Layer '{result.name}' ({result.type}) cannot be built on the {backend} "
                    f"backend: {gap.reason}.", layer=result.name, pointer=result.pointer,
                    hint=gap.hint)))
    return problems


def _placed(analysis, diagnostic: Diagnostic) -> Diagnostic:
    """With the file, line and column of its pointer, as the analysis's own diagnostics."""
    if analysis.source is not None:
        analysis.source.place(diagnostic)
    return diagnostic
