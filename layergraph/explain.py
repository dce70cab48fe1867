"""Shape arithmetic you can teach with: how a layer's output shape follows from its input.

``explain(analysis, "conv1")`` gives lines such as ``height: (227 − 11) / 4 + 1 = 55``;
for a layer whose shape fails it gives the failing arithmetic. The CLI's
``layergraph explain`` prints them; the editor's inspector can show the same lines.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Sequence

from .compiler.analysis import Analysis, LayerResult
from .diagnostics import did_you_mean
from .errors import LayergraphError
from .fmt import fmt_shape
from .receptive_field import NotDefined, Window, spatial_axes

AXIS_NAMES = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}


class UnknownLayer(LayergraphError, LookupError):
    """The name is no layer or block instance of the analysis; ``hint`` suggests one."""

    def __init__(self, message: str, hint: str | None):
        super().__init__(message)
        self.hint = hint


def resolve(analysis: Analysis, name: str) -> LayerResult:
    """The layer called ``name`` (a block instance name means its output layer)."""
    if name in analysis.layers:
        return analysis.layers[name]
    for instance in analysis.blocks:
        if instance.name == name and instance.output in analysis.layers:
            return analysis.layers[instance.output]
    names = list(analysis.layers) + [b.name for b in analysis.blocks]
    raise UnknownLayer(f"No layer or block instance named '{name}' in the spec.",
                       did_you_mean(name, names))


def explain(analysis: Analysis, name: str) -> list[str]:
    """Lines explaining the output shape of layer ``name``, one per axis where it helps."""
    result = resolve(analysis, name)
    head = f"{result.name} ({result.type})"
    described = result.describe()
    head += f": {described}" if described else ""
    if result.layer_type is None or result.params is None:
        return [head, "  the layer's type or parameters are invalid, so its shape is unknown"]
    sources = [analysis.layers.get(i) for i in result.inputs]
    shapes = [s.output_shape if s is not None else None for s in sources]
    if any(s is None for s in shapes):
        return [head, "  an input's shape is unknown (an earlier layer has an error), "
                      "so this layer's is too"]
    out = result.output_shape
    lines = [f"{head}   {' + '.join(fmt_shape(s) for s in shapes) or '—'} → {fmt_shape(out)}"]
    return lines + [f"  {line}" for line in _axis_lines(result, shapes, out)]


def _axis_lines(result: LayerResult, shapes: Sequence, out) -> list[str]:
    p, name = result.params, result.type
    if not shapes:
        return ["the shape is declared by the input (batch axis left out)"]
    spatial = spatial_axes(shapes[0], p)
    window = _window(result, shapes, out)
    if isinstance(window, tuple) and window and (hasattr(p, "kernel_size") or hasattr(p, "pool_size")):
        return _sliding_lines(p, spatial, window, out) + _channel_line(p, shapes[0], out)
    if hasattr(p, "cropping") or name.startswith("ZeroPadding"):
        return _border_lines(p, spatial, cropping=hasattr(p, "cropping"))
    if name == "Dense":
        return [f"last axis: {shapes[0][-1]} → units = {p.units}; the other axes are kept"]
    if name == "Flatten":
        return [f"{' × '.join(map(str, shapes[0]))} = {out[0]}" if out and out[0] else
                "the product of the input's sizes"]
    if window is None and name.startswith("Global"):
        return ["the spatial axes are reduced to one value per channel"]
    return ["the output shape follows the input's"] if out == shapes[0] else []


def _window(result: LayerResult, shapes: Sequence, out) -> Any:
    try:
        return result.layer_type.window(result.params, shapes, out if out is not None else shapes[0])
    except Exception:  # a plugin's window rule: no arithmetic to show, not a crash
        return NotDefined("the window rule failed")


def _axis_names(rank: int) -> tuple[str, ...]:
    return AXIS_NAMES.get(rank, tuple(f"axis {i + 1}" for i in range(rank)))


def _sliding_lines(p: Any, spatial: Sequence, windows: Sequence[Window], out) -> list[str]:
    padding = str(getattr(p, "padding", "valid")).lower()
    names = _axis_names(len(spatial))
    width = max(len(n) for n in names) + 1
    return [f"{(axis + ':').ljust(width)} {axis_arithmetic(n, w, padding)}"
            for axis, n, w in zip(names, spatial, windows)]


def _span_text(w: Window) -> str:
    return str(w.kernel) if w.dilation == 1 else f"(({w.kernel} − 1)·{w.dilation} + 1)"


def axis_arithmetic(n: int | None, w: Window, padding: str = "valid") -> str:
    """One axis of a convolution or pooling: ``(227 − 11) / 4 + 1 = 55``, or why it fails."""
    if n is None:
        return "unknown input size, so the output size is unknown too"
    if padding == "same":
        out = math.ceil(n / w.stride)
        total = max((out - 1) * w.stride + w.span - n, 0)
        pads = f" (padding {total // 2} before, {total - total // 2} after)" if total else ""
        return f"⌈{n} / {w.stride}⌉ = {out}{pads}"
    pad = w.span - 1 if padding == "causal" else 0
    size = f"{n} + {pad}" if pad else str(n)
    exact = Fraction(n + pad - w.span, w.stride) + 1
    text = f"({size} − {_span_text(w)}) / {w.stride} + 1 = {_number(exact)}"
    if exact <= 0:
        return f"{text}: zero or negative — the window is larger than the input"
    if exact.denominator != 1:
        floor = math.floor(exact)
        left = n + pad - ((floor - 1) * w.stride + w.span)
        return (f"{text}: not an integer — Keras floors it to {floor}, so the last {left} "
                f"input position(s) on this axis are never used")
    return text


def _number(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


def _channel_line(p: Any, shape: Sequence, out) -> list[str]:
    if hasattr(p, "filters"):
        return [f"channels: filters = {p.filters}"]
    if getattr(p, "depth_multiplier", None):
        return [f"channels: {shape[-1]} × depth_multiplier {p.depth_multiplier} = {out[-1]}"]
    return [f"channels: {shape[-1]} (kept)"] if out is not None else []


def _border_lines(p: Any, spatial: Sequence, cropping: bool) -> list[str]:
    value = p.cropping if cropping else p.padding
    names = _axis_names(len(spatial))
    sign = "−" if cropping else "+"
    lines = []
    for i, (axis, n) in enumerate(zip(names, spatial)):
        before, after = _pair(value, i)
        total = None if n is None else (n - before - after if cropping else n + before + after)
        lines.append(f"{axis}: {n} {sign} {before} {sign} {after} = {total if total is not None else '?'}")
    return lines


def _pair(value: Any, axis: int) -> tuple[int, int]:
    if isinstance(value, int):
        return value, value
    item = value[axis]
    return (item, item) if isinstance(item, int) else (item[0], item[1])


def explain_text(analysis: Analysis, name: str) -> str:
    """The explanation with the layer's diagnostics under it, as one text."""
    lines = explain(analysis, name)
    result = resolve(analysis, name)
    lines += [f"  {d.severity.value}: {d.message}" for d in result.diagnostics]
    return "\n".join(lines) + "\n"
