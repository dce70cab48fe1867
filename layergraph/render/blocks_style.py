"""The ``blocks`` style: the textbook figure of a CNN, tensors as boxes left to right.

Each box is one layer's output tensor: its height grows with the spatial size and
its width with the channels, both on a log scale (224 px and 7 px, or 3 and 512
channels, must fit in one picture). Above the box: the layer and the kernel
that produced the tensor (``conv1`` / ``11×11 /4, 96``); below: its size
(``55×55×96``). Normalisation, activation and dropout layers are written into
the box they follow instead of getting their own; ``Add`` and the other
element-wise merges are small circles (⊕). The text above and below a box has
the same height, so box centres line up like in the lecture figures.
"""

from __future__ import annotations

import math

from ..compiler.analysis import Analysis
from .common import NodeDraw, base_node_attrs, error_lines, hyper_text, node_errors
from .describe import item_summary, run_title, short_type
from .labels import dims, font, html_label, html_text, wrap
from .options import RenderOptions
from .scene import DrawNode, Edge
from .textsize import Line, lines_size
from .theme import Theme

POINTS = 72.0


def _merge_symbol(result) -> str | None:
    """The symbol drawn in a merge's circle (a fact on the layer's class), if it has one."""
    return result.layer_type.merge_symbol if result.layer_type is not None else None


def box_size(shape, rankdir: str) -> tuple[float, float]:
    """(width, height) in inches of the box drawn for a tensor of ``shape``.

    Spatial size sets the extent across the flow, channels the extent along it;
    a vector is a thin bar whose length grows with its size.
    """
    if not shape:
        along, across = 0.18, 0.5
    elif len(shape) == 1:
        along, across = 0.12, 0.3 + 0.16 * _log(shape[0])
    else:
        along = 0.1 + 0.065 * _log(shape[-1])
        across = 0.25 + 0.3 * _log(shape[0])
    across = min(across, 3.2)
    return (along, across) if rankdir == "LR" else (across, along)


def _log(size) -> float:
    return math.log2(size) if isinstance(size, int) and size > 1 else 0.0


class BlocksStyle:
    """Labels and attributes of the blocks style."""

    name = "blocks"
    ranksep = 0.3
    nodesep = 0.25

    def __init__(self, analysis: Analysis, theme: Theme, options: RenderOptions, node_count: int):
        self.analysis, self.theme, self.options = analysis, theme, options

    def node_defaults(self) -> dict[str, str]:
        return {"shape": "plain", "fontname": self.theme.font,
                "fontsize": f"{self.theme.text_size:g}"}

    def node(self, node: DrawNode) -> NodeDraw:
        first = self.analysis.layers[node.main]
        if node.kind == "layer" and _merge_symbol(first) and not node.folded:
            return self._merge(node)
        top, bottom = self.text(node)
        family = "group" if node.kind == "group" else first.family
        shape = self.analysis.layers[node.output].output_shape
        box_w, box_h = box_size(shape, self.options.rankdir)
        attrs = base_node_attrs(node, self.analysis, self.theme, family)
        box = self._box(box_w, box_h, attrs, node)
        if self.options.rankdir == "LR":
            top, bottom = _balance(top, bottom)
            label = self._column(top, box, bottom)
            text_w, text_h = lines_size(top + bottom, pad_x=0.04, pad_y=0.03)
            size = (max(text_w, box_w), text_h + box_h)
        else:  # top to bottom: text beside the box, out of the edges' way
            label, size = self._row(top, box, bottom, box_w, box_h)
        tooltip = attrs.pop("tooltip")
        return NodeDraw(label, {"tooltip": tooltip}, size, port="t")

    # -- text ------------------------------------------------------------------------------

    def text(self, node: DrawNode) -> tuple[list[Line], list[Line]]:
        """The lines above and below the tensor box, plain text (the editor's preview shows them)."""
        t = self.theme
        if node.kind == "group":
            groups = node.groups
            name = run_title(groups[0].name, groups[-1].name, len(groups))
            name += f"  ×{len(groups)}" if len(groups) > 1 else ""
            ops, extra = item_summary(node.members[0], self.analysis)
            top = [Line(name, t.text_size, bold=True)]
            if self.options.shows("hyperparams"):
                top += [Line(text, t.small_size) for text in wrap(ops, 30, 2)]
        else:
            first = self.analysis.layers[node.main]
            last = self.analysis.layers[node.layers[-1] if not node.folded else node.main]
            name = run_title(first.name, last.name, node.count)
            op = short_type(first)
            if self.options.shows("hyperparams") and hyper_text(first):
                op += f" {hyper_text(first)}"
            if node.count > 1:
                op = f"{node.count}× {op}"
            top = [Line(name, t.text_size, bold=True), Line(op, t.small_size)]
            extra = " + ".join(short_type(self.analysis.layers[n]) for n in node.folded)
            extra = f"+ {extra}" if extra else ""
        bottom = []
        if self.options.shows("shapes"):
            bottom.append(Line(dims(self.analysis.layers[node.output].output_shape), t.text_size))
        if extra:
            bottom.append(Line(extra, t.small_size))
        errors = error_lines(node_errors(node, self.analysis), width=34)
        bottom += [Line(text, t.small_size, error=True) for text in errors]
        return top, bottom

    def _box(self, box_w: float, box_h: float, attrs: dict, node: DrawNode) -> str:
        """The tensor itself: a filled cell of the computed size, the edges' port."""
        broken = bool(node_errors(node, self.analysis))
        border = "2" if node.count > 1 or broken else "1"
        style = ' STYLE="dashed"' if "dashed" in attrs["style"] else ""
        return (f'<TD PORT="t" FIXEDSIZE="TRUE" WIDTH="{box_w * POINTS:.0f}" '
                f'HEIGHT="{box_h * POINTS:.0f}" BGCOLOR="{attrs["fillcolor"]}" '
                f'COLOR="{attrs["color"]}" BORDER="{border}"{style}> </TD>')

    def _column(self, top: list[Line], box: str, bottom: list[Line]) -> str:
        """Left to right: text above and below the box (balanced, so boxes line up)."""
        rows = [self._cell(line) for line in top] + [box] + [self._cell(line) for line in bottom]
        body = "".join(f"<TR>{row}</TR>" for row in rows)
        return html_label(f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
                          f"{body}</TABLE>")

    def _row(self, left: list[Line], box: str, right: list[Line], box_w: float,
             box_h: float) -> tuple[str, tuple[float, float]]:
        """Top to bottom: name and kernel left of the box, size right of it.

        Both sides get the same width so that the boxes of a column line up.
        """
        text_w = max(lines_size(left)[0], lines_size(right)[0]) + 0.1
        width = f' WIDTH="{text_w * POINTS:.0f}"'
        cells = [f'<TD{width} ALIGN="RIGHT"><TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1">'
                 + "".join(f'<TR><TD ALIGN="RIGHT">{self._text_html(line)}</TD></TR>'
                           for line in left) + "</TABLE></TD>",
                 box,
                 f'<TD{width} ALIGN="LEFT"><TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1">'
                 + "".join(f'<TR><TD ALIGN="LEFT">{self._text_html(line)}</TD></TR>'
                           for line in right or [Line("", self.theme.small_size)])
                 + "</TABLE></TD>"]
        label = html_label('<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="1">'
                           f'<TR>{"".join(cells)}</TR></TABLE>')
        height = max(box_h, lines_size(left)[1], lines_size(right)[1])
        return label, (2 * text_w + box_w, height)

    def _cell(self, line: Line) -> str:
        return f"<TD>{self._text_html(line)}</TD>"

    def _text_html(self, line: Line) -> str:
        t = self.theme
        colour = t.error_text if line.error else (t.muted if line.size < t.text_size else None)
        text = html_text(line.text, 60) if line.text else " "
        return font(text, line.size, colour, bold=line.bold)

    def _merge(self, node: DrawNode) -> NodeDraw:
        """Element-wise merges as a small circle with their operator (red "!" if broken)."""
        first = self.analysis.layers[node.main]
        attrs = base_node_attrs(node, self.analysis, self.theme, first.family)
        broken = bool(node_errors(node, self.analysis))
        symbol, colour = ("!", self.theme.error_text) if broken else (
            _merge_symbol(first), None)
        label = html_label(font(html_text(symbol), self.theme.name_size, colour, bold=True))
        attrs.update(shape="circle", width="0.36", height="0.36", fixedsize="true")
        return NodeDraw(label, attrs, (0.36, 0.36))

    # -- edges -----------------------------------------------------------------------------

    def edge(self, edge: Edge) -> dict[str, str]:
        return {}

    def edge_label_size(self) -> float:
        return 0.0


def _balance(top: list[Line], bottom: list[Line]) -> tuple[list[Line], list[Line]]:
    """Pad the shorter side with blank lines so the box sits in the middle of its node."""
    while len(top) < len(bottom):
        top.append(Line("", bottom[len(top)].size))
    while len(bottom) < len(top):
        bottom.append(Line("", top[len(bottom)].size))
    return top, bottom
