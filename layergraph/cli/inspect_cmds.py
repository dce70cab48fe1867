"""Commands that read specs without TensorFlow: check, summary, schema, layers."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, List

import typer

from .. import summary as summaries
from ..compiler.passes import analyze
from ..registry import get_registry
from . import app
from .output import print_diagnostics, stderr, stdout, write_stdout


class CheckFormat(str, Enum):
    text = "text"
    json = "json"


class SummaryFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


SpecArg = Annotated[Path, typer.Argument(help="A spec file (JSON).", show_default=False)]


@app.command()
def check(
    specs: Annotated[List[Path], typer.Argument(help="Spec files to check.", show_default=False)],
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="text or json.")] = CheckFormat.text,
    strict: Annotated[bool, typer.Option(help="Treat warnings as errors.")] = False,
) -> None:
    """Check specs and print every problem, compiler-style. Exit 1 if any has errors."""
    results = {str(path): analyze(path) for path in specs}
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
    batch_size: Annotated[int, typer.Option(min=1, max=2**20, help="Batch size for the memory estimate.")] = 1,
    dtype: Annotated[str, typer.Option(help="float32, float16, bfloat16, float64 or int8.")] = "float32",
) -> None:
    """Per-layer output shapes, parameters and MACs, like Keras's model.summary()."""
    analysis = analyze(spec)
    if format is SummaryFormat.json:
        write_stdout(summaries.to_json(analysis, batch_size, dtype))
    elif format is SummaryFormat.markdown:
        write_stdout(summaries.to_markdown(analysis, batch_size, dtype))
    else:
        summaries.print_table(analysis, stdout, batch_size, dtype)
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
