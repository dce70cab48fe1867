"""The scene: what a diagram draws, before any Graphviz syntax.

An analysis becomes a tree of items (layers and groups), then drawable nodes,
clusters and edges. Three detail levels exist:

* level 0 draws every layer; groups are clusters;
* level 1 also merges runs of identical consecutive blocks (and of three or more
  identical layers) into one "×N" node;
* level 2 draws every top-level group as one node.

``collapse="auto"`` picks the lowest level whose node count stays under
``max_nodes``, so deep networks stay legible without hiding detail from small ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..compiler.analysis import Analysis
from .describe import MINOR_FAMILIES
from .groups import Group, collect_groups
from .options import RenderOptions


@dataclass
class Item:
    """A node of the item tree: a layer, a group, or a run of identical siblings."""

    kind: str                            # "layer" | "group" | "run"
    name: str
    layers: list[str]                    # all layers inside, topological order
    group: Group | None = None
    children: list["Item"] = field(default_factory=list)  # group items; run members


@dataclass
class DrawNode:
    """One Graphviz node: a layer, a collapsed group, or a run of repeats (×N)."""

    id: str
    kind: str                            # "layer" | "group"
    layers: list[str]                    # every layer it stands for
    groups: list[Group] = field(default_factory=list)
    members: list[Item] = field(default_factory=list)  # the repeated items of a ×N node
    folded: list[str] = field(default_factory=list)    # minor layers drawn inside it (blocks)

    @property
    def count(self) -> int:
        return max(len(self.members), 1)

    @property
    def main(self) -> str:
        """The layer it is named after (a layer node's first layer)."""
        return self.layers[0]

    @property
    def output(self) -> str:
        """The layer whose tensor leaves the node."""
        if self.folded:
            return self.folded[-1]
        if self.groups:
            return self.groups[-1].output or self.layers[-1]
        return self.layers[-1]


@dataclass
class Cluster:
    """A group drawn as a labelled box around its members (nodes and nested clusters)."""

    id: str
    group: Group
    members: list["Cluster | str"] = field(default_factory=list)  # in drawing order

    def all_nodes(self) -> list[str]:
        nodes: list[str] = []
        for member in self.members:
            nodes += member.all_nodes() if isinstance(member, Cluster) else [member]
        return nodes


@dataclass
class Edge:
    tail: str
    head: str
    tensor: str                          # the layer whose output flows along it
    back: bool = False                   # against the drawing order (a cycle in a broken spec)


@dataclass
class Scene:
    analysis: Analysis
    nodes: dict[str, DrawNode]
    edges: list[Edge]
    top: list["Cluster | str"]           # top-level clusters and node ids, in drawing order
    node_of: dict[str, str]              # layer name → node id
    level: int


def build_scene(analysis: Analysis, options: RenderOptions, fold_minor: bool = False) -> Scene:
    """The scene at the detail level ``options.collapse`` asks for (auto: the largest that fits)."""
    groups = collect_groups(analysis)
    levels = {"none": [0], "all": [2], "auto": [0, 1, 2]}[options.collapse]
    scene = None
    for level in levels:
        scene = _scene_at(analysis, groups, level, fold_minor)
        if len(scene.nodes) <= options.max_nodes:
            break
    return scene


def _scene_at(analysis: Analysis, groups: list[Group], level: int, fold_minor: bool) -> Scene:
    root = build_tree(analysis, groups)
    if level >= 1:
        merge_runs(root, analysis, min_layers=3)
    if level >= 2:
        root.children = [_collapsed(item) for item in root.children]
    builder = _Builder(analysis)
    builder.place(root.children, builder.top)
    if fold_minor:
        builder.fold_minor()
    return Scene(analysis, builder.nodes, builder.edges(), builder.top, builder.node_of, level)


def _collapsed(item: Item) -> Item:
    """A group (or run of groups) drawn as one node: a run whose members are leaves."""
    if item.kind == "group":
        return Item("run", item.name, item.layers, item.group, [item])
    return item


# -- the item tree -------------------------------------------------------------------------

def build_tree(analysis: Analysis, groups: list[Group]) -> Item:
    """Layers in topological order, nested into their groups (innermost last)."""
    by_name = {g.name: g for g in groups}
    innermost = _innermost_group(groups, by_name)
    root = Item("group", "", list(analysis.layers))
    items: dict[str, Item] = {}
    for name in analysis.layers:
        container = root
        for group in _chain(innermost.get(name), by_name):
            item = items.get(group.name)
            if item is None:
                item = items[group.name] = Item("group", group.name, [], group)
                container.children.append(item)
            item.layers.append(name)
            container = item
        container.children.append(Item("layer", name, [name]))
    return root


def _depth(group: Group, by_name: dict[str, Group]) -> int:
    depth, parent = 0, group.parent
    while parent is not None and parent in by_name and depth < 64:
        depth, parent = depth + 1, by_name[parent].parent
    return depth


def _innermost_group(groups: list[Group], by_name: dict[str, Group]) -> dict[str, Group]:
    innermost: dict[str, Group] = {}
    for group in sorted(groups, key=lambda g: _depth(g, by_name)):
        for layer in group.layers:
            innermost[layer] = group  # deeper groups come later and win
    return innermost


def _chain(group: Group | None, by_name: dict[str, Group]) -> list[Group]:
    chain: list[Group] = []
    while group is not None and len(chain) < 64:
        chain.append(group)
        group = by_name.get(group.parent) if group.parent else None
    return chain[::-1]


# -- runs of repeats -----------------------------------------------------------------------

def merge_runs(container: Item, analysis: Analysis, min_layers: int) -> None:
    """Replace runs of identical consecutive siblings by "run" items, at every depth."""
    for child in container.children:
        if child.kind == "group":
            merge_runs(child, analysis, min_layers)
    signatures = [signature(child, analysis) for child in container.children]
    merged: list[Item] = []
    i = 0
    while i < len(container.children):
        j = i + 1
        while (j < len(container.children) and signatures[i] is not None
               and signatures[j] == signatures[i]):
            j += 1
        run = container.children[i:j]
        needed = 2 if run[0].kind == "group" else min_layers
        if len(run) >= needed and _is_chain(run, analysis):
            layers = [name for item in run for name in item.layers]
            merged.append(Item("run", run[0].name, layers, run[0].group, run))
        else:
            merged.extend(run)
        i = j
    container.children = merged


def signature(item: Item, analysis: Analysis):
    """What makes two siblings "the same" for ×N, or None if the item never merges.

    Layers must match exactly (type, hyper-parameters, shapes); groups must have the
    same structure and spatial size, so DenseNet's growing channel count still merges
    (dropout rates aside).
    A broken layer never merges: its mark must stay visible.
    """
    results = [analysis.layers[name] for name in item.layers]
    if item.kind == "run" or not all(r.ok for r in results):
        return None
    if item.kind == "layer":
        r = results[0]
        shapes = tuple(analysis.layers[i].output_shape for i in r.inputs if i in analysis.layers)
        return ("layer", r.type, r.describe(), r.output_shape, shapes)
    index = {name: k for k, name in enumerate(item.layers)}
    structure = tuple(
        (r.type, _structural(r), tuple(index.get(i, -1) for i in r.inputs)) for r in results)
    outputs = item.group.output if item.group and item.group.output else item.layers[-1]
    return ("group", item.group.kind if item.group else "", structure,
            analysis.layers[outputs].output_shape[:-1])


def _structural(result) -> str:
    """Hyper-parameters that make blocks different; a dropout rate does not.

    (EfficientNet raises its drop rate block by block; its blocks still repeat.)
    """
    return "" if result.family == "regularization" else result.describe()


def _is_chain(run: list[Item], analysis: Analysis) -> bool:
    """True when tensors enter the run only at its first item and leave only from its last."""
    position = {name: k for k, item in enumerate(run) for name in item.layers}
    last = len(run) - 1
    for k, item in enumerate(run):
        for name in item.layers:
            for source in analysis.layers[name].inputs:
                if k > 0 and position.get(source, -1) < 0:
                    return False
        if k < last:
            for name in item.layers:
                for consumer in analysis.consumers(name):
                    if consumer not in position:
                        return False
    return True


# -- drawable nodes ------------------------------------------------------------------------

class _Builder:
    """Turns the item tree into nodes and clusters, numbering them in order."""

    def __init__(self, analysis: Analysis):
        self.analysis = analysis
        self.nodes: dict[str, DrawNode] = {}
        self.node_of: dict[str, str] = {}
        self.top: list[Cluster | str] = []
        self._cluster_count = 0
        self._container: dict[str, list] = {}  # node id → the member list holding it

    def place(self, items: list[Item], members: list) -> None:
        for item in items:
            if item.kind == "group" and len(item.children) == 1 and item.children[0].kind == "run":
                # A box around one "×N" node says nothing the node's own title doesn't.
                self.place(item.children, members)
            elif item.kind == "group":
                self._cluster_count += 1
                child = Cluster(f"cluster_{self._cluster_count}", item.group)
                members.append(child)
                self.place(item.children, child.members)
            else:
                node = self._new_node(item)
                members.append(node.id)
                self._container[node.id] = members

    def _new_node(self, item: Item) -> DrawNode:
        node_id = f"n{len(self.nodes)}"
        if item.kind == "layer":
            node = DrawNode(node_id, "layer", list(item.layers))
        elif item.children and item.children[0].kind == "group":
            node = DrawNode(node_id, "group", list(item.layers),
                            groups=[m.group for m in item.children], members=item.children)
        else:  # a run of identical layers
            node = DrawNode(node_id, "layer", list(item.layers), members=item.children)
        self.nodes[node_id] = node
        for name in item.layers:
            self.node_of[name] = node_id
        return node

    def fold_minor(self) -> None:
        """Blocks style: draw BN, activations and dropout inside the box they follow."""
        layers = self.analysis.layers
        for name, result in layers.items():
            node_id = self.node_of.get(name)
            node = self.nodes.get(node_id)
            if node is None or node.kind != "layer" or node.members or len(result.inputs) != 1:
                continue
            if result.family not in MINOR_FAMILIES:
                continue
            source = result.inputs[0]
            host_id = self.node_of.get(source)
            if (host_id is None or host_id == node_id
                    or self._container.get(host_id) is not self._container.get(node_id)
                    or self.analysis.consumers(source) != [name]
                    or self.nodes[host_id].output != source):
                continue
            host = self.nodes[host_id]
            host.folded.append(name)
            host.layers.append(name)
            self.node_of[name] = host_id
            del self.nodes[node_id]
            self._container[node_id].remove(node_id)

    def edges(self) -> list[Edge]:
        order = {node_id: k for k, node_id in enumerate(self.nodes)}
        seen: set[tuple[str, str]] = set()
        edges = []
        for name, result in self.analysis.layers.items():
            head = self.node_of.get(name)
            for source in result.inputs:
                tail = self.node_of.get(source)
                if tail is None or head is None or tail == head or (tail, head) in seen:
                    continue
                seen.add((tail, head))
                edges.append(Edge(tail, head, source, back=order[tail] > order[head]))
        return edges
