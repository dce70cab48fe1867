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
            fill = f"fill={colour(item.fill)}," if item.fill != "none" else ""
            body.append(f"\\filldraw[{fill}draw={colour(item.stroke)},line width={_n(item.width)}pt"
                        f"{dash}] " + " -- ".join(pt(p) for p in item.points) + " -- cycle;")
        elif isinstance(item, Path):
            opts = [f"draw={colour(item.stroke)}", f"line width={_n(item.width)}pt"]
            opts += ["dashed"] if item.dashed else []
            opts += ["-{Stealth[length=4pt]}"] if item.arrow else []
            p = item.points
            if item.curve:
                way = f"{pt(p[0])} .. controls {pt(p[1])} and {pt(p[2])} .. {pt(p[3])}"
            else:
                way = " -- ".join(pt(q) for q in p)
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
    preamble = [
        "% layergraph volumes figure: compile on its own, or \\input it from a document",
        "% that loads \\usepackage{standalone}. Hangul needs xelatex or lualatex.",
        "\\documentclass[tikz,border=2pt]{standalone}",
        "\\usepackage{iftex}",
        "\\ifPDFTeX\\usepackage[utf8]{inputenc}\\usepackage[T1]{fontenc}",
        f"\\else\\usepackage{{fontspec}}\\setmainfont{{{latex_text(first_font)}}}\\fi",
        "\\usetikzlibrary{arrows.meta}",
        "\\begin{document}",
        "\\sffamily",
        "\\begin{tikzpicture}",
        "% colours inside the picture: \\input skips the preamble",
        *colour.definitions(),
        f"\\useasboundingbox (0,0) rectangle ({_n(figure.width)}pt,{_n(h)}pt);",
    ]
    return "\n".join(preamble + body + ["\\end{tikzpicture}", "\\end{document}", ""])
