"""Layout planning for large graphs: wrapping long chains into rows, safe settings.

Graphviz lays a chain of 200 layers out as one 200-box strip and then scales it
down to fit 32,767 px, which makes it unreadable. Instead the chain is cut into
rows (columns when drawn top to bottom) at *cut points*, places where the whole
network passes through one tensor; each row restarts at the left and a junction
dot marks where the tensor arrives from the row above. The number of rows is
chosen so the picture gets a slide-like aspect ratio and no side exceeds the
pixel limit. Splines stay the default ones: ``splines=ortho`` crashes ``dot``
on graphs such as EfficientNet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .options import MAX_SIDE_PX, RenderOptions
from .scene import Cluster, Scene

# Preferred width:height of the whole picture: landscape for left-to-right
# (slides), portrait for top-to-bottom (pages).
TARGET_ASPECT = {"LR": 1.6, "TB": 0.75}
# Gap between rows (columns), in inches, on top of Graphviz's own spacing.
ROW_GAP = 0.45
# A cluster is opened up (its parts drawn in different rows) only when it is this
# much longer than a row should be: whole blocks read better than split ones.
SPLIT_FACTOR = 1.3
# Rows shorter than this many ranks are avoided (unless the pixel limit needs them).
MIN_RANKS_PER_ROW = 3
# Cluster borders and labels take this much room around their nodes, in inches.
CLUSTER_PAD = 0.3


@dataclass
class Unit:
    """A piece rows are made of: a node or a whole cluster, inside ``ancestors``."""

    member: "Cluster | str"
    ancestors: tuple[Cluster, ...] = ()
    along: float = 0.0   # length in the direction of the flow (inches)
    across: float = 0.0  # thickness across it
    ranks: int = 1       # Graphviz ranks (columns of boxes) it spans

    @property
    def nodes(self) -> list[str]:
        return self.member.all_nodes() if isinstance(self.member, Cluster) else [self.member]


def make_units(members: list, ancestors: tuple[Cluster, ...] = ()) -> list[Unit]:
    return [Unit(member, ancestors) for member in members]


def measure(units: list[Unit], scene: Scene, sizes: dict[str, tuple[float, float]],
            rankdir: str, ranksep: float, nodesep: float) -> None:
    """Estimate every unit's extent: ranks along the flow, stacked nodes across it.

    Rows share Graphviz's rank columns, so a row is as long as its number of ranks
    times a typical column width, whatever its own nodes' widths are.
    """
    along_axis = 0 if rankdir == "LR" else 1
    widths = sorted(size[along_axis] for size in sizes.values())
    column = widths[(3 * len(widths)) // 4] if widths else 1.0
    unit_of = {node_id: k for k, unit in enumerate(units) for node_id in unit.nodes}
    rank = _ranks(scene, unit_of)
    for unit in units:
        by_rank: dict[int, list[tuple[float, float]]] = {}
        for node_id in unit.nodes:
            size = sizes[node_id]
            by_rank.setdefault(rank[node_id], []).append((size[along_axis], size[1 - along_axis]))
        along = len(by_rank) * column + ranksep * max(len(by_rank) - 1, 0)
        unit.ranks = len(by_rank)
        across = max((sum(c for _, c in items) + nodesep * (len(items) - 1)
                      for items in by_rank.values()), default=0.0)
        depth = len(unit.ancestors) + isinstance(unit.member, Cluster)
        unit.along, unit.across = along + CLUSTER_PAD * depth, across + 2 * CLUSTER_PAD * depth


def _ranks(scene: Scene, unit_of: dict[str, int]) -> dict[str, int]:
    """Longest-path rank of each node inside its own unit (edges between units ignored)."""
    rank = {node_id: 0 for node_id in scene.nodes}
    for edge in scene.edges:  # edges follow the topological order of their heads
        if not edge.back and unit_of.get(edge.tail) == unit_of.get(edge.head):
            rank[edge.head] = max(rank[edge.head], rank[edge.tail] + 1)
    return rank


def split_long(units: list[Unit], target: float) -> tuple[list[Unit], bool]:
    """Open up clusters so rows can break inside them; True if any was opened.

    A cluster much longer than a row (``SPLIT_FACTOR``) is always opened; one made of
    several blocks (a ResNet stage) already when it is half a row long, since breaking
    between its blocks reads well. A plain block is never cut when it fits in a row.
    """
    result, changed = [], False
    for unit in units:
        member = unit.member
        if isinstance(member, Cluster) and len(member.members) > 1 and (
                unit.along > SPLIT_FACTOR * target
                or (unit.along > 0.5 * target
                    and sum(isinstance(m, Cluster) for m in member.members) >= 2)):
            result += make_units(member.members, unit.ancestors + (member,))
            changed = True
        else:
            result.append(unit)
    return result, changed


def break_points(scene: Scene, units: list[Unit]) -> list[bool]:
    """``allowed[k]``: the rows may break between unit k and unit k+1.

    A break is allowed where no edge jumps over the gap and every edge crossing it
    leaves from one node, so the next row can start at a single connector.
    """
    unit_of = {node_id: k for k, unit in enumerate(units) for node_id in unit.nodes}
    count = len(units)
    blocked = [0] * (count + 1)
    tails: list[set[str]] = [set() for _ in range(count)]
    for edge in scene.edges:
        a, b = unit_of.get(edge.tail), unit_of.get(edge.head)
        if a is None or b is None or edge.back or a >= b:
            continue
        tails[a].add(edge.tail)
        if b - a > 1:  # boundaries a+1 … b-1 are jumped over
            blocked[a + 1] += 1
            blocked[b] -= 1
    allowed, running = [], 0
    for k in range(count - 1):
        running += blocked[k]
        allowed.append(running == 0 and len(tails[k]) <= 1)
    return allowed


def plan(scene: Scene, sizes: dict[str, tuple[float, float]], options: RenderOptions,
         ranksep: float, nodesep: float) -> tuple[list[Unit], list[list[int]]]:
    """The units and the unit indices of each row.

    Clusters too long for one row are opened up (repeatedly) so that the rows can
    break between their members; the part in the next row is drawn as a
    continued cluster.
    """
    units = make_units(scene.top)
    for _ in range(8):
        measure(units, scene, sizes, options.rankdir, ranksep, nodesep)
        wanted = _row_count(units, options, ranksep)
        if wanted == 1:
            break
        rows = plan_rows(units, break_points(scene, units), options, ranksep)
        target = sum(u.along + ranksep for u in units) / wanted
        longest = max(sum(units[k].along + ranksep for k in row) for row in rows)
        if len(rows) >= wanted and longest <= SPLIT_FACTOR * target:
            break
        units, changed = split_long(units, target)
        if not changed:
            break
    measure(units, scene, sizes, options.rankdir, ranksep, nodesep)
    return units, plan_rows(units, break_points(scene, units), options, ranksep)


def _row_count(units: list[Unit], options: RenderOptions, gap: float) -> int:
    if options.rows:
        return options.rows
    total = sum(u.along + gap for u in units)
    rows = _auto_rows(total, max(u.across for u in units) + ROW_GAP, options)
    # Rows of two or three boxes look like a list, not a network.
    rows = max(1, min(rows, sum(u.ranks for u in units) // MIN_RANKS_PER_ROW))
    return max(rows, math.ceil(total / (MAX_SIDE_PX / max(options.dpi, 96))))


def plan_rows(units: list[Unit], allowed: list[bool], options: RenderOptions,
              gap: float) -> list[list[int]]:
    """Unit indices per row: ``options.rows`` of them, or the count that suits the picture.

    Whole blocks cannot be split evenly, so each candidate count is tried and judged
    by the picture it would give: as wide as its longest row, as tall as its rows.
    """
    count = len(units)
    if count == 0:
        return []
    lengths = [u.along + gap for u in units]
    wanted = _row_count(units, options, gap)
    if options.rows or wanted == 1:
        breaks = _balanced_breaks(lengths, allowed, max(1, min(wanted, sum(allowed) + 1)))
    else:
        thickness = max(u.across for u in units) + ROW_GAP
        required = math.ceil(sum(lengths) / (MAX_SIDE_PX / max(options.dpi, 96)))
        most = max(required, sum(u.ranks for u in units) // MIN_RANKS_PER_ROW)
        candidates = [_balanced_breaks(lengths, allowed, r)
                      for r in range(max(1, required, wanted - 3), min(wanted + 2, most) + 1)]
        breaks = min(candidates, key=lambda b: (
            _aspect_error(_longest(lengths, b), (len(b) + 1) * thickness, options)
            + _unevenness(lengths, b), len(b)))
    breaks = _without_lonely_rows(units, breaks)
    result, start = [], 0
    for k in breaks + [count - 1]:
        result.append(list(range(start, k + 1)))
        start = k + 1
    return result


def _without_lonely_rows(units: list[Unit], breaks: list[int]) -> list[int]:
    """The breaks, less those that leave a row of one layer: a lone box in a row of its own
    reads as a stray, not as the network's next step (a U-Net's final 1×1 convolution).
    Such a row joins the row before it (the first row, the one after it)."""
    kept = list(breaks)
    while True:
        bounds = [-1] + kept + [len(units) - 1]
        lonely = next((i for i, (a, b) in enumerate(zip(bounds, bounds[1:]))
                       if b - a == 1 and not isinstance(units[b].member, Cluster)), None)
        if lonely is None or not kept:
            return kept
        del kept[max(lonely - 1, 0)]


def _unevenness(lengths: list[float], breaks: list[int]) -> float:
    """0 when all rows are as long as the longest; towards 1 when most are much shorter."""
    bounds = [-1] + breaks + [len(lengths) - 1]
    rows = [sum(lengths[a + 1:b + 1]) for a, b in zip(bounds, bounds[1:])]
    return round(1 - sum(rows) / len(rows) / max(rows), 2)


def _aspect_error(along: float, across: float, options: RenderOptions) -> float:
    aspect = along / across if options.rankdir == "LR" else across / along
    return round(abs(math.log(aspect / TARGET_ASPECT[options.rankdir])), 2)


def _auto_rows(total: float, thickness: float, options: RenderOptions) -> int:
    """Rows that bring the picture closest to the target aspect ratio."""
    target = TARGET_ASPECT[options.rankdir]
    # LR: width = total / r, height = r * thickness; TB: the other way round.
    best, best_score = 1, math.inf
    for rows in range(1, 400):
        along, across = total / rows, rows * thickness
        aspect = along / across if options.rankdir == "LR" else across / along
        score = abs(math.log(aspect / target))
        if score < best_score:
            best, best_score = rows, score
        if across > along * 4:
            break
    return best


def _balanced_breaks(lengths: list[float], allowed: list[bool], rows: int) -> list[int]:
    """At most ``rows`` rows, breaking only where allowed, as even as possible.

    First the shortest possible longest row (binary search, greedy filling, which
    also gives the fewest rows for that length); then breaks nearest to equal shares
    are used instead when their longest row is hardly longer, as greedy filling
    leaves a short last row.
    """
    low, high = max(lengths), sum(lengths)
    tight = _fill(lengths, allowed, high)
    for _ in range(32):
        middle = (low + high) / 2
        breaks = _fill(lengths, allowed, middle)
        if len(breaks) + 1 <= rows:
            tight, high = breaks, middle
        else:
            low = middle
    tight = _fill(lengths, allowed, high * 1.0001)
    even = _even(lengths, allowed, len(tight) + 1)
    return even if _longest(lengths, even) <= 1.1 * _longest(lengths, tight) else tight


def _longest(lengths: list[float], breaks: list[int]) -> float:
    bounds = [-1] + breaks + [len(lengths) - 1]
    return max(sum(lengths[a + 1:b + 1]) for a, b in zip(bounds, bounds[1:]))


def _even(lengths: list[float], allowed: list[bool], rows: int) -> list[int]:
    """Breaks at the allowed boundaries nearest to equal shares of the total length."""
    total, cumulative, running = sum(lengths), [], 0.0
    for length in lengths:
        running += length
        cumulative.append(running)
    breaks: list[int] = []
    for r in range(1, rows):
        after = breaks[-1] if breaks else -1
        candidates = [k for k in range(after + 1, len(allowed)) if allowed[k]]
        if candidates:
            ideal = total * r / rows
            breaks.append(min(candidates, key=lambda k: abs(cumulative[k] - ideal)))
    return breaks


def _fill(lengths: list[float], allowed: list[bool], cap: float) -> list[int]:
    """Greedy rows no longer than ``cap`` where possible: the boundaries to break after."""
    breaks: list[int] = []
    start, length, last = 0, 0.0, None
    for k, size in enumerate(lengths):
        if k > start and length + size > cap and last is not None:
            breaks.append(last)
            start = last + 1
            length = sum(lengths[start:k])
            last = next((j for j in range(k - 1, start - 1, -1) if allowed[j]), None)
        length += size
        if k < len(allowed) and allowed[k]:
            last = k
    return breaks


def graph_attrs(scene: Scene, options: RenderOptions, ranksep: float, nodesep: float) -> dict:
    """Graph-wide Graphviz attributes: safe splines, spacing, and the size cap."""
    cap = MAX_SIDE_PX / max(options.dpi, 96)
    attrs = {
        "rankdir": options.rankdir,
        "newrank": "true",            # rank=same across clusters (the row anchors) needs it
        "splines": "spline",          # never ortho: it crashes dot on large graphs
        "nodesep": f"{nodesep:.2f}",
        "ranksep": f"{ranksep:.2f}",
        "outputorder": "edgesfirst",
        "pad": "0.25",
        "size": f"{cap:.2f},{cap:.2f}",  # a safety net: only ever scales down
    }
    if len(scene.nodes) > 300:
        # Crossing minimisation dominates dot's time on big graphs; wrapped rows
        # need little of it.
        attrs.update(mclimit="0.3", nslimit="5", nslimit1="5", remincross="false")
    return attrs
