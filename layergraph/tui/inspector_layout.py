"""What the inspector shows for a row: sections of form fields, decided without widgets.

A top-level layer shows its name, type, inputs and description, then its
parameters (from the type's Pydantic model; initializers and the like folded
away). A model input shows its shape and dtype. A layer inside a block shows
the block use (its arguments) and the layer of the block definition, whose
edits change every use of the block.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..editing.document import Document
from ..editing.forms import FieldSpec, block_arg_fields, input_fields, param_fields
from ..editing.operations import RESERVED, UNSET, EditError, count_uses, split_pointer, uses_text
from ..editing.rows import Row
from ..registry import get_registry
from .widgets.fields import FieldDef, Target


@dataclass
class Section:
    id: str
    title: str
    fields: list[FieldDef] = field(default_factory=list)
    collapsed: bool = False


def inspector_sections(row: Row, doc: Document, names: list[str]) -> list[Section]:
    """The sections of the inspector for ``row``."""
    try:
        item = doc.item(row.item)
    except EditError:
        return []
    if not isinstance(item, dict):
        return []
    if row.item.startswith("/inputs/"):
        return [_input_section(row.item, item)]
    if "block" in item:
        sections = [_block_use_section(row.item, item, doc, names)]
        if row.pointer != row.item:
            sections += _definition_sections(row, doc, names)
        return sections
    return _layer_sections("", row.item, item, names, row)


def _get(item: dict, key: str) -> Any:
    return item.get(key, UNSET)


def _identity_fields(prefix: str, pointer: str, item: dict, names: list[str], row: Row | None,
                     with_type: bool = True) -> list[FieldDef]:
    auto = row.name if row is not None and "name" not in item else ""
    previous = ", ".join(row.inputs) if row is not None and row.inputs else ""
    fields = [FieldDef(prefix + "rename", Target("rename", pointer), FieldSpec("name"), "text",
                       _get(item, "name"), placeholder=auto or "name")]
    if with_type:
        fields.append(FieldDef(prefix + "type", Target("type", pointer), FieldSpec("type"), "text",
                               _get(item, "type"), suggestions=get_registry().names()))
    fields.append(FieldDef(prefix + "inputs", Target("inputs", pointer), FieldSpec("inputs"), "list",
                           _get(item, "inputs"), suggestions=names,
                           placeholder=f"previous layer ({previous})" if previous else "previous layer"))
    fields.append(_description(prefix, pointer, item))
    return fields


def _description(prefix: str, pointer: str, item: dict) -> FieldDef:
    return FieldDef(prefix + "description", Target("field", pointer, "description"),
                    FieldSpec("description"), "text", _get(item, "description"), placeholder="none")


def _layer_sections(prefix: str, pointer: str, item: dict, names: list[str], row: Row | None,
                    title: str = "Layer") -> list[Section]:
    sections = [Section(prefix + "layer", title, _identity_fields(prefix, pointer, item, names, row))]
    basic, advanced = [], []
    for definition in _param_fields(prefix, pointer, item):
        (advanced if definition.spec.advanced else basic).append(definition)
    sections.append(Section(prefix + "params", "Parameters", basic))
    if advanced:
        sections.append(Section(prefix + "advanced", "More parameters", advanced, collapsed=True))
    return sections


def _param_fields(prefix: str, pointer: str, item: dict) -> list[FieldDef]:
    layer_type = get_registry().get(item.get("type")) if isinstance(item.get("type"), str) else None
    specs = param_fields(layer_type) if layer_type is not None else []
    known = {s.key for s in specs}
    # Keys the type does not know are shown too, so they can be fixed or cleared.
    specs += [FieldSpec(k) for k in item if k not in known and k not in RESERVED]
    return [_param_def(prefix, pointer, item, spec) for spec in specs]


def _param_def(prefix: str, pointer: str, item: dict, spec: FieldSpec) -> FieldDef:
    value = _get(item, spec.key)
    editor = spec.kind if spec.kind in ("bool", "choice") else "json"
    if isinstance(value, str) and "$" in value:
        editor = "json"  # a block template such as "$filters"
    if editor == "choice" and value is not UNSET and value not in spec.choices:
        editor = "json"
    if editor == "bool" and value is not UNSET and not isinstance(value, bool):
        editor = "json"
    placeholder = "required" if spec.required else f"{spec.default_text()} (default)"
    typed = spec.input_type if editor == "json" and not (isinstance(value, str) and "$" in value) else "text"
    if value is not UNSET and typed != "text" and not isinstance(value, (int, float)):
        typed = "text"  # a wrong value already in the file must stay visible and editable
    return FieldDef(f"{prefix}param:{spec.key}", Target("field", pointer, spec.key), spec, editor, value,
                    placeholder=placeholder, suggestions=spec.suggestions, input_type=typed)


def _input_section(pointer: str, item: dict) -> Section:
    fields = [FieldDef("rename", Target("rename", pointer), FieldSpec("name"), "text", _get(item, "name"),
                       placeholder="input_layer")]
    for spec in input_fields():
        placeholder = "required" if spec.required else f"{spec.default_text()} (default)"
        fields.append(FieldDef(f"param:{spec.key}", Target("field", pointer, spec.key), spec, "json",
                               _get(item, spec.key), placeholder=placeholder, suggestions=spec.suggestions))
    fields.append(_description("", pointer, item))
    return Section("input", "Model input", fields)


def _block_use_section(pointer: str, item: dict, doc: Document, names: list[str]) -> Section:
    fields = _identity_fields("use:", pointer, item, names, None, with_type=False)
    blocks = doc.data.get("blocks") if isinstance(doc.data.get("blocks"), dict) else {}
    args = item.get("args") if isinstance(item.get("args"), dict) else {}
    for spec in block_arg_fields(blocks.get(item.get("block"))):
        placeholder = "required" if spec.required else f"{spec.default_text()} (default)"
        fields.append(FieldDef(f"arg:{spec.key}", Target("arg", pointer, spec.key), spec,
                               "bool" if spec.kind == "bool" else "json", args.get(spec.key, UNSET),
                               placeholder=placeholder))
    return Section("use", f"Block use '{item.get('name')}' of block '{item.get('block')}'", fields)


def _definition_sections(row: Row, doc: Document, names: list[str]) -> list[Section]:
    try:
        item = doc.item(row.pointer)
    except EditError:
        return []
    if not isinstance(item, dict):
        return []
    parts = split_pointer(row.pointer)
    block = parts[1] if len(parts) > 1 else "?"
    local = [i.get("name") for i in doc.data["blocks"][block].get("layers", []) if isinstance(i, dict)]
    local_names = [n for n in local if isinstance(n, str)] + list(doc.data["blocks"][block].get("inputs", []))
    title = f"In block '{block}' ({uses_text(count_uses(doc.analysis, doc.data, block))})"
    return _layer_sections("def:", row.pointer, item, local_names, None, title=title)
