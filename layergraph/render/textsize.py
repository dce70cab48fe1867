"""Rough text and label sizes, for planning a layout before Graphviz runs.

Graphviz measures text itself; these estimates only decide how many rows a long
network is wrapped into, so they aim at ±20 %, not at the pixel.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

POINTS_PER_INCH = 72.0
# Average advance of Helvetica/DejaVu Sans glyphs, in ems (digits and lowercase).
_CHAR_EM = 0.56
_BOLD_EM = 0.62
_LINE_EM = 1.22
_WIDE_EM = 1.0      # full-width (East Asian) glyphs


@dataclass(frozen=True)
class Line:
    """One line of a label: its plain text, point size, weight and role.

    ``error`` lines (a broken layer's reason) are drawn in the theme's error colour
    and may be longer than names.
    """

    text: str
    size: float
    bold: bool = False
    error: bool = False


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated width in inches of ``text`` at ``size`` points.

    Hangul, kana and CJK ideographs are full-width (about an em each), nearly twice a
    Latin letter: counted as such, Korean names and captions are not planned too narrow."""
    wide = sum(1 for c in text if ord(c) >= 0x1100 and unicodedata.east_asian_width(c) in "WF")
    em = _BOLD_EM if bold else _CHAR_EM
    return ((len(text) - wide) * em + wide * _WIDE_EM) * size / POINTS_PER_INCH


def lines_size(lines: list[Line], pad_x: float = 0.0, pad_y: float = 0.0) -> tuple[float, float]:
    """(width, height) in inches of a stack of lines plus padding on each side."""
    width = max((text_width(line.text, line.size, line.bold) for line in lines), default=0.0)
    height = sum(line.size * _LINE_EM for line in lines) / POINTS_PER_INCH
    return width + 2 * pad_x, height + 2 * pad_y
