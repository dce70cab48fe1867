"""Starting points for new specs: ``layergraph edit new.json --template mnist_cnn``.

``blank`` is built in; the others are the example specs shipped with layergraph
(the ``specs/`` folder of a source checkout, or ``layergraph/templates/`` when
packaged).
"""

from __future__ import annotations

import json
import os
import re
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


def template_text(name: str, graph_name: str = "model", target: Path | None = None) -> str:
    """The JSON text of a template; ValueError naming the choices if there is none.

    With ``target`` (where the new spec will be saved), its ``$schema`` resolves from there.
    """
    if name == "blank":
        data = blank(graph_name)
        if target is not None:
            data = {"$schema": schema_reference(target), **data}
        return format_new(data)
    for directory in TEMPLATE_DIRS:
        path = directory / f"{name}.json"
        if path.is_file():
            text = path.read_text(encoding="utf-8-sig")
            return _with_schema(text, schema_reference(target)) if target is not None else text
    raise ValueError(f"unknown template {name!r}: choose one of {', '.join(template_names())}")


SCHEMA_FILE = _PACKAGE.parent / "schema" / "layergraph.schema.json"


def schema_reference(target: Path) -> str:
    """``$schema`` for a spec saved at ``target``: the schema file of this checkout, relative to
    the spec's folder, or the published URL when there is no such file (an installed package)."""
    if SCHEMA_FILE.is_file():
        folder = Path(os.path.abspath(target)).parent
        try:
            return Path(os.path.relpath(SCHEMA_FILE, folder)).as_posix()
        except ValueError:  # another drive (Windows)
            return SCHEMA_FILE.as_uri()
    from ..spec import SCHEMA_URL

    return SCHEMA_URL


def _with_schema(text: str, reference: str) -> str:
    """The template's text with its ``$schema`` value replaced (its layout kept)."""
    value = json.dumps(reference, ensure_ascii=False)
    found = re.search(r'("\$schema"\s*:\s*)"(?:[^"\\]|\\.)*"', text)
    if found:
        return text[:found.start()] + found.group(1) + value + text[found.end():]
    return re.sub(r"^\s*\{", lambda m: m.group(0) + f'\n  "$schema": {value},', text, count=1)
