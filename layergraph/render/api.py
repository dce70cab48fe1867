"""The Python API: ``to_dot(spec, **options)`` and ``render(spec, path, **options)``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..compiler.analysis import Analysis
from ..fileio import OutputExistsError, OutputError
from .labels import FigureWarning
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
    from dataclasses import replace

    from .assemble import assemble

    theme = get_theme(options.theme)
    if options.font:
        theme = replace(theme, font=f"{options.font},{theme.font}")
    _warn_glyphs(analysis, options)
    if options.style == "blocks":
        from .blocks_style import BlocksStyle as Style
    else:
        from .graph_style import GraphStyle as Style
    scene = build_scene(analysis, options, fold_minor=options.style == "blocks")
    return assemble(scene, Style(analysis, theme, options, len(scene.nodes)), theme, options)


def render(spec: Any, path: str | Path, *, options: RenderOptions | None = None,
           **kwargs: Any) -> Path:
    """Draw ``spec`` into ``path`` (PNG, SVG, PDF, DOT or TikZ, by extension or ``format``).

    Returns the path written. Options as for :func:`to_dot`, plus ``format``,
    ``dpi`` (PNG), ``overwrite`` (default True: re-rendering replaces the old picture;
    the write is atomic either way) and ``timeout`` (seconds allowed to Graphviz).
    Raises GraphvizNotFoundError (with install instructions) when PNG, SVG or PDF
    is asked for and Graphviz is missing.
    """
    opts = make_options(options, **kwargs)
    fmt = output_format(path, opts.format)
    data = picture_bytes(get_analysis(spec, opts), fmt, opts)
    try:
        return write_output(data, path, opts.overwrite)
    except OutputExistsError:
        raise OutputError(f"{path} exists and overwriting is off (--no-clobber)") from None


class MissingGlyphsWarning(FigureWarning):
    """Some text of the figure has characters no chosen font can draw."""


def _warn_glyphs(analysis: Analysis, options: RenderOptions) -> None:
    """Graphviz falls back per glyph (Pango): warn only when no font at all draws one."""
    import warnings

    from .fonts import DEFAULT_STACK, covers, missing_glyph_warning

    families = ([options.font] if options.font else []) + list(DEFAULT_STACK)
    texts = figure_texts(analysis, options)
    chars = sorted({c for t in texts for c in t if ord(c) > 0x7E and not c.isspace()})
    missing = [c for c in chars if all(covers(f, c) is False for f in families)]
    message = missing_glyph_warning(missing)
    if message:
        warnings.warn(message, MissingGlyphsWarning, stacklevel=3)


def figure_texts(analysis: Analysis, options: RenderOptions) -> list[str]:
    """The user text a figure can show: title, description, names, block names."""
    texts = [options.title or analysis.name or "", analysis.description or ""]
    for result in analysis.layers.values():
        texts += [result.name, result.block or "", result.description or ""]
    return texts


def volumes_svg(analysis: Analysis, options: RenderOptions, responsive: bool = False) -> str:
    """The volumes figure as SVG text (warns about characters its font cannot draw)."""
    import warnings

    from .fonts import missing_glyph_warning
    from .svg_out import to_svg
    from .volumes_style import volumes_figure

    figure, missing = volumes_figure(analysis, get_theme(options.theme), options)
    message = missing_glyph_warning(missing, figure.fonts[0])
    if message:
        warnings.warn(message, MissingGlyphsWarning, stacklevel=3)
    return to_svg(figure, responsive)


def picture_bytes(analysis: Analysis, fmt: str, options: RenderOptions) -> bytes:
    """The picture of ``analysis`` in ``fmt`` (png, svg, pdf, dot or tex)."""
    from .options import OptionError

    if fmt == "tex":
        return tikz_bytes(analysis, options)
    if options.style == "volumes":
        if fmt == "dot":
            raise OptionError("the volumes style is drawn without Graphviz: write .svg, .png, .pdf or .tex")
        svg = volumes_svg(analysis, options)
        if fmt == "svg":
            return svg.encode("utf-8")
        from .svg_out import convert

        return convert(svg, fmt, options.dpi)
    source = _digraph(analysis, options).source
    return render_bytes(source, fmt, options.dpi, options.timeout)


def tikz_bytes(analysis: Analysis, options: RenderOptions) -> bytes:
    """The standalone TikZ picture of ``analysis``: volumes drawn by layergraph, the
    graph and blocks styles as Graphviz lays them out and draws them."""
    from .tikz_out import to_tikz

    if options.style == "volumes":
        from .volumes_style import volumes_figure

        figure, _ = volumes_figure(analysis, get_theme(options.theme), options)
    else:
        from .graph_figure import graph_figure

        figure, _ = graph_figure(_digraph(analysis, options).source, options.timeout,
                                 options.font)
    return to_tikz(figure).encode("utf-8")
