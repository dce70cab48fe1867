"""The graph gutter: DAG connections drawn as lanes, one text line per row.

Like ``git log --graph``, but data flows downwards: each pending edge (a layer's
output still waiting for a consumer further down) runs in a lane ``│``. A layer
sits on the lane of its first input ``●``; extra inputs merge into it from the
side (``─╯``, ``─┴─╯``), and extra consumers fork off into new lanes
(``─╮``, ``─┬─╮``); a lane where one edge ends and another starts shows ``┼``/``┤``. Edges that point upwards (forward references, cycles) are
not drawn. Pure functions, no Textual: cheap enough for thousands of rows.
"""

from __future__ import annotations

from typing import Sequence

NODE = "●"
MAX_LANES = 8


def graph_lanes(keys: Sequence[str], inputs: Sequence[Sequence[str]], max_lanes: int = MAX_LANES) -> list[str]:
    """One gutter string per row, all of the same width.

    ``keys[i]`` names row ``i``; ``inputs[i]`` lists the keys of the rows feeding it.
    """
    index = {key: i for i, key in enumerate(keys)}
    consumers: list[list[int]] = [[] for _ in keys]
    for row, sources in enumerate(inputs):
        for source in dict.fromkeys(sources):
            producer = index.get(source)
            if producer is not None and producer < row:
                consumers[producer].append(row)
    lanes: list[int | None] = []  # each lane holds the row its edge flows to
    lines = []
    for row in range(len(keys)):
        cells, lanes = _draw_row(row, lanes, sorted(consumers[row]))
        lines.append(cells)
    width = min(max((len(c) for c in lines), default=1), max_lanes)
    return [_fit(cells, width) for cells in lines]


def _draw_row(row: int, lanes: list[int | None], outgoing: list[int]) -> tuple[list[str], list[int | None]]:
    incoming = [j for j, target in enumerate(lanes) if target == row]
    free = [j for j, target in enumerate(lanes) if target is None]
    column = incoming[0] if incoming else (free[0] if free else len(lanes))
    passing = {j for j, target in enumerate(lanes) if target is not None and target != row}
    merges = incoming[1:]
    new_lanes = list(lanes)
    for j in incoming:
        new_lanes[j] = None
    while len(new_lanes) <= column:
        new_lanes.append(None)
    forks = []
    if outgoing:
        new_lanes[column] = outgoing[0]
        for target in outgoing[1:]:
            slot = next((j for j, t in enumerate(new_lanes) if t is None and j != column), None)
            if slot is None:
                slot = len(new_lanes)
                new_lanes.append(None)
            new_lanes[slot] = target
            forks.append(slot)
    width = max([len(lanes), len(new_lanes), column + 1])
    cells = _glyphs(width, column, passing, merges, forks)
    while new_lanes and new_lanes[-1] is None:
        new_lanes.pop()
    return cells, new_lanes


def _glyphs(width: int, column: int, passing: set[int], merges: list[int], forks: list[int]) -> list[str]:
    """Lane glyphs and the connectors between them (two characters per lane)."""
    ends = merges + forks
    low = min([column, *ends])
    high = max([column, *ends])
    cells = []
    for j in range(width):
        if j == column:
            glyph = NODE
        elif j in merges and j in forks:  # one edge ends here and another starts in the same lane
            glyph = "┼" if low < j < high else ("┤" if j > column else "├")
        elif j in merges:
            glyph = "┴" if low < j < high else ("╯" if j > column else "╰")
        elif j in forks:
            glyph = "┬" if low < j < high else ("╮" if j > column else "╭")
        elif j in passing:
            glyph = "┼" if low < j < high else "│"
        else:
            glyph = "─" if low < j < high else " "
        connector = "─" if low <= j < high else " "
        cells.append(glyph + connector)
    return cells


def _fit(cells: list[str], width: int) -> str:
    if len(cells) > width:
        cells = cells[: width - 1] + ["… "]
    text = "".join(cells) + "  " * (width - len(cells))
    return text.rstrip().ljust(2 * width - 1)


# What each glyph of a row's gutter leaves below it: a lane that goes on continues as │.
_CONTINUES = {"│": "│", "┼": "│", "┤": "│", "├": "│", "┬": "│", "╮": "│", "╭": "│", "…": "…"}


def lane_continuation(line: str, node_continues: bool) -> str:
    """The gutter under a row (for rows drawn on several text lines): the lanes still open.

    ``node_continues``: the row's own output flows on (its lane goes down from ``●``).
    Merges (``╯``, ``┴``) and connectors end on the row; forks and passing lanes go on.
    """
    cells = []
    for glyph in line:
        if glyph == NODE:
            cells.append("│" if node_continues else " ")
        else:
            cells.append(_CONTINUES.get(glyph, " "))
    return "".join(cells)
