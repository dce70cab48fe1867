"""Summaries of an analysis: a Keras-like table, JSON for tools, Markdown for notes."""

from __future__ import annotations

import json
from dataclasses import dataclass

from . import costs, receptive_field
from .compiler.analysis import Analysis, LayerResult
from .diagnostics import printable
from .fmt import count_text, fmt_shape, human, human_bytes  # noqa: F401  (human: re-exported)


@dataclass(frozen=True)
class SummaryOptions:
    """What the summary estimates memory for, and which optional columns it shows."""

    batch_size: int = 1
    dtype: str = "float32"
    optimizer: str = "adam"
    receptive_field: bool = False  # a column in the table and markdown (always in JSON)


def shape_text(result: LayerResult) -> str:
    """The output shape, or the reason it is unknown."""
    if result.output_shape is not None:
        return fmt_shape(result.output_shape)
    errors = [d for d in result.diagnostics if d.is_error]
    return f"error {errors[0].code.value}" if errors else "unknown"


def to_dict(analysis: Analysis, batch_size: int = 1, dtype: str = "float32",
            options: SummaryOptions | None = None) -> dict:
    """The JSON summary: name, totals, costs, outputs, and layers in topological order."""
    options = options or SummaryOptions(batch_size, dtype)
    receptive_field.ensure(analysis)
    cost = costs.model_cost(analysis, options.batch_size, options.dtype)
    return {
        "name": analysis.name,
        "description": analysis.description,
        "complete": analysis.complete,
        "total_params": analysis.total_params,
        "trainable_params": analysis.trainable_params,
        "non_trainable_params": analysis.non_trainable_params,
        "total_macs": cost.macs,
        "total_flops": cost.flops,
        "unknown_cost_layers": cost.unknown,
        "memory_bytes": {"weights": cost.weight_bytes, "activations": cost.activation_bytes,
                         "batch_size": options.batch_size, "dtype": options.dtype},
        "training_memory_bytes": costs.training_memory(
            analysis, options.batch_size, options.dtype, options.optimizer),
        "inputs": analysis.inputs,
        "outputs": analysis.outputs,
        "layers": [_layer_dict(r, cost.layers[r.name]) for r in analysis.layers.values()],
        "diagnostics": [d.to_dict() for d in analysis.diagnostics],
    }


def _layer_dict(result: LayerResult, cost: costs.LayerCost) -> dict:
    field = result.receptive_field
    return {
        "name": result.name,
        "type": result.type,
        "inputs": result.inputs,
        "output_shape": list(result.output_shape) if result.output_shape is not None else None,
        "params": result.param_count,
        "trainable_params": result.trainable_params,
        "macs": cost.macs,
        "flops": cost.flops,
        "activation_bytes": cost.activation_bytes,
        "weight_bytes": cost.weight_bytes,
        "receptive_field": field.to_dict() if field is not None else None,
        "block": result.block,
        "ok": result.ok,
        **({"shares": result.shares} if result.shares else {}),  # counted there
    }


def to_json(analysis: Analysis, batch_size: int = 1, dtype: str = "float32",
            options: SummaryOptions | None = None) -> str:
    return json.dumps(to_dict(analysis, batch_size, dtype, options), indent=2, ensure_ascii=False)


def totals_lines(analysis: Analysis, batch_size: int = 1, dtype: str = "float32",
                 options: SummaryOptions | None = None) -> list[str]:
    """The lines under the table: parameter, MAC, FLOP and memory totals."""
    options = options or SummaryOptions(batch_size, dtype)
    cost = costs.model_cost(analysis, options.batch_size, options.dtype)
    mark = "" if analysis.complete else " (incomplete: some layers could not be analysed)"
    unknown = [n for n in cost.unknown if analysis.layers[n].ok]
    cost_mark = mark or (f" (excludes layers whose size is unknown: {_names(unknown)})" if unknown else "")
    train = costs.training_memory(analysis, options.batch_size, options.dtype, options.optimizer)
    return [
        f"Total params: {analysis.total_params:,} ({human_bytes(cost.weight_bytes)} "
        f"{options.dtype}){mark}",
        f"Trainable params: {analysis.trainable_params:,}",
        f"Non-trainable params: {analysis.non_trainable_params:,}",
        f"Total MACs: {cost.macs:,} ({human(cost.macs, 'MAC')}){cost_mark}",
        f"Total FLOPs: {cost.flops:,} ({human(cost.flops, 'FLOP')}; 2 per MAC + element-wise)"
        f"{cost_mark}",
        f"Memory, batch {options.batch_size} {options.dtype}: weights "
        f"{human_bytes(cost.weight_bytes)}, activations {human_bytes(cost.activation_bytes)}",
        f"Training memory, batch {options.batch_size} {options.dtype} {train['optimizer']}: "
        f"{human_bytes(train['total'])} (weights {human_bytes(train['weights'])}, gradients "
        f"{human_bytes(train['gradients'])}, optimizer {human_bytes(train['optimizer_state'])}, "
        f"activations {human_bytes(train['activations'])})",
    ]


def _names(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


_HEADERS = ("Layer (type)", "Output shape", "Param #", "MACs", "Connected to")
_RF_HEADER = "Receptive field"


def _headers(options: SummaryOptions) -> tuple[str, ...]:
    """The table's columns; with ``options.receptive_field`` the caller has ensured the fields."""
    return _HEADERS[:4] + ((_RF_HEADER,) if options.receptive_field else ()) + _HEADERS[4:]


def _row(result: LayerResult, options: SummaryOptions) -> tuple[str, ...]:
    field = () if not options.receptive_field else (
        result.receptive_field.text() if result.receptive_field is not None else "—",)
    # A shared call's weights are counted at the layer it shares, named instead of a 0.
    params = f"shares {result.shares}" if result.shares else count_text(result.param_count)
    return (f"{result.name} ({result.type})", shape_text(result), params,
            count_text(result.macs), *field, ", ".join(result.input_labels()) or "—")


def to_markdown(analysis: Analysis, batch_size: int = 1, dtype: str = "float32",
                options: SummaryOptions | None = None) -> str:
    """A pipe table for lecture notes, with totals below it."""
    options = options or SummaryOptions(batch_size, dtype)

    def cell(text: str) -> str:
        text = text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
        return printable(text)

    if options.receptive_field:
        receptive_field.ensure(analysis)
    headers = _headers(options)
    lines = [f"**{cell(analysis.name)}**", ""]
    if analysis.description:
        lines += [cell(analysis.description), ""]
    lines.append("| " + " | ".join(headers) + " |")
    lines.append("|" + "|".join("--:" if h in ("Param #", "MACs") else "---" for h in headers) + "|")
    for result in analysis.layers.values():
        name, *rest = _row(result, options)
        lines.append("| " + " | ".join(cell(c) for c in [f"`{name}`", *rest]) + " |")
    lines.append("")
    lines += [f"- {line}" for line in totals_lines(analysis, options=options)]
    return "\n".join(lines) + "\n"


def print_table(analysis: Analysis, console, batch_size: int = 1, dtype: str = "float32",
                options: SummaryOptions | None = None) -> None:
    """A rich table like Keras's ``model.summary()``, plus MACs, printed to ``console``."""
    from rich.markup import escape
    from rich.table import Table

    options = options or SummaryOptions(batch_size, dtype)
    if options.receptive_field:
        receptive_field.ensure(analysis)
    table = Table(title=f'Model: "{escape(printable(analysis.name))}"', title_justify="left",
                  show_lines=False, header_style="bold")
    for header in _headers(options):
        table.add_column(header, justify="right" if header in ("Param #", "MACs") else "left",
                         overflow="fold")
    for result in analysis.layers.values():
        style = None if result.ok else "red"
        table.add_row(*(escape(printable(c)) for c in _row(result, options)), style=style)
    console.print(table)
    for line in totals_lines(analysis, options=options):
        console.print(escape(line), highlight=False)
