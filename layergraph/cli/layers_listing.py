"""`layergraph layers`: the registered types and their parameters."""

from __future__ import annotations

from pydantic_core import PydanticUndefined
from rich.markup import escape
from rich.table import Table

from ..diagnostics import did_you_mean
from ..registry import Registry
from .output import fail, stderr, stdout


def _arity(layer_type) -> str:
    low, high = layer_type.min_inputs, layer_type.max_inputs
    if low == high:
        return str(low)
    return f"{low}+" if high is None else f"{low}-{high}"


def param_rows(layer_type):
    """(name, type, default) of each parameter of a layer type."""
    for name, info in layer_type.Params.model_fields.items():
        default = "required" if info.default is PydanticUndefined else repr(info.default)
        annotation = getattr(info.annotation, "__name__", None) or str(info.annotation)
        yield name, annotation.replace("typing.", ""), default


def print_layer_types(registry: Registry, type_name: str | None) -> None:
    if type_name is not None:
        layer_type = registry.get(type_name)
        if layer_type is None:
            hint = did_you_mean(type_name, registry.names()) or "run `layergraph layers` for the list"
            fail(f"unknown layer type {type_name!r}; {hint}")
        table = Table(title=f"{type_name}: {layer_type.__doc__ or ''}", title_justify="left")
        for column in ("parameter", "type", "default"):
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
