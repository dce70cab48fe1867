"""`layergraph layers`: the registered types and their parameters."""

from __future__ import annotations

from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic_core import PydanticUndefined
from rich.markup import escape
from rich.table import Table

from ..diagnostics import did_you_mean
from ..layers.meanings import parameter_meaning
from ..registry import Registry
from .output import fail, stderr, stdout


def _arity(layer_type) -> str:
    low, high = layer_type.min_inputs, layer_type.max_inputs
    if low == high:
        return str(low)
    return f"{low}+" if high is None else f"{low}-{high}"


_BOUNDS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}


def accepted_values(annotation: Any) -> str:
    """What a parameter accepts, as a reader would write it: ``int ≥1 or (int ≥1, int ≥1)``,
    ``'valid' | 'same'``, ``None``, ``list of int``."""
    origin, args = get_origin(annotation), get_args(annotation)
    if annotation is type(None) or annotation is None:
        return "None"
    if origin is Annotated:
        marks = [x for m in args[1:] for x in (getattr(m, "metadata", None) or [m])]
        bounds = [f"{_BOUNDS[k]}{getattr(m, k)}" for m in marks for k in _BOUNDS
                  if getattr(m, k, None) is not None]
        return " ".join([accepted_values(args[0]), *bounds])
    if origin is Literal:
        return " | ".join(repr(a) for a in args)
    if origin in (Union, UnionType):
        return " or ".join(accepted_values(a) for a in args)
    if origin is tuple:
        return "(" + ", ".join(accepted_values(a) for a in args) + ("," if len(args) == 1 else "") + ")"
    if origin is list:
        return "list of " + accepted_values(args[0]) if args else "list"
    if origin is dict:
        return "Keras config object"
    return getattr(annotation, "__name__", None) or str(annotation).replace("typing.", "")


def _field_annotation(info) -> Any:
    """The field's type with its own constraints (pydantic keeps them in metadata)."""
    return Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation


def param_rows(layer_type):
    """(name, accepted values, default, description) of each parameter of a layer type."""
    for name, info in layer_type.Params.model_fields.items():
        default = "required" if info.default is PydanticUndefined else repr(info.default)
        yield name, accepted_values(_field_annotation(info)), default, parameter_meaning(name, info)


def print_layer_types(registry: Registry, type_name: str | None) -> None:
    if type_name is not None:
        layer_type = registry.get(type_name)
        if layer_type is None:
            hint = did_you_mean(type_name, registry.names()) or "run `layergraph layers` for the list"
            fail(f"unknown layer type {type_name!r}; {hint}")
        table = Table(title=f"{type_name}: {layer_type.__doc__ or ''}", title_justify="left")
        for column in ("parameter", "accepts", "default", "meaning"):
            table.add_column(column, overflow="fold")
        for row in param_rows(layer_type):
            table.add_row(*map(escape, row))
        stdout.print(table)
        return
    table = Table(title="Registered layer types", title_justify="left")
    for column in ("type", "family", "inputs", "parameters", "from"):
        table.add_column(column, overflow="fold")
    for name in registry.names():
        layer_type = registry.types[name]
        params = ", ".join(row[0] for row in param_rows(layer_type)) or "—"
        table.add_row(name, layer_type.family, _arity(layer_type), escape(params),
                      registry.origins.get(name, ""))
    stdout.print(table)
    for name, failure in registry.failures.items():
        stderr.print(f"[yellow]warning:[/] layer type {escape(name)}: {escape(failure)}")
