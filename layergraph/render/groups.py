"""Groups of layers for diagrams: the spec's block instances, or groups read from names.

A spec with blocks says what belongs together. A flat spec (for example one
imported from ``keras.applications``) usually says it through layer names:
``conv2_block1_1_conv`` and ``conv2_block1_2_conv`` belong to ``conv2_block1``,
which belongs to ``conv2``. Deep flat graphs get such groups inferred so that
they can be drawn as clusters and collapsed; Keras's automatic names
(``conv2d_3``) never form a group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..compiler.analysis import Analysis

# Flat specs with fewer layers than this are drawn as they are: nothing to collapse.
INFER_MIN_LAYERS = 30
# A name prefix shared by more than this share of all layers is not a group.
MAX_SHARE = 0.6


@dataclass
class Group:
    """A block instance: a named set of layers drawn as a cluster or one node."""

    name: str
    layers: list[str]                       # every layer inside, nested too, in topological order
    kind: str = ""                          # the block definition's name ('' when inferred)
    args: dict[str, Any] = field(default_factory=dict)
    parent: str | None = None
    description: str | None = None
    output: str | None = None               # the layer whose tensor leaves the group

    @property
    def inferred(self) -> bool:
        return not self.kind

    def title(self) -> str:
        """``block3 · vgg_block(filters=256, convs=3)`` (just the name when inferred)."""
        if not self.kind:
            return self.name
        if not self.args:
            return f"{self.name} · {self.kind}"
        args = ", ".join(f"{key}={value}" for key, value in self.args.items())
        return f"{self.name} · {self.kind}({args})"


def collect_groups(analysis: Analysis) -> list[Group]:
    """The groups to draw: the spec's block instances, else groups inferred from names."""
    order = {name: i for i, name in enumerate(analysis.layers)}
    if analysis.blocks:
        return _spec_groups(analysis, order)
    if len(analysis.layers) >= INFER_MIN_LAYERS:
        return infer_groups(list(analysis.layers), _auto_name_pattern())
    return []


def _spec_groups(analysis: Analysis, order: dict[str, int]) -> list[Group]:
    groups = []
    for block in analysis.blocks:
        members = sorted((name for name in block.layers if name in order), key=order.__getitem__)
        if not members:
            continue
        output = block.output if block.output in order else members[-1]
        groups.append(Group(block.name, members, block.block, dict(block.args), block.parent,
                            block.description, output))
    known = {g.name for g in groups}
    for group in groups:  # a parent without drawable layers is skipped; adopt its children
        while group.parent is not None and group.parent not in known:
            group.parent = next((b.parent for b in analysis.blocks if b.name == group.parent), None)
    return groups


def _auto_name_pattern() -> re.Pattern:
    """Matches Keras's automatic layer names (``conv2d``, ``batch_normalization_12``)."""
    from ..registry import get_registry

    stems = {_snake(name) for name in get_registry().names()} | {"input_layer", "re_lu"}
    alternatives = "|".join(sorted(map(re.escape, stems), key=len, reverse=True))
    return re.compile(rf"^(?:{alternatives})(?:_\d+)?$")


def _snake(type_name: str) -> str:
    """Keras's to_snake_case: ``MaxPooling2D`` → ``max_pooling2d``."""
    text = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", type_name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", text).lower()


def infer_groups(names: list[str], auto: re.Pattern | None = None) -> list[Group]:
    """Groups from name prefixes: maximal runs of consecutive layers sharing one.

    Level 1 is the first ``_``-separated token (``conv2``), level 2 the first two
    (``conv2_block1``). A group needs two or more layers; a level-2 run that spans
    its whole parent adds nothing and is dropped.
    """
    groups: list[Group] = []
    for start, end, key in _runs(names, 0, len(names), 1, auto):
        subruns = _runs(names, start, end, 2, auto)
        if end - start > MAX_SHARE * len(names):
            # One prefix for most of the network says nothing: use the finer groups.
            groups += [Group(sub_key, names[a:b]) for a, b, sub_key in subruns]
            continue
        groups.append(Group(key, names[start:end]))
        groups += [Group(sub_key, names[a:b], parent=key) for a, b, sub_key in subruns
                   if b - a < end - start]
    return _unique_names(groups)


def _key(name: str, level: int, auto: re.Pattern | None) -> str | None:
    if auto is not None and auto.match(name):
        return None
    tokens = name.split("_")
    if len(tokens) <= level or not all(tokens[:level]):
        return None
    return "_".join(tokens[:level])


def _runs(names: list[str], start: int, end: int, level: int, auto) -> list[tuple[int, int, str]]:
    runs, i = [], start
    while i < end:
        key = _key(names[i], level, auto)
        j = i + 1
        while j < end and key is not None and _key(names[j], level, auto) == key:
            j += 1
        if key is not None and j - i >= 2:
            runs.append((i, j, key))
        i = j
    return runs


def _unique_names(groups: list[Group]) -> list[Group]:
    """Separate runs with one prefix (``top_conv``… then ``top_dropout``) get suffixes.

    Children follow their parent in ``groups``, so a child's parent is the latest top-level group.
    """
    seen: dict[str, int] = {}
    parent_name = None
    for group in groups:
        count = seen.get(group.name, 0)
        seen[group.name] = count + 1
        if count:
            group.name = f"{group.name} ({count + 1})"
        if group.parent is None:
            parent_name = group.name
        else:
            group.parent = parent_name
        group.output = group.layers[-1]
    return groups
