"""`layergraph explain SPEC LAYER`: the shape arithmetic of one layer, per axis."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .base import app


@app.command()
def explain(
    spec: Annotated[Path, typer.Argument(help="A spec file (JSON).", show_default=False)],
    layer: Annotated[str, typer.Argument(help="A layer (or block instance) name.", show_default=False)],
) -> None:
    """Show how LAYER's output shape follows from its input: (227 − 11) / 4 + 1 = 55."""
    from ..compiler.passes import analyze
    from ..diagnostics import printable
    from ..explain import UnknownLayer, explain_text
    from .output import fail, print_diagnostics, stderr, write_stdout

    analysis = analyze(spec)
    try:
        text = explain_text(analysis, layer)
    except UnknownLayer as exc:
        print_diagnostics(analysis.diagnostics, stderr)
        fail(str(exc) + (f" ({exc.hint})" if exc.hint else ""))
    write_stdout("\n".join(printable(line) for line in text.splitlines()))
    raise typer.Exit(0 if analysis.ok else 1)
