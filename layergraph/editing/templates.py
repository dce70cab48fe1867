"""Starting points for new specs: ``layergraph edit new.json --template mnist_cnn``.

``blank`` is built in; the others are the example specs shipped with layergraph
(the ``specs/`` folder of a source checkout, or ``layergraph/templates/`` when
packaged).
"""

from __future__ import annotations

from pathlib import Path

from .jsonlayout import format_new

_PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = (_PACKAGE / "templates", _PACKAGE.parent / "specs")


def blank(name: str = "model") -> dict:
    """The smallest useful spec: an image input, a flatten, a softmax classifier."""
    return {
        "format": "layergraph/1",
        "name": name,
        "inputs": [{"name": "image", "shape": [28, 28, 1]}],
        "layers": [
            {"name": "flatten", "type": "Flatten"},
            {"name": "predictions", "type": "Dense", "units": 10, "activation": "softmax"},
        ],
        "outputs": ["predictions"],
    }


def template_names() -> list[str]:
    """Every template name, ``blank`` first."""
    found = {p.stem for d in TEMPLATE_DIRS if d.is_dir() for p in d.glob("*.json")}
    return ["blank", *sorted(found)]


def template_text(name: str, graph_name: str = "model") -> str:
    """The JSON text of a template; ValueError naming the choices if there is none."""
    if name == "blank":
        return format_new(blank(graph_name))
    for directory in TEMPLATE_DIRS:
        path = directory / f"{name}.json"
        if path.is_file():
            return path.read_text(encoding="utf-8-sig")
    raise ValueError(f"unknown template {name!r}: choose one of {', '.join(template_names())}")
