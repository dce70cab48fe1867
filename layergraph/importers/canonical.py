"""The canonical form of layer parameters, and what "identical" means for a round trip.

Keras and spec authors write the same layer in several ways: ``kernel_size=(3, 3)``
or ``3``, ``activation="linear"`` or nothing, ``data_format="channels_last"`` or
nothing, ``"swish"`` or ``"silu"``, an initializer as ``"he_normal"`` or as its
serialized config. The canonical form picks one spelling:

* values are JSON values (lists, not tuples; numpy values become numbers);
* an int pair with equal entries becomes that int (``[3, 3]`` → ``3``), a pair of
  symmetric pairs becomes a pair (``[[1, 1], [2, 2]]`` → ``[1, 2]``), a one-element
  int list becomes its int, whenever the parameter accepts the shorter form;
* activation aliases become Keras's serialized names (``swish`` → ``silu``) and
  ``linear`` is dropped where the default is no activation;
* ``data_format="channels_last"`` is dropped (layergraph is channels-last);
* Keras initializer/regularizer/constraint configs drop ``module`` and
  ``registered_name`` and None-valued settings; one without settings becomes its
  string name (``HeNormal`` → ``"he_normal"``);
* parameters equal to their default are dropped, and pooling ``strides`` equal to
  ``pool_size`` (Keras's meaning of ``strides=None``).

Two specs are *identical* (see :func:`canonical_form`) when they have the same
model name, the same inputs (name, shape, dtype, in order), the same outputs (in
order), and the same set of layer names, each layer with the same type, the same
input names (in order) and the same canonical parameters. That is the same graph:
the order in which a file lists parallel branches is not part of it (Keras lists
layers in its own topological order). Blocks, descriptions and layout are
presentation: a spec with blocks and its flat import are identical when their
expanded layers are.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError

ACTIVATION_ALIASES = {"swish": "silu", "hard_swish": "hard_silu"}
_OBJECT_SUFFIXES = ("_initializer", "_regularizer", "_constraint")
# Settings Keras writes into a serialized object although they are its defaults.
_DEFAULT_SETTINGS = {"Orthogonal": {"gain": 1.0},
                     "RandomUniform": {"minval": -0.05, "maxval": 0.05, "seed": None}}
# Keras's short names for an initializer with its default settings.
_SHORT_NAMES = {"random_uniform": "uniform"}


def jsonable(value: Any) -> Any:
    """Tuples → lists, numpy arrays and scalars → Python values, recursively."""
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shorter(value: Any) -> Any | None:
    """The next shorter spelling of an int tuple / tuple of pairs, or None (any rank)."""
    if not isinstance(value, list) or not value:
        return None
    if all(_is_int(v) for v in value) and len(set(value)) == 1:
        return value[0]
    if (all(isinstance(v, list) and len(v) == 2 and all(_is_int(x) for x in v) for v in value)
            and all(v[0] == v[1] for v in value)):
        return [v[0] for v in value]
    return None


def _accepts(model: type[BaseModel], key: str, value: Any) -> bool:
    try:
        model.model_validate({key: value})
    except ValidationError as exc:
        return not any(err["loc"][:1] == (key,) for err in exc.errors())
    return True


def shortest(model: type[BaseModel], key: str, value: Any) -> Any:
    """The shortest equivalent spelling of ``value`` that parameter ``key`` accepts."""
    candidate = _shorter(value)
    while candidate is not None and _accepts(model, key, candidate):
        value, candidate = candidate, _shorter(candidate)
    return value


def snake_case(name: str) -> str:
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def canonical_object(value: Any) -> Any:
    """An initializer/regularizer/constraint as a short string or a minimal config dict."""
    if isinstance(value, str):
        return snake_case(value) if value[:1].isupper() else value
    if not isinstance(value, dict) or "class_name" not in value:
        return value
    module = value.get("module") or "keras"
    if value.get("registered_name") not in (None, value.get("class_name")) or not (
            module == "keras" or module.startswith("keras.")):
        return {k: v for k, v in value.items() if v is not None}
    defaults = _DEFAULT_SETTINGS.get(value["class_name"], {})
    settings = {k: v for k, v in (value.get("config") or {}).items()
                if v is not None and defaults.get(k, ...) != v}
    if not settings:
        name = snake_case(value["class_name"])
        return _SHORT_NAMES.get(name, name)
    return {"class_name": value["class_name"], "config": settings}


def _normal_value(key: str, value: Any, default: Any) -> Any:
    if key == "activation" and isinstance(value, str):
        value = ACTIVATION_ALIASES.get(value, value)
        if value == "linear" and default is None:
            return default
    if key == "data_format" and value == "channels_last":
        return default
    if key.endswith(_OBJECT_SUFFIXES):
        return canonical_object(value)
    return value


def canonical_params(params_model: type[BaseModel], raw: dict[str, Any]) -> dict[str, Any]:
    """The canonical parameters of a layer (raises pydantic's ValidationError if invalid)."""
    fields = params_model.model_fields
    data = {}
    for key, value in jsonable(raw).items():
        default = fields[key].default if key in fields else None
        data[key] = shortest(params_model, key, _normal_value(key, value, default))
    validated = params_model.model_validate(data)
    result = {}
    for key, value in validated.model_dump(mode="json").items():
        default = fields[key].default
        value = shortest(params_model, key, _normal_value(key, value, default))
        if value != shortest(params_model, key, jsonable(default)):
            result[key] = value
    _drop_implied_strides(fields, result)
    return result


def _drop_implied_strides(fields, result: dict) -> None:
    """Pooling: ``strides=None`` means "same as pool_size", which Keras writes out."""
    if "pool_size" in fields and "strides" in fields and fields["strides"].default is None:
        pool_size = result.get("pool_size", jsonable(fields["pool_size"].default))
        if "strides" in result and _pair(result["strides"]) == _pair(pool_size):
            del result["strides"]


def _pair(value: Any) -> Any:
    return [value, value] if _is_int(value) else value


def canonical_form(spec: Any) -> dict:
    """What a round trip must preserve (see the module docs); ``spec`` as for analyze().

    Raises :class:`layergraph.SpecError` if the spec has errors.
    """
    from ..emit.keras import analysed

    analysis = analysed(spec)
    inputs, layers = [], {}
    for name, result in analysis.layers.items():
        if result.type == "InputLayer":
            inputs.append({"name": name, "shape": list(result.params.shape),
                           "dtype": result.params.dtype})
            continue
        layers[name] = {"type": result.type, "inputs": list(result.inputs),
                        "params": canonical_params(result.layer_type.Params, result.raw_params)}
    return {"name": analysis.name, "inputs": inputs, "layers": layers,
            "outputs": list(analysis.outputs)}
