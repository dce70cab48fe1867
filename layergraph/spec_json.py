"""Write spec data as readable JSON: one layer per line, like the bundled specs.

``json.dumps(indent=2)`` would spread a 177-layer ResNet over 1,500 lines; here
the structure is indented and each layer, input and output list stays on one line.
"""

from __future__ import annotations

import json
from typing import Any

_ITEM_LISTS = {"inputs", "layers"}


def dumps_spec(data: dict) -> str:
    """The spec as JSON text (ends with a newline)."""
    return _object(data, "", root=True) + "\n"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _object(data: dict, indent: str, root: bool = False, blocks: bool = False) -> str:
    inner = indent + "  "
    lines = []
    for key, value in data.items():
        lines.append(f"{inner}{_compact(key)}: {_value(key, value, inner, root, blocks)}")
    return "{\n" + ",\n".join(lines) + "\n" + indent + "}" if lines else "{}"


def _value(key: str, value: Any, indent: str, root: bool, blocks: bool) -> str:
    if blocks and isinstance(value, dict):
        return _object(value, indent)  # one block definition
    if root and key == "blocks" and isinstance(value, dict):
        return _object(value, indent, blocks=True)
    if key in _ITEM_LISTS and isinstance(value, list) and value and isinstance(value[0], dict):
        inner = indent + "  "
        return "[\n" + ",\n".join(inner + _compact(item) for item in value) + "\n" + indent + "]"
    return _compact(value)
