"""An analysis in Jupyter: the summary table and the volumes figure as self-sizing SVG."""

from __future__ import annotations

from html import escape

from ..compiler.analysis import Analysis


def analysis_html(analysis: Analysis) -> str:
    """HTML for ``Analysis._repr_html_``: a table, totals, and an SVG that fits its cell.

    The SVG has a viewBox and width 100% (no fixed pixel size), so the notebook
    scales it crisply instead of clipping or blurring it. A spec with no layer gets
    its diagnostics only.
    """
    from ..summary import SummaryOptions, _headers, _row, totals_lines

    options = SummaryOptions()
    rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in _row(r, options)) + "</tr>"
                   for r in analysis.layers.values())
    head = "".join(f"<th>{escape(h)}</th>" for h in _headers(options))
    parts = [f"<h4>{escape(analysis.name)}</h4>"]
    if analysis.description:
        parts.append(f"<p>{escape(analysis.description)}</p>")
    parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    parts.append("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in totals_lines(analysis))
                 + "</ul>")
    if analysis.diagnostics:
        parts.append("<pre>" + escape("\n".join(d.format() for d in analysis.diagnostics)) + "</pre>")
    if analysis.layers:
        parts.append(f'<div style="max-width:100%">{_figure(analysis)}</div>')
    return "\n".join(parts)


def _figure(analysis: Analysis) -> str:
    import warnings

    from .api import volumes_svg
    from .options import make_options

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # a notebook shows the figure; fonts are the browser's
        return volumes_svg(analysis, make_options(style="volumes", caption=False), responsive=True)
