"""The diagram as text, for terminals without inline images (and for tests).

It draws the scene a rendered figure would draw (:func:`layergraph.render.scene.build_scene`:
the same collapsed repeats, the same folded BN/ReLU in the blocks style), node by node
down the page, with the connections drawn as lanes (:mod:`layergraph.tui.lanes`) and
each node's lines written by the render style itself, so names, types, sizes and the
error marks say what the picture says. Pure functions, no Textual.
"""

from __future__ import annotations

import math

from rich.text import Text

from ..compiler.analysis import Analysis
from ..render.options import RenderOptions
from ..render.scene import DrawNode, Scene, build_scene
from ..render.theme import get_theme
from .lanes import NODE, graph_lanes, lane_continuation

BROKEN = "✗"
BAR_WIDTH = 24  # volumes: the widest tensor's bar, in cells


def diagram_text(analysis: Analysis, options: RenderOptions) -> Text:
    """The whole diagram of ``analysis`` in ``options.style`` and ``options.theme``."""
    scene = build_scene(analysis, options, fold_minor=options.style != "graph")
    ids = list(scene.nodes)
    inputs = _node_inputs(scene)
    gutters = graph_lanes(ids, [inputs[i] for i in ids])
    fed = {tail for sources in inputs.values() for tail in sources}
    lines_of = _line_writer(analysis, options)
    palette = _palette(options.theme)
    largest = _largest_tensor(analysis) if options.style == "volumes" else 0
    out = Text(no_wrap=True)
    out.append((options.title or analysis.name or "graph") + "\n", style="bold")
    for node_id, gutter in zip(ids, gutters):
        node = scene.nodes[node_id]
        lines = lines_of(node)
        broken = any(line.error for line in lines)
        below = lane_continuation(gutter, node_id in fed)
        for k, line in enumerate(lines[1:]):
            lane = gutter.replace(NODE, BROKEN) if broken and k == 0 else (gutter if k == 0 else below)
            out.append(lane + " ", style=palette["error" if broken and k == 0 else "lane"])
            if k == 0:  # the name, then what it is, on the node's own line
                out.append(lines[0].text + "  ", style=palette["name"])
            out.append(line.text, style=_line_style(line, k, palette))
            out.append("\n")
        bar = _volume_bar(analysis, node, largest)
        if bar:
            out.append(below + " ", style=palette["lane"])
            out.append(bar + "\n", style=palette["bar"])
    return out


def _node_inputs(scene: Scene) -> dict[str, list[str]]:
    """Each node's feeding nodes, from the scene's forward edges (back edges are not drawn)."""
    inputs: dict[str, list[str]] = {node_id: [] for node_id in scene.nodes}
    for edge in scene.edges:
        if not edge.back and edge.head in inputs:
            inputs[edge.head].append(edge.tail)
    return inputs


def _line_writer(analysis: Analysis, options: RenderOptions):
    """``node → lines``: the graph style's label lines, or the blocks style's text."""
    theme = get_theme(options.theme)
    if options.style == "graph":
        from ..render.graph_style import GraphStyle

        style = GraphStyle(analysis, theme, options, 0)
        return style.lines
    from ..render.blocks_style import BlocksStyle

    blocks = BlocksStyle(analysis, theme, options, 0)

    def lines(node: DrawNode):
        top, bottom = blocks.text(node)
        return top + bottom
    return lines


def _line_style(line, index: int, palette: dict[str, str]) -> str:
    """Errors stand out, what a node is reads plainly, its sizes and extras are muted."""
    if line.error:
        return palette["error"]
    return palette["text"] if index == 0 else palette["muted"]


def _palette(theme: str) -> dict[str, str]:
    """Rich styles per theme: print is black and white, dark and light pick readable colours."""
    if theme == "print":
        return {"lane": "", "name": "bold", "text": "", "muted": "dim", "error": "bold reverse",
                "bar": ""}
    if theme == "dark":
        return {"lane": "bright_cyan", "name": "bold bright_white", "text": "white", "muted": "grey70",
                "error": "bold bright_red", "bar": "bright_blue"}
    return {"lane": "cyan", "name": "bold", "text": "", "muted": "dim", "error": "bold red",
            "bar": "blue"}


def _size(shape) -> int:
    """Elements in a tensor of ``shape``; 0 when a size is unknown."""
    if not shape or any(not isinstance(d, int) or d <= 0 for d in shape):
        return 0
    return math.prod(shape)


def _largest_tensor(analysis: Analysis) -> int:
    return max((_size(r.output_shape) for r in analysis.layers.values()), default=0)


def _volume_bar(analysis: Analysis, node: DrawNode, largest: int) -> str:
    """Volumes: a bar as long as the output tensor is large (log scale), so the pyramid shows."""
    size = _size(analysis.layers[node.output].output_shape)
    if not largest or not size:
        return ""
    cells = max(1, round(BAR_WIDTH * math.log2(1 + size) / math.log2(1 + largest)))
    return "█" * cells
