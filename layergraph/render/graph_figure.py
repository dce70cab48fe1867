"""Graphviz's own drawing of the graph and blocks styles as a :class:`~.figure.Figure`.

``dot -Tjson`` lays the diagram out and lists, for the graph, every cluster, node
and edge, the drawing operations it would perform (xdot: polygons, Bézier
outlines, ellipses, text with its font). Turning those into Figure primitives
lets the TikZ writer draw the same picture as the PNG and SVG, with Graphviz's
positions, rounded boxes, edge splines and arrowheads. Text is re-centred on the
width Graphviz measured, because TeX's fonts are a little wider or narrower.
"""

from __future__ import annotations

import json

from ..fileio import OutputError
from .figure import Circle, Figure, Path, Polygon, Text
from .fonts import choose_font
from .output import run_dot

# Where each object keeps its drawing operations, in the order Graphviz paints them.
_DRAW_KEYS = ("_draw_", "_ldraw_", "_hdraw_", "_tdraw_", "_hldraw_", "_tldraw_")


def graph_figure(source: str, timeout: float, font: str | None = None
                 ) -> tuple[Figure, list[str]]:
    """(the figure Graphviz draws for DOT ``source``, characters no font can draw).

    ``font`` is the family asked for with ``--font``; by default one that covers the text.
    """
    answer = run_dot(source, "json", 72, timeout)
    try:
        return figure_from_layout(json.loads(answer), font)
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        # Another Graphviz version, or another program named by LAYERGRAPH_DOT.
        raise OutputError(f"Graphviz's layout (dot -Tjson) could not be read: "
                          f"{type(exc).__name__} {exc}; check `dot -V` (2.43 or newer)") from None


def figure_from_layout(laid_out: dict, font: str | None = None) -> tuple[Figure, list[str]]:
    """The Figure of a ``dot -Tjson`` layout (points, y turned to point down)."""
    x0, y0, x1, y1 = (float(v) for v in laid_out["bb"].split(","))
    pad = 72 * float(laid_out.get("pad", 0.0555))  # Graphviz's default pad is 4 pt
    height = y1 - y0 + 2 * pad

    def point(p) -> tuple[float, float]:
        return (round(p[0] - x0 + pad, 2), round(height - (p[1] - y0 + pad), 2))

    background = _colour(laid_out.get("bgcolor", "white")) or "white"
    painter = _Painter(point, background)
    for op in laid_out.get("_ldraw_", []):   # the title (the background is the Figure's own)
        painter.op(op, "title")
    # Clusters (outer ones first), then edges, then nodes: dot's order with outputorder=edgesfirst.
    objects = laid_out.get("objects", [])
    clusters = [o for o in objects if "nodes" in o or "subgraphs" in o]
    nodes = [o for o in objects if not ("nodes" in o or "subgraphs" in o)]
    for role, group in (("cluster", clusters), ("edge", laid_out.get("edges", [])),
                        ("node", nodes)):
        for obj in group:
            painter.object(obj, role)
    fonts, missing = choose_font([t.text for t in painter.items if isinstance(t, Text)], font)
    return Figure(round(x1 - x0 + 2 * pad, 1), round(height, 1), background, fonts,
                  painter.items), missing


def _colour(value: str) -> str | None:
    """A Graphviz colour as ``#rrggbb`` or a name; None when it paints nothing."""
    value = value.strip()
    if value in ("", "none", "transparent", "invis"):
        return None
    if value.startswith("#") and len(value) == 9:
        return None if value[7:] == "00" else value[:7]  # alpha dropped: figures are opaque
    return value


class _Painter:
    """Replays xdot operations, keeping the current pen, fill, font and line style."""

    def __init__(self, point, background: str):
        self.point, self.background = point, background
        self.items: list = []
        self.pen, self.fill, self.width, self.dashed = "black", "black", 1.0, False
        self.size, self.bold = 14.0, False

    def object(self, obj: dict, role: str) -> None:
        """Paint one cluster, edge or node; the totals under the picture are the footer."""
        if obj.get("name") == "cluster_footer":
            role = "footer"
        for key in _DRAW_KEYS:
            # Each list starts afresh, as in xdot; an edge's heads and tails are its arrows.
            self.pen, self.fill, self.width, self.dashed = "black", "black", 1.0, False
            self.size, self.bold = 14.0, False
            for op in obj.get(key, []):
                self.op(op, "arrow" if role == "edge" and key in ("_hdraw_", "_tdraw_") else role)

    def op(self, op: dict, role: str) -> None:
        kind = op["op"]
        if kind == "S":
            self._style(op["style"])
        elif kind == "c":
            self.pen = _colour(op["color"]) or "none"
        elif kind == "C":
            self.fill = _colour(op["color"]) or "none"
        elif kind == "F":
            self.size = float(op["size"])
        elif kind == "t":
            self.bold = bool(int(op["fontchar"]) & 1)
        elif kind == "T":
            self._text(op, role)
        elif kind in "PpLBbEe":
            self._shape(kind, op, role)

    def _style(self, style: str) -> None:
        if style.startswith("setlinewidth("):
            self.width = float(style[len("setlinewidth("):-1])
        elif style in ("dashed", "dotted"):
            self.dashed = True
        elif style == "solid":
            self.dashed = False

    def _text(self, op: dict, role: str) -> None:
        if not op["text"].strip():
            return  # the blank cells that keep a blocks-style box's rows aligned
        x, y = op["pt"]
        width = float(op.get("width", 0.0))
        # Centre on Graphviz's measured extent: TeX's glyphs differ slightly in width.
        centre = {"l": x + width / 2, "r": x - width / 2}.get(op.get("align"), x)
        self.items.append(Text(self.point((centre, y)), op["text"], self.size,
                               self.pen if self.pen != "none" else "black",
                               bold=self.bold, role=f"{role}-label"))

    def _shape(self, kind: str, op: dict, role: str) -> None:
        filled = kind in "PBE"
        fill = self.fill if filled else "none"
        stroke = self.pen
        if role == "cluster" and fill == self.background and stroke == "none":
            return  # an invisible band (a wrapped row): nothing to draw
        if fill == "none" and stroke == "none":
            return
        # Blocks are dashed boxes in notes, as textbooks draw them.
        dashed = self.dashed or (role == "cluster" and stroke != "none")
        if kind in "Ee":
            cx, cy, rx, ry = op["rect"]
            self.items.append(Circle(self.point((cx, cy)), round((rx + ry) / 2, 2),
                                     fill, stroke, role=role))
            return
        points = tuple(self.point(p) for p in op["points"])
        if kind in "Pp":
            self.items.append(Polygon(points, fill, stroke, dashed, self.width, role))
        else:
            self.items.append(Path(points, stroke, dashed, curve=kind in "Bb", width=self.width,
                                   role=role, fill=fill, closed=filled))
