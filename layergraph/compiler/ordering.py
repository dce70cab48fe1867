"""Graph order for the checking passes, in plain Python over the layers' input lists.

The passes need three things from the layer graph: is it acyclic, an order in
which every layer follows its inputs, and which layers feed the outputs. Doing
them over ``{name: [input names]}`` keeps NetworkX (a quarter of a second to
import) out of ``layergraph check`` and is linear in the layers; NetworkX is
imported only to explain a cycle, and for ``Analysis.graph`` when asked for.
"""

from __future__ import annotations

import heapq
from typing import Iterable, Mapping, Sequence

Inputs = Mapping[str, Sequence[str]]  # layer name -> its input names (in `inputs` or not)


def in_spec_order(inputs: Inputs, order: Mapping[str, int]) -> bool:
    """True when every layer comes after all its (known) inputs: the common case."""
    for name, refs in inputs.items():
        position = order[name]
        for ref in refs:
            if ref in order and order[ref] >= position:
                return False
    return True


def topological_order(inputs: Inputs, order: Mapping[str, int], skip: set[str]) -> list[str]:
    """Layers not in ``skip``, each after its inputs, ties broken by spec position.

    Layers left over (on or behind a cycle) are not returned; ``skip`` holds the cyclic ones.
    """
    consumers: dict[str, list[str]] = {name: [] for name in inputs}
    waiting: dict[str, int] = {}
    for name, refs in inputs.items():
        if name in skip:
            continue
        known = {ref for ref in refs if ref in inputs and ref not in skip}
        waiting[name] = len(known)
        for ref in known:
            consumers[ref].append(name)
    ready = [(order[n], n) for n, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    ordered = []
    while ready:
        _, name = heapq.heappop(ready)
        ordered.append(name)
        for consumer in consumers[name]:
            waiting[consumer] -= 1
            if waiting[consumer] == 0:
                heapq.heappush(ready, (order[consumer], consumer))
    return ordered


def ancestors(inputs: Inputs, targets: Iterable[str]) -> set[str]:
    """Every layer some target depends on, the targets included."""
    seen: set[str] = set()
    stack = [t for t in targets if t in inputs]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack.extend(ref for ref in inputs[name] if ref in inputs and ref not in seen)
    return seen


def ancestors_in_order(inputs: Inputs, targets: Iterable[str]) -> set[str]:
    """:func:`ancestors` for ``inputs`` listed in topological order (each layer after its
    inputs): one sweep back from the last layer, every consumer seen before its inputs."""
    needed = set(targets)
    for name in reversed(inputs):
        if name in needed:
            needed.update(inputs[name])
    return needed.intersection(inputs)


def to_networkx(inputs: Inputs):
    """The layer graph as a ``networkx.DiGraph`` (edges run from an input to its consumer)."""
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(inputs)
    graph.add_edges_from((ref, name) for name, refs in inputs.items() for ref in refs if ref in inputs)
    return graph
