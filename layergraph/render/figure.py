"""A drawing as plain primitives (points, y down), written out as SVG or TikZ.

The volumes style builds a :class:`Figure`; :mod:`.svg_out` and :mod:`.tikz_out`
serialise it. Keeping the drawing backend-free means both outputs show the same
picture and tests can inspect the primitives directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Anchor = Literal["start", "middle", "end"]
Point = tuple[float, float]


@dataclass(frozen=True)
class Polygon:
    points: tuple[Point, ...]
    fill: str
    stroke: str
    dashed: bool = False
    width: float = 0.8
    role: str = "face"          # face | kernel | ghost


@dataclass(frozen=True)
class Path:
    """A polyline, or cubic Béziers when ``curve`` (points: start, then c1, c2, end per piece).

    ``closed`` paths are outlines (Graphviz's rounded boxes), filled with ``fill``.
    """

    points: tuple[Point, ...]
    stroke: str
    dashed: bool = False
    arrow: bool = False
    curve: bool = False
    width: float = 0.9
    role: str = "edge"          # edge | skip | projection | node | cluster (graph style)
    fill: str = "none"
    closed: bool = False


@dataclass(frozen=True)
class Circle:
    center: Point
    radius: float
    fill: str
    stroke: str
    symbol: str = ""
    role: str = "merge"


@dataclass(frozen=True)
class Text:
    at: Point
    text: str
    size: float
    color: str
    anchor: Anchor = "middle"
    bold: bool = False
    role: str = "label"         # title | caption | name | dims | note | footer | label


@dataclass
class Figure:
    width: float
    height: float
    background: str
    fonts: list[str]
    items: list = field(default_factory=list)

    def of(self, kind: type, role: str | None = None) -> list:
        """The items of one type (and role): what tests and backends look at."""
        return [i for i in self.items if isinstance(i, kind) and (role is None or i.role == role)]
