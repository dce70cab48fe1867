"""``layergraph render``: draw a spec as PNG, SVG, PDF or DOT (no TensorFlow)."""

from __future__ import annotations

import sys
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..compiler.passes import analyze
from ..fileio import OutputError
from . import app
from .output import fail, print_diagnostics, stderr
from .params_opt import SetOpt, overrides


class Style(str, Enum):
    graph = "graph"
    blocks = "blocks"


class Rankdir(str, Enum):
    LR = "LR"
    TB = "TB"


class Theme(str, Enum):
    light = "light"
    dark = "dark"
    print = "print"


class Format(str, Enum):
    png = "png"
    svg = "svg"
    pdf = "pdf"
    dot = "dot"


@app.command()
def render(
    spec: Annotated[Path, typer.Argument(help="A spec file (JSON).", show_default=False)],
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", show_default=False,
        help="Output file; its extension (.png .svg .pdf .dot) picks the format. "
             "Default: the spec's name with .png in the current folder. '-' writes to stdout.")] = None,
    format: Annotated[Optional[Format], typer.Option(
        "--format", "-f", help="png, svg, pdf or dot (default: from the extension).",
        show_default=False)] = None,
    style: Annotated[Style, typer.Option(
        help="graph: a box per layer with sizes and parameters; blocks: the textbook figure "
             "of tensors as boxes.")] = Style.graph,
    collapse: Annotated[Optional[bool], typer.Option(
        "--collapse/--no-collapse", show_default=False,
        help="Draw every block as one node (repeats as ×N), or never collapse. "
             "Default: collapse repeated blocks only when the graph is too large to read.")] = None,
    rankdir: Annotated[Rankdir, typer.Option(help="LR: left to right; TB: top to bottom.")] = Rankdir.LR,
    theme: Annotated[Theme, typer.Option(
        help="light, dark (for dark slides) or print (black and white).")] = Theme.light,
    hide: Annotated[str, typer.Option(
        help="Details to leave out, comma-separated: shapes, params, hyperparams.",
        show_default=False)] = "",
    rows: Annotated[int, typer.Option(
        min=0, max=1000, help="Wrap the network into this many rows (columns with TB); "
                              "0 chooses, 1 never wraps.")] = 0,
    dpi: Annotated[int, typer.Option(min=10, max=1200, help="Resolution of PNG output.")] = 150,
    title: Annotated[Optional[str], typer.Option(
        help="Title above the diagram (default: the spec's name).", show_default=False)] = None,
    strict: Annotated[bool, typer.Option(
        help="Refuse to draw a spec with errors (default: draw it with the broken layers marked).")] = False,
    no_clobber: Annotated[bool, typer.Option(
        "--no-clobber", help="Refuse to replace an existing output file.")] = False,
    sets: SetOpt = None,
) -> None:
    """Draw a spec for lecture notes: PNG, SVG, PDF or DOT. Needs no TensorFlow.

    An existing output file is replaced (re-rendering after an edit is the usual loop);
    the write is atomic, so a failed render keeps the old picture.
    """
    from ..render import NothingToDrawError, OptionError, make_options
    from ..render.api import render as render_file
    from ..render.api import to_dot
    from ..render.output import output_format, render_bytes

    try:
        options = make_options(
            style=style.value, rankdir=rankdir.value, theme=theme.value, hide=hide,
            collapse=collapse, rows=rows, dpi=dpi, title=title, strict=strict,
            format=format.value if format else None, overwrite=not no_clobber)
        target = output if output is not None else f"{spec.stem}.{options.format or 'png'}"
        fmt = output_format(target, options.format)
    except OptionError as exc:
        fail(str(exc), code=2)
    if target != "-" and Path(target).resolve() == spec.resolve():
        fail(f"refusing to draw over the spec itself ({spec}); choose another --output", code=2)

    analysis = analyze(spec, params=overrides(sets))
    if not analysis.layers or (strict and not analysis.ok):
        print_diagnostics(analysis.diagnostics)
        reason = "it has errors (--strict)" if analysis.layers else "nothing could be read"
        fail(f"{spec}: not drawn: {reason}")
    try:
        if target == "-":
            source = to_dot(analysis, options=options).source
            sys.stdout.buffer.write(render_bytes(source, fmt, options.dpi, options.timeout))
            sys.stdout.buffer.flush()
        else:
            render_file(analysis, target, options=replace(options, format=fmt))
    except (OutputError, NothingToDrawError) as exc:
        fail(str(exc))
    print_diagnostics(analysis.diagnostics)
    _note_collapsing(analysis, options)
    if analysis.errors:
        stderr.print(f"note: drawn with {len(analysis.errors)} error(s) marked in the diagram; "
                     "--strict refuses to draw such specs", markup=False, highlight=False)
    if target != "-":
        stderr.print(f"wrote {target}", markup=False, highlight=False)


def _note_collapsing(analysis, options) -> None:
    """Say so when repeated blocks were collapsed without being asked to."""
    if options.collapse != "auto" or len(analysis.layers) <= options.max_nodes:
        return
    from ..render.scene import build_scene

    scene = build_scene(analysis, options, fold_minor=options.style == "blocks")
    if scene.level > 0:
        stderr.print(f"note: {len(analysis.layers)} layers drawn as {len(scene.nodes)} nodes "
                     "(repeated blocks collapsed); --no-collapse draws every layer",
                     markup=False, highlight=False)
