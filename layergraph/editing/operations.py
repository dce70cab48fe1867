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
from ..jsonpointer import join, split
from ..registry import get_registry
from .jsonlayout import canonical
from .names import ItemKey, all_names

UNSET: Any = object()  # "remove this key" (the parameter goes back to its Keras default)
RESERVED = ("name", "type", "block", "inputs", "args", "repeat", "description")


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
    uses = block_uses(ctx.data, block)
    return Outcome(f"Add {type_name} '{name}' to block '{block}'", select=f"/blocks/{block}/layers/{index}",
                   undo_select=f"/blocks/{block}/layers/{max(index - 1, 0)}",
                   notes=[f"Block '{block}' changed: this affects every use of it ({uses} use"
                          f"{'' if uses == 1 else 's'})."] if uses > 1 else [])


def block_uses(data: Any, block: str) -> int:
    """How many layers of the graph are made by block ``block`` (a use repeated twice counts twice)."""
    count = 0
    for item in data.get("layers", []) if isinstance(data.get("layers"), list) else []:
        if isinstance(item, dict) and item.get("block") == block:
            repeat = item.get("repeat", 1)
            count += repeat if isinstance(repeat, int) and repeat > 0 else 1
    return count


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
    block = resolve(ctx.data, "/blocks/" + pointer.split("/")[2])
    local = [i.get("name") for i in block.get("layers", []) if isinstance(i, dict)]
    old = item.get("name")
    if new_name in local and new_name != old:
        raise EditError(f"block '{parts[1]}' has a layer named '{new_name}' already")
    _replace(ctx, pointer, set_key(item, "name", new_name, ["name"]))
    if isinstance(old, str):
        for j, other in enumerate(block.get("layers", [])):
            if isinstance(other, dict) and isinstance(other.get("inputs"), list) and old in other["inputs"]:
                block["layers"][j] = {**other, "inputs": [new_name if r == old else r for r in other["inputs"]]}
        if block.get("output") == old:
            block["output"] = new_name
    return Outcome(f"Rename '{old}' to '{new_name}' in block '{parts[1]}'", select=pointer)


def set_inputs(ctx: EditContext, pointer: str, inputs: list[str] | None) -> Outcome:
    """Wire an item to named inputs; None means 'the previous layer' (no `inputs` key)."""
    item = _item(ctx, pointer)
    if split_pointer(pointer)[0] == "inputs":
        raise EditError("a model input takes no inputs")
    label = item.get("name", "layer")
    if inputs is None:
        new = {k: v for k, v in item.items() if k != "inputs"}
        _replace(ctx, pointer, new)
        return Outcome(f"Connect '{label}' to the previous layer", select=pointer)
    if not inputs or not all(isinstance(i, str) and i.strip() for i in inputs):
        raise EditError("inputs must be layer names")
    _replace(ctx, pointer, set_key(item, "inputs", [i.strip() for i in inputs], param_order(item)))
    return Outcome(f"Connect '{label}' to {', '.join(inputs)}", select=pointer)


def set_type(ctx: EditContext, pointer: str, type_name: str) -> Outcome:
    """Change a layer's type; its parameters stay (those the new type lacks are reported)."""
    item = _item(ctx, pointer)
    if "block" in item or split_pointer(pointer)[0] == "inputs":
        raise EditError("only layers have a type")
    if not isinstance(type_name, str) or not type_name.strip():
        raise EditError("a type cannot be empty")
    _replace(ctx, pointer, set_key(item, "type", type_name.strip(), ["name", "type"]))
    return Outcome(f"Change the type of '{item.get('name', 'layer')}' to {type_name.strip()}", select=pointer)


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
        new = set_key(item, key, value, param_order(item))
        text = f"Set {key} of '{label}' to {_short(value)}"
    if pointer == "":
        ctx.data.clear()
        ctx.data.update(new)
    else:
        _replace(ctx, pointer, new)
    return Outcome(text, select=pointer or None)


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
