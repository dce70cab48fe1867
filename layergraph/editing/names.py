"""Which names refer to which item of a spec, and rewriting references when names change.

An *item* is one entry of the spec's ``inputs`` or ``layers`` list. Besides its
own ``name`` it may be known by names it does not spell out: Keras-style automatic
names (``conv2d_1``) that shift when an earlier layer of the same type is added or
removed, repeat names (``conv1``, ``conv2``) and, for a block use, the names of
every layer of the block (``block1_conv1``). The editor keeps references pointing
at the same item across an edit by comparing these names before and after it.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from ..compiler.expand import expand
from ..limits import Limits
from ..spec import OUTPUT_SEPARATOR, GraphSpec, split_reference

ItemKey = tuple[str, int]  # ("inputs", k) or ("layers", i)


def item_names(data: Any) -> dict[ItemKey, list[str]]:
    """For each item, every name that refers to it, in a stable order.

    Falls back to the explicit ``name`` keys when the spec's structure is invalid
    (then automatic names cannot be known).
    """
    try:
        spec = GraphSpec.model_validate(data)
    except (ValidationError, RecursionError, TypeError):
        return _explicit_names(data)
    names: dict[ItemKey, list[str]] = {("inputs", k): [i.name] for k, i in enumerate(spec.inputs)}
    expansion = expand(spec, Limits.from_env())
    for node in expansion.layers:
        if node.block is None and node.pointer.startswith("/layers/"):
            key = ("layers", int(node.pointer.split("/")[2]))
            names.setdefault(key, _base_alias(node.name, spec, key[1]))
            names[key].append(node.name)
    children: dict[str, list] = {}
    for instance in expansion.blocks:
        children.setdefault(instance.parent or "", []).append(instance)
    for instance in children.get("", []):
        index = _block_item(spec, instance.name)
        if index is None:
            continue
        names.setdefault(("layers", index), _base_alias(instance.name, spec, index))
        names[("layers", index)] += [instance.name, *_nested(instance.name, children), *instance.layers]
    return names


def _base_alias(first_name: str, spec: GraphSpec, index: int) -> list[str]:
    """A repeated item is also known by its base name (the last repetition)."""
    item = spec.layers[index]
    if "repeat" in item.model_fields_set and item.name:
        return [item.name]
    return []


def _nested(name: str, children: dict[str, list]) -> list[str]:
    found = []
    for child in children.get(name, []):
        found += [child.name, *_nested(child.name, children)]
    return found


def _block_item(spec: GraphSpec, instance: str) -> int | None:
    """The top-level block use that produced an instance (``res`` → ``res1``, ``res2``)."""
    for i, item in enumerate(spec.layers):
        name = getattr(item, "block", None) and item.name
        if not name:
            continue
        if instance == name or (
                "repeat" in item.model_fields_set and re.fullmatch(re.escape(name) + r"\d+", instance)):
            return i
    return None


def _explicit_names(data: Any) -> dict[ItemKey, list[str]]:
    names: dict[ItemKey, list[str]] = {}
    if not isinstance(data, dict):
        return names
    for section in ("inputs", "layers"):
        items = data.get(section)
        if not isinstance(items, list):
            continue
        for k, item in enumerate(items):
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                names[(section, k)] = [item["name"]]
            elif section == "inputs" and isinstance(item, dict):
                names[(section, k)] = ["input_layer"]
    return names


def all_names(names: dict[ItemKey, list[str]]) -> set[str]:
    """Every name in use."""
    return {name for group in names.values() for name in group}


def rename_map(before: dict[ItemKey, list[str]], after: dict[ItemKey, list[str]],
               moved: dict[ItemKey, ItemKey | None]) -> dict[str, str]:
    """Old name → new name for every item whose names changed but whose structure did not.

    ``moved`` maps an item's key before the edit to its key after it (None: deleted);
    items not listed kept their place.
    """
    mapping: dict[str, str] = {}
    for key, old in before.items():
        new_key = moved.get(key, key)
        new = after.get(new_key) if new_key is not None else None
        if new is None or len(new) != len(old):
            continue
        for a, b in zip(old, new):
            if a != b:
                mapping[a] = b
    return mapping


def rewrite_references(data: dict, mapping: dict[str, str | list[str] | None],
                       owners: dict[int, str] | None = None) -> list[tuple[str, str, Any]]:
    """Apply ``mapping`` to the ``inputs`` of top-level items and to ``outputs``, in place.

    A name mapped to a list is replaced by those names; mapped to None it is left
    as it is (and reported). Returns (where, old, new) for each reference touched.
    """
    changes: list[tuple[str, str, Any]] = []
    layers = data.get("layers")
    if isinstance(layers, list):
        for i, item in enumerate(layers):
            if isinstance(item, dict) and isinstance(item.get("inputs"), list):
                owner = _owner(item, i, owners)
                new = _rewrite_list(item["inputs"], mapping, owner, changes)
                if new is not None:
                    layers[i] = {**item, "inputs": new}
    if isinstance(data.get("outputs"), list):
        new = _rewrite_list(data["outputs"], mapping, "outputs", changes)
        if new is not None:
            data["outputs"] = new
    return changes


def _owner(item: dict, index: int, owners: dict[int, str] | None) -> str:
    if isinstance(item.get("name"), str):
        return item["name"]
    return (owners or {}).get(index, f"item {index + 1}")


def _rewrite_list(refs: list, mapping, owner: str, changes: list) -> list | None:
    out, touched = [], False
    for ref in refs:
        if not isinstance(ref, str) or ref not in mapping:
            out.append(ref)
            continue
        target = mapping[ref]
        touched = True
        changes.append((owner, ref, target))
        if target is None:
            out.append(ref)
        elif isinstance(target, list):
            out.extend(t for t in target if t not in out)
        else:
            out.append(target)
    return out if touched else None


def references_to(data: dict, names: set[str]) -> list[tuple[str, str]]:
    """(owner, name) for each explicit reference to one of ``names`` (top-level inputs and outputs)."""
    found = []
    layers = data.get("layers") if isinstance(data, dict) else None
    for i, item in enumerate(layers if isinstance(layers, list) else []):
        if isinstance(item, dict) and isinstance(item.get("inputs"), list):
            owner = _owner(item, i, None)
            found += [(owner, ref) for ref in item["inputs"] if ref in names]
    outputs = data.get("outputs") if isinstance(data, dict) else None
    if isinstance(outputs, list):
        found += [("outputs", ref) for ref in outputs if ref in names]
    return found


def rename_refs(items: list, mapping: dict[str, str]) -> list[tuple[str, str, str]]:
    """Apply ``mapping`` to every reference the items of a list make, in place: their
    ``inputs``, the tensors of their ``call`` and what they ``shares``; ``"enc:1"`` follows
    ``"enc"``. Returns (owner, old, new) for each reference changed."""
    changes: list[tuple[str, str, str]] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        owner = _owner(item, i, None)
        # In place, so a slice of a list of items (those after an edit) can be passed.
        if isinstance(item.get("inputs"), list):
            item["inputs"] = [_renamed(r, mapping, owner, changes) for r in item["inputs"]]
        if isinstance(item.get("call"), dict):
            item["call"] = {arg: [_renamed(r, mapping, owner, changes) for r in refs]
                            if isinstance(refs, list) else _renamed(refs, mapping, owner, changes)
                            for arg, refs in item["call"].items()}
        if "shares" in item:
            item["shares"] = _renamed(item["shares"], mapping, owner, changes)
    return changes


def _renamed(ref: Any, mapping: dict[str, str], owner: str, changes: list) -> Any:
    """One reference after ``mapping`` (a port follows its layer)."""
    if not isinstance(ref, str):
        return ref
    base, port = split_reference(ref)
    if ref in mapping:
        new = mapping[ref]
    elif port is not None and base in mapping:
        new = mapping[base] + OUTPUT_SEPARATOR + port
    else:
        return ref
    if new != ref:
        changes.append((owner, ref, new))
    return new
