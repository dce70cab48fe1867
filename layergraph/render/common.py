"""What the two styles share: a drawn node, layer facts, error marks and tooltips."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..compiler.analysis import Analysis, LayerResult
from .labels import clean, dot_text, wrap
from .scene import DrawNode
from .theme import Theme


@dataclass
class NodeDraw:
    """A node ready for Graphviz: HTML label, attributes, and its estimated size in inches."""

    label: str
    attrs: dict[str, str] = field(default_factory=dict)
    size: tuple[float, float] = (1.0, 0.5)
    port: str | None = None              # edges attach here (blocks style: the tensor box)


def hyper_text(result: LayerResult) -> str:
    """Compact hyper-parameters plus the activation when describe() leaves it out."""
    text = result.describe()
    activation = getattr(result.params, "activation", None) if result.params is not None else None
    if (isinstance(activation, str) and activation not in ("linear", "")
            and result.type != "Activation" and activation not in text):
        text = f"{text}, {activation}" if text else activation
    return text


def own_errors(result: LayerResult) -> list:
    return [d for d in result.diagnostics if d.is_error]


def node_errors(node: DrawNode, analysis: Analysis) -> list:
    """The error diagnostics of the layers a node stands for, first layer first."""
    return [d for name in node.layers for d in own_errors(analysis.layers[name])]


def node_unknown(node: DrawNode, analysis: Analysis) -> bool:
    """True when a layer's shape is unknown only because something upstream failed."""
    return any(analysis.layers[name].output_shape is None for name in node.layers)


def error_lines(errors: list, width: int = 44, max_lines: int = 3) -> list[str]:
    """The first error as at most ``max_lines`` lines: ``LG401 shape mismatch…``."""
    if not errors:
        return []
    first = errors[0]
    text = f"{first.code.value}: {clean(first.message, 300)}"
    lines = wrap(text, width, max_lines)
    if len(errors) > 1:
        lines.append(f"(+{len(errors) - 1} more)")
    return lines


def tooltip(node: DrawNode, analysis: Analysis) -> object:
    """Hover text for SVG output: names, types, descriptions, every error message."""
    parts = []
    if node.groups:
        for group in node.groups[:3]:
            parts.append(group.title() + (f": {group.description}" if group.description else ""))
        if len(node.groups) > 3:
            parts.append(f"… and {len(node.groups) - 3} more")
    else:
        result = analysis.layers[node.main]
        parts.append(f"{result.name} ({result.type})")
        if result.description:
            parts.append(result.description)
    for error in node_errors(node, analysis)[:5]:
        parts.append(error.format())
    return dot_text("\n".join(parts))


def base_node_attrs(node: DrawNode, analysis: Analysis, theme: Theme, family: str) -> dict:
    """Fill, border and style for a node, red (and diagonal corners) when it is broken."""
    style = theme.family(family)
    attrs = {"fillcolor": style.fill, "color": style.border, "fontcolor": theme.text,
             "tooltip": tooltip(node, analysis)}
    styles = ["filled"]
    if node_errors(node, analysis):
        attrs.update(fillcolor=theme.error_fill, color=theme.error_border, penwidth="2.2")
        styles.append("diagonals")
    elif node_unknown(node, analysis):
        styles.append("dashed")
    elif style.style != "solid":
        styles.append(style.style)
    attrs["style"] = ",".join(styles)
    return attrs
