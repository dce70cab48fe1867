"""Edit operations on blocks: a block definition's layers, making a block, inlining a use.

Like :mod:`operations`, each works on an :class:`~operations.EditContext` and returns an
:class:`~operations.Outcome`. A layer of a block definition stands for a layer in every
use of the block, so those edits say how many uses they change. Making a block from a
run of layers and inlining a block use both leave the analysed graph as it was: the
same layers (named as the expansion names them), shapes and parameter counts.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from ..compiler.expand import BlockInstance, substitute
from ..jsonpointer import join
from ..spec import REQUIRED, split_reference
from .names import all_names, rename_refs
from .operations import (GRAPH_ORDER, EditContext, EditError, Outcome, block_position, check_name,
                         set_key, unique_name, use_count, uses_note)


# -- a block definition's layers ---------------------------------------------------------

def _definition(ctx: EditContext, block: str) -> dict:
    """Block ``block``'s definition, with a `layers` list; EditError if there is none."""
    blocks = ctx.data.get("blocks")
    definition = blocks.get(block) if isinstance(blocks, dict) else None
    if not isinstance(definition, dict) or not isinstance(definition.get("layers"), list):
        raise EditError(f"block '{block}' has no `layers` list to edit")
    return definition


def _position(ctx: EditContext, pointer: str) -> tuple[str, int, dict, list]:
    """(block, index, definition, its layers) for a pointer to a layer of a block definition."""
    position = block_position(pointer)
    if position is None:
        raise EditError("this is not a layer of a block definition")
    block, index = position
    definition = _definition(ctx, block)
    if not 0 <= index < len(definition["layers"]) or not isinstance(definition["layers"][index], dict):
        raise EditError(f"nothing at {pointer} in the spec")
    return block, index, definition, definition["layers"]


def _block_inputs(definition: dict) -> list[str]:
    """A block's input ports (``["input"]`` when it does not name them, as the format says)."""
    ports = definition.get("inputs", ["input"])
    return [p for p in ports if isinstance(p, str)] if isinstance(ports, list) else []


def _local_names(definition: dict) -> set[str]:
    """The names a block's layers can refer to: its layers and its inputs."""
    names = {i.get("name") for i in definition["layers"] if isinstance(i, dict)}
    names |= set(_block_inputs(definition))
    return {n for n in names if isinstance(n, str)}


def _instances(ctx: EditContext, block: str) -> list[BlockInstance]:
    return [b for b in ctx.analysis.blocks if b.block == block]


def _label(item: dict, block: str) -> str:
    return f"'{item.get('name', item.get('type', 'layer'))}' of block '{block}'"


def delete_block_layer(ctx: EditContext, pointer: str) -> Outcome:
    """Remove a layer from a block definition (so from every use); what read it reads its input."""
    block, index, definition, layers = _position(ctx, pointer)
    if len(layers) == 1:
        raise EditError(f"{_label(layers[0], block)} is its only layer: delete or inline the "
                        "block use instead")
    removed = layers.pop(index)
    old = removed.get("name")
    replacement = _bypass(removed, index, definition, layers)
    outcome = Outcome(f"Delete {_label(removed, block)}",
                      select=join("blocks", block, "layers", min(index, len(layers) - 1)),
                      undo_select=pointer, notes=[uses_note(ctx, block)])
    if isinstance(old, str):
        _repair_inside(definition, old, replacement, outcome)
        outcome.repairs = _repairs_outside(ctx, block, definition, old, replacement)
    return outcome


def _bypass(removed: dict, index: int, definition: dict, layers: list) -> str | None:
    """The local name of the one tensor a removed block layer read, else None."""
    explicit = removed.get("inputs")
    if isinstance(explicit, list):
        return explicit[0] if len(explicit) == 1 and isinstance(explicit[0], str) else None
    if index > 0:
        previous = layers[index - 1]
        return previous.get("name") if isinstance(previous, dict) else None
    ports = _block_inputs(definition)
    return ports[0] if len(ports) == 1 else None


def _repair_inside(definition: dict, old: str, replacement: str | None, outcome: Outcome) -> None:
    """References to a deleted block layer, inside the block, take its input instead."""
    if replacement is not None:
        for owner, _, new in rename_refs(definition["layers"], {old: replacement}):
            outcome.notes.append(f"'{owner}' takes '{new}' instead of deleted '{old}'")
    else:
        for item in definition["layers"]:
            if isinstance(item, dict) and old in (item.get("inputs") or []):
                outcome.notes.append(f"'{item.get('name')}' still names deleted '{old}': fix its inputs")
    if definition.get("output") == old:
        if replacement is None:
            del definition["output"]
        else:
            definition["output"] = replacement


def _repairs_outside(ctx: EditContext, block: str, definition: dict, old: str,
                     replacement: str | None) -> dict[str, str | None]:
    """For every use: the deleted layer's full name → its input's (for the graph's references)."""
    ports = _block_inputs(definition)
    repairs: dict[str, str | None] = {}
    for instance in _instances(ctx, block):
        if replacement in ports and ports.index(replacement) < len(instance.inputs):
            repairs[f"{instance.name}_{old}"] = instance.inputs[ports.index(replacement)]
        else:
            repairs[f"{instance.name}_{old}"] = f"{instance.name}_{replacement}" if replacement else None
    return repairs


def duplicate_block_layer(ctx: EditContext, pointer: str) -> Outcome:
    """Insert a renamed copy of a block layer right after it (in every use)."""
    block, index, definition, layers = _position(ctx, pointer)
    item = copy.deepcopy(layers[index])
    if isinstance(item.get("name"), str):
        taken = _local_names(definition)
        outside = all_names(ctx.names)
        candidate = unique_name(item["name"] + "_copy", taken)
        # The copy's full names (<use>_<name>) must be free in the graph too.
        while any(f"{i.name}_{candidate}" in outside for i in _instances(ctx, block)):
            taken.add(candidate)
            candidate = unique_name(item["name"] + "_copy", taken)
        item["name"] = candidate
    layers.insert(index + 1, item)
    return Outcome(f"Duplicate {_label(layers[index], block)}",
                   select=join("blocks", block, "layers", index + 1), undo_select=pointer,
                   notes=[uses_note(ctx, block)])


def move_block_layer(ctx: EditContext, pointer: str, delta: int) -> Outcome:
    """Swap a block layer with its neighbour in the definition; it never leaves the block."""
    block, index, _, layers = _position(ctx, pointer)
    target = index + delta
    if not 0 <= target < len(layers):
        where = "first" if delta < 0 else "last"
        raise EditError(f"{_label(layers[index], block)} is its {where} layer already: "
                        "a move stays inside the block")
    layers[index], layers[target] = layers[target], layers[index]
    return Outcome(f"Move {_label(layers[target], block)} {'up' if delta < 0 else 'down'}",
                   select=join("blocks", block, "layers", target), undo_select=pointer,
                   notes=[uses_note(ctx, block)], names_follow=False)


# -- making a block from a run of layers ----------------------------------------------------

@dataclass
class _Run:
    """A run of top-level items about to become a block, and what it reads from outside."""

    start: int
    end: int  # inclusive
    items: list[dict]
    names: set[str]  # every name the graph knows its items by
    local: dict[str, str]  # name an item is referred to by → its name in the block
    ports: list[str]  # the tensors it reads from outside, in the order first read


def make_block(ctx: EditContext, start: int, end: int, block: str, use: str | None = None) -> Outcome:
    """Replace top-level items ``start``..``end`` by a use of a new block ``block`` made of them.

    The run may read several tensors from outside (they become the block's inputs), but
    only its last item may be read from outside it. Names shared by every item (``stem_``
    of ``stem_conv``, ``stem_bn``) become the use's name, so the layers keep their names.
    """
    block = check_name(block)
    blocks = ctx.data.get("blocks", {})
    if not isinstance(blocks, dict):
        raise EditError("the spec's `blocks` is not an object; fix it in the JSON first")
    if block in blocks:
        raise EditError(f"a block named '{block}' exists already")
    run = _run(ctx, start, end)
    _check_outside(ctx, run)
    use, prefix = _use_name(ctx, run, block, use)
    definition, use_item = _block_from_run(run, prefix, block, use)
    layers = ctx.data["layers"]
    layers[start:end + 1] = [use_item]
    rename_refs(layers[start + 1:], {n: use for n in _output_names(ctx, run)})
    if isinstance(ctx.data.get("outputs"), list):
        ctx.data["outputs"] = [use if r in _output_names(ctx, run) else r for r in ctx.data["outputs"]]
    new = set_key(ctx.data, "blocks", {**blocks, block: definition}, GRAPH_ORDER)
    ctx.data.clear()
    ctx.data.update(new)
    count = end - start + 1
    moved: dict = {("layers", k): None for k in range(start, end + 1)}
    moved.update({("layers", k): ("layers", k - count + 1) for k in range(end + 1, len(layers) + count - 1)})
    return Outcome(f"Make block '{block}' of {count} layer{'s' if count > 1 else ''} (used as '{use}')",
                   select=join("layers", start), undo_select=join("layers", start), moved=moved,
                   notes=[f"Block '{block}' has inputs {', '.join(definition['inputs']) or 'none'}."])


def _run(ctx: EditContext, start: int, end: int) -> _Run:
    """The run ``start``..``end`` of top-level items, checked to be movable into a block."""
    layers = ctx.data.get("layers")
    if not isinstance(layers, list) or not 0 <= start <= end < len(layers):
        raise EditError("select one or more layers (not model inputs) to make a block")
    items = layers[start:end + 1]
    for item in items:
        if not isinstance(item, dict):
            raise EditError("an item of the run is not a JSON object; fix it in the JSON first")
        if "shares" in item:
            raise EditError(f"'{item.get('name')}' shares another layer's weights: a block cannot "
                            "be made of it")
    local: dict[str, str] = {}
    names: set[str] = set()
    for k, item in enumerate(items):
        known = ctx.names.get(("layers", start + k), [])
        names |= set(known)
        own = item.get("name") if isinstance(item.get("name"), str) else (known[-1] if known else None)
        if own is None:
            raise EditError("the run has a layer without a name; fix the spec's errors first")
        item.setdefault("name", own)  # an automatic name, written out so it survives the move
        local[own] = own
        if "repeat" in item and isinstance(item["repeat"], int):
            local.update({f"{own}{r}": f"{own}{r}" for r in range(1, item["repeat"] + 1)})
    run = _Run(start, end, items, names, local, [])
    run.ports = _ports(ctx, run)
    return run


def _previous_ref(ctx: EditContext, index: int) -> str | None:
    """The name that refers to the output of top-level item ``index`` (-1: the last input)."""
    if index < 0:
        inputs = ctx.data.get("inputs") or []
        return ctx.names.get(("inputs", len(inputs) - 1), [None])[0] if inputs else None
    item = ctx.data["layers"][index]
    if isinstance(item, dict) and isinstance(item.get("name"), str):
        return item["name"]
    known = ctx.names.get(("layers", index), [])
    return known[-1] if known else None


def _refs(item: dict) -> list[str]:
    """Every reference an item makes: its inputs and its call's tensors."""
    refs = [r for r in item.get("inputs") or [] if isinstance(r, str)]
    for value in (item.get("call") or {}).values():
        refs += [value] if isinstance(value, str) else [r for r in value if isinstance(r, str)]
    return refs


def _ports(ctx: EditContext, run: _Run) -> list[str]:
    """The tensors the run reads from outside it, first read first; refuses references to
    the insides of the run's block uses, which a block's layers cannot name."""
    ports: list[str] = []
    if "inputs" not in run.items[0]:
        previous = _previous_ref(ctx, run.start - 1)
        ports += [previous] if previous else []
    for item in run.items:
        for ref in _refs(item):
            base = split_reference(ref)[0]
            if base in run.local or ref in run.local:
                continue
            if base in run.names:
                raise EditError(f"'{item['name']}' reads '{ref}' inside a block use of the run: "
                                "a block's layers can name only each other and its inputs")
            if ref not in ports:
                ports.append(ref)
    return ports


def _output_names(ctx: EditContext, run: _Run) -> set[str]:
    """Names that refer to the run's output: the last item's own, its last repetition's and,
    for a block use, its output layer's (``res2_out``)."""
    last = run.items[-1]
    names = {last["name"]}
    repeat = last.get("repeat")
    if isinstance(repeat, int) and repeat > 1:
        names.add(f"{last['name']}{repeat}")
    names |= {b.output for b in ctx.analysis.blocks if b.parent is None and b.name in names and b.output}
    return names


def _check_outside(ctx: EditContext, run: _Run) -> None:
    """Only the run's output may be read after it: a block has one output."""
    outputs = _output_names(ctx, run)
    after = [i for i in ctx.data["layers"][run.end + 1:] if isinstance(i, dict)]
    for item in after:
        shared = item.get("shares")
        if isinstance(shared, str) and (shared in run.names or split_reference(shared)[0] in run.names):
            # Renamed to the block use, it would share the whole block instead of one layer.
            raise EditError(f"'{item.get('name')}' shares the weights of '{shared}' in the run: "
                            "a block cannot be made of a layer shared later")
    readers = [(i.get("name", "?"), r) for i in after for r in _refs(i)]
    graph_outputs = ctx.data.get("outputs")
    readers += [("the graph's outputs", r) for r in graph_outputs or [] if isinstance(r, str)]
    for owner, ref in readers:
        base = split_reference(ref)[0]
        if (ref in run.names or base in run.names) and ref not in outputs and base not in outputs:
            raise EditError(f"{owner if owner.startswith('the ') else repr(owner)} reads '{ref}' from "
                            f"inside the run: a block has one output, its last layer "
                            f"('{run.items[-1]['name']}'); select a run only its end is read from")


def shared_prefix(names: list[str]) -> str | None:
    """``stem`` for ``stem_conv``, ``stem_bn``: what every name of a run starts with before its
    first ``_`` (None for one name, or none shared)."""
    head = names[0].split("_")[0] if names else ""
    if len(names) > 1 and all(n.startswith(head + "_") and len(n) > len(head) + 1 for n in names):
        return head
    return None


def _use_name(ctx: EditContext, run: _Run, block: str, use: str | None) -> tuple[str, str]:
    """The use's name and the prefix its items drop: a prefix all their names share becomes
    the use's name (``stem_conv`` → use ``stem``, layer ``conv``), so full names stay the same."""
    taken = all_names(ctx.names) - run.names
    own = [item["name"] for item in run.items]
    shared = shared_prefix(own)
    if use is None:
        use = shared if shared and shared not in taken else unique_name(block, taken)
    use = check_name(use)
    if use in taken:
        raise EditError(f"a layer named '{use}' exists already")
    prefix = use + "_" if shared == use else ""
    clashes = [f"{use}_{n[len(prefix):]}" for n in own if f"{use}_{n[len(prefix):]}" in taken]
    if clashes:
        raise EditError(f"the block's layers would be named like existing layers ({clashes[0]})")
    return use, prefix


def _block_from_run(run: _Run, prefix: str, block: str, use: str) -> tuple[dict, dict]:
    """The block definition made of the run, and the use that replaces it."""
    strip = {name: name[len(prefix):] for name in run.local}
    items = copy.deepcopy(run.items)
    for item in items:
        item["name"] = strip[item["name"]]
    taken = set(strip.values())
    one_implicit = len(run.ports) == 1 and "inputs" not in run.items[0]
    mapping = {k: v for k, v in strip.items() if k != v}
    ports = []
    for ref in run.ports:
        # One input read implicitly is "x"; several keep the names they have outside.
        port = unique_name("x" if one_implicit else ref.replace(":", "_"), taken | set(ports))
        ports.append(port)
        if port != ref:
            mapping[ref] = port
    rename_refs(items, mapping)
    if "inputs" not in items[0] and len(ports) > 1:
        items[0] = set_key(items[0], "inputs", [ports[0]], ["name", "type", "block", "inputs"])
    use_item: dict[str, Any] = {"name": use, "block": block}
    if run.ports and not one_implicit:
        use_item["inputs"] = list(run.ports)
    return {"inputs": ports, "layers": items}, use_item


# -- inlining a block use ---------------------------------------------------------------------

def inline_block(ctx: EditContext, index: int) -> Outcome:
    """Replace block use ``index`` by the block's layers, named as its expansion names them
    (``res1_conv1``) with its arguments filled in; the definition goes once unused."""
    layers = ctx.data.get("layers")
    use = layers[index] if isinstance(layers, list) and 0 <= index < len(layers) else None
    if not isinstance(use, dict) or "block" not in use:
        raise EditError("select a row of a block use to inline it")
    block = use["block"]
    definition = _definition(ctx, block)
    instances = [b for b in ctx.analysis.blocks
                 if b.parent is None and b.block == block and _belongs(b.name, use)]
    if not instances:
        raise EditError(f"block use '{use.get('name')}' could not be expanded: fix its errors first")
    args = _arguments(definition, use, ctx.data.get("params"))
    last_is_output = definition.get("output") in (None, _last_name(definition))
    items: list[dict] = []
    for k, instance in enumerate(instances):
        implicit = (k == 0 and "inputs" not in use) or (k > 0 and last_is_output)
        items += _inlined(definition, instance, args, implicit)
    layers[index:index + 1] = items
    output = instances[-1].output
    repairs = {b.name: b.output for b in instances if b.output}
    repairs[use["name"]] = output
    after = index + len(items)
    if not last_is_output:
        _name_the_output(ctx.data, after, output)
    rename_refs(layers[index:], repairs)
    if isinstance(ctx.data.get("outputs"), list):
        ctx.data["outputs"] = [repairs.get(r) or r for r in ctx.data["outputs"]]
    notes = [f"{len(items)} layers take the place of block use '{use['name']}'."]
    remaining = use_count(ctx, block) - len(instances)
    if remaining <= 0 and not _used_elsewhere(ctx.data, block):
        del ctx.data["blocks"][block]
        notes.append(f"Block '{block}' had no other use: its definition is removed too.")
    else:
        notes.append(f"Block '{block}' stays: it has {remaining} other use{'' if remaining == 1 else 's'}.")
    moved: dict = {("layers", index): None}
    moved.update({("layers", j): ("layers", j + len(items) - 1)
                  for j in range(index + 1, len(layers) - len(items) + 1)})
    return Outcome(f"Inline block use '{use['name']}'", select=join("layers", index),
                   undo_select=join("layers", index), moved=moved, notes=notes)


def _last_name(definition: dict) -> str | None:
    last = definition["layers"][-1]
    return last.get("name") if isinstance(last, dict) else None


def _name_the_output(data: dict, after: int, output: str) -> None:
    """A use whose output is not its last layer: what read it implicitly must now name it."""
    layers = data["layers"]
    if after < len(layers):
        following = layers[after]
        if isinstance(following, dict) and "inputs" not in following:
            layers[after] = set_key(following, "inputs", [output], ["name", "type", "block", "inputs"])
    elif "outputs" not in data:
        data["outputs"] = [output]


def _belongs(instance: str, use: dict) -> bool:
    """True when ``instance`` is made by ``use`` (``res``, or ``res1``, ``res2`` when repeated)."""
    name = use.get("name")
    if "repeat" not in use:
        return instance == name
    suffix = instance[len(name):] if isinstance(name, str) and instance.startswith(name) else ""
    return suffix.isdigit()


def _used_elsewhere(data: dict, block: str) -> bool:
    """True when another block's definition or a top-level item still uses ``block``."""
    items = list(data.get("layers") or [])
    for definition in (data.get("blocks") or {}).values():
        items += definition.get("layers", []) if isinstance(definition, dict) else []
    return any(isinstance(i, dict) and i.get("block") == block for i in items)


def _arguments(definition: dict, use: dict, spec_params: Any) -> dict:
    """The block's parameters as this use sets them (declared defaults, then its `args`)."""
    declared = definition.get("params", {})
    declared = {p: REQUIRED for p in declared} if isinstance(declared, list) else dict(declared)
    args = {**declared, **(use.get("args") if isinstance(use.get("args"), dict) else {})}
    missing = [name for name, value in args.items() if value is REQUIRED]
    if missing:
        raise EditError(f"block use '{use.get('name')}' gives no value for `{missing[0]}`")
    return args


def _inlined(definition: dict, instance: BlockInstance, args: dict, implicit: bool) -> list[dict]:
    """One instance's layers as top-level items: arguments substituted, names prefixed, and
    references to the block's inputs replaced by what the instance was given. ``implicit``:
    the item before them at the top level is the instance's one input."""
    prefix = instance.name + "_"
    ports = _block_inputs(definition)
    items = [substitute(copy.deepcopy(i), args, keep_unknown=True) for i in definition["layers"]]
    mapping = dict(zip(ports, instance.inputs))
    for j, item in enumerate(items):
        name = item.get("name")
        if not isinstance(name, str):
            raise EditError(f"layer {j + 1} of block '{instance.block}' has no name: name it first")
        mapping[name] = prefix + name
        if isinstance(item.get("repeat"), int):
            mapping.update({f"{name}{r}": f"{prefix}{name}{r}" for r in range(1, item["repeat"] + 1)})
    for item in items:
        item["name"] = mapping[item["name"]]
    rename_refs(items, mapping)
    # The first layer read the instance's inputs implicitly; at the top level it would read
    # the item before it instead, the same tensor only for a one-input use.
    if "inputs" not in items[0] and not (implicit and len(ports) == 1):
        items[0] = set_key(items[0], "inputs", list(instance.inputs), ["name", "type", "block", "inputs"])
    return items
