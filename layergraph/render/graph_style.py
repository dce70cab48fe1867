"""The ``graph`` style: one rounded box per layer, coloured by family.

A layer's box shows its name, type and compact hyper-parameters, its output size
and parameter count; a collapsed block shows what it contains
(``3×Conv2D 256 + MaxPool``) and "×N" when it stands for N repeats. Edges carry
the tensor sizes when the graph is small enough for the labels to help.
"""

from __future__ import annotations

from ..compiler.analysis import Analysis
from .common import NodeDraw, base_node_attrs, error_lines, hyper_text, node_errors
from .describe import item_summary, run_title
from .labels import (MAX_MESSAGE_CHARS, MAX_NAME_CHARS, dims, font, html_label, html_text,
                     params_text, table, wrap)
from .options import RenderOptions
from .scene import DrawNode, Edge
from .textsize import Line, lines_size
from .theme import Theme

# Edge labels repeat what the boxes say; above this many nodes they only cost space.
EDGE_LABEL_MAX_NODES = 60


class GraphStyle:
    """Labels and attributes of the graph style."""

    name = "graph"
    ranksep = 0.42
    nodesep = 0.22

    def __init__(self, analysis: Analysis, theme: Theme, options: RenderOptions, node_count: int):
        self.analysis, self.theme, self.options = analysis, theme, options
        self.edge_labels = options.shows("shapes") and node_count <= EDGE_LABEL_MAX_NODES

    def node_defaults(self) -> dict[str, str]:
        return {"shape": "box", "margin": "0.10,0.05", "penwidth": "1.2",
                "fontname": self.theme.font, "fontsize": f"{self.theme.text_size:g}"}

    def lines(self, node: DrawNode) -> list[Line]:
        """The label's lines as plain text, errors last (the editor's text preview shows them too)."""
        lines = self._group_lines(node) if node.kind == "group" else self._layer_lines(node)
        errors = node_errors(node, self.analysis)
        return lines + [Line(text, self.theme.small_size, error=True) for text in error_lines(errors)]

    def node(self, node: DrawNode) -> NodeDraw:
        lines = self.lines(node)
        errors = node_errors(node, self.analysis)
        label = self._html(lines)
        family = "group" if node.kind == "group" else self.analysis.layers[node.main].family
        attrs = base_node_attrs(node, self.analysis, self.theme, family)
        if not errors:
            attrs["style"] = "rounded," + attrs["style"]
        if node.count > 1:
            attrs["penwidth"] = "2.4"
        width, height = lines_size(lines, pad_x=0.14, pad_y=0.08)
        return NodeDraw(label, attrs, (max(width, 0.75), max(height, 0.4)))

    # -- label lines (plain text, escaped when the HTML is built) --------------------------

    def _layer_lines(self, node: DrawNode) -> list[Line]:
        t = self.theme
        first = self.analysis.layers[node.main]
        last = self.analysis.layers[node.output]
        name = run_title(first.name, last.name, node.count)
        lines = [Line(name, t.name_size, bold=True)]
        kind = first.type
        if self.options.shows("hyperparams") and hyper_text(first):
            kind += f"  {hyper_text(first)}"
        if node.count > 1:
            kind = f"{node.count}× {kind}"
        lines.append(Line(kind, t.text_size))
        lines.append(Line(self._facts(node, last.name), t.small_size))
        return [line for line in lines if line.text]

    def _group_lines(self, node: DrawNode) -> list[Line]:
        t = self.theme
        groups = node.groups
        name = run_title(groups[0].name, groups[-1].name, len(groups))
        if len(groups) > 1:
            name += f"  ×{len(groups)}"
        lines = [Line(name, t.name_size, bold=True)]
        if self.options.shows("hyperparams"):
            main, extra = item_summary(node.members[0], self.analysis)
            lines += [Line(text, t.text_size) for text in wrap(main, 44, 3)]
            if extra:
                lines.append(Line(extra, t.small_size))
        lines.append(Line(self._facts(node, node.output, arrow=True), t.small_size))
        return [line for line in lines if line.text]

    def _facts(self, node: DrawNode, output: str, arrow: bool = False) -> str:
        """``55×55×96 · 34.94 k params`` (what the options leave visible)."""
        parts = []
        if self.options.shows("shapes"):
            shape = self.analysis.layers[output].output_shape
            text = dims(shape) if shape is not None else "shape unknown"
            parts.append(("→ " if arrow else "") + text)
        if self.options.shows("params"):
            counts = [self.analysis.layers[name].param_count for name in node.layers]
            total = None if any(c is None for c in counts) else sum(counts)
            if params_text(total):
                parts.append(params_text(total, self.options.lang))
        return " · ".join(parts)

    def _html(self, lines: list[Line]) -> str:
        t = self.theme
        rows = []
        for line in lines:
            colour = t.error_text if line.error else (t.muted if line.size < t.text_size else None)
            limit = MAX_MESSAGE_CHARS if line.error else MAX_NAME_CHARS
            rows.append(font(html_text(line.text, limit), line.size, colour, bold=line.bold))
        return html_label(table(rows))

    # -- edges -----------------------------------------------------------------------------

    def edge(self, edge: Edge) -> dict[str, str]:
        attrs: dict[str, str] = {}
        if self.edge_labels:
            shape = self.analysis.layers[edge.tensor].output_shape
            attrs["label"] = html_label(font(html_text(dims(shape)), self.theme.small_size,
                                             self.theme.muted))
        return attrs

    def edge_label_size(self) -> float:
        """Extra rank separation that edge labels need, in inches."""
        return 0.75 if self.edge_labels else 0.0
