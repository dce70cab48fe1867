"""Form fields for a layer's parameters, derived from its type's Pydantic model.

UI-independent: :func:`param_fields` says which fields a layer type has, of
which kind (a switch for booleans, a choice for ``Literal`` enumerations, text
otherwise), their Keras defaults and suggestions; :func:`parse_text` turns what
a user typed into a JSON value.
"""

from __future__ import annotations

import json
import math
import re
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, Union

from pydantic_core import PydanticUndefined

from ..layers.common import ACTIVATIONS
from ..layers.meanings import parameter_meaning
from ..registry import LayerType
from .operations import UNSET, check_shape

MISSING: Any = PydanticUndefined  # a required field has no default

INITIALIZERS = ("glorot_uniform", "glorot_normal", "he_normal", "he_uniform", "lecun_normal",
                "lecun_uniform", "zeros", "ones", "random_normal", "random_uniform",
                "truncated_normal", "orthogonal", "identity", "variance_scaling")
REGULARIZERS = ("l1", "l2", "l1_l2", "orthogonal_regularizer")
CONSTRAINTS = ("max_norm", "min_max_norm", "non_neg", "unit_norm")
DTYPES = ("float32", "float16", "bfloat16", "float64", "int32", "int64", "uint8", "bool")
ADVANCED_SUFFIXES = ("_initializer", "_regularizer", "_constraint")
ADVANCED_KEYS = ("data_format", "noise_shape", "seed")

# Values for required parameters of a newly added layer: a working layer, not a blank form.
NEW_LAYER_VALUES = {"filters": 32, "kernel_size": 3, "units": 64, "rate": 0.5,
                    "activation": "relu", "target_shape": [-1], "shape": [28, 28, 1], "dims": [1],
                    "pool_size": 2,  # a pooling window of 1 would do nothing
                    "layer": {"type": "LSTM", "units": 64}}  # Bidirectional, TimeDistributed


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form."""

    key: str
    kind: str = "text"  # "bool", "choice" or "text"
    default: Any = MISSING
    choices: tuple = ()
    type_text: str = ""
    advanced: bool = False
    suggestions: tuple[str, ...] = field(default=())
    input_type: str = "text"  # "integer" or "number" when only digits make sense
    description: str = ""  # the parameter's one-line doc (its Field description)


    @property
    def required(self) -> bool:
        return self.default is MISSING

    def default_text(self) -> str:
        """How the default is shown: ``relu``, ``[1, 1]``, ``null``; 'required' if none."""
        return "required" if self.required else value_text(self.default)


def param_fields(layer_type: type[LayerType]) -> list[FieldSpec]:
    """The form of a layer type: its parameters in Keras order."""
    fields = []
    for key, info in layer_type.Params.model_fields.items():
        annotation = _unwrap(info.annotation)
        kind, choices = _kind(annotation)
        fields.append(FieldSpec(
            key=key, kind=kind, default=info.default, choices=choices,
            type_text=type_text(annotation), suggestions=_suggestions(key),
            advanced=key.endswith(ADVANCED_SUFFIXES) or key in ADVANCED_KEYS,
            input_type=_input_type(annotation), description=parameter_meaning(key, info)))
    return fields


def block_arg_fields(block_def: Any) -> list[FieldSpec]:
    """The form of a block use: the block's declared parameters and their defaults."""
    if not isinstance(block_def, dict):
        return []
    params = block_def.get("params", {})
    if isinstance(params, list):
        return [FieldSpec(key=str(p)) for p in params]
    if not isinstance(params, dict):
        return []
    return [FieldSpec(key=k, kind="bool" if isinstance(v, bool) else "text", default=v)
            for k, v in params.items()]


def input_fields() -> list[FieldSpec]:
    """The form of a model input."""
    return [FieldSpec("shape", type_text="[int | null, ...]"),
            FieldSpec("dtype", default="float32", type_text="str", suggestions=DTYPES)]


def new_layer_params(layer_type: type[LayerType]) -> dict:
    """Values for the required parameters of a new layer, so it works at once."""
    params = {}
    for spec in param_fields(layer_type):
        if spec.required:
            params[spec.key] = NEW_LAYER_VALUES.get(spec.key, spec.choices[0] if spec.choices else 1)
    return params


def _unwrap(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _members(annotation: Any) -> list:
    annotation = _unwrap(annotation)
    if typing.get_origin(annotation) in (Union, types.UnionType):
        return [m for a in typing.get_args(annotation) for m in _members(a)]
    return [annotation]


def _input_type(annotation: Any) -> str:
    """``integer`` for int-only parameters, ``number`` for int-or-float ones, else ``text``."""
    members = [m for m in _members(annotation) if m is not type(None)]
    if members and all(m is int for m in members):
        return "integer"
    if members and all(m in (int, float) for m in members):
        return "number"
    return "text"


def _kind(annotation: Any) -> tuple[str, tuple]:
    members = _members(annotation)
    if members == [bool]:
        return "bool", ()
    if all(typing.get_origin(m) is Literal or m is type(None) for m in members):
        values = []
        for m in members:
            values += list(typing.get_args(m)) if m is not type(None) else [None]
        return "choice", tuple(values)
    return "text", ()


def type_text(annotation: Any) -> str:
    """``int | (int, int)`` style text for a parameter's type."""
    annotation = _unwrap(annotation)
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        return " | ".join(dict.fromkeys(type_text(a) for a in typing.get_args(annotation)))
    if origin is Literal:
        return " | ".join(json.dumps(a) for a in typing.get_args(annotation))
    if origin is tuple:
        return "(" + ", ".join(type_text(a) for a in typing.get_args(annotation)) + ")"
    if origin is list:
        args = typing.get_args(annotation)
        return "[" + (type_text(args[0]) if args else "any") + ", ...]"
    if origin is dict:
        return "object"
    if annotation is type(None):
        return "null"
    return getattr(annotation, "__name__", str(annotation))


def _suggestions(key: str) -> tuple[str, ...]:
    if key == "activation":
        return ACTIVATIONS
    for suffix, names in (("_initializer", INITIALIZERS), ("_regularizer", REGULARIZERS),
                          ("_constraint", CONSTRAINTS)):
        if key.endswith(suffix):
            return names
    return ()


def parse_text(text: str) -> Any:
    """What a user typed as a JSON value: ``3`` → 3, ``3, 3`` → [3, 3], ``relu`` → "relu".

    An empty text is UNSET (back to the Keras default). ValueError for numbers
    that JSON cannot hold (NaN, infinity, thousands of digits).
    """
    text = text.strip()
    if not text:
        return UNSET
    try:
        value = json.loads(text, parse_constant=_reject)
    except json.JSONDecodeError:
        if _NUMBER.fullmatch(text) and any(c.isdigit() for c in text):
            # What Python reads but JSON does not: +3, 1_000, 1., .5
            return int(text) if _INTEGER.fullmatch(text) else float(text)
        if "," in text and text[0] not in "[{\"":
            return parse_text("[" + text + "]")
        return text
    except ValueError as exc:
        raise ValueError(f"not a usable number: {exc}") from None
    _check_finite(value)
    return value


def parse_shape(text: str) -> list:
    """A model input's shape as typed: ``28, 28, 1``, ``[28, 28, 1]``, ``28×28×1`` or ``28x28x1``;
    ``?``, ``null`` or ``None`` for a size known only at run time. EditError otherwise."""
    cleaned = text.strip().strip("[]()").strip()
    parts = [p for p in re.split(r"\s*[,×xX*]\s*|\s+", cleaned) if p] if cleaned else []
    sizes: list = []
    for part in parts:
        if part in ("?", "null", "None"):
            sizes.append(None)
        elif part.isdigit():
            sizes.append(int(part))
        else:
            return check_shape(text)  # not a size: check_shape says what a shape is
    return check_shape(sizes)


_INTEGER = re.compile(r"[-+]?\d[\d_]*")
_NUMBER = re.compile(r"[-+]?(\d[\d_]*)?(\.[\d_]*)?([eE][-+]?\d+)?")


def _reject(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


def _check_finite(value: Any) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("numbers must be finite")
    if isinstance(value, list):
        for v in value:
            _check_finite(v)
    if isinstance(value, dict):
        for v in value.values():
            _check_finite(v)


def value_text(value: Any) -> str:
    """The text shown for a value; :func:`parse_text` of it gives the value back."""
    if isinstance(value, str):
        try:
            if parse_text(value) == value:
                return value
        except ValueError:
            pass
    return json.dumps(value, ensure_ascii=False)
