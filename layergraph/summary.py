"""Summaries of an analysis: a Keras-like table, JSON for tools, Markdown for notes."""

from __future__ import annotations

import json

from .compiler.analysis import Analysis, LayerResult
from .diagnostics import printable
from .layers.common import fmt_shape


def human(n: int | float | None, unit: str = "") -> str:
    """1135256096 → '1.14 G' (SI prefixes)."""
    if n is None:
        return "—"
    for factor, prefix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= factor:
            return f"{n / factor:.2f} {prefix}{unit}"
    return f"{n:g} {unit}".rstrip()


def human_bytes(n: int) -> str:
    for factor, prefix in ((2**40, "TiB"), (2**30, "GiB"), (2**20, "MiB"), (2**10, "KiB")):
        if n >= factor:
            return f"{n / factor:.2f} {prefix}"
    return f"{n} B"


def count_text(n: int | None) -> str:
    return "—" if n is None else f"{n:,}"


def shape_text(result: LayerResult) -> str:
    """The output shape, or the reason it is unknown."""
    if result.output_shape is not None:
        return fmt_shape(result.output_shape)
    errors = [d for d in result.diagnostics if d.is_error]
    return f"error {errors[0].code.value}" if errors else "unknown"


def to_dict(analysis: Analysis, batch_size: int = 1, dtype: str = "float32") -> dict:
    """The JSON summary: name, totals, outputs, and layers in topological order."""
    return {
        "name": analysis.name,
        "description": analysis.description,
        "complete": analysis.complete,
        "total_params": analysis.total_params,
        "trainable_params": analysis.trainable_params,
        "non_trainable_params": analysis.non_trainable_params,
        "total_macs": analysis.total_macs,
        "memory_bytes": {**analysis.memory_bytes(batch_size, dtype), "batch_size": batch_size,
                         "dtype": dtype},
        "inputs": analysis.inputs,
        "outputs": analysis.outputs,
        "layers": [_layer_dict(r) for r in analysis.layers.values()],
        "diagnostics": [d.to_dict() for d in analysis.diagnostics],
    }


def _layer_dict(result: LayerResult) -> dict:
    return {
        "name": result.name,
        "type": result.type,
        "inputs": result.inputs,
        "output_shape": list(result.output_shape) if result.output_shape is not None else None,
        "params": result.param_count,
        "trainable_params": result.trainable_params,
        "macs": result.macs,
        "block": result.block,
        "ok": result.ok,
    }


def to_json(analysis: Analysis, batch_size: int = 1, dtype: str = "float32") -> str:
    return json.dumps(to_dict(analysis, batch_size, dtype), indent=2, ensure_ascii=False)


def totals_lines(analysis: Analysis, batch_size: int = 1, dtype: str = "float32") -> list[str]:
    """The lines under the table: parameter, MAC and memory totals."""
    mark = "" if analysis.complete else " (incomplete: some layers could not be analysed)"
    unknown_macs = any(r.ok and r.macs is None for r in analysis.layers.values())
    macs_mark = mark or (" (excludes layers whose size is unknown)" if unknown_macs else "")
    memory = analysis.memory_bytes(batch_size, dtype)
    return [
        f"Total params: {analysis.total_params:,} ({human_bytes(analysis.total_params * 4)}){mark}",
        f"Trainable params: {analysis.trainable_params:,}",
        f"Non-trainable params: {analysis.non_trainable_params:,}",
        f"Total MACs: {analysis.total_macs:,} ({human(analysis.total_macs, 'MAC')}){macs_mark}",
        f"Memory, batch {batch_size} {dtype}: weights {human_bytes(memory['weights'])}, "
        f"activations {human_bytes(memory['activations'])}",
    ]


_HEADERS = ("Layer (type)", "Output shape", "Param #", "MACs", "Connected to")


def _row(result: LayerResult) -> tuple[str, str, str, str, str]:
    return (f"{result.name} ({result.type})", shape_text(result), count_text(result.param_count),
            count_text(result.macs), ", ".join(result.input_labels()) or "—")


def to_markdown(analysis: Analysis, batch_size: int = 1, dtype: str = "float32") -> str:
    """A pipe table for lecture notes, with totals below it."""
    def cell(text: str) -> str:
        text = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
        return printable(text)

    lines = [f"**{cell(analysis.name)}**", ""]
    if analysis.description:
        lines += [cell(analysis.description), ""]
    lines.append("| " + " | ".join(_HEADERS) + " |")
    lines.append("|---|---|--:|--:|---|")
    for result in analysis.layers.values():
        name, *rest = _row(result)
        lines.append("| " + " | ".join(cell(c) for c in [f"`{name}`", *rest]) + " |")
    lines.append("")
    lines += [f"- {line}" for line in totals_lines(analysis, batch_size, dtype)]
    return "\n".join(lines) + "\n"


def print_table(analysis: Analysis, console, batch_size: int = 1, dtype: str = "float32") -> None:
    """A rich table like Keras's ``model.summary()``, plus MACs, printed to ``console``."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f'Model: "{escape(printable(analysis.name))}"', title_justify="left",
                  show_lines=False, header_style="bold")
    for header in _HEADERS:
        table.add_column(header, justify="right" if header in ("Param #", "MACs") else "left",
                         overflow="fold")
    for result in analysis.layers.values():
        style = None if result.ok else "red"
        table.add_row(*(escape(printable(c)) for c in _row(result)), style=style)
    console.print(table)
    for line in totals_lines(analysis, batch_size, dtype):
        console.print(escape(line), highlight=False)
