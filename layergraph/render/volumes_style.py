"""The ``volumes`` style: the AlexNet-paper figure, every tensor a 3-D box.

Each drawn node is its output tensor in oblique (cabinet) projection: height and
depth from the spatial size H and W, thickness from the channels, on square-root
scales with clamps so 227×227×3 and 6×6×256 both read. Pooling outputs are thin
slabs, dense outputs tall bars, other vectors flat strips, sequences (T×C) flat
boxes. The kernel of a convolution is a small box on the volume it reads, with
dashed projection lines to the volume it makes. Merges are ⊕ / ‖ circles; an edge
that jumps over volumes (a skip connection) is an arc above them. Nodes are
placed in columns by longest path; a column's nodes (Inception branches) are
stacked in spec order. Long chains wrap into rows at columns nothing jumps over.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

from ..compiler.analysis import Analysis
from .describe import run_title
from .figure import Circle, Figure, Path, Point, Polygon, Text
from .fonts import choose_font
from .labels import CaptionCutWarning, clean, dims, say, wrap_to_width
from .options import RenderOptions
from .scene import DrawNode, Scene, build_scene
from .textsize import text_width
from .theme import Theme

DEPTH = 0.38          # cabinet projection: depth drawn at this fraction, at 45°
MERGES = {"Add": "+", "Multiply": "×", "Subtract": "−", "Average": "avg", "Maximum": "max",
          "Minimum": "min", "Concatenate": "‖"}
GAP, ROW_GAP, MARGIN, NAME, SMALL = 26.0, 34.0, 18.0, 9.0, 8.0
MAX_ROW_WIDTH = 1100.0
U_ASPECT = 16 / 9        # the width : height a wide U is deepened towards (a slide's)
U_GAP = 14.0             # between a U's columns: its arms are staircases of labels, keep them tight
U_ARROW = 26.0           # room for the arrow from one level of a U down (or up) to the next
U_MAX_EXTRA = 160.0      # a U is deepened by at most this much per level, so it never gets lanky
U_SKIP_ROOM = 60.0       # room above a U's top level for the longest skip arc
U_FOOTER = 40.0          # what the footer adds under the drawing
CAPTION_LINE = 12.0         # the caption's line height
CAPTION_MIN_WIDTH = 420.0   # a narrow drawing still gets a caption this wide
CAPTION_MAX_LINES = 12
NOTE_MAX_LINES = 8
STACK = 4.8 * NAME + 8   # room for the labels above and below a stacked volume


def _spatial(size) -> float:
    return 10.0 if not isinstance(size, int) or size < 1 else min(max(7.0 * math.sqrt(size), 8.0), 110.0)


def _channels(size) -> float:
    return 6.0 if not isinstance(size, int) or size < 1 else min(max(1.6 * math.sqrt(size), 3.0), 60.0)


def _vector(size) -> float:
    return 30.0 if not isinstance(size, int) or size < 1 else min(max(8.0 * math.log2(size + 1), 12.0), 110.0)


@dataclass(frozen=True)
class Box:
    """A volume's drawn extents in points: thickness (x), height (y), depth (oblique)."""

    t: float
    h: float
    d: float
    kind: str = "volume"       # volume | slab | bar | strip | merge | unknown

    @property
    def width(self) -> float:
        return self.t + self.d * DEPTH

    @property
    def height(self) -> float:
        return self.h + self.d * DEPTH


def box_for(shape, family: str, merge: bool = False) -> Box:
    """The box drawn for a tensor of ``shape`` made by a layer of ``family``."""
    if merge:
        return Box(18.0, 18.0, 0.0, "merge")
    if shape is None:
        return Box(12.0, 40.0, 40.0, "unknown")
    if len(shape) == 0:
        return Box(6.0, 6.0, 6.0, "strip")
    if len(shape) == 1:
        if family == "dense":
            return Box(9.0, _vector(shape[0]), 9.0, "bar")
        return Box(4.0, _vector(shape[0]), 3.0, "strip")
    if len(shape) == 2:   # a sequence: steps × features, a flat box
        return Box(_channels(shape[1]), _spatial(shape[0]), 5.0, "volume")
    h, w, c = shape[-3], shape[-2], shape[-1]
    t = 3.0 if family == "pooling" else _channels(c)
    return Box(t, _spatial(h), _spatial(w), "slab" if family == "pooling" else "volume")


@dataclass
class Placed:
    node: DrawNode
    box: Box
    column: int
    key: str = ""             # the scene node's key, as edges name it
    col_left: float = 0.0     # the column it stands in, words included
    col_right: float = 0.0
    x: float = 0.0            # left of the front face
    y: float = 0.0            # top of the front face
    label_w: float = 0.0

    def right_mid(self) -> tuple[float, float]:
        return self.x + self.box.t, self.y + self.box.h / 2

    def left_mid(self) -> tuple[float, float]:
        return self.x, self.y + self.box.h / 2

    def top_mid(self) -> tuple[float, float]:
        return self.x + self.box.width / 2, self.y - self.box.d * DEPTH

    def centre_x(self) -> float:
        """The x its labels are centred on."""
        return self.x + self.box.width / 2

    def labels_y(self) -> float:
        """The baseline of the label right above it (ghosts of a ×N node lift it)."""
        return self.y - self.box.d * DEPTH - 4 - 5 * min(max(self.node.count - 1, 0), 2)


class VolumesStyle:
    """Builds the :class:`Figure` of an analysis in the volumes style."""

    def __init__(self, analysis: Analysis, theme: Theme, options: RenderOptions):
        self.analysis, self.theme, self.options = analysis, theme, options
        self.scene: Scene = build_scene(analysis, options, fold_minor=True)

    # -- facts about nodes -------------------------------------------------------------

    def _result(self, node: DrawNode):
        return self.analysis.layers[node.main]

    def _is_merge(self, node: DrawNode) -> bool:
        return node.kind == "layer" and self._result(node).type in MERGES and not node.members

    def _shape(self, node: DrawNode):
        return self.analysis.layers[node.output].output_shape

    def _name(self, node: DrawNode) -> str:
        if node.groups:
            g = node.groups
            title = run_title(g[0].name, g[-1].name, len(g))
            return title + (f" ×{len(g)}" if len(g) > 1 else "")
        name = run_title(node.main, node.layers[-1] if not node.folded else node.main, node.count)
        return name + (f" ×{node.count}" if node.count > 1 else "")

    def _op(self, node: DrawNode) -> str:
        if node.groups or not self.options.shows("hyperparams"):
            return ""
        r = self._result(node)
        kernel = _kernel(r)
        if r.family == "conv" and kernel:
            stride = _pair(getattr(r.params, "strides", 1))
            text = f"{kernel[0]}×{kernel[1]}" + (f"/{stride[0]}" if stride[0] > 1 else "")
            return text
        if r.family == "pooling" and kernel:
            return f"{r.type.replace('Pooling2D', '').replace('Pooling1D', '').lower()} {kernel[0]}×{kernel[1]}"
        if r.family == "dense":
            return "dense"
        return ""

    def _errors(self, node: DrawNode) -> bool:
        return any(d.is_error for n in node.layers for d in self.analysis.layers[n].diagnostics)

    # -- layout ------------------------------------------------------------------------

    def _columns(self) -> dict[str, Placed]:
        order = list(self.scene.nodes)
        column: dict[str, int] = {}
        incoming: dict[str, list[str]] = {k: [] for k in order}
        for e in self.scene.edges:
            if not e.back:
                incoming[e.head].append(e.tail)
        for k in order:
            column[k] = max((column[t] + 1 for t in incoming[k] if t in column), default=0)
        placed = {}
        for k in order:
            node = self.scene.nodes[k]
            shape = self._shape(node)
            box = box_for(shape, "group" if node.groups else self._result(node).family,
                          self._is_merge(node))
            # As drawn: the name bold at NAME, the operation and dimensions at SMALL.
            label_w = max(text_width(self._name(node), NAME, bold=True),
                          text_width(self._op(node), SMALL), text_width(dims(shape), SMALL)) * 72
            placed[k] = Placed(node, box, column[k], key=k, label_w=min(label_w, 220.0))
        return placed

    def _rows(self, placed: dict[str, Placed]) -> list[list[int]]:
        """Columns split into rows where no edge jumps across, balanced, no lonely rows."""
        widths = _column_widths(placed)
        columns = sorted(widths)
        # A row may start at column c only when one tensor, from column c-1, flows into it
        # (and perhaps on, past it, into merges: a transformer's residuals, drawn as skips
        # that come down into the next row).
        crossing = set()
        for c in columns:
            into = [e for e in self.scene.edges
                    if placed[e.tail].column < c <= placed[e.head].column]
            onward = [e for e in into if placed[e.head].column > c]
            if (len(into) - len(onward) != 1 or len({e.tail for e in into}) != 1
                    or placed[into[0].tail].column != c - 1
                    or not all(self._is_merge(placed[e.head].node) for e in onward)):
                crossing.add(c)
        total = sum(widths.values()) + GAP * len(columns)
        if self.options.rows == 0 and self.u_levels(placed):
            return [columns]     # a U is drawn whole: its shape is the point
        if self.options.rows == 1 or (self.options.rows == 0 and total <= MAX_ROW_WIDTH):
            return [columns]
        want = self.options.rows or math.ceil(total / MAX_ROW_WIDTH)
        target = total / want
        rows, row, width = [], [], 0.0
        for c in columns:
            if row and width >= target and c not in crossing and len(rows) < want - 1:
                rows.append(row)
                row, width = [], 0.0
            row.append(c)
            width += widths[c] + GAP
        rows.append(row)
        last = sum(widths[c] + GAP for c in rows[-1]) if rows else 0.0
        if len(rows) > 1 and (len(rows[-1]) < 2 or last < 0.35 * target):  # no lonely tail row
            tail = rows.pop()
            rows[-1] += tail
        return rows

    def _place(self, placed: dict[str, Placed], rows: list[list[int]], top: float) -> tuple[float, float]:
        """Positions every volume; returns the bottom of the drawing and its width."""
        levels = self.u_levels(placed) if len(rows) == 1 else None
        if levels:
            return self._place_u(placed, levels, top)
        y_row = top
        width = 0.0
        self._row_top = []
        for row in rows:
            self._row_top.append(y_row)
            stacks = {c: [p for p in placed.values() if p.column == c] for c in row}
            above = max(_reach(ps)[0] for ps in stacks.values())
            below = max(_reach(ps)[1] for ps in stacks.values())
            skip_room = 40.0 if self._has_skip(placed, row) else 0.0
            # A skip from a lower branch is an arc under the row: the next row starts below it.
            below += 30.0 if len(rows) > 1 and self._has_skip_below(placed, row) else 0.0
            x = MARGIN
            centre = y_row + skip_room + above
            for c in row:
                col_w = _stack_width(stacks[c])
                _put_column(stacks[c], x, col_w, centre)
                x += col_w + GAP
            width = max(width, x)
            y_row += skip_room + above + below + ROW_GAP
        return y_row, width

    def _place_u(self, placed: dict[str, Placed], levels: dict[int, int], top: float) -> tuple[float, float]:
        """An encoder–decoder as a compact U: each level's row starts directly below (going
        down) or above (coming back up) the last volume of the level before it, so the arms
        are staircases and the skips run across between them; the bottleneck is at the bottom."""
        self._row_top = [top]
        columns = sorted(levels)
        stacks = {c: [p for p in placed.values() if p.column == c] for c in columns}
        widths = {c: _stack_width(stacks[c]) for c in columns}
        left = _u_lefts(columns, widths, levels)
        width = max(left[c] + widths[c] for c in columns) + GAP
        reach = {c: _reach(stacks[c]) for c in columns}
        deepest = max(levels.values())
        above = [max((reach[c][0] for c in columns if levels[c] == k), default=0.0)
                 for k in range(deepest + 1)]
        below = [max((reach[c][1] for c in columns if levels[c] == k), default=0.0)
                 for k in range(deepest + 1)]
        # Between two levels: the lower one's labels, the upper one's dimensions and an arrow.
        need = [below[k] + U_ARROW + above[k + 1] for k in range(deepest)]
        skip_room = U_SKIP_ROOM if self._has_skip(placed, columns) else 0.0
        natural = top + skip_room + above[0] + sum(need) + below[-1] + U_FOOTER
        extra = min(max((width / U_ASPECT - natural) / max(deepest, 1), 0.0), U_MAX_EXTRA)
        centre = [top + skip_room + above[0]]
        for k in range(deepest):
            centre.append(centre[-1] + need[k] + extra)
        for c in columns:
            _put_column(stacks[c], left[c], widths[c], centre[levels[c]])
        return centre[-1] + below[-1] + ROW_GAP, width

    def u_levels(self, placed: dict[str, Placed]) -> dict[int, int] | None:
        """Encoder–decoder columns → depth levels (0 = full size), or None if not a U.

        Structural: spatial sizes go down then back up, and a Concatenate (or Add)
        joins a decoder tensor with an encoder tensor of the same spatial size.
        """
        size: dict[int, int] = {}
        for p in placed.values():
            shape = self._shape(p.node)
            if shape and len(shape) >= 3 and isinstance(shape[-3], int):
                size[p.column] = max(size.get(p.column, 0), shape[-3])
        columns = sorted(size)
        if len(columns) < 5:
            return None
        sizes = [size[c] for c in columns]
        low = sizes.index(min(sizes))
        if not (sizes[0] > sizes[low] < sizes[-1]):
            return None
        joined = any(
            self._is_merge(b.node) and b.column - a.column > 2 and size.get(a.column) == size.get(b.column)
            for e in self.scene.edges for a, b in [(placed[e.tail], placed[e.head])])
        if not joined:
            return None
        distinct = sorted(set(sizes), reverse=True)
        levels, last = {}, 0
        for c in sorted({p.column for p in placed.values()}):
            last = distinct.index(size[c]) if c in size else last
            levels[c] = last
        return levels

    def _has_skip_below(self, placed: dict[str, Placed], row: list[int]) -> bool:
        """Whether a skip leaves a lower stacked branch of ``row`` (drawn under the row)."""
        firsts = {}
        for p in placed.values():
            firsts.setdefault(p.column, p)
        return any(placed[e.head].column - placed[e.tail].column > 1
                   and placed[e.tail].column in row and firsts[placed[e.tail].column] is not placed[e.tail]
                   for e in self.scene.edges)

    def _has_skip(self, placed: dict[str, Placed], row: list[int]) -> bool:
        return any(placed[e.head].column - placed[e.tail].column > 1
                   and placed[e.tail].column in row for e in self.scene.edges)

    # -- drawing -----------------------------------------------------------------------

    def figure(self) -> Figure:
        t, o = self.theme, self.options
        placed = self._placed = self._columns()
        rows = self._rows(placed)
        self._row_of = {c: k for k, row in enumerate(rows) for c in row}
        title = o.title if o.title is not None else self.analysis.name
        bottom, width = self._place(placed, rows, MARGIN + 28)
        caption = self._caption(width)
        shift = CAPTION_LINE * len(caption)   # the caption's lines go between title and drawing
        for p in placed.values():
            p.y += shift
        self._row_top = [y + shift for y in self._row_top]
        bottom += shift
        items: list = []
        for p in placed.values():
            items += self._volume(p)
        for e in self.scene.edges:
            items += self._edge(placed[e.tail], placed[e.head], e.back)
        notes = self._notes(placed, width) if o.notes else []
        width = max(width, MARGIN * 2 + max([text_width(title, 14) * 72] +
                                            [text_width(c, 9) * 72 for c in caption]))
        head = [Text((width / 2, MARGIN + 12), clean(title, 120), 14, t.text, bold=True, role="title")]
        head += [Text((width / 2, MARGIN + 28 + CAPTION_LINE * k), line, 9, t.muted, role="caption")
                 for k, line in enumerate(caption)]
        y = bottom
        for line in notes:
            head.append(Text((MARGIN, y), line, 8, t.muted, anchor="start", role="note"))
            y += 11
        head.append(Text((width / 2, y + 6), self._footer(), 9, t.muted, role="footer"))
        items = head + items
        fonts, self.missing = choose_font([i.text for i in items if isinstance(i, Text)], o.font)
        return Figure(round(width + MARGIN, 1), round(y + 6 + MARGIN, 1), t.background, fonts, items)

    def _caption(self, width: float) -> list[str]:
        """The graph's description wrapped to the drawing's width (all of it, up to a
        generous CAPTION_MAX_LINES)."""
        text = clean(self.analysis.description or "")
        if not (self.options.caption and text.strip()):
            return []
        return _wrapped(text, max(width - 2 * MARGIN, CAPTION_MIN_WIDTH), 9, CAPTION_MAX_LINES,
                        "caption", "--no-caption")

    def _footer(self) -> str:
        a, lang = self.analysis, self.options.lang
        ins = ", ".join(dims(a.layers[n].output_shape) for n in a.inputs if n in a.layers)
        outs = ", ".join(dims(a.layers[n].output_shape) for n in a.outputs if n in a.layers)
        return (f"{say(lang, 'layers', len(a.layers))} · {say(lang, 'params', a.total_params)}"
                f" · {say(lang, 'input')} {ins or '?'} → {say(lang, 'output')} {outs or '?'}")

    def _notes(self, placed: dict[str, Placed], width: float) -> list[str]:
        """Each layer's description as a note ``name: description``, wrapped to the drawing's
        width like the caption (a note used to be cut at 160 characters and could run off
        the figure's edge)."""
        lines = []
        for p in placed.values():
            r = self._result(p.node)
            if r.description:
                lines += _wrapped(f"{clean(r.name, 48)}: {clean(r.description)}",
                                  max(width - 2 * MARGIN, CAPTION_MIN_WIDTH), 8, NOTE_MAX_LINES,
                                  f"note on {clean(r.name, 48)}", "leave out --notes")
        return lines

    def _colours(self, p: Placed) -> tuple[str, str]:
        if self._errors(p.node):
            return self.theme.error_fill, self.theme.error_border
        family = "group" if p.node.groups else self._result(p.node).family
        style = self.theme.family(family)
        return style.fill, style.border

    def _volume(self, p: Placed) -> list:
        t = self.theme
        fill, border = self._colours(p)
        name, op, size = self._name(p.node), self._op(p.node), dims(self._shape(p.node))
        b = p.box
        items: list = []
        if b.kind == "merge":
            cx, cy = p.x + b.t / 2, p.y + b.h / 2
            items.append(Circle((cx, cy), b.t / 2, fill, border, MERGES[self._result(p.node).type]))
        else:
            dashed = b.kind == "unknown"
            repeats = min(p.node.count - 1, 2) if p.node.count > 1 else 0
            for k in range(repeats, 0, -1):   # a ×N node: ghosts of its repeats behind it
                items += _cuboid(p.x + 5 * k, p.y - 5 * k, b, _shade(fill, 1.3), border, dashed,
                                 "ghost")
            items += _cuboid(p.x, p.y, b, fill, border, dashed, "face")
        above, below = self._label_lines(p)
        cx, y = p.centre_x(), p.labels_y()
        for text, size, colour, bold, role in above:          # upwards from the volume's top
            items.append(Text((cx, y), clean(text, 48), size, colour, bold=bold, role=role))
            y -= NAME + 2
        y = p.y + b.h + NAME + 2
        for text, size, colour, bold, role in below:          # downwards from its bottom
            items.append(Text((cx, y), clean(text, 48), size, colour, bold=bold, role=role))
            y += NAME + 2
        return items

    def _label_lines(self, p: Placed) -> tuple[list[tuple], list[tuple]]:
        """The lines written above a volume (nearest first) and below it (nearest first).

        Normally the operation and name go above, the dimensions below. A merge that a skip
        arc comes into from above has both under its circle, and one an arc comes into from
        below has both over it, so the arc reaches the circle without crossing its words."""
        t = self.theme
        name = (self._name(p.node), NAME, t.text, True, "name")
        op = self._op(p.node)
        above = ([(op, SMALL, t.muted, False, "label")] if op else []) + [name]
        below = ([(dims(self._shape(p.node)), SMALL, t.text, False, "dims")]
                 if self.options.shows("shapes") else [])
        if p.box.kind == "merge":
            sides = {self._arc_side(self._placed[e.tail], p) for e in self.scene.edges
                     if e.head == p.key} - {None}
            if sides == {"above"}:
                return [], [name] + below
            if sides == {"below"}:
                return below + [name], []
        return above, below

    def _arc_side(self, a: Placed, b: Placed) -> str | None:
        """Where the edge from ``a`` to ``b`` runs when it is a skip arc: "above" the volumes,
        "below" them (from a lower stacked branch), or None when it is not an arc."""
        if b.column - a.column <= 1:
            return None
        if b.x <= a.x:   # a skip into the next row comes down into a merge from above
            return "above" if self._row_of[b.column] > self._row_of[a.column] else None
        lowest = min(q.y for q in self._placed.values() if q.column == a.column)
        return "below" if a.y > lowest + 1 else "above"

    def _edge(self, a: Placed, b: Placed, back: bool) -> list:
        edge = self.theme.edge
        if b.column - a.column == 1 and abs(a.centre_x() - b.centre_x()) < 1 and abs(a.y - b.y) > 1:
            return self._level_change(a, b)
        same_row = abs(a.y - b.y) < 200 or b.x > a.x
        if b.column - a.column == 1 and b.x > a.x and same_row:
            start, end = a.right_mid(), b.left_mid()
            if abs(start[1] - end[1]) > 1:
                # Into (or out of) a stacked branch: across, along the gap between the two
                # columns, across again; a slanted line would cut through their words.
                mid = (a.col_right + b.col_left) / 2
                return [Path((start, (mid, start[1]), (mid, end[1]), end), edge, arrow=True)]
            kernel = _kernel(self._result(b.node)) if not b.node.groups else None
            if kernel and a.box.kind in ("volume", "slab", "unknown") and b.box.kind != "merge" \
                    and self._result(b.node).family == "conv":
                return self._projection(a, b, kernel)
            return [Path((start, end), edge, arrow=True)]
        if b.x <= a.x:   # into the next row (or back): out to the right, around, in from the left
            start, end = a.right_mid(), b.left_mid()
            out = max(a.col_right, a.x + a.box.width) + GAP / 3
            # Across in the gap between the rows, above everything of the next row (its words,
            # its skip arcs).
            turn = self._row_top[self._row_of[b.column]] - ROW_GAP / 4
            if self._arc_side(a, b) == "above":
                return self._skip_to_next_row(a, b, out, turn - ROW_GAP / 3)
            down = min(end[0] - 10, b.col_left - 4)   # left of the first column's words
            return [Path((start, (out, start[1]), (out, turn), (down, turn), (down, end[1]), end),
                         edge, dashed=back, arrow=True)]
        if self._arc_side(a, b) == "below":
            return self._skip_below(a, b)
        # A skip connection: an arc above the volumes it jumps over.
        # Into a merge a little left of its top, out of one a little right: a merge that ends
        # one arc and starts the next would otherwise draw both down the same line.
        start = (a.centre_x() + (3 if a.box.kind == "merge" else 0), self._label_top(a) - 4)
        end = ((b.centre_x() - 3, b.y + 0.5) if b.box.kind == "merge"
               else (b.centre_x(), self._label_top(b) - 4))
        lift = 26 + 6 * min(b.column - a.column, 6)
        high = min(start[1], end[1]) - lift
        return [Path(_arc(start, end, high), edge, arrow=True, curve=True, role="skip")]

    def _skip_to_next_row(self, a: Placed, b: Placed, out: float, turn: float) -> list:
        """A skip from the end of a row into a merge of the next (a transformer's residual):
        up out of the tensor's top, round outside the main path's turn, along the gap
        between the rows and down into the merge, alongside the main path, never on it."""
        start = (a.centre_x() + 3, self._label_top(a) - 4)
        end = (b.centre_x() - 3, b.y + 0.5)
        rise, wide = start[1] - 16, out + GAP / 3
        return [Path((start, (start[0], rise), (wide, rise), (wide, turn), (end[0], turn), end),
                     self.theme.edge, arrow=True, role="skip")]

    def _level_change(self, a: Placed, b: Placed) -> list:
        """Down to the next level of a U (or back up): a straight arrow between the labels of
        two volumes drawn one above the other, crossing neither."""
        x = a.centre_x()
        if b.y > a.y:
            start, end = (x, self._label_bottom(a) + 4), (x, self._label_top(b) - 4)
        else:
            start, end = (x, self._label_top(a) - 4), (x, self._label_bottom(b) + 4)
        return [Path((start, end), self.theme.edge, arrow=True, role="level")]

    def _label_top(self, p: Placed) -> float:
        """The highest point of a volume (ghosts included) or of the words written above it."""
        lines = len(self._label_lines(p)[0])
        return p.labels_y() - max(lines - 1, 0) * (NAME + 2) - (NAME if lines else 0)

    def _label_bottom(self, p: Placed) -> float:
        """The lowest point of a volume or of the words written under it."""
        lines = len(self._label_lines(p)[1])
        return p.y + p.box.h + lines * (NAME + 2) + (2 if lines else 0)

    def _skip_below(self, a: Placed, b: Placed) -> list:
        """A skip from a lower branch: an arc under the volumes, into the merge's bottom."""
        start = (a.centre_x(), self._label_bottom(a) + 4)
        end = (b.centre_x(), b.y + b.box.h + 2) if b.box.kind == "merge" else \
            (b.centre_x(), self._label_bottom(b) + 4)
        low = max(start[1], end[1]) + 24
        return [Path(_arc(start, end, low), self.theme.edge, arrow=True, curve=True, role="skip")]

    def _projection(self, a: Placed, b: Placed, kernel) -> list:
        """The kernel as a small box on the volume it reads, dashed lines to the next."""
        h, w = _hw(self._shape(a.node))
        ks = max(min(a.box.h * kernel[0] / max(h, 1), a.box.h * 0.6), 4.0)
        kd = max(min(a.box.d * kernel[1] / max(w, 1), a.box.d * 0.6), 3.0)
        kt = max(min(a.box.t * 0.6, 8.0), 2.0)
        kx = a.x + a.box.t - kt
        ky = a.y + (a.box.h - ks) * 0.35
        k = Box(kt, ks, kd)
        items = _cuboid(kx, ky, k, self.theme.family("conv").border, self.theme.edge, False, "kernel")
        target = (b.x + b.box.t * 0.1, b.y + b.box.h * 0.45)
        corners = [(kx + kt + kd * DEPTH, ky - kd * DEPTH), (kx + kt, ky + ks)]
        items += [Path((c, target), self.theme.edge, dashed=True, role="projection", width=0.6)
                  for c in corners]
        return items


def _wrapped(text: str, width: float, size: float, max_lines: int, what: str, hint: str) -> list[str]:
    """``text`` wrapped to ``width``; past ``max_lines`` the rest is left out with a
    warning (the CLI prints it) naming how many characters, never silently."""
    lines, cut = wrap_to_width(text, width, size, max_lines)
    if cut:
        warnings.warn(f"{what} cut: the last {cut} of {len(' '.join(text.split()))} characters "
                      f"did not fit in {max_lines} lines and are left out (shorten it, or {hint})",
                      CaptionCutWarning, stacklevel=3)
    return lines


def _stack_width(stack: list[Placed]) -> float:
    """A column's width: its widest volume or label."""
    return max(max(p.box.width, p.label_w) for p in stack)


def _reach(stack: list[Placed]) -> tuple[float, float]:
    """How far a column reaches above and below the line the chain's front faces centre on."""
    if len(stack) == 1:
        return _above(stack[0].box), _below(stack[0].box)
    half = sum(p.box.height + STACK for p in stack) / 2
    return half, half


def _put_column(stack: list[Placed], x: float, col_w: float, centre: float) -> None:
    """Places a column's volumes in a box ``col_w`` wide from ``x``, centred on ``centre``:
    a lone volume's front face on the line, stacked branches one under another."""
    for p in stack:
        p.col_left, p.col_right = x, x + col_w
    if len(stack) == 1:
        p = stack[0]
        p.x, p.y = x + (col_w - p.box.width) / 2, centre - p.box.h / 2
        return
    y = centre - sum(p.box.height + STACK for p in stack) / 2
    for p in stack:
        p.x = x + (col_w - p.box.width) / 2
        p.y = y + 3 * NAME + p.box.d * DEPTH
        y += p.box.height + STACK


def _u_lefts(columns: list[int], widths: dict[int, float], levels: dict[int, int]) -> dict[int, float]:
    """The left edge of each column of a U: along a level, one after another (closer than in
    a chain: the columns are as wide as their words, which is room enough); where the
    level changes, centred under (or over) the column before, as textbook U-Nets draw it."""
    left: dict[int, float] = {}
    for prev, c in zip([None] + columns, columns):
        if prev is None:
            left[c] = MARGIN
        elif levels[c] != levels[prev]:
            left[c] = left[prev] + (widths[prev] - widths[c]) / 2
        else:
            left[c] = left[prev] + widths[prev] + U_GAP
    shift = MARGIN - min(left.values())   # a column centred under a narrower one may stick out
    return {c: x + shift for c, x in left.items()}


def _column_widths(placed: dict[str, Placed]) -> dict[int, float]:
    """Each column's width (see :func:`_stack_width`)."""
    stacks: dict[int, list[Placed]] = {}
    for p in placed.values():
        stacks.setdefault(p.column, []).append(p)
    return {c: _stack_width(stack) for c, stack in stacks.items()}


def _above(box: Box) -> float:
    """Room a lone volume needs above its centre line: half its face, its depth, two labels."""
    return box.h / 2 + box.d * DEPTH + 3 * NAME + 6


def _below(box: Box) -> float:
    """Room below the centre line: half the face and the dimensions (a merge may have its
    name there too, see ``_label_lines``)."""
    return box.h / 2 + 2 * NAME + (NAME + 2 if box.kind == "merge" else 0)


def _arc(start: Point, end: Point, level: float, radius: float = 14.0) -> tuple[Point, ...]:
    """A skip arc as cubic pieces: straight up (or down) from ``start`` to ``level``, across,
    and straight into ``end``, with rounded corners. Leaving and arriving vertically keeps
    it off the words beside both ends, which a single Bézier swings through."""
    (x0, y0), (x1, y1) = start, end
    across = 1.0 if x1 >= x0 else -1.0
    out = 1.0 if level > max(y0, y1) else -1.0      # +1: below the volumes, -1: above
    r = min(radius, abs(x1 - x0) / 2, abs(level - y0), abs(level - y1))
    k = r * (1 - 0.5523)                            # a quarter circle as one cubic
    a, b = (x0, level - out * r), (x1, level - out * r)
    c, d = (x0 + across * r, level), (x1 - across * r, level)
    return (start, *_third(start, a), a, (x0, level - out * k), (x0 + across * k, level), c,
            *_third(c, d), d, (x1 - across * k, level), (x1, level - out * k), b,
            *_third(b, end), end)


def _third(p: Point, q: Point) -> tuple[Point, Point]:
    """The control points of a straight cubic piece from p to q."""
    return ((p[0] + (q[0] - p[0]) / 3, p[1] + (q[1] - p[1]) / 3),
            (p[0] + 2 * (q[0] - p[0]) / 3, p[1] + 2 * (q[1] - p[1]) / 3))


def _cuboid(x: float, y: float, b: Box, fill: str, stroke: str, dashed: bool, role: str) -> list:
    ox, oy = b.d * DEPTH, -b.d * DEPTH
    front = ((x, y), (x + b.t, y), (x + b.t, y + b.h), (x, y + b.h))
    top = ((x, y), (x + ox, y + oy), (x + b.t + ox, y + oy), (x + b.t, y))
    side = ((x + b.t, y), (x + b.t + ox, y + oy), (x + b.t + ox, y + b.h + oy), (x + b.t, y + b.h))
    return [Polygon(top, _shade(fill, 1.12), stroke, dashed, 0.8, role),
            Polygon(side, _shade(fill, 0.85), stroke, dashed, 0.8, role),
            Polygon(front, fill, stroke, dashed, 0.8, role)]


def _shade(colour: str, factor: float) -> str:
    """A lighter (>1) or darker (<1) version of a #rrggbb colour."""
    if not (colour.startswith("#") and len(colour) == 7):
        return colour
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    if factor > 1:
        rgb = [round(c + (255 - c) * (factor - 1) * 2) for c in rgb]
    else:
        rgb = [round(c * factor) for c in rgb]
    return "#" + "".join(f"{min(max(c, 0), 255):02x}" for c in rgb)


def _pair(value) -> tuple[int, int]:
    if isinstance(value, int):
        return value, value
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, int) for v in value):
        return (value[0], value[-1]) if len(value) > 1 else (value[0], 1)
    return 1, 1


def _kernel(result) -> tuple[int, int] | None:
    params = result.params
    if params is None:
        return None
    value = getattr(params, "kernel_size", None) or getattr(params, "pool_size", None)
    return _pair(value) if value is not None else None


def _hw(shape) -> tuple[int, int]:
    if not shape or len(shape) < 2:
        return 1, 1
    if len(shape) == 2:
        return (shape[0] or 1), 1
    return (shape[-3] or 1), (shape[-2] or 1)


def volumes_figure(analysis: Analysis, theme: Theme, options: RenderOptions) -> tuple[Figure, list[str]]:
    """The figure of ``analysis`` and the characters its font cannot draw."""
    style = VolumesStyle(analysis, theme, options)
    figure = style.figure()
    return figure, style.missing
