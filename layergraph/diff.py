"""What changed between two specs: layers added, removed and changed, and the totals.

Layers are matched by name. A top-level block instance is one unit: it is added,
removed or changed as a whole (with the changes of the layers inside it), so a
VGG block that grew a convolution is one entry, not five.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from . import costs, receptive_field
from .compiler.analysis import Analysis, LayerResult
from .diagnostics import printable
from .fmt import fmt_shape


@dataclass
class Unit:
    """A top-level layer, or a top-level block instance with all its layers."""

    kind: str  # "layer" or "block"
    name: str
    layers: list[LayerResult]
    block: str | None = None  # the block definition's name
    args: dict[str, Any] = field(default_factory=dict)

    @property
    def type(self) -> str:
        return f"block {self.block}" if self.kind == "block" else self.layers[0].type

    @property
    def params(self) -> int | None:
        return _sum(r.param_count for r in self.layers)

    @property
    def macs(self) -> int | None:
        return _sum(r.macs for r in self.layers)

    @property
    def last(self) -> LayerResult:
        return self.layers[-1]


def _sum(values) -> int | None:
    values = list(values)
    return None if any(v is None for v in values) else sum(values)


def units(analysis: Analysis) -> dict[str, Unit]:
    """The analysis's top-level units in topological order, by name."""
    top = {b.name: b for b in analysis.blocks}
    found: dict[str, Unit] = {}
    for result in analysis.layers.values():
        owner = result.block
        while owner is not None and top[owner].parent is not None:
            owner = top[owner].parent
        if owner is None:
            found[result.name] = Unit("layer", result.name, [result])
        elif owner in found:
            found[owner].layers.append(result)
        else:
            instance = top[owner]
            found[owner] = Unit("block", owner, [result], instance.block, dict(instance.args))
    return found


def _param_values(result: LayerResult) -> dict[str, Any]:
    """The layer's parameters with defaults filled in, so `strides: 1` equals no `strides`."""
    if result.params is not None:
        return result.params.model_dump(mode="json")
    return dict(result.raw_params)


def _field(result: LayerResult) -> dict | None:
    return result.receptive_field.to_dict() if result.receptive_field is not None else None


def layer_values(result: LayerResult) -> dict[str, Any]:
    """What a diff compares for one layer."""
    return {"type": result.type, "inputs": list(result.inputs), "parameters": _param_values(result),
            "output_shape": list(result.output_shape) if result.output_shape is not None else None,
            "params": result.param_count, "macs": result.macs, "receptive_field": _field(result)}


def _changed_keys(before: dict, after: dict) -> list[str]:
    return [k for k in before if before[k] != after[k]]


def _delta(before: int | None, after: int | None) -> int | None:
    return None if before is None or after is None else after - before


def _delta_field(before: dict | None, after: dict | None) -> list[int] | None:
    if before is None or after is None or len(before["size"]) != len(after["size"]):
        return None
    return [b - a for a, b in zip(before["size"], after["size"])]


def _compare_layer(a: LayerResult, b: LayerResult) -> dict | None:
    before, after = layer_values(a), layer_values(b)
    changes = _changed_keys(before, after)
    if not changes:
        return None
    entry = {"name": a.name, "kind": "layer", "changes": changes, "before": before, "after": after,
             "delta_params": _delta(a.param_count, b.param_count), "delta_macs": _delta(a.macs, b.macs),
             "delta_receptive_field": _delta_field(before["receptive_field"], after["receptive_field"])}
    if "parameters" in changes:
        entry["parameters"] = {k: [before["parameters"].get(k), after["parameters"].get(k)]
                               for k in sorted(set(before["parameters"]) | set(after["parameters"]))
                               if before["parameters"].get(k) != after["parameters"].get(k)}
    return entry


def _summary(unit: Unit) -> dict:
    last = unit.last
    return {"name": unit.name, "kind": unit.kind, "type": unit.type, "params": unit.params,
            "macs": unit.macs, "layers": [r.name for r in unit.layers],
            "output_shape": list(last.output_shape) if last.output_shape is not None else None,
            **({"args": unit.args} if unit.kind == "block" else {})}


def _compare_block(a: Unit, b: Unit) -> dict | None:
    inner_a = {r.name: r for r in a.layers}
    inner_b = {r.name: r for r in b.layers}
    layers = [c for name in inner_a if name in inner_b
              if (c := _compare_layer(inner_a[name], inner_b[name]))]
    added = [n for n in inner_b if n not in inner_a]
    removed = [n for n in inner_a if n not in inner_b]
    changes = (["block"] if a.block != b.block else []) + (["args"] if a.args != b.args else []) + (
        ["layers"] if layers or added or removed else [])
    if not changes:
        return None
    before, after = _summary(a), _summary(b)
    return {"name": a.name, "kind": "block", "changes": changes, "before": before, "after": after,
            "delta_params": _delta(a.params, b.params), "delta_macs": _delta(a.macs, b.macs),
            "delta_receptive_field": _delta_field(_field(a.last), _field(b.last)),
            "layers_added": added, "layers_removed": removed, "layers_changed": layers}


def _totals(analysis: Analysis) -> dict:
    cost = costs.model_cost(analysis)
    return {"params": analysis.total_params, "macs": cost.macs, "flops": cost.flops,
            "layers": len(analysis.layers), "complete": analysis.complete}


def _matched(name: str, unit: Unit, others: dict[str, Unit]) -> bool:
    return name in others and others[name].kind == unit.kind


def _split_unmatched_blocks(mine: dict[str, Unit], others: dict[str, Unit]) -> dict[str, Unit]:
    """A block the other side lacks becomes its layers, so a spec with blocks compares
    layer by layer with one without (an imported Keras model has none)."""
    result: dict[str, Unit] = {}
    for name, unit in mine.items():
        if unit.kind == "block" and not _matched(name, unit, others):
            result.update((r.name, Unit("layer", r.name, [r])) for r in unit.layers)
        else:
            result[name] = unit
    return result


def diff(a: Analysis, b: Analysis) -> dict:
    """The JSON-ready difference from ``a`` (before) to ``b`` (after)."""
    receptive_field.ensure(a)
    receptive_field.ensure(b)
    units_a, units_b = units(a), units(b)
    units_a, units_b = _split_unmatched_blocks(units_a, units_b), _split_unmatched_blocks(units_b, units_a)
    changed = []
    for name, unit in units_a.items():
        other = units_b.get(name)
        if other is None or other.kind != unit.kind:
            continue
        entry = (_compare_layer(unit.layers[0], other.layers[0]) if unit.kind == "layer"
                 else _compare_block(unit, other))
        if entry:
            changed.append(entry)
    before, after = _totals(a), _totals(b)
    return {
        "before": {"name": a.name, **before},
        "after": {"name": b.name, **after},
        "delta": {k: after[k] - before[k] for k in ("params", "macs", "flops", "layers")},
        "added": [_summary(u) for n, u in units_b.items() if not _matched(n, u, units_a)],
        "removed": [_summary(u) for n, u in units_a.items() if not _matched(n, u, units_b)],
        "changed": changed,
    }


def to_json(result: dict) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False)


def _signed(n: int | None) -> str:
    return "?" if n is None else f"{n:+,}"


def _count(n: int | None) -> str:
    return "?" if n is None else f"{n:,}"


def _shape(values: dict) -> str:
    shape = values.get("output_shape")
    return fmt_shape(tuple(shape)) if shape is not None else "unknown"


def _rf(values: dict | None) -> str:
    if values is None:
        return "—"
    sizes = {str(s) for s in values["size"]}
    return "×".join(map(str, values["size"])) if len(sizes) > 1 else sizes.pop()


def change_lines(entry: dict) -> list[str]:
    """What changed in one entry, one phrase each (``kernel_size 11 → 7``)."""
    before, after = entry["before"], entry["after"]
    lines = []
    for change in entry["changes"]:
        if change == "parameters":
            lines += [f"{k} {_short(v[0])} → {_short(v[1])}" for k, v in entry["parameters"].items()]
        elif change == "output_shape":
            lines.append(f"output {_shape(before)} → {_shape(after)}")
        elif change == "receptive_field":
            lines.append(f"receptive field {_rf(before['receptive_field'])} → "
                         f"{_rf(after['receptive_field'])}")
        elif change in ("type", "block"):
            lines.append(f"type {before['type']} → {after['type']}")
        elif change == "args":
            lines.append(f"args {_short(before['args'])} → {_short(after['args'])}")
        elif change == "inputs":
            lines.append(f"inputs {', '.join(before['inputs'])} → {', '.join(after['inputs'])}")
    if entry["kind"] == "block":
        lines += [f"+ {n}" for n in entry["layers_added"]] + [f"- {n}" for n in entry["layers_removed"]]
        for inner in entry["layers_changed"]:
            lines.append(f"~ {inner['name']}: " + "; ".join(change_lines(inner) or ["counts"]))
    return lines


def _short(value: Any, limit: int = 40) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _deltas(entry: dict) -> str:
    return f"params {_signed(entry['delta_params'])}, MACs {_signed(entry['delta_macs'])}"


def totals_line(result: dict) -> str:
    b, a, d = result["before"], result["after"], result["delta"]
    return (f"params {b['params']:,} → {a['params']:,} ({d['params']:+,}); "
            f"MACs {b['macs']:,} → {a['macs']:,} ({d['macs']:+,}); "
            f"FLOPs {b['flops']:,} → {a['flops']:,} ({d['flops']:+,}); "
            f"layers {b['layers']} → {a['layers']} ({d['layers']:+})")


def to_text(result: dict) -> str:
    """Plain text: one line per added/removed unit, changed units with their changes."""
    lines = [f"{result['before']['name']} → {result['after']['name']}"]
    for unit in result["added"]:
        lines.append(f"+ {unit['name']} ({unit['type']}): {_count(unit['params'])} params, "
                     f"{_count(unit['macs'])} MACs")
    for unit in result["removed"]:
        lines.append(f"- {unit['name']} ({unit['type']}): {_count(unit['params'])} params, "
                     f"{_count(unit['macs'])} MACs")
    for entry in result["changed"]:
        lines.append(f"~ {entry['name']} ({entry['after']['type']}): {_deltas(entry)}")
        lines += [f"    {line}" for line in change_lines(entry)]
    if len(lines) == 1:
        lines.append("no differences")
    lines.append("Totals: " + totals_line(result))
    return "\n".join(printable(line) for line in lines) + "\n"


def to_markdown(result: dict) -> str:
    """A pipe table: change, name, type, Δparams, ΔMACs, details; totals below."""
    def cell(text: str) -> str:
        return printable(text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " "))

    rows = ["| | Layer | Type | Δ params | Δ MACs | Details |", "|---|---|---|--:|--:|---|"]
    for unit in result["added"]:
        rows.append(f"| + | `{cell(unit['name'])}` | {cell(unit['type'])} | {_signed(unit['params'])} "
                    f"| {_signed(unit['macs'])} | added |")
    for unit in result["removed"]:
        params = None if unit["params"] is None else -unit["params"]
        macs = None if unit["macs"] is None else -unit["macs"]
        rows.append(f"| − | `{cell(unit['name'])}` | {cell(unit['type'])} | {_signed(params)} "
                    f"| {_signed(macs)} | removed |")
    for entry in result["changed"]:
        rows.append(f"| ~ | `{cell(entry['name'])}` | {cell(entry['after']['type'])} | "
                    f"{_signed(entry['delta_params'])} | {_signed(entry['delta_macs'])} | "
                    f"{cell('; '.join(change_lines(entry)))} |")
    title = f"**{cell(result['before']['name'])} → {cell(result['after']['name'])}**"
    return "\n".join([title, "", *rows, "", f"- Totals: {cell(totals_line(result))}"]) + "\n"
