"""How many layers a spec would expand to, counted without expanding it.

Nested repeated blocks multiply: four blocks that each repeat the next 1000 times
make 10^12 layers from a few hundred bytes. Counting first lets layergraph refuse
such a spec at once instead of expanding up to the layer limit. Templated counts
(``"repeat": "$n"``) are taken as 1, so this is a lower bound; the expansion
itself still enforces the limit as it goes.
"""

from __future__ import annotations

from ..limits import Limits
from ..spec import BlockUse, GraphSpec


def planned_layers(spec: GraphSpec, limits: Limits) -> tuple[int, str]:
    """(lower bound of the expanded layer count, pointer of the item that crosses the limit)."""
    sizes: dict[str, int] = {}
    total, culprit = len(spec.inputs), "/layers"
    for i, item in enumerate(spec.layers):
        total += _item_size(item, spec, limits, sizes, ()) if isinstance(item, BlockUse) else \
            _count(item, limits)
        if total > limits.max_layers and culprit == "/layers":
            culprit = f"/layers/{i}"
    return total, culprit


def _count(item, limits: Limits) -> int:
    repeat = getattr(item, "repeat", 1)  # a shared call has no repeat
    if isinstance(repeat, bool) or not isinstance(repeat, int):
        return 1  # a template, resolved per block use
    return repeat if 1 <= repeat <= limits.max_repeat else 0  # otherwise skipped and reported


def _item_size(item, spec: GraphSpec, limits: Limits, sizes: dict[str, int], stack: tuple) -> int:
    if not isinstance(item, BlockUse):
        return _count(item, limits)
    block = spec.blocks.get(item.block)
    if block is None or item.block in stack or len(stack) >= limits.max_block_depth:
        return 0  # reported by the expansion
    if item.block not in sizes:
        sizes[item.block] = sum(_item_size(inner, spec, limits, sizes, stack + (item.block,))
                                for inner in block.layers)
    return _count(item, limits) * sizes[item.block]
