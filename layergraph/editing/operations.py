"""Edit operations on a spec's JSON data.

Each operation works on a private copy of the data (an :class:`EditContext`),
changes it in place and returns an :class:`Outcome` saying which items moved and
which references must be repaired; :class:`~layergraph.editing.document.Document`
then keeps every reference pointing at the same item, records the edit for
undo, and re-analyses. Operations raise :class:`EditError` with a message for
the user when an edit cannot be made; the data is then left untouched.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from ..compiler.analysis import Analysis
from ..compiler.expand import to_snake_case
from ..diagnostics import did_you_mean
from ..fmt import fmt_shape
from ..jsonpointer import join, split
from ..registry import get_registry
from ..spec import split_reference
from .jsonlayout import canonical
from .names import ItemKey, all_names, rename_refs

UNSET: Any = object()  # "remove this key" (the parameter goes back to its Keras default)
RESERVED = ("name", "type", "block", "inputs", "args", "repeat", "description")
# Where a new top-level key of a spec goes (the order of the format's documentation).
GRAPH_ORDER = ["$schema", "format", "name", "description", "params", "inputs", "blocks", "layers",
               "outputs"]


class EditError(ValueError):
    """An edit that cannot be made; the message says why."""


@dataclass
class EditContext:
    data: dict
    names: dict[ItemKey, list[str]]
    analysis: Analysis


@dataclass
class Outcome:
    """What an edit did, for the history, the reference fix-up and the user."""

    label: str
    select: str | None = None  # pointer of the item to select afterwards
    undo_select: str | None = None  # pointer to select when the edit is undone (default: select)
    moved: dict[ItemKey, ItemKey | None] = field(default_factory=dict)
    repairs: dict[str, str | None] = field(default_factory=dict)  # deleted name → replacement
    notes: list[str] = field(default_factory=list)
    changed: bool = True
    # False: the edit renamed nothing, so names are not compared before and after it (a move
    # inside a block reorders its uses' names, which the comparison would take for renames).
    names_follow: bool = True


# -- pointers -------------------------------------------------------------------

def split_pointer(pointer: str) -> list[str]:
    """RFC 6901 pointer → its unescaped parts."""
    if not pointer:
        return []
    return split(pointer)


def resolve(data: Any, pointer: str) -> Any:
    """The value at ``pointer``; EditError if there is none."""
    value = data
    for part in split_pointer(pointer):
        try:
            value = value[int(part)] if isinstance(value, list) else value[part]
        except (KeyError, IndexError, ValueError, TypeError):
            raise EditError(f"nothing at {pointer or '/'} in the spec") from None
    return value


def item_key(pointer: str) -> ItemKey | None:
    """("layers", i) / ("inputs", k) for a top-level item pointer, else None."""
    parts = split_pointer(pointer)
    if len(parts) == 2 and parts[0] in ("layers", "inputs") and parts[1].isdigit():
        return parts[0], int(parts[1])
    return None


def block_position(pointer: str) -> tuple[str, int] | None:
    """(block, index in its layers) for a pointer to a layer of a block definition, else None."""
    parts = split_pointer(pointer)
    if len(parts) == 4 and parts[0] == "blocks" and parts[2] == "layers" and parts[3].isdigit():
        return parts[1], int(parts[3])
    return None


def _item(ctx: EditContext, pointer: str) -> dict:
    item = resolve(ctx.data, pointer)
    if not isinstance(item, dict):
        raise EditError(f"the item at {pointer} is not a JSON object; fix it in the JSON first")
    return item


def _layers(ctx: EditContext) -> list:
    layers = ctx.data.get("layers")
    if not isinstance(layers, list):
        raise EditError("the spec has no `layers` list to edit")
    return layers


def _shift(start: int, length: int, delta: int) -> dict[ItemKey, ItemKey | None]:
    return {("layers", j): ("layers", j + delta) for j in range(start, length)}


# -- names ----------------------------------------------------------------------

def check_name(name: Any) -> str:
    """A layer name as Keras accepts it, or EditError."""
    if not isinstance(name, str) or not name.strip():
        raise EditError("a name cannot be empty")
    if name != name.strip():
        raise EditError("a name cannot start or end with spaces")
    if "/" in name:
        raise EditError("Keras does not allow '/' in layer names")
    if name.startswith("$"):
        raise EditError("names starting with '$' are block templates")
    if len(name) > 256:
        raise EditError("a name can have at most 256 characters")
    return name


def unique_name(base: str, taken: set[str]) -> str:
    """``base``, or ``base_1``, ``base_2``... whichever is free (Keras's scheme)."""
    if base not in taken:
        return base
    n = 1
    while f"{base}_{n}" in taken:
        n += 1
    return f"{base}_{n}"


# -- key order --------------------------------------------------------------------

def param_order(item: dict) -> list[str]:
    """Preferred key order for an item: identity, inputs, Keras parameters, then the rest."""
    fields: list[str] = []
    layer_type = get_registry().get(item.get("type")) if isinstance(item.get("type"), str) else None
    if layer_type is not None:
        fields = list(layer_type.Params.model_fields)
    return ["name", "type", "block", "inputs", "shape", "dtype", *fields, "args", "repeat", "description"]


def set_key(item: dict, key: str, value: Any, order: list[str]) -> dict:
    """A copy of ``item`` with ``key`` set; a new key goes where ``order`` puts it."""
    if key in item:
        return {k: (value if k == key else v) for k, v in item.items()}
    rank = {k: i for i, k in enumerate(order)}
    mine = rank.get(key, rank.get("args", len(order)) - 0.5)
    keys = list(item)
    position = 0
    for i, k in enumerate(keys):
        if rank.get(k, rank.get("args", len(order)) - 0.5) <= mine:
            position = i + 1
    new = {}
    for i, k in enumerate(keys):
        if i == position:
            new[key] = value
        new[k] = item[k]
    if position == len(keys):
        new[key] = value
    return new


def _replace(ctx: EditContext, pointer: str, new_item: dict) -> None:
    parts = split_pointer(pointer)
    parent = resolve(ctx.data, join(*parts[:-1]))
    last = parts[-1]
    if isinstance(parent, list):
        parent[int(last)] = new_item
    else:
        parent[last] = new_item


def _check_json(value: Any) -> None:
    try:
        canonical(value)
    except (TypeError, ValueError):
        raise EditError(f"{value!r} is not a JSON value (numbers must be finite)") from None


# -- operations ----------------------------------------------------------------------

def add_layer(ctx: EditContext, index: int, type_name: str, params: dict | None = None,
              name: str | None = None) -> Outcome:
    """Insert a new layer at ``index`` of ``layers``; it takes the previous item's output."""
    layers = _layers(ctx)
    if not 0 <= index <= len(layers):
        raise EditError(f"cannot insert at position {index + 1}")
    taken = all_names(ctx.names)
    name = check_name(name) if name else unique_name(to_snake_case(type_name), taken)
    if name in taken:
        raise EditError(f"a layer named '{name}' exists already")
    item = {"name": name, "type": type_name, **(params or {})}
    _check_json(item)
    moved = _shift(index, len(layers), 1)
    layers.insert(index, item)
    return Outcome(f"Add {type_name} '{name}'", select=f"/layers/{index}", moved=moved,
                   undo_select=f"/layers/{max(index - 1, 0)}")


def add_block_layer(ctx: EditContext, block: str, index: int, type_name: str,
                    params: dict | None = None) -> Outcome:
    """Insert a new layer at ``index`` of block ``block``'s definition (so into every use of it)."""
    definition = ctx.data.get("blocks", {}).get(block) if isinstance(ctx.data.get("blocks"), dict) else None
    layers = definition.get("layers") if isinstance(definition, dict) else None
    if not isinstance(layers, list):
        raise EditError(f"block '{block}' has no `layers` list to edit")
    if not 0 <= index <= len(layers):
        raise EditError(f"cannot insert at position {index + 1} of block '{block}'")
    local = {i.get("name") for i in layers if isinstance(i, dict)} | set(definition.get("inputs") or [])
    name = unique_name(to_snake_case(type_name), {n for n in local if isinstance(n, str)})
    item = {"name": name, "type": type_name, **(params or {})}
    _check_json(item)
    layers.insert(index, item)
    return Outcome(f"Add {type_name} '{name}' to block '{block}'", select=join("blocks", block, "layers", index),
                   undo_select=join("blocks", block, "layers", max(index - 1, 0)),
                   notes=[uses_note(ctx, block)])


def block_uses(data: Any, block: str) -> int:
    """How many layers of the graph are made by block ``block`` (a use repeated twice counts twice)."""
    count = 0
    for item in data.get("layers", []) if isinstance(data.get("layers"), list) else []:
        if isinstance(item, dict) and item.get("block") == block:
            repeat = item.get("repeat", 1)
            count += repeat if isinstance(repeat, int) and repeat > 0 else 1
    return count


def count_uses(analysis: Analysis, data: Any, block: str) -> int:
    """How many instances block ``block`` has in the analysed graph (repeats and nested uses
    included); the top-level uses when the graph could not be expanded."""
    instances = [b for b in analysis.blocks if b.block == block]
    return len(instances) if instances else block_uses(data, block)


def use_count(ctx: EditContext, block: str) -> int:
    """:func:`count_uses` in an edit."""
    return count_uses(ctx.analysis, ctx.data, block)


def uses_text(count: int) -> str:
    """``changes 1 use`` / ``changes 3 uses``: what an edit of a block definition reaches."""
    return f"changes {count} use{'' if count == 1 else 's'}"


def uses_note(ctx: EditContext, block: str) -> str:
    """The note of an edit of block ``block``'s definition: it changes every use of it."""
    return f"Block '{block}' changed: this {uses_text(use_count(ctx, block))} of it."


def _noted(ctx: EditContext, pointer: str, outcome: Outcome) -> Outcome:
    """``outcome`` with the every-use note when ``pointer`` is inside a block definition."""
    position = block_position(pointer)
    if position is not None and outcome.changed:
        outcome.notes.append(uses_note(ctx, position[0]))
    return outcome


def delete_item(ctx: EditContext, pointer: str) -> Outcome:
    """Remove an item; references to it are bypassed to its single input, else reported."""
    key = item_key(pointer)
    if key is None:
        raise EditError("only whole layers, block uses and inputs can be deleted")
    section, index = key
    items = ctx.data.get(section)
    if not isinstance(items, list) or index >= len(items):
        raise EditError(f"nothing at {pointer} in the spec")
    removed = items.pop(index)
    moved = {(section, j): (section, j - 1) for j in range(index + 1, len(items) + 1)}
    moved[key] = None
    names = ctx.names.get(key, [])
    replacement = bypass_input(ctx, key, removed)
    label = describe_item(removed, names)
    outcome = Outcome(f"Delete {label}", moved=moved,
                      repairs={n: replacement for n in names},
                      select=f"/{section}/{min(index, len(items) - 1)}" if items else None,
                      undo_select=pointer)
    following = items[index] if section == "layers" and index < len(items) else None
    if isinstance(following, dict) and "inputs" not in following and index > 0:
        who = describe_item(following, ctx.names.get(("layers", index + 1), []))
        source = f"'{replacement}'" if replacement else "the layer before it"
        outcome.notes.append(f"{who} takes its input from {source} instead")
    return outcome


def bypass_input(ctx: EditContext, key: ItemKey, item: Any) -> str | None:
    """The one input an item consumes (so its consumers can take it instead), else None."""
    if key[0] != "layers" or not isinstance(item, dict):
        return None
    explicit = item.get("inputs")
    if isinstance(explicit, list):
        return explicit[0] if len(explicit) == 1 and isinstance(explicit[0], str) else None
    names = ctx.names.get(key, [])
    first = next((ctx.analysis.layers[n] for n in names if n in ctx.analysis.layers), None)
    if first is not None and len(first.inputs) == 1:
        return first.inputs[0]
    return None


def describe_item(item: Any, names: list[str]) -> str:
    """'conv3' or 'block use block1' for messages."""
    name = item.get("name") if isinstance(item, dict) else None
    name = name if isinstance(name, str) else (names[0] if names else "item")
    if isinstance(item, dict) and "block" in item:
        return f"block use '{name}'"
    return f"'{name}'"


def duplicate_item(ctx: EditContext, index: int) -> Outcome:
    """Insert a copy of a layer or block use right after it, under a new name."""
    layers = _layers(ctx)
    if not 0 <= index < len(layers):
        raise EditError(f"nothing at position {index + 1}")
    copy_ = copy.deepcopy(layers[index])
    if isinstance(copy_, dict) and isinstance(copy_.get("name"), str):
        copy_["name"] = unique_name(copy_["name"] + "_copy", all_names(ctx.names))
    moved = _shift(index + 1, len(layers), 1)
    layers.insert(index + 1, copy_)
    return Outcome(f"Duplicate {describe_item(layers[index], ctx.names.get(('layers', index), []))}",
                   select=f"/layers/{index + 1}", moved=moved, undo_select=f"/layers/{index}")


def move_item(ctx: EditContext, index: int, delta: int) -> Outcome:
    """Swap a layer with its neighbour above (delta -1) or below (+1)."""
    layers = _layers(ctx)
    target = index + delta
    if not 0 <= index < len(layers):
        raise EditError(f"nothing at position {index + 1}")
    if not 0 <= target < len(layers):
        raise EditError("it is the first layer already" if delta < 0 else "it is the last layer already")
    layers[index], layers[target] = layers[target], layers[index]
    label = describe_item(layers[target], ctx.names.get(("layers", index), []))
    return Outcome(f"Move {label} {'up' if delta < 0 else 'down'}", select=f"/layers/{target}",
                   undo_select=f"/layers/{index}",
                   moved={("layers", index): ("layers", target), ("layers", target): ("layers", index)})


def rename(ctx: EditContext, pointer: str, new_name: str) -> Outcome:
    """Rename an input, layer or block use; every reference follows (see Document)."""
    new_name = check_name(new_name)
    item = _item(ctx, pointer)
    parts = split_pointer(pointer)
    if parts[0] == "blocks":
        return _rename_in_block(ctx, pointer, item, new_name)
    key = item_key(pointer)
    if key is None:
        raise EditError("this item cannot be renamed")
    own = set(ctx.names.get(key, []))
    if new_name in all_names(ctx.names) - own:
        raise EditError(f"a layer named '{new_name}' exists already")
    old = item.get("name", ctx.names.get(key, ["?"])[0])
    _replace(ctx, pointer, set_key(item, "name", new_name, ["name"]))
    return Outcome(f"Rename '{old}' to '{new_name}'", select=pointer)


def _rename_in_block(ctx: EditContext, pointer: str, item: dict, new_name: str) -> Outcome:
    """Rename a layer of a block definition; local references in the block follow."""
    parts = split_pointer(pointer)
    block = resolve(ctx.data, join("blocks", parts[1]))
    local = [i.get("name") for i in block.get("layers", []) if isinstance(i, dict)]
    old = item.get("name")
    if new_name in local and new_name != old:
        raise EditError(f"block '{parts[1]}' has a layer named '{new_name}' already")
    _replace(ctx, pointer, set_key(item, "name", new_name, ["name"]))
    if isinstance(old, str) and old != new_name:
        rename_refs(block.get("layers", []), {old: new_name})
        if block.get("output") == old:
            block["output"] = new_name
    return _noted(ctx, pointer, Outcome(f"Rename '{old}' to '{new_name}' in block '{parts[1]}'",
                                        select=pointer))


def set_inputs(ctx: EditContext, pointer: str, inputs: list[str] | None) -> Outcome:
    """Wire an item to named inputs; None means 'the previous layer' (no `inputs` key)."""
    item = _item(ctx, pointer)
    if split_pointer(pointer)[0] == "inputs":
        raise EditError("a model input takes no inputs")
    label = item.get("name", "layer")
    if inputs is None:
        new = {k: v for k, v in item.items() if k != "inputs"}
        _replace(ctx, pointer, new)
        return _noted(ctx, pointer, Outcome(f"Connect '{label}' to the previous layer", select=pointer))
    if not inputs or not all(isinstance(i, str) and i.strip() for i in inputs):
        raise EditError("inputs must be layer names")
    _replace(ctx, pointer, set_key(item, "inputs", [i.strip() for i in inputs], param_order(item)))
    return _noted(ctx, pointer, Outcome(f"Connect '{label}' to {', '.join(inputs)}", select=pointer))


def set_type(ctx: EditContext, pointer: str, type_name: str) -> Outcome:
    """Change a layer's type; its parameters stay (those the new type lacks are reported)."""
    item = _item(ctx, pointer)
    if "block" in item or split_pointer(pointer)[0] == "inputs":
        raise EditError("only layers have a type")
    if not isinstance(type_name, str) or not type_name.strip():
        raise EditError("a type cannot be empty")
    _replace(ctx, pointer, set_key(item, "type", type_name.strip(), ["name", "type"]))
    return _noted(ctx, pointer, Outcome(f"Change the type of '{item.get('name', 'layer')}' to "
                                        f"{type_name.strip()}", select=pointer))


def set_field(ctx: EditContext, pointer: str, key: str, value: Any) -> Outcome:
    """Set (or with UNSET remove) a parameter, description, shape, dtype or repeat."""
    if key in ("name", "inputs", "type", "block", "args"):
        raise EditError(f"`{key}` is changed by its own command")
    if pointer == "" and key not in ("description",):
        raise EditError(f"`{key}` of the graph cannot be set here")
    item = _item(ctx, pointer)
    label = item.get("name", "graph" if pointer == "" else "layer")
    if value is UNSET:
        if key not in item:
            return Outcome(f"Reset {key} of '{label}'", select=pointer, changed=False)
        new = {k: v for k, v in item.items() if k != key}
        text = f"Reset {key} of '{label}' to its default"
    else:
        _check_json(value)
        if key == "shape" and item_key(pointer) is not None and item_key(pointer)[0] == "inputs":
            value = check_shape(value)
        new = set_key(item, key, value, param_order(item))
        text = f"Set {key} of '{label}' to {_short(value)}"
    if pointer == "":
        ctx.data.clear()
        ctx.data.update(new)
    else:
        _replace(ctx, pointer, new)
    return _noted(ctx, pointer, Outcome(text, select=pointer or None))


def set_graph_name(ctx: EditContext, name: str) -> Outcome:
    """Rename the graph itself (the model's name)."""
    if not isinstance(name, str) or not name.strip() or len(name) > 256:
        raise EditError("the graph name must be 1 to 256 characters")
    new = set_key(ctx.data, "name", name, ["$schema", "format", "name"])
    ctx.data.clear()
    ctx.data.update(new)
    return Outcome(f"Rename the graph to '{name}'")


def set_block_arg(ctx: EditContext, pointer: str, key: str, value: Any) -> Outcome:
    """Set (or with UNSET remove) one argument of a block use."""
    item = _item(ctx, pointer)
    if "block" not in item:
        raise EditError("only block uses have arguments")
    args = item.get("args") if isinstance(item.get("args"), dict) else {}
    if value is UNSET:
        args = {k: v for k, v in args.items() if k != key}
        text = f"Reset argument {key} of '{item.get('name')}'"
    else:
        _check_json(value)
        args = {**args, key: value}
        text = f"Set argument {key} of '{item.get('name')}' to {_short(value)}"
    new = set_key(item, "args", args, param_order(item)) if args else {
        k: v for k, v in item.items() if k != "args"}
    _replace(ctx, pointer, new)
    return Outcome(text, select=pointer)


def _short(value: Any, limit: int = 30) -> str:
    text = canonical(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- graph inputs and outputs ----------------------------------------------------------

def check_shape(value: Any) -> list:
    """A model input's shape (sizes of one sample, ``None`` for unknown), or EditError."""
    sizes = value if isinstance(value, list) else None
    if not sizes or not all(d is None or (isinstance(d, int) and not isinstance(d, bool) and d > 0)
                            for d in sizes):
        raise EditError(f"a shape lists the sizes of one sample, batch axis excluded, such as "
                        f"28, 28, 1 (null for a size known only at run time); received {_short(value)}")
    return list(sizes)


def add_input(ctx: EditContext, name: str, shape: Any, dtype: str | None = None) -> Outcome:
    """Add a model input after the others. The first layer keeps what it took: when it took
    the last input implicitly, it now names it (a new last input would feed it otherwise)."""
    name = check_name(name)
    if name in all_names(ctx.names):
        raise EditError(f"a layer named '{name}' exists already")
    shape = check_shape(shape)
    inputs = ctx.data.get("inputs", [])
    if not isinstance(inputs, list):
        raise EditError("the spec's `inputs` is not a list; fix it in the JSON first")
    notes = []
    layers = ctx.data.get("layers")
    first = layers[0] if isinstance(layers, list) and layers else None
    if inputs and isinstance(first, dict) and "inputs" not in first and "shares" not in first:
        previous = ctx.names.get(("inputs", len(inputs) - 1), ["input_layer"])[0]
        layers[0] = set_key(first, "inputs", [previous], param_order(first))
        notes.append(f"{describe_item(first, ctx.names.get(('layers', 0), []))} now names "
                     f"'{previous}' as its input (it took the last input)")
    item = {"name": name, "shape": shape, **({"dtype": dtype} if dtype else {})}
    new = set_key(ctx.data, "inputs", [*inputs, item], GRAPH_ORDER)
    ctx.data.clear()
    ctx.data.update(new)
    index = len(inputs)
    return Outcome(f"Add input '{name}' {fmt_shape(shape)}", select=join("inputs", index),
                   undo_select=join("inputs", index - 1) if index else "/layers/0", notes=notes)


def set_outputs(ctx: EditContext, outputs: list[str] | None) -> Outcome:
    """Name the graph's outputs; None or [] removes `outputs` (the last layer is the output)."""
    known = set(ctx.analysis.layers) | {b.name for b in ctx.analysis.blocks} | all_names(ctx.names)
    refs = [r.strip() for r in outputs or [] if isinstance(r, str) and r.strip()]
    for ref in refs:
        if ref not in known and split_reference(ref)[0] not in known:
            hint = did_you_mean(ref, known)
            raise EditError(f"no layer is named '{ref}'" + (f": {hint}" if hint else ""))
    if len(set(refs)) != len(refs):
        raise EditError("each output can be named once")
    if refs:
        new = set_key(ctx.data, "outputs", refs, GRAPH_ORDER)
        label = f"Set the outputs to {', '.join(refs)}"
    else:
        new = {k: v for k, v in ctx.data.items() if k != "outputs"}
        label = "Make the last layer the output"
    ctx.data.clear()
    ctx.data.update(new)
    return Outcome(label)


def toggle_output(ctx: EditContext, name: str) -> Outcome:
    """Make layer ``name`` one of the graph's outputs, or no longer one."""
    current = list(ctx.analysis.outputs)
    explicit = ctx.data.get("outputs")
    listed = [r for r in explicit if isinstance(r, str)] if isinstance(explicit, list) else current
    if name in listed:
        remaining = [r for r in listed if r != name]
        if not remaining and not isinstance(explicit, list):
            raise EditError(f"'{name}' is the output because it is the last layer: make another "
                            "layer an output first")
        outcome = set_outputs(ctx, remaining)
        outcome.label = f"'{name}' is no longer an output"
        if not remaining:
            outcome.notes.append("No output is listed: the last layer is the output.")
        return outcome
    outcome = set_outputs(ctx, [*listed, name])
    outcome.label = f"Make '{name}' an output"
    return outcome
