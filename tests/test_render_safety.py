"""User text cannot break or inject into diagrams; broken specs still draw, marked; output is stable."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from render_helpers import SVG_NS, all_nodes, html_text, node_texts, parse_dot, svg_info

import layergraph as lg
from layergraph import SpecError
from layergraph.render import NothingToDrawError, render, to_dot
from layergraph.render.labels import MAX_NAME_CHARS

needs_dot = pytest.mark.skipif(
    subprocess.run(["which", "dot"], capture_output=True).returncode != 0,
    reason="Graphviz's dot is not installed")

# Each would break naive DOT or HTML quoting, or trigger Graphviz's \N / \G expansion.
EVIL = ['q"uote', "<b>bold</b>", "a & b", "{brace}", "back\\slash", "ends\\", "line\nbreak",
        "\\N \\G \\l", '"];\ninjected [label="x', "-> n0", "it's", "}}{{digraph", "&amp; &#92;", 'bs\\"q']


def evil_spec() -> dict:
    return {
        "name": 'spec "name" <&> \\G',
        "description": 'what "it" <is> & \\N',
        "inputs": [{"name": EVIL[0], "shape": [8], "description": 'in "put" \\'}],
        "blocks": {'blk"<&>\\N': {"description": 'block "desc" <&> \\G',
                                  "layers": [{"name": "inner<", "type": "Dense", "units": 4}]}},
        "layers": [{"name": n, "type": "Dense", "units": 4, "description": f"about {n}"}
                   for n in EVIL[1:]] + [{"name": 'use"{<&>}', "block": 'blk"<&>\\N'}],
    }


def label_text(label: str) -> str:
    """Visible text of an HTML label in the DOT source: backslashes come doubled."""
    return html_text(label).replace("\\\\", "\\")


def test_evil_names_parse_back_as_exactly_the_nodes_drawn():
    analysis = lg.analyze(evil_spec())
    assert analysis.ok, [d.format() for d in analysis.diagnostics]
    graph = parse_dot(to_dot(analysis, rows=1).source)
    names = [n.get_name() for n in all_nodes(graph)]
    assert "injected" not in names and all(name.isascii() for name in names)
    firsts = {label_text(n.get("label")).split("\nDense")[0].split("\nInputLayer")[0]
              for n in all_nodes(graph) if (n.get("label") or "").startswith("<")}
    for name in analysis.layers:
        assert name in firsts, name


@needs_dot
def test_evil_names_render_literally_in_svg(tmp_path):
    analysis = lg.analyze(evil_spec())
    path = render(analysis, tmp_path / "evil.svg", rows=1)
    info = svg_info(path.read_text(encoding="utf-8"))
    texts = info["texts"]
    for name in analysis.layers:
        for line in name.split("\n"):
            assert line in texts, f"{line!r} not drawn literally; texts: {texts}"
    assert 'spec "name" <&> \\G' in texts
    assert not any(t.startswith("n7") or "layergraph" in t for t in texts)


@needs_dot
def test_descriptions_become_literal_tooltips(tmp_path):
    path = render(evil_spec(), tmp_path / "evil.svg")
    root = ET.fromstring(path.read_bytes())
    titles = [a.get("{http://www.w3.org/1999/xlink}title") for a in root.iter(f"{SVG_NS}a")]
    assert 'q"uote (InputLayer)\nin "put" \\' in titles
    assert "<b>bold</b> (Dense)\nabout <b>bold</b>" in titles
    assert 'block "desc" <&> \\G' in titles
    assert 'bs\\"q (Dense)\nabout bs\\"q' in titles
    assert "\\N \\G \\l (Dense)\nabout \\N \\G \\l" in titles


def test_titles_given_as_options_are_escaped_too():
    graph = to_dot(lg.analyze(evil_spec()), title='<i>"x"</i> & \\N').source
    assert '&lt;i&gt;&quot;x&quot;&lt;/i&gt; &amp; \\\\N' in graph


def test_long_names_are_shortened_in_labels_but_kept_in_tooltips():
    name = "a" * 200
    spec = {"inputs": [{"shape": [4]}], "layers": [{"name": name, "type": "Dense", "units": 2}]}
    graph = parse_dot(to_dot(spec).source)
    node = next(n for n in all_nodes(graph) if "Dense" in (n.get("label") or ""))
    assert len(label_text(node.get("label")).splitlines()[0]) == MAX_NAME_CHARS
    assert name in node.get("tooltip")


BROKEN = {
    "name": "broken",
    "inputs": [{"shape": [28, 28, 1]}],
    "layers": [
        {"name": "conv", "type": "Conv2D", "filters": 8, "kernel_size": 3},
        {"name": "flat", "type": "Flatten"},
        {"name": "bad", "type": "Conv2D", "filters": 8, "kernel_size": 3},
        {"name": "out", "type": "Dense", "units": 10},
    ],
}


def test_a_spec_with_errors_draws_with_the_broken_layer_marked():
    analysis = lg.analyze(BROKEN)
    assert not analysis.ok
    graph = parse_dot(to_dot(analysis).source)
    nodes = {label_text(n.get("label")).splitlines()[0]: n for n in all_nodes(graph)
             if (n.get("label") or "").startswith("<") and n.get_name().startswith("n")}
    bad, out, conv = nodes["bad"], nodes["out"], nodes["conv"]
    code = analysis.layers["bad"].diagnostics[0].code.value
    assert "diagonals" in bad.get("style") and bad.get("fillcolor").strip('"') == "#f8d7da"
    assert code in label_text(bad.get("label"))
    assert "dashed" in out.get("style") and "shape unknown" in label_text(out.get("label"))
    assert "diagonals" not in conv.get("style")
    source = to_dot(analysis).source
    assert "totals are incomplete" in source


def test_strict_refuses_a_spec_with_errors():
    with pytest.raises(SpecError):
        to_dot(BROKEN, strict=True)


def test_unknown_layer_types_are_drawn_marked():
    spec = {"inputs": [{"shape": [4]}], "layers": [{"name": "x", "type": "Dence", "units": 2}]}
    texts = node_texts(parse_dot(to_dot(spec).source))
    marked = next(t for t in texts.values() if t.startswith("x"))
    assert "LG201" in marked


def test_a_spec_that_cannot_be_read_has_nothing_to_draw():
    with pytest.raises(NothingToDrawError, match="nothing to draw"):
        to_dot('{"layers": [')


def test_the_same_spec_gives_byte_identical_dot(spec_path):
    for stem in ("inception_module", "vgg16", "residual_cnn"):
        for style in ("graph", "blocks"):
            assert to_dot(spec_path(stem), style=style).source == \
                to_dot(spec_path(stem), style=style).source


def _dot_in_process(seed: str, spec: str) -> str:
    code = ("import sys, json; sys.path.insert(0, 'tests'); import synthetic_specs as s;"
            "from layergraph.render import to_dot;"
            f"print(to_dot({spec}).source)")
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=Path(__file__).resolve().parent.parent, check=True).stdout


def test_dot_does_not_depend_on_hash_randomisation():
    for spec in ("'specs/inception_module.json'", "s.densenet(121)"):
        assert _dot_in_process("1", spec) == _dot_in_process("2", spec)


@needs_dot
def test_the_same_spec_gives_byte_identical_svg(spec_path, tmp_path):
    for style in ("graph", "blocks"):
        first = render(spec_path("residual_cnn"), tmp_path / "a.svg", style=style).read_bytes()
        second = render(spec_path("residual_cnn"), tmp_path / "b.svg", style=style).read_bytes()
        assert first == second
