"""Assemble a scene and a style into a ``graphviz.Digraph``: rows, clusters, edges, frame.

Identifiers are generated (``n0``, ``cluster_1``, ``c2_in``), so user text only
ever appears inside escaped labels and tooltips. Everything is emitted in a
fixed order, so the same spec always gives byte-identical DOT.

Rows: every row is an invisible cluster (rows stack as bands and never
interleave); a row after the first starts with a lettered connector circle
matching the one that ends the row before, as textbooks draw wrapped figures.
The connectors that start the rows share one rank, which stacks the rows.
"""

from __future__ import annotations

from .common import NodeDraw
from .frame import footer_label, title_label
from .labels import dot_text, font, html_label, html_text, say
from .layout import Unit, graph_attrs, plan
from .options import RenderOptions
from .scene import Cluster, Scene
from .theme import Theme


def assemble(scene: Scene, style, theme: Theme, options: RenderOptions):
    """The Digraph of ``scene`` drawn in ``style``."""
    import graphviz

    draws = {node_id: style.node(node) for node_id, node in scene.nodes.items()}
    ranksep = style.ranksep + style.edge_label_size()
    units, rows = plan(scene, {k: d.size for k, d in draws.items()}, options, ranksep,
                       style.nodesep)
    layout = _Rows(scene, [[units[k] for k in row] for row in rows])
    graph = graphviz.Digraph("layergraph", engine="dot")
    graph.attr("graph", **graph_attrs(scene, options, style.ranksep, style.nodesep),
               bgcolor=theme.background, fontname=theme.font, fontcolor=theme.text,
               label=title_label(scene.analysis, theme, options), labelloc="t", labeljust="c")
    graph.attr("node", **style.node_defaults())
    graph.attr("edge", color=theme.edge, arrowsize="0.7", penwidth="1.1",
               fontname=theme.font, fontsize=f"{theme.small_size:g}", fontcolor=theme.muted)
    with graph.subgraph(name="cluster_footer") as body:
        body.attr(label=footer_label(scene.analysis, theme, options), labelloc="b",
                  labeljust="c", color="none", style="", margin="12")
        _Emitter(draws, theme, options.lang).rows(body, layout)
        _edges(body, scene, layout, draws, style, theme)
    return graph


class _Rows:
    """Which row every node is in, and what flows from one row into a later one."""

    def __init__(self, scene: Scene, rows: list[list[Unit]]):
        self.rows = rows
        self.row_of = {node_id: r for r, row in enumerate(rows) for unit in row
                       for node_id in unit.nodes}
        order = {node_id: k for k, node_id in enumerate(scene.nodes)}
        tails: list[set[str]] = [set() for _ in rows]
        for edge in scene.edges:
            if not edge.back and self.row_of[edge.tail] < self.row_of[edge.head]:
                tails[self.row_of[edge.head]].add(edge.tail)
        # tails[r]: the nodes of earlier rows whose tensors flow into row r
        self.tails = [sorted(t, key=order.__getitem__) for t in tails]

    def first_node(self, r: int) -> str:
        return self.rows[r][0].nodes[0]


class _Emitter:
    """Writes rows, clusters (split into continued parts across rows) and nodes."""

    def __init__(self, draws: dict[str, NodeDraw], theme: Theme, lang: str = "en"):
        self.draws, self.theme, self.lang = draws, theme, lang
        self.parts: dict[str, int] = {}   # cluster id → parts emitted so far

    def rows(self, graph, layout: _Rows) -> None:
        if len(layout.rows) == 1:
            self.units(graph, layout.rows[0], 0)
            return
        for r, row in enumerate(layout.rows):
            with graph.subgraph(name=f"cluster_row{r}") as band:
                band.attr(label="", color="none", style="", margin="4")
                if r > 0:
                    _connector(band, f"c{r}_in", r, bool(layout.tails[r]), self.theme)
                self.units(band, row, 0)
                if r + 1 < len(layout.rows) and layout.tails[r + 1]:
                    _connector(band, f"c{r + 1}_out", r + 1, True, self.theme)

    def units(self, graph, units: list[Unit], depth: int) -> None:
        """Emit units; consecutive ones inside the same ancestor share its cluster."""
        i = 0
        while i < len(units):
            unit = units[i]
            if len(unit.ancestors) > depth:
                ancestor = unit.ancestors[depth]
                j = i
                while (j < len(units) and len(units[j].ancestors) > depth
                       and units[j].ancestors[depth] is ancestor):
                    j += 1
                part = self.parts.get(ancestor.id, 0)
                self.parts[ancestor.id] = part + 1
                with graph.subgraph(name=_part_name(ancestor, part)) as sub:
                    self._style(sub, ancestor, part)
                    self.units(sub, units[i:j], depth + 1)
                i = j
            else:
                self.member(graph, unit.member)
                i += 1

    def member(self, graph, member: Cluster | str) -> None:
        if isinstance(member, Cluster):
            with graph.subgraph(name=member.id) as sub:
                self._style(sub, member, 0)
                for child in member.members:
                    self.member(sub, child)
        else:
            draw = self.draws[member]
            graph.node(member, label=draw.label, **draw.attrs)

    def _style(self, sub, cluster: Cluster, part: int) -> None:
        """Label and colours of a cluster; a part after the first is labelled continued."""
        t = self.theme
        title = cluster.group.title() + (f" {say(self.lang, 'continued')}" if part else "")
        sub.attr(label=html_label(font(html_text(title, 90), t.small_size + 1, t.muted, bold=True)),
                 labeljust="l", labelloc="b", style="rounded,filled", fillcolor=t.cluster_fill,
                 color=t.cluster_border, penwidth="1", fontname=t.font, margin="10")
        if cluster.group.description:
            sub.attr(tooltip=dot_text(cluster.group.description))


def _part_name(cluster: Cluster, part: int) -> str:
    return cluster.id if part == 0 else f"{cluster.id}_part{part + 1}"


def _endpoint(node_id: str, draws: dict[str, NodeDraw], side: str) -> str:
    """``n3:t:e``: a node's port (blocks style: its tensor box), at a side if given."""
    port = draws[node_id].port if node_id in draws else None
    if not port:
        return node_id
    return f"{node_id}:{port}:{side}" if side else f"{node_id}:{port}"


def _edges(graph, scene: Scene, layout: _Rows, draws, style, theme: Theme) -> None:
    """Edges in scene order; an edge into a later row leaves through connectors."""
    lr = style.options.rankdir == "LR"
    out_side, in_side = ("e", "w") if lr else ("s", "n")
    chain = _chain_nodes(scene)
    bypasses = _bypasses(scene) if any(d.port for d in draws.values()) else set()
    for r in range(1, len(layout.rows)):
        for tail in layout.tails[r]:
            graph.edge(_endpoint(tail, draws, out_side), f"c{r}_out")
    for k, edge in enumerate(scene.edges):
        attrs = style.edge(edge)
        straight = edge.tail in chain and edge.head in chain
        if k in bypasses:
            # A skip connection arcs over the boxes and their text, top to top
            # (beside them, right to right, when drawn top to bottom).
            tail, head = (f"{edge.tail}:n", f"{edge.head}:n") if lr else \
                (f"{edge.tail}:e", f"{edge.head}:e")
        else:
            # Edges leave a box at its far side and enter at its near side (blocks style).
            tail = _endpoint(edge.tail, draws, out_side)
            head = _endpoint(edge.head, draws, in_side)
        if edge.back:
            graph.edge(tail, head, constraint="false", style="dashed", color=theme.error_border)
        elif layout.row_of[edge.tail] != layout.row_of[edge.head]:
            graph.edge(f"c{layout.row_of[edge.head]}_in", head, **attrs)
        else:
            if straight:
                attrs["weight"] = "8"  # keep plain chains on one straight line
            graph.edge(tail, head, **attrs)
    _stack_rows(graph, layout, reverse=style.options.rankdir == "LR")


def _bypasses(scene: Scene, reach: int = 64) -> set[int]:
    """Indices of skip connections: edges into a merge whose tail also feeds the merge's
    other inputs (a residual shortcut, DenseNet's concatenation), not parallel branches."""
    successors: dict[str, list[str]] = {}
    inputs: dict[str, list[str]] = {}
    for edge in scene.edges:
        if not edge.back:
            successors.setdefault(edge.tail, []).append(edge.head)
            inputs.setdefault(edge.head, []).append(edge.tail)
    found = set()
    for k, edge in enumerate(scene.edges):
        others = [t for t in inputs.get(edge.head, []) if t != edge.tail]
        if others and not edge.back and _reaches(edge.tail, set(others), successors, reach):
            found.add(k)
    return found


def _reaches(start: str, targets: set[str], successors: dict[str, list[str]], limit: int) -> bool:
    """True if a path of at most ``limit`` nodes leads from ``start`` to one of ``targets``."""
    frontier, seen = [start], {start}
    while frontier and len(seen) <= limit:
        node = frontier.pop()
        for nxt in successors.get(node, []):
            if nxt in targets:
                return True
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return False


def _chain_nodes(scene: Scene) -> set[str]:
    """Nodes with at most one edge in and one edge out."""
    ins: dict[str, int] = {}
    outs: dict[str, int] = {}
    for edge in scene.edges:
        outs[edge.tail] = outs.get(edge.tail, 0) + 1
        ins[edge.head] = ins.get(edge.head, 0) + 1
    return {n for n in scene.nodes if ins.get(n, 0) <= 1 and outs.get(n, 0) <= 1}


def connector_name(index: int) -> str:
    """A, B, …, Z, AA, AB, … (the labels of the connectors between rows)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def _connector(graph, node_id: str, row: int, visible: bool, theme: Theme) -> None:
    """A lettered circle where a row ends or begins; an invisible anchor if nothing flows."""
    if not visible:
        graph.node(node_id, label="", shape="point", style="invis")
        return
    graph.node(node_id, label=connector_name(row - 1), shape="circle", width="0.32",
               height="0.32", fixedsize="true", fontsize=f"{theme.text_size:g}",
               fontcolor=theme.text, color=theme.edge, fillcolor=theme.background,
               style="filled,bold", penwidth="1.4")


def _stack_rows(graph, layout: _Rows, reverse: bool) -> None:
    """Stack the rows in order: invisible anchors, one per row, share a rank in row order.

    The anchors sit outside the row clusters because dot only keeps the order of
    same-rank nodes that are not in different clusters.
    """
    count = len(layout.rows)
    if count < 2:
        return
    anchors = [f"row{r}" for r in range(count)]
    for r, anchor in enumerate(anchors):
        graph.node(anchor, label="", shape="point", style="invis", width="0", height="0")
        graph.edge(anchor, f"c{r}_in" if r else layout.first_node(0), style="invis")
    if reverse:
        anchors.reverse()  # with rankdir=LR, dot stacks a rank's nodes bottom to top
    with graph.subgraph() as same:
        same.attr(rank="same")
        for a, b in zip(anchors, anchors[1:]):
            same.edge(a, b, style="invis")
