"""The JSON Schema of the spec format, generated from the Pydantic models and the registry.

Each registered layer type contributes a branch with its own parameters, so an
editor that reads the schema autocompletes parameter names and checks their types.
"""

from __future__ import annotations

import copy
from typing import Any

from .layers.meanings import parameter_meaning
from .registry import Registry, get_registry
from .spec import FORMAT, SCHEMA_URL, GraphSpec

_RESERVED = {
    "type": {"type": "string", "description": "Keras layer class name"},
    "name": {"type": "string", "description": "unique layer name (default: Keras-style)"},
    "inputs": {"type": "array", "items": {"type": "string"},
               "description": "names of the layers feeding this one (default: the previous "
                              "layer); \"enc:1\" / \"enc:state_h\" picks one output"},
    "call": {"type": "object",
             "additionalProperties": {"anyOf": [{"type": "string"},
                                                {"type": "array", "items": {"type": "string"}}]},
             "description": "tensors passed to the layer's call by keyword (initial_state, mask)"},
    "description": {"type": "string"},
    "repeat": {"type": ["integer", "string"], "minimum": 1,
               "description": "stack this many copies (names get 1-based suffixes)"},
}


def json_schema(registry: Registry | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) for spec files."""
    registry = registry or get_registry()
    schema = GraphSpec.model_json_schema(by_alias=True)
    defs = schema.setdefault("$defs", {})
    branches = []
    for name in registry.names():
        layer_schema = _layer_schema(name, registry.types[name])
        defs.update(registry.types[name].Params.model_json_schema().get("$defs", {}))
        defs[f"layer_{name}"] = layer_schema
        branches.append({"$ref": f"#/$defs/layer_{name}"})
    defs["LayerSpec"] = {
        "description": "A layer: `type` picks the Keras class; other keys are its parameters.",
        "type": "object", "required": ["type"], "oneOf": branches,
    }
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_URL
    schema["title"] = f"layergraph spec ({FORMAT})"
    return schema


def _layer_schema(name: str, layer_type) -> dict[str, Any]:
    params = copy.deepcopy(layer_type.Params.model_json_schema())
    properties = {**_RESERVED, **params.get("properties", {})}
    properties["type"] = {"const": name, "description": layer_type.__doc__ or name}
    # Parameters inside blocks may be "$arg" templates, so strings are allowed too.
    for key, value in properties.items():
        if key not in _RESERVED:
            meaning = parameter_meaning(key, layer_type.Params.model_fields.get(key))
            if meaning and "description" not in value:
                value = {**value, "description": meaning}
            wrapped = {"anyOf": [value, {"type": "string", "pattern": r"^\$"}]}
            if "description" in value:  # where editors look for a tooltip
                wrapped["description"] = value["description"]
            properties[key] = wrapped
    properties["call"] = {**_RESERVED["call"], "propertyNames": {"enum": list(layer_type.call_arguments)}}
    result = {"type": "object", "properties": properties,
              "required": ["type", *params.get("required", [])],
              "additionalProperties": False}
    return result
