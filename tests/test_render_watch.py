"""``render --watch`` re-renders on change; an analysis shows itself in Jupyter."""

from __future__ import annotations

import json
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from layergraph.compiler.passes import analyze

ROOT = Path(__file__).resolve().parent.parent
pytest.importorskip("watchfiles")


def wait_for(condition, timeout: float = 30.0) -> bool:
    """Poll ``condition`` until it holds or ``timeout`` seconds pass (bounded, no fixed sleep)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_watch_re_renders_when_the_spec_is_written(tmp_path):
    from layergraph.cli.watch import watch_and_render
    from layergraph.render.api import render

    spec = tmp_path / "net.json"
    data = json.loads((ROOT / "specs/mnist_cnn.json").read_text())
    data.pop("$schema", None)
    spec.write_text(json.dumps(data))
    target = tmp_path / "net.svg"
    renders = []

    def render_once() -> bool:
        render(spec, target, style="volumes")
        renders.append(target.read_text())
        return True

    stop = threading.Event()
    thread = threading.Thread(target=watch_and_render, args=(spec, render_once, stop), daemon=True)
    thread.start()
    try:
        assert wait_for(lambda: len(renders) >= 1)
        data["name"] = "Renamed_after_edit"
        # watchfiles starts watching right after the first render; rewrite until it sees one
        assert wait_for(lambda: spec.write_text(json.dumps(data)) and "Renamed_after_edit" in
                        (renders[-1] if renders else ""), timeout=30)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_an_analysis_displays_as_a_table_and_a_self_sizing_svg_in_notebooks():
    html = analyze(ROOT / "specs/alexnet.json")._repr_html_()
    assert "<table>" in html and "conv1 (Conv2D)" in html and "55×55×96" in html
    svg = html[html.index("<svg"): html.index("</svg>") + 6]
    root = ET.fromstring(svg)
    assert root.get("width") == "100%" and root.get("height") is None
    assert root.get("viewBox").startswith("0 0 ")


def test_a_spec_without_layers_displays_its_diagnostics_only():
    html = analyze({"format": "layergraph/1", "layers": "nope"})._repr_html_()
    assert "&lt;spec&gt;: error LG101" in html and "<svg" not in html
