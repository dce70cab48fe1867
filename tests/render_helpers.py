"""Independent readers for diagram tests: DOT by a reader of the DOT grammar, PNG/SVG/PDF
headers by hand.

The tests never trust layergraph's own idea of what it wrote: DOT is parsed by
``dot_reader`` (pydot's interface and results, checked against pydot in
test_dot_reader.py, thousands of times faster), HTML labels by an XML parser, pictures
by their file headers.
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET

from dot_reader import Graph, read_dot

SVG_NS = "{http://www.w3.org/2000/svg}"


def parse_dot(source: str) -> Graph:
    """The one graph of a DOT source (AssertionError if it is not valid DOT)."""
    try:
        return read_dot(source)
    except ValueError as exc:
        raise AssertionError(f"the DOT source must parse as exactly one graph: {exc}") from None


def all_subgraphs(graph) -> list:
    result = []
    for sub in graph.get_subgraphs():
        result.append(sub)
        result += all_subgraphs(sub)
    return result


def all_nodes(graph) -> list:
    """Every node statement, in subgraphs too (pydot keeps them per subgraph)."""
    nodes = [n for n in graph.get_nodes() if n.get_name() not in ("node", "graph", "edge")]
    for sub in graph.get_subgraphs():
        nodes += all_nodes(sub)
    return nodes


def all_edges(graph) -> list:
    edges = list(graph.get_edges())
    for sub in graph.get_subgraphs():
        edges += all_edges(sub)
    return edges


def html_text(label: str | None) -> str:
    """The visible text of a Graphviz HTML label (``<...>``): one line per cell or <BR/>."""
    assert label and label.startswith("<") and label.endswith(">"), label
    inner = re.sub(r"<BR[^>]*/>", "&#10;", label[1:-1])
    root = ET.fromstring(f"<root>{inner}</root>")
    cells = [td for td in root.iter("TD") if td.find(".//TD") is None] or [root]
    lines = ["".join(cell.itertext()) for cell in cells]
    return "\n".join(line for line in lines if line.strip())


def node_texts(graph) -> dict[str, str]:
    """node id → visible label text."""
    return {n.get_name(): html_text(n.get("label")) for n in all_nodes(graph)
            if (n.get("label") or "").startswith("<")}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def svg_info(text: str) -> dict:
    """Width and height (pt), the scale dot applied, and the font sizes used."""
    root = ET.fromstring(text.encode("utf-8"))
    width = float(root.get("width").removesuffix("pt"))
    height = float(root.get("height").removesuffix("pt"))
    group = root.find(f"{SVG_NS}g")
    match = re.search(r"scale\(([\d.]+)", group.get("transform", "scale(1)"))
    sizes = [float(t.get("font-size")) for t in root.iter(f"{SVG_NS}text") if t.get("font-size")]
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]
    return {"width": width, "height": height, "scale": float(match.group(1)) if match else 1.0,
            "font_sizes": sizes, "texts": texts}


def min_font_px(svg_text: str, dpi: float) -> float:
    """The smallest text height, in pixels, of the picture rendered at ``dpi``."""
    info = svg_info(svg_text)
    return min(info["font_sizes"]) * info["scale"] * dpi / 72.0


def graph_attr(graph, key: str):
    """A graph-wide attribute, whether set as ``key=value`` or in a ``graph [...]`` statement."""
    value = graph.get(key)
    if value is None:
        for defaults in graph.get_graph_defaults():
            value = defaults.get(key, value)
    return value.strip('"') if isinstance(value, str) and not value.startswith("<") else value
