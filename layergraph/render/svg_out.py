"""A :class:`~.figure.Figure` as SVG text: self-sizing (viewBox), escaped, deterministic."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .figure import Circle, Figure, Path, Polygon, Text


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _pts(points) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def to_svg(figure: Figure, responsive: bool = False) -> str:
    """The SVG document; ``responsive`` makes it fill its container's width (notebooks)."""
    w, h = _n(figure.width), _n(figure.height)
    size = 'width="100%"' if responsive else f'width="{w}pt" height="{h}pt"'
    family = quoteattr(", ".join(f"'{f}'" if " " in f else f for f in figure.fonts))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" {size} viewBox="0 0 {w} {h}" '
           f'font-family={family}>',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
           'markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
           'fill="context-stroke"/></marker></defs>',
           f'<rect x="0" y="0" width="{w}" height="{h}" fill="{figure.background}"/>']
    for item in figure.items:
        out.append(_item(item))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _item(item) -> str:
    if isinstance(item, Polygon):
        dash = ' stroke-dasharray="3,2"' if item.dashed else ""
        return (f'<polygon class="{item.role}" points="{_pts(item.points)}" fill="{item.fill}" '
                f'stroke="{item.stroke}" stroke-width="{_n(item.width)}" '
                f'stroke-linejoin="round"{dash}/>')
    if isinstance(item, Path):
        dash = ' stroke-dasharray="3,2.5"' if item.dashed else ""
        marker = ' marker-end="url(#arrow)"' if item.arrow else ""
        p = item.points
        if item.curve:
            d = f"M{_pts(p[:1])}" + "".join(f" C{_pts(p[k:k + 3])}" for k in range(1, len(p) - 2, 3))
        else:
            d = "M" + " L".join(f"{_n(x)},{_n(y)}" for x, y in p)
        d += " Z" if item.closed else ""
        return (f'<path class="{item.role}" d="{d}" fill="{item.fill}" stroke="{item.stroke}" '
                f'stroke-width="{_n(item.width)}"{dash}{marker}/>')
    if isinstance(item, Circle):
        (x, y), r = item.center, item.radius
        text = ""
        if item.symbol:
            text = (f'<text x="{_n(x)}" y="{_n(y + r * 0.42)}" font-size="{_n(r * 1.3)}" '
                    f'text-anchor="middle" fill="{item.stroke}">{escape(item.symbol)}</text>')
        return (f'<g class="{item.role}"><circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" '
                f'fill="{item.fill}" stroke="{item.stroke}" stroke-width="1"/>{text}</g>')
    if isinstance(item, Text):
        weight = ' font-weight="bold"' if item.bold else ""
        return (f'<text class="{item.role}" x="{_n(item.at[0])}" y="{_n(item.at[1])}" '
                f'font-size="{_n(item.size)}" text-anchor="{item.anchor}" '
                f'fill="{item.color}"{weight}>{escape(item.text)}</text>')
    raise TypeError(f"unknown figure item {item!r}")


def convert(svg: str, fmt: str, dpi: int) -> bytes:
    """SVG text as PNG or PDF bytes (cairosvg; fonts come from fontconfig)."""
    try:
        import cairosvg
    except ImportError:
        from ..fileio import OutputError
        raise OutputError("PNG and PDF output of the volumes style need cairosvg: "
                          "pip install 'layergraph[figures]' (or write .svg)") from None
    data = svg.encode("utf-8")
    if fmt == "png":
        # The SVG is sized in pt, which cairosvg already turns into pixels at ``dpi``; a
        # scale on top would apply the resolution twice ((dpi/72)² as many pixels).
        return cairosvg.svg2png(bytestring=data, dpi=dpi)
    return cairosvg.svg2pdf(bytestring=data)
