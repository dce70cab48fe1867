"""The frame around a diagram: the title above it and the totals below it."""

from __future__ import annotations

from ..compiler.analysis import Analysis
from ..summary import human
from .labels import dims, font, html_label, html_text, say, table
from .options import RenderOptions
from .theme import Theme


def title_label(analysis: Analysis, theme: Theme, options: RenderOptions) -> str:
    """The spec's name (or ``options.title``) in large bold type."""
    title = options.title if options.title is not None else analysis.name
    return html_label(table([font(html_text(title, 120), theme.title_size, bold=True)],
                            cellpadding=4))


def footer_label(analysis: Analysis, theme: Theme, options: RenderOptions) -> str:
    """Totals under the picture: layers, parameters, MACs, input and output sizes, errors."""
    lang = options.lang
    parts = [say(lang, "layers", len(analysis.layers))]
    if options.shows("params"):
        parts.append(f"{say(lang, 'params', analysis.total_params)} "
                     f"({human(analysis.total_params)})")
    if analysis.total_macs:
        parts.append(say(lang, "macs", human(analysis.total_macs, "MAC")))
    lines = [font(html_text(" · ".join(parts), None), theme.text_size, theme.muted)]
    if options.shows("shapes"):
        lines.append(_io_line(analysis, theme, lang))
    if analysis.errors:
        lines.append(_error_line(analysis, theme, lang))
    return html_label(table([line for line in lines if line], cellpadding=2))


def _io_line(analysis: Analysis, theme: Theme, lang: str) -> str:
    def sizes(names: list[str]) -> str:
        return ", ".join(dims(analysis.layers[n].output_shape) for n in names
                         if n in analysis.layers)

    ins, outs = sizes(analysis.inputs), sizes(analysis.outputs)
    if not (ins or outs):
        return ""
    return font(html_text(f"{say(lang, 'input')} {ins or '?'}  ⟶  "
                          f"{say(lang, 'output')} {outs or '?'}", None),
                theme.small_size + 1, theme.muted)


def _error_line(analysis: Analysis, theme: Theme, lang: str) -> str:
    broken = sum(1 for r in analysis.layers.values() if any(d.is_error for d in r.diagnostics))
    text = say(lang, "errors", len(analysis.errors))
    if broken:
        text += f" ({say(lang, 'marked', broken)})"
    return font(html_text(f"{text}: {say(lang, 'incomplete')}", None), theme.text_size,
                theme.error_text, bold=True)
