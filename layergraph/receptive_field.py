"""Receptive fields, as defined by Araujo, Norris and Sim (Distill, 2019).

For every spatial axis a layer's output position ``j`` sees the input positions
``j·stride − padding … j·stride − padding + size − 1``: ``size`` is the field's
extent (with dilation, the hull of the touched pixels), ``stride`` the distance
in input pixels between neighbouring outputs, ``padding`` how far the first
output's field reaches before the input's first pixel.

Each layer type describes its own window through ``LayerType.window``; the
default below reads the standard Keras parameter names (``kernel_size``,
``pool_size``, ``strides``, ``padding``, ``dilation_rate``, ``cropping``,
``data_format``), so a new convolution, pooling, padding or cropping type gets
the right window without code of its own. Chaining a window onto a field is

    size' = size + (kernel − 1)·stride,   padding' = padding + pad_before·stride,
    stride' = stride·s

and a layer with several inputs takes the union of their fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from .diagnostics import Code, Diagnostic, Severity


@dataclass(frozen=True)
class Window:
    """What one output position reads along one spatial axis of the layer's input."""

    kernel: int
    stride: int = 1
    pad_before: int | None = 0  # None: unknown ("same" padding with an unknown input size)
    dilation: int = 1

    @property
    def span(self) -> int:
        """The kernel's extent with dilation: ``(kernel − 1)·dilation + 1``."""
        return (self.kernel - 1) * self.dilation + 1


IDENTITY = Window(1)


@dataclass(frozen=True)
class NotDefined:
    """A layer whose field is no fixed window (upsampling, transposed convolution)."""

    reason: str


@dataclass(frozen=True)
class AxisField:
    size: int
    stride: int
    padding: int | None


@dataclass(frozen=True)
class ReceptiveField:
    """Per spatial axis; ``axes`` is None when the field is not a window (see ``note``)."""

    axes: tuple[AxisField, ...] | None
    note: str | None = None

    def to_dict(self) -> dict | None:
        if self.axes is None:
            return None
        return {"size": [a.size for a in self.axes], "stride": [a.stride for a in self.axes],
                "padding": [a.padding for a in self.axes]}

    def text(self) -> str:
        """``212 /32 pad 90`` (per axis ``212×212`` when the axes differ), or ``—``."""
        if self.axes is None:
            return "—"
        return f"{_joined(a.size for a in self.axes)} /{_joined(a.stride for a in self.axes)} " \
               f"pad {_joined('?' if a.padding is None else a.padding for a in self.axes)}"


def _joined(values) -> str:
    values = [str(v) for v in values]
    return values[0] if len(set(values)) == 1 else "×".join(values)


GLOBAL = "sees the whole input"  # after Flatten, Dense on a vector, global pooling


def param(p: Any, name: str, default: Any = None) -> Any:
    """A parameter's value, or ``default`` if the type has no such parameter.

    Pydantic models keep their fields in ``__dict__``; reading it directly is much
    faster than ``getattr`` for a missing field, and this runs for every layer."""
    return getattr(p, "__dict__", {}).get(name, default)


def spatial_axes(shape: Sequence, p: Any = None) -> tuple:
    """The spatial sizes of a (batch-less) shape: all but the channel axis."""
    if param(p, "data_format") == "channels_first":
        return tuple(shape[1:])
    return tuple(shape[:-1])


def _per_axis(value: Any, rank: int) -> tuple:
    if isinstance(value, int):
        return (value,) * rank
    return tuple(value)


def same_pad_before(size: int | None, span: int, stride: int) -> int | None:
    """Keras's (TensorFlow's) "same" padding before the first pixel: half the total, rounded down."""
    if stride == 1:
        return (span - 1) // 2
    if size is None:
        return None
    total = max((-(-size // stride) - 1) * stride + span - size, 0)
    return total // 2


def sliding_windows(p: Any, spatial: Sequence[int | None], kernel: Any, strides: Any) -> tuple:
    """Windows of a convolution or pooling from Keras-style parameters."""
    rank = len(spatial)
    kernels, steps = _per_axis(kernel, rank), _per_axis(strides, rank)
    dilations = _per_axis(param(p, "dilation_rate", 1), rank)
    padding = str(param(p, "padding", "valid")).lower()
    windows = []
    for n, k, s, d in zip(spatial, kernels, steps, dilations):
        span = (k - 1) * d + 1
        pad = {"valid": 0, "causal": span - 1}.get(padding)
        windows.append(Window(k, s, same_pad_before(n, span, s) if pad is None else pad, d))
    return tuple(windows)


def _before_amounts(value: Any, rank: int) -> tuple[int, ...]:
    """The "before" amounts of Keras's padding/cropping forms: int, per-axis ints or pairs."""
    if isinstance(value, int):
        return (value,) * rank
    return tuple(v if isinstance(v, int) else v[0] for v in value)


def default_window(layer_type: Any, p: Any, shapes: Sequence, out: Sequence):
    """The window of a layer read from standard Keras parameter names (see module doc).

    Returns a tuple of :class:`Window` (one per spatial axis), None when each
    output depends on the whole input, or :class:`NotDefined`.
    """
    name = layer_type.type_name
    spatial = spatial_axes(shapes[0], p)
    if not spatial or name.startswith("Global"):
        return None
    if name.endswith("Transpose") or name.startswith("UpSampling"):
        return NotDefined("an upsampling layer has no fixed window: its field is not defined")
    kernel = param(p, "kernel_size") or param(p, "pool_size")
    if kernel is not None:
        strides = param(p, "strides")
        return sliding_windows(p, spatial, kernel, kernel if strides is None else strides)
    cropping = param(p, "cropping")
    if cropping is not None:
        return tuple(Window(1, 1, -c) for c in _before_amounts(cropping, len(spatial)))
    if name.startswith("ZeroPadding"):
        return tuple(Window(1, 1, c) for c in _before_amounts(p.padding, len(spatial)))
    if len(out) == len(shapes[0]) and spatial_axes(out, p) == spatial:
        return (IDENTITY,) * len(spatial)  # element-wise over positions
    return None


def chain(field: tuple[AxisField, ...], windows: Sequence[Window]) -> tuple[AxisField, ...]:
    """The field after applying one window per axis to the input's field."""
    result = []
    for f, w in zip(field, windows):
        padding = None if f.padding is None or w.pad_before is None else f.padding + w.pad_before * f.stride
        result.append(AxisField(f.size + (w.span - 1) * f.stride, f.stride * w.stride, padding))
    return tuple(result)


def union(fields: Sequence[tuple[AxisField, ...]]) -> tuple[tuple[AxisField, ...] | None, str | None]:
    """The union of several inputs' fields, and a note when they are not aligned.

    Different strides make no single window: the field is None then.
    """
    if len(fields) == 1:
        return fields[0], None
    if len({len(f) for f in fields}) > 1:
        return None, "inputs have different spatial ranks"
    result, offsets = [], []
    for axis, parts in enumerate(zip(*fields)):
        if len({a.stride for a in parts}) > 1:
            return None, (f"not aligned: the inputs' fields have different strides on axis {axis} "
                          f"({', '.join(str(a.stride) for a in parts)}), so no single window covers them")
        if any(a.padding is None for a in parts):
            result.append(AxisField(max(a.size for a in parts), parts[0].stride, None))
            continue
        start = min(-a.padding for a in parts)
        end = max(a.size - 1 - a.padding for a in parts)
        result.append(AxisField(end - start + 1, parts[0].stride, -start))
        centres = {a.size - 1 - 2 * a.padding for a in parts}  # twice the centre
        if len(centres) > 1:
            offsets.append(axis)
    note = None
    if offsets:
        note = (f"not aligned: the inputs' fields have different centres on axis "
                f"{', '.join(map(str, offsets))}; the field shown is their union")
    return tuple(result), note


def input_field(shape: Sequence) -> ReceptiveField:
    spatial = spatial_axes(shape)
    if not spatial:
        return ReceptiveField(None, GLOBAL)
    return ReceptiveField(tuple(AxisField(1, 1, 0) for _ in spatial))


def layer_field(result: Any, shapes: Sequence, inputs: Sequence[ReceptiveField]
                ) -> tuple[ReceptiveField, Diagnostic | None]:
    """One layer's field from its inputs' shapes and fields, with a diagnostic when paths disagree."""
    if result.layer_type.min_inputs == 0 and result.layer_type.max_inputs == 0:
        return input_field(result.output_shape), None
    blocked = next((f for f in inputs if f.axes is None), None)
    if blocked is not None:
        return ReceptiveField(None, blocked.note), None
    window = result.layer_type.window(result.params, shapes, result.output_shape)
    if window is None:
        return ReceptiveField(None, GLOBAL), None
    if isinstance(window, NotDefined):
        return ReceptiveField(None, window.reason), None
    fields = [chain(f.axes, window) if len(f.axes) == len(window) else None for f in inputs]
    if any(f is None for f in fields):
        return ReceptiveField(None, "the window's rank differs from the input's"), None
    axes, note = union(fields)
    if note is None:
        return ReceptiveField(axes), None
    severity = Severity.WARNING if axes is None else Severity.INFO
    diagnostic = Diagnostic(
        Code.RECEPTIVE_FIELD_NOT_ALIGNED,
        f"Receptive fields of the inputs of layer '{result.name}' are {note}.",
        severity=severity, layer=result.name, pointer=result.pointer,
        hint="paths merged here see the input differently; check their strides and padding")
    return ReceptiveField(axes, note), diagnostic


def ensure(analysis: Any) -> Any:
    """Compute the receptive fields of an analysis once (they are on demand, since they
    cost about a third of a check) and add their diagnostics in file order."""
    if not analysis.receptive_fields_done:
        analysis.receptive_fields_done = True
        found = compute(analysis)
        if found:
            from .compiler.passes import place_diagnostics

            analysis.diagnostics.extend(found)
            place_diagnostics(analysis)
    return analysis


def compute(analysis: Any) -> list[Diagnostic]:
    """Set ``receptive_field`` on every analysed layer; return the alignment diagnostics."""
    diagnostics = []
    for result in analysis.layers.values():
        if not result.ok:
            continue
        sources = [analysis.layers[i] for i in result.inputs]
        inputs = [s.receptive_field for s in sources]
        if any(f is None for f in inputs):
            continue
        try:
            result.receptive_field, diagnostic = layer_field(
                result, [s.output_shape for s in sources], inputs)
        except Exception:  # a plugin's window rule must not end the check
            result.receptive_field = ReceptiveField(None, "the layer type's window rule failed")
            continue
        if diagnostic is not None:
            result.diagnostics.append(diagnostic)
            diagnostics.append(diagnostic)
    return diagnostics
