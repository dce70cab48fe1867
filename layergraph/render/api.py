"""The Python API: ``to_dot(spec, **options)`` and ``render(spec, path, **options)``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..compiler.analysis import Analysis
from ..fileio import OutputExistsError, OutputError
from .options import RenderOptions, make_options
from .output import output_format, render_bytes, write_output
from .scene import build_scene
from .theme import get_theme


class NothingToDrawError(ValueError):
    """The spec could not be read at all, so there is no layer to draw."""

    def __init__(self, analysis: Analysis):
        self.diagnostics = analysis.diagnostics
        first = analysis.diagnostics[0].format() if analysis.diagnostics else "no layers"
        super().__init__(f"nothing to draw: {first}")


def get_analysis(spec: Any, options: RenderOptions) -> Analysis:
    """Analyse ``spec`` (path, JSON text, dict, GraphSpec or Analysis) for drawing.

    Raises SpecError under ``strict`` when the spec has errors, and NothingToDrawError
    when not a single layer could be read.
    """
    from .. import SpecError
    from ..compiler.passes import analyze

    analysis = spec if isinstance(spec, Analysis) else analyze(spec)
    if options.strict and not analysis.ok:
        raise SpecError(analysis.errors)
    if not analysis.layers:
        raise NothingToDrawError(analysis)
    return analysis


def to_dot(spec: Any, *, options: RenderOptions | None = None, **kwargs: Any):
    """The diagram of ``spec`` as a ``graphviz.Digraph`` (it displays inline in Jupyter).

    ``spec`` is a path, JSON text, a dict, a GraphSpec or an Analysis. Keyword
    options are the fields of :class:`RenderOptions`: ``style`` ("graph" or
    "blocks"), ``rankdir`` ("LR" or "TB"), ``theme`` ("light", "dark", "print"),
    ``hide`` (e.g. "shapes,params"), ``collapse`` (True, False or "auto"),
    ``rows``, ``title``, ``strict``. A spec with errors is drawn with the broken
    layers marked unless ``strict=True``.
    """
    opts = make_options(options, **kwargs)
    return _digraph(get_analysis(spec, opts), opts)


def _digraph(analysis: Analysis, options: RenderOptions):
    from .assemble import assemble

    theme = get_theme(options.theme)
    if options.style == "blocks":
        from .blocks_style import BlocksStyle as Style
    else:
        from .graph_style import GraphStyle as Style
    scene = build_scene(analysis, options, fold_minor=options.style == "blocks")
    return assemble(scene, Style(analysis, theme, options, len(scene.nodes)), theme, options)


def render(spec: Any, path: str | Path, *, options: RenderOptions | None = None,
           **kwargs: Any) -> Path:
    """Draw ``spec`` into ``path`` (PNG, SVG, PDF or DOT, by extension or ``format``).

    Returns the path written. Options as for :func:`to_dot`, plus ``format``,
    ``dpi`` (PNG), ``overwrite`` (default True: re-rendering replaces the old picture;
    the write is atomic either way) and ``timeout`` (seconds allowed to Graphviz).
    Raises GraphvizNotFoundError (with install instructions) when PNG, SVG or PDF
    is asked for and Graphviz is missing.
    """
    opts = make_options(options, **kwargs)
    fmt = output_format(path, opts.format)
    source = to_dot(spec, options=opts).source
    data = render_bytes(source, fmt, opts.dpi, opts.timeout)
    try:
        return write_output(data, path, opts.overwrite)
    except OutputExistsError:
        raise OutputError(f"{path} exists and overwriting is off (--no-clobber)") from None
