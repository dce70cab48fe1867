"""Commands that read specs without TensorFlow: check, summary, schema, layers."""

# No ``from __future__ import annotations`` here: Typer reads these signatures at every
# start, and with string annotations it compiles and evaluates each one again (~2 ms of
# a ~160 ms check); evaluated once at import, they cost nothing more.
import json
from enum import Enum
from pathlib import Path
from typing import Annotated, List

import typer

from ..compiler.passes import analyze
from ..costs import Dtype, Optimizer
from ..registry import get_registry
from .base import app
from .output import print_diagnostics, stderr, stdout, write_stdout
from .params_opt import SetOpt, overrides


class CheckFormat(str, Enum):
    text = "text"
    json = "json"


class SummaryFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    keras = "keras"


SpecArg = Annotated[Path, typer.Argument(help="A spec file (JSON).", show_default=False)]


@app.command()
def check(
    specs: Annotated[List[Path], typer.Argument(help="Spec files to check.", show_default=False)],
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="text or json.")] = CheckFormat.text,
    strict: Annotated[bool, typer.Option(help="Treat warnings as errors.")] = False,
    sets: SetOpt = None,
) -> None:
    """Check specs and print every problem, compiler-style. Exit 1 if any has errors."""
    from ..receptive_field import ensure

    params = overrides(sets)
    results = {str(path): ensure(analyze(path, params=params)) for path in specs}
    failed = any(not a.ok or (strict and a.warnings) for a in results.values())
    if format is CheckFormat.json:
        write_stdout(json.dumps({
            "ok": not failed,
            "files": [{"file": f, "ok": a.ok, "diagnostics": [d.to_dict() for d in a.diagnostics]}
                      for f, a in results.items()]}, indent=2, ensure_ascii=False))
    else:
        for file, analysis in results.items():
            print_diagnostics(analysis.diagnostics, stdout)
            status = "ok" if analysis.ok else f"{len(analysis.errors)} error(s)"
            extra = f", {len(analysis.warnings)} warning(s)" if analysis.warnings else ""
            write_stdout(f"{file}: {status}{extra}")
    raise typer.Exit(1 if failed else 0)


@app.command()
def summary(
    spec: SpecArg,
    format: Annotated[SummaryFormat, typer.Option("--format", "-f")] = SummaryFormat.table,
    batch_size: Annotated[int, typer.Option(min=1, max=2**20, help="Batch size for the memory estimates.")] = 1,
    dtype: Annotated[Dtype, typer.Option(help="Element type of weights and activations.")] = Dtype.float32,
    optimizer: Annotated[Optimizer, typer.Option(help="Optimizer for the training-memory estimate.")] = Optimizer.adam,
    receptive_field: Annotated[bool, typer.Option(
        "--receptive-field", help="Add a receptive-field column (size /stride pad padding).")] = False,
    sets: SetOpt = None,
) -> None:
    """Per-layer output shapes, parameters, MACs and FLOPs, like Keras's model.summary()."""
    from .. import summary as summaries  # here: a check needs none of it

    analysis = analyze(spec, params=overrides(sets))
    options = summaries.SummaryOptions(batch_size, dtype.value, optimizer.value, receptive_field)
    if format is SummaryFormat.json:
        write_stdout(summaries.to_json(analysis, options=options))
    elif format is SummaryFormat.markdown:
        write_stdout(summaries.to_markdown(analysis, options=options))
    elif format is SummaryFormat.keras:  # what Keras's model.summary() prints, without Keras
        from ..keras_summary import keras_summary

        write_stdout(keras_summary(analysis, dtype=options.dtype))
    else:
        summaries.print_table(analysis, stdout, options=options)
    print_diagnostics(analysis.diagnostics, stderr)
    raise typer.Exit(0 if analysis.ok else 1)


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file instead.")] = None,
) -> None:
    """Print the JSON Schema of the spec format (for editor autocompletion)."""
    from ..fileio import atomic_write_text
    from ..schema import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        write_stdout(text)
    else:
        atomic_write_text(output, text)
        stderr.print(f"wrote {output}", markup=False)


@app.command()
def layers(
    type_name: Annotated[str | None, typer.Argument(help="Show one type's parameters.")] = None,
) -> None:
    """List the registered layer types and their parameters (Keras names and defaults)."""
    from .layers_listing import print_layer_types

    print_layer_types(get_registry(), type_name)
