"""A :class:`~.figure.Figure` as a standalone TikZ picture for LaTeX notes.

The file is a ``standalone`` document: it compiles on its own (pdflatex, or
xelatex/lualatex for Hangul and other scripts, which pick the figure's font via
fontspec), and a document that loads ``\\usepackage{standalone}`` can ``\\input``
it, the preamble being skipped. Coordinates are points, y pointing up.
"""

from __future__ import annotations

import re

from .figure import Circle, Figure, Path, Polygon, Text

_LATEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
          "#": r"\#", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}", "^": r"\^{}",
          "<": r"\textless{}", ">": r"\textgreater{}", '"': r"\textquotedbl{}",
          "×": r"$\times$", "⟶": r"$\longrightarrow$", "→": r"$\rightarrow$", "‖": r"$\|$",
          "−": r"$-$", "·": r"$\cdot$", "…": r"\ldots{}", "⊕": r"$\oplus$"}
_SPECIAL = re.compile("|".join(re.escape(k) for k in _LATEX))


def latex_text(text: str) -> str:
    """Escape ``text`` for LaTeX (special characters and the math symbols figures use)."""
    return _SPECIAL.sub(lambda m: _LATEX[m.group()], text)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class _Colours:
    def __init__(self):
        self.names: dict[str, str] = {}

    def __call__(self, colour: str) -> str:
        if colour == "none":
            return "none"
        if not colour.startswith("#"):
            return colour
        if colour not in self.names:
            self.names[colour] = f"lg{len(self.names)}"
        return self.names[colour]

    def definitions(self) -> list[str]:
        return [f"\\definecolor{{{name}}}{{HTML}}{{{colour[1:].upper()}}}"
                for colour, name in self.names.items()]


def to_tikz(figure: Figure) -> str:
    """The standalone LaTeX source of ``figure``."""
    colour = _Colours()
    h = figure.height

    def pt(p) -> str:
        return f"({_n(p[0])}pt,{_n(h - p[1])}pt)"

    body = []
    for item in figure.items:
        if isinstance(item, Polygon):
            dash = ",dashed" if item.dashed else ""
            # \filldraw without a fill colour would fill black: an outline is \draw.
            command, fill = (("filldraw", f"fill={colour(item.fill)},") if item.fill != "none"
                             else ("draw", ""))
            body.append(f"\\{command}[{fill}draw={colour(item.stroke)},line width={_n(item.width)}pt"
                        f"{dash}] " + " -- ".join(pt(p) for p in item.points) + " -- cycle;")
        elif isinstance(item, Path):
            opts = [f"draw={colour(item.stroke)}", f"line width={_n(item.width)}pt"]
            opts += [f"fill={colour(item.fill)}"] if item.fill != "none" else []
            opts += ["dashed"] if item.dashed else []
            opts += ["-{Stealth[length=4pt]}"] if item.arrow else []
            p = item.points
            if item.curve:
                way = pt(p[0]) + "".join(f" .. controls {pt(p[k])} and {pt(p[k + 1])} .. "
                                         f"{pt(p[k + 2])}" for k in range(1, len(p) - 2, 3))
            else:
                way = " -- ".join(pt(q) for q in p)
            way += " -- cycle" if item.closed else ""
            body.append(f"\\draw[{','.join(opts)}] {way};")
        elif isinstance(item, Circle):
            body.append(f"\\filldraw[fill={colour(item.fill)},draw={colour(item.stroke)}] "
                        f"{pt(item.center)} circle ({_n(item.radius)}pt);")
            if item.symbol:
                body.append(f"\\node[text={colour(item.stroke)},font=\\bfseries] at "
                            f"{pt(item.center)} {{{latex_text(item.symbol)}}};")
        elif isinstance(item, Text):
            anchor = {"start": "base west", "middle": "base", "end": "base east"}[item.anchor]
            font = f"\\fontsize{{{_n(item.size)}}}{{{_n(item.size * 1.2)}}}\\selectfont"
            font += "\\bfseries" if item.bold else ""
            body.append(f"\\node[anchor={anchor},inner sep=0pt,text={colour(item.color)},"
                        f"font={font}] at {pt(item.at)} {{{latex_text(item.text)}}};")
    first_font = figure.fonts[0] if figure.fonts else "DejaVu Sans"
    # A dark theme's text needs its background; white paper needs none.
    background = ([] if figure.background in ("white", "#ffffff", "none") else
                  [f"\\fill[{colour(figure.background)}] (0,0) rectangle "
                   f"({_n(figure.width)}pt,{_n(h)}pt);"])
    family = latex_text(first_font)
    preamble = [
        "% layergraph figure: compile on its own, or \\input it from a document",
        "% that loads \\usepackage{standalone}. Hangul and other scripts need xelatex or",
        f"% lualatex, which draw the text in {family} (fontspec).",
        "\\documentclass[tikz,border=2pt]{standalone}",
        "\\usepackage{iftex}",
        # Helvetica, the font Graphviz measured the boxes with, where it is installed.
        "\\ifPDFTeX\\usepackage[utf8]{inputenc}\\usepackage[T1]{fontenc}"
        "\\IfFileExists{t1uhv.fd}{\\usepackage{helvet}}{}",
        f"\\else\\usepackage{{fontspec}}\\setmainfont{{{family}}}\\setsansfont{{{family}}}\\fi",
        "\\usetikzlibrary{arrows.meta}",
        "\\begin{document}",
        "\\sffamily",
        "\\begin{tikzpicture}",
        "% colours inside the picture: \\input skips the preamble",
        *colour.definitions(),
        f"\\useasboundingbox (0,0) rectangle ({_n(figure.width)}pt,{_n(h)}pt);",
        *background,
    ]
    return "\n".join(preamble + body + ["\\end{tikzpicture}", "\\end{document}", ""])
