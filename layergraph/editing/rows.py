"""The rows an editor shows: every layer of the expanded graph, in spec order.

A row knows the item that defines it (so edits land in the right place of the
JSON), its analysis result and its problems. Items that produced no layer
(a duplicate name, an unknown block, a spec whose structure is broken) still get
a row, so the user can select and fix them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..compiler.analysis import Analysis, LayerResult
from ..diagnostics import Diagnostic
from .names import ItemKey

ERROR, WARNING, UNKNOWN, OK = "error", "warning", "unknown", "ok"


@dataclass
class Row:
    """One line of the layer table."""

    key: str  # unique: the layer name, or "#<pointer>" for an item without a layer
    name: str
    type: str
    pointer: str  # the JSON object that defines the row (/inputs/0, /layers/3, /blocks/b/layers/1)
    item: str  # the top-level item holding it (/inputs/k or /layers/i): moved, deleted as a whole
    result: LayerResult | None = None
    block: str | None = None  # innermost block instance
    depth: int = 0
    inputs: list[str] = field(default_factory=list)  # keys of the rows feeding this one
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def status(self) -> str:
        if self.errors:
            return ERROR
        if self.result is None or self.result.output_shape is None:
            return UNKNOWN
        if self.diagnostics:
            return WARNING
        return OK

    @property
    def item_index(self) -> int | None:
        """Index in ``layers`` of the item holding the row (None for inputs)."""
        section, index = self.item.split("/")[1:3]
        return int(index) if section == "layers" else None


def build_rows(data: Any, analysis: Analysis, names: dict[ItemKey, list[str]]) -> list[Row]:
    """The rows of a spec: inputs, then each item's layers in order."""
    by_layer: dict[str, list[Diagnostic]] = {}
    for d in analysis.diagnostics:
        if d.layer:
            by_layer.setdefault(d.layer, []).append(d)
    if analysis.spec is None:
        return _raw_rows(data, analysis)
    rows, seen = [], set()
    for (section, index), group in _items(data, names):
        pointer = f"/{section}/{index}"
        results = [analysis.layers[n] for n in group if n in analysis.layers and n not in seen]
        # A duplicate name belongs to the first item that used it, not to this one.
        results = [r for r in results if r.block is not None or r.pointer == pointer]
        if not results:
            rows.append(_placeholder(data, section, index, analysis))
            continue
        for result in results:
            seen.add(result.name)
            rows.append(_row(analysis, result, pointer, by_layer))
    return rows


def _items(data: Any, names: dict[ItemKey, list[str]]):
    for section in ("inputs", "layers"):
        items = data.get(section) if isinstance(data, dict) else None
        for index in range(len(items) if isinstance(items, list) else 0):
            yield (section, index), names.get((section, index), [])


def _row(analysis: Analysis, result: LayerResult, item: str, by_layer) -> Row:
    own = list(result.diagnostics)
    own += [d for d in by_layer.get(result.name, []) if all(d is not o for o in own)]
    return Row(key=result.name, name=result.name, type=result.type,
               pointer=result.pointer if result.block else item, item=item, result=result,
               block=result.block, depth=_depth(analysis, result.block),
               inputs=list(result.inputs), diagnostics=own)


def _depth(analysis: Analysis, block: str | None) -> int:
    parents = {b.name: b.parent for b in analysis.blocks}
    depth = 0
    while block is not None and depth < 64:
        depth += 1
        block = parents.get(block)
    return depth


def _placeholder(data: Any, section: str, index: int, analysis: Analysis) -> Row:
    pointer = f"/{section}/{index}"
    item = data[section][index]
    item = item if isinstance(item, dict) else {}
    name = item.get("name") if isinstance(item.get("name"), str) else f"#{index + 1}"
    kind = item.get("type") if section == "layers" else "InputLayer"
    if "block" in item:
        kind = f"block {item.get('block')}"
    diagnostics = [d for d in analysis.diagnostics
                   if d.pointer == pointer or d.pointer.startswith(pointer + "/")]
    return Row(key="#" + pointer, name=name, type=str(kind or "?"), pointer=pointer, item=pointer,
               diagnostics=diagnostics)


def _raw_rows(data: Any, analysis: Analysis) -> list[Row]:
    """Rows straight from the JSON when its structure is too broken to analyse."""
    rows = []
    for section in ("inputs", "layers"):
        items = data.get(section) if isinstance(data, dict) else None
        for index in range(len(items) if isinstance(items, list) else 0):
            rows.append(_placeholder(data, section, index, analysis))
    return rows


def row_for(diagnostic: Diagnostic, rows: list[Row]) -> Row | None:
    """The row a problem belongs to: its layer, else the item its JSON pointer is in."""
    if diagnostic.layer:
        for row in rows:
            if row.key == diagnostic.layer:
                return row
    best = None
    for row in rows:
        for pointer in (row.pointer, row.item):
            if diagnostic.pointer == pointer or diagnostic.pointer.startswith(pointer + "/"):
                if best is None or len(pointer) > len(best[1]):
                    best = (row, pointer)
    return best[0] if best else None


def sorted_problems(analysis: Analysis) -> list[Diagnostic]:
    """Errors first, then warnings, each in the order the checks found them."""
    return analysis.errors + analysis.warnings
