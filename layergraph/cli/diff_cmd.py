"""`layergraph diff A B`: layers added, removed and changed between two specs."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .base import app


class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command()
def diff(
    before: Annotated[Path, typer.Argument(help="The spec before (JSON).", show_default=False)],
    after: Annotated[Path, typer.Argument(help="The spec after (JSON).", show_default=False)],
    format: Annotated[DiffFormat, typer.Option("--format", "-f", help="text, json or markdown.")] = DiffFormat.text,
) -> None:
    """Layers added, removed and changed (Δparams, ΔMACs, Δreceptive field) and the totals.

    Exit 1 if either spec has errors (the diff is still printed, with unknown counts).
    """
    from .. import diff as diffs
    from ..compiler.passes import analyze
    from .output import print_diagnostics, stderr, write_stdout

    a, b = analyze(before), analyze(after)
    result = diffs.diff(a, b)
    render = {DiffFormat.json: diffs.to_json, DiffFormat.markdown: diffs.to_markdown}.get(format, diffs.to_text)
    write_stdout(render(result))
    print_diagnostics(a.diagnostics + b.diagnostics, stderr)
    raise typer.Exit(0 if a.ok and b.ok else 1)
