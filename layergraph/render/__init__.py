"""Graphviz diagrams of a spec for lecture notes: PNG, SVG, PDF or DOT, no TensorFlow.

Two styles: ``graph`` (one box per layer, coloured by family, with sizes and
parameter counts) and ``blocks`` (the textbook figure: tensors as boxes sized by
their spatial size and channels, left to right). Deep networks stay legible:
repeated blocks collapse into "×N" nodes and long chains wrap into rows.

    import layergraph as lg
    lg.render("specs/vgg16.json", "vgg16.png", style="blocks")
    lg.to_dot("specs/alexnet.json")     # a graphviz.Digraph; shows inline in Jupyter

Importing this package is cheap: Graphviz's Python package is imported when a
diagram is made, and TensorFlow never.
"""

from __future__ import annotations

from .api import NothingToDrawError, render, to_dot
from .options import MAX_SIDE_PX, OptionError, RenderOptions, make_options
from .output import GraphvizFailedError, GraphvizNotFoundError

__all__ = [
    "GraphvizFailedError", "GraphvizNotFoundError", "MAX_SIDE_PX", "NothingToDrawError",
    "OptionError", "RenderOptions", "make_options", "render", "to_dot",
]
