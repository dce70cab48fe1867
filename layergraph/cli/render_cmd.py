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
from .base import app
from .output import fail, print_diagnostics, stderr
from .params_opt import SetOpt, overrides


class Style(str, Enum):
    graph = "graph"
    blocks = "blocks"
    volumes = "volumes"


class Rankdir(str, Enum):
    LR = "LR"
    TB = "TB"


class Theme(str, Enum):
    light = "light"
    dark = "dark"
    print = "print"


class Lang(str, Enum):
    en = "en"
    ko = "ko"


class Format(str, Enum):
    png = "png"
    svg = "svg"
    pdf = "pdf"
    dot = "dot"
    tex = "tex"


@app.command()
def render(
    spec: Annotated[Path, typer.Argument(help="A spec file (JSON).", show_default=False)],
    output: Annotated[Optional[str], typer.Option(
        "--output", "-o", show_default=False,
        help="Output file; its extension (.png .svg .pdf .dot .tex) picks the format. "
             "Default: the spec's name with .png in the current folder. '-' writes to stdout.")] = None,
    format: Annotated[Optional[Format], typer.Option(
        "--format", "-f", help="png, svg, pdf or dot (default: from the extension).",
        show_default=False)] = None,
    style: Annotated[Style, typer.Option(
        help="graph: a box per layer with sizes and parameters; blocks: the textbook figure "
             "of tensors as boxes; volumes: tensors as 3-D volumes (the AlexNet-paper figure).")] = Style.graph,
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
    font: Annotated[Optional[str], typer.Option(
        help="Font family for the text (default: a stack that covers the text's scripts).",
        show_default=False)] = None,
    caption: Annotated[bool, typer.Option(
        "--caption/--no-caption", help="Volumes: the spec's description under the title.")] = True,
    notes: Annotated[bool, typer.Option(
        "--notes", help="Volumes: the layers' descriptions as notes under the figure.")] = False,
    lang: Annotated[Lang, typer.Option(help="Language of the footer words and parameter counts: en or ko.")] = Lang.en,
    watch: Annotated[bool, typer.Option(
        "--watch", help="Keep running and re-render whenever the spec changes (Ctrl-C stops).")] = False,
) -> None:
    """Draw a spec for lecture notes: PNG, SVG, PDF or DOT. Needs no TensorFlow.

    An existing output file is replaced (re-rendering after an edit is the usual loop);
    the write is atomic, so a failed render keeps the old picture.
    """
    # The render package is imported here, not at start-up: `check` and `summary` never draw.
    from ..render import OptionError, make_options
    from ..render.output import output_format

    try:
        options = make_options(
            style=style.value, rankdir=rankdir.value, theme=theme.value, hide=hide,
            collapse=collapse, rows=rows, dpi=dpi, title=title, strict=strict,
            format=format.value if format else None, overwrite=not no_clobber,
            font=font, caption=caption, notes=notes, lang=lang.value)
        target = output if output is not None else f"{spec.stem}.{options.format or 'png'}"
        fmt = output_format(target, options.format)
    except OptionError as exc:
        fail(str(exc), code=2)
    if target != "-" and Path(target).resolve() == spec.resolve():
        fail(f"refusing to draw over the spec itself ({spec}); choose another --output", code=2)

    params = overrides(sets)
    if watch:
        if target == "-":
            fail("--watch needs an output file (-o), not stdout", code=2)
        from .watch import watch_and_render

        watch_and_render(spec, lambda: _render_once(spec, target, fmt, options, strict, params,
                                                    exit_on_error=False))
        return
    _render_once(spec, target, fmt, options, strict, params)


def _render_once(spec: Path, target: str, fmt: str, options, strict: bool, params=None,
                 exit_on_error: bool = True) -> bool:
    """Analyse and draw once; True when a picture was written."""
    import warnings

    from ..render import NothingToDrawError, OptionError
    from ..render.labels import FigureWarning
    from ..render.api import picture_bytes
    from ..render.api import render as render_file

    if not exit_on_error:
        try:
            return _render_once(spec, target, fmt, options, strict, params, exit_on_error=True)
        except typer.Exit:
            return False
    analysis = analyze(spec, params=params)
    if not analysis.layers or (strict and not analysis.ok):
        print_diagnostics(analysis.diagnostics)
        reason = "it has errors (--strict)" if analysis.layers else "nothing could be read"
        fail(f"{spec}: not drawn: {reason}")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            if target == "-":
                sys.stdout.buffer.write(picture_bytes(analysis, fmt, options))
                sys.stdout.buffer.flush()
            else:
                render_file(analysis, target, options=replace(options, format=fmt))
    except OptionError as exc:
        fail(str(exc), code=2)
    except (OutputError, NothingToDrawError) as exc:
        fail(str(exc))
    for warning in caught:
        if issubclass(warning.category, FigureWarning):   # missing glyphs, a cut caption
            stderr.print(str(warning.message), markup=False, highlight=False)
    print_diagnostics(analysis.diagnostics)
    _note_collapsing(analysis, options)
    if analysis.errors:
        stderr.print(f"note: drawn with {len(analysis.errors)} error(s) marked in the diagram; "
                     "--strict refuses to draw such specs", markup=False, highlight=False)
    if target != "-":
        stderr.print(f"wrote {target}", markup=False, highlight=False)
    return True


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
