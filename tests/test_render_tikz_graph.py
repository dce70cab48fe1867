"""TikZ of the graph and blocks styles, and their footer words in the user's language.

The truth for the structure is Graphviz's own reading of the DOT source (pydot for
the nodes, edges and clusters, ``dot -Tsvg`` for the picture's size); the compile
tests run pdflatex / xelatex where a TeX engine is installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
from render_helpers import SVG_NS, all_edges, all_nodes, all_subgraphs, parse_dot
from test_render_fonts import HANGUL_FONTS, embedded_fonts
from typer.testing import CliRunner

from layergraph.cli import app
from layergraph.compiler.passes import analyze
from layergraph.render import to_dot

ROOT = Path(__file__).resolve().parent.parent
KOREAN = ROOT / "tests" / "fixtures" / "figures" / "korean_cnn.json"
STYLES = ["graph", "blocks"]
SPECIALS = "a_b%c&d#e$f{g}h~i^j\\k"
SPECIALS_TEX = r"a\_b\%c\&d\#e\$f\{g\}h\textasciitilde{}i\^{}j\textbackslash{}k"

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
needs_pdflatex = pytest.mark.skipif(shutil.which("pdflatex") is None,
                                    reason="no TeX engine (pdflatex) installed")
pytestmark = needs_dot


def run(*args):
    result = CliRunner().invoke(app, ["render", *map(str, args)])
    print(result.stdout, result.stderr)
    return result


def render_tex(tmp_path: Path, spec: Path, style: str, *extra) -> str:
    target = tmp_path / "figure.tex"
    result = run(spec, "--style", style, "-o", target, *extra)
    assert result.exit_code == 0, result.stderr
    return target.read_text(encoding="utf-8")


def bundled(name: str) -> Path:
    return ROOT / "specs" / f"{name}.json"


def special_spec(tmp_path: Path) -> Path:
    """A spec whose name, layer names and block name are made of TeX's special characters."""
    spec = {"format": "layergraph/1", "name": f"Net {SPECIALS}",
            "inputs": [{"name": "x_in", "shape": [8, 8, 3]}],
            "blocks": {"blk_%1": {"inputs": ["t"], "layers": [
                {"name": "c$1", "type": "Conv2D", "filters": 4, "kernel_size": 3,
                 "padding": "same", "inputs": ["t"]}]}},
            "layers": [{"name": SPECIALS, "type": "Conv2D", "filters": 4, "kernel_size": 3,
                        "padding": "same"},
                       {"name": "b#1", "block": "blk_%1"},
                       {"name": "gap", "type": "GlobalAveragePooling2D"}]}
    path = tmp_path / "specials.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


def drawn(tex: str) -> dict[str, list[str]]:
    """The TikZ statements sorted by what they draw (read off the TeX, not the Figure)."""
    lines = tex.splitlines()
    closed = [ln for ln in lines if ln.startswith("\\draw[") and ".. controls" in ln
              and ln.endswith("-- cycle;")]
    return {
        "boxes": [ln for ln in closed if "dashed" not in ln],
        "clusters": [ln for ln in closed if "dashed" in ln],
        "splines": [ln for ln in lines if ln.startswith("\\draw[") and ".. controls" in ln
                    and not ln.endswith("-- cycle;")],
        "arrowheads": [ln for ln in lines if ln.startswith("\\filldraw[")
                       and ln.count(") -- (") == 2 and ln.endswith("-- cycle;")],
        "texts": re.findall(r"^\\node\[[^\n]*\] at \([^)]*\) \{(.*)\};$", tex, re.M),
    }


def visible_edges(graph) -> list:
    return [e for e in all_edges(graph) if "invis" not in (e.get("style") or "")]


def block_clusters(graph) -> list:
    """Clusters Graphviz draws a border for: the blocks (rows and the footer are invisible)."""
    return [s for s in all_subgraphs(graph) if s.get_name().startswith("cluster_")
            and (s.get("color") or "").strip('"') not in ("none", "")]


@pytest.mark.parametrize("name", ["alexnet", "residual_cnn", "inception_module"])
def test_every_box_edge_and_block_of_the_graph_style_is_drawn_in_tikz(tmp_path, name):
    tex = render_tex(tmp_path, bundled(name), "graph")
    graph = parse_dot(to_dot(bundled(name)).source)
    layers = [n for n in all_nodes(graph) if "rounded" in (n.get("style") or "")]
    parts = drawn(tex)
    assert len(parts["boxes"]) == len(layers) > 10
    assert len(parts["arrowheads"]) == len(visible_edges(graph))
    assert len(parts["splines"]) == len(visible_edges(graph))
    assert len(parts["clusters"]) == len(block_clusters(graph))
    names = list(analyze(bundled(name)).layers)
    assert [n for n in names if n.replace("_", "\\_") not in parts["texts"]] == []


def test_the_residual_network_keeps_its_three_blocks_as_dashed_boxes(tmp_path):
    parts = drawn(render_tex(tmp_path, bundled("residual_cnn"), "graph"))
    assert len(parts["clusters"]) == 3
    labels = [t for t in parts["texts"] if "$\\cdot$" in t and "(" in t]
    assert any(t.startswith("res1 ") for t in labels) and any(t.startswith("down ") for t in labels)


@pytest.mark.parametrize("style", STYLES)
def test_the_picture_is_as_large_as_graphviz_draws_it(tmp_path, style):
    tex = render_tex(tmp_path, bundled("alexnet"), style)
    box = re.search(r"\\useasboundingbox \(0,0\) rectangle \(([\d.]+)pt,([\d.]+)pt\);", tex)
    svg = subprocess.run(["dot", "-Tsvg"], input=to_dot(bundled("alexnet"), style=style).source,
                         capture_output=True, text=True, check=True).stdout
    root = ET.fromstring(svg)
    width, height = (float(root.get(k).removesuffix("pt")) for k in ("width", "height"))
    assert box and abs(float(box.group(1)) - width) < 2 and abs(float(box.group(2)) - height) < 2


@pytest.mark.parametrize("style", STYLES)
def test_tex_specials_in_names_are_escaped(tmp_path, style):
    tex = render_tex(tmp_path, special_spec(tmp_path), style)
    texts = drawn(tex)["texts"]
    assert f"Net {SPECIALS_TEX}" in texts
    assert SPECIALS_TEX in texts
    assert any(t.startswith(r"b\#1 $\cdot$ blk\_\%1") for t in texts)
    body = tex.split("\\begin{tikzpicture}", 1)[1]
    for raw in ("_b%", "{g}", "~i", "j\\k"):
        assert raw not in body


def test_the_theme_gives_the_colours_and_a_dark_background(tmp_path):
    from layergraph.render.theme import get_theme

    light = render_tex(tmp_path, bundled("alexnet"), "graph")
    conv = get_theme("light").family("conv")
    for colour in (conv.fill, conv.border):
        assert f"{{HTML}}{{{colour[1:].upper()}}}" in light
    dark = render_tex(tmp_path, bundled("alexnet"), "graph", "--theme", "dark")
    background = get_theme("dark").background[1:].upper()
    name = re.search(r"\\definecolor\{(lg\d+)\}\{HTML\}\{" + background + "}", dark).group(1)
    assert f"\\fill[{name}] (0,0) rectangle" in dark and "\\fill[" not in light


def test_hangul_picks_a_cjk_font_for_xelatex_and_font_overrides_it(tmp_path):
    tex = render_tex(tmp_path, KOREAN, "graph")
    family = re.search(r"\\setsansfont\{([^}]*)\}", tex).group(1)
    assert not HANGUL_FONTS or "CJK" in family or "Nanum" in family
    tex = render_tex(tmp_path, KOREAN, "blocks", "--font", "My Font")
    assert "\\setmainfont{My Font}\\setsansfont{My Font}" in tex


def test_the_same_spec_gives_the_same_bytes_in_any_process(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        target = tmp_path / f"figure{seed}.tex"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-m", "layergraph", "render", str(bundled("inception_module")),
                        "--style", "blocks", "-o", str(target)], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=300)
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] and len(outputs[0]) > 5000


@pytest.mark.parametrize("answer", ["printf 'not json'", "echo '{\"objects\": []}'"])
def test_a_layout_graphviz_did_not_write_is_a_clear_error_and_keeps_the_old_file(
        tmp_path, monkeypatch, answer):
    script = tmp_path / "fake-dot"
    script.write_text(f"#!/bin/sh\ncat >/dev/null; {answer}\n")
    script.chmod(0o755)
    monkeypatch.setenv("LAYERGRAPH_DOT", str(script))
    target = tmp_path / "figure.tex"
    target.write_text("old figure")
    result = run(bundled("alexnet"), "-o", target)
    assert result.exit_code == 1 and "dot -Tjson" in result.stderr
    assert "Traceback" not in result.stderr and target.read_text() == "old figure"


def svg_texts(spec: Path, style: str, lang: str, tmp_path: Path) -> str:
    target = tmp_path / f"{style}-{lang}.svg"
    result = run(spec, "--style", style, "--lang", lang, "-o", target)
    assert result.exit_code == 0, result.stderr
    root = ET.parse(target).getroot()
    return "\n".join("".join(t.itertext()) for t in root.iter(f"{SVG_NS}text"))


@pytest.mark.parametrize("style", STYLES)
def test_the_footer_speaks_korean_with_lang_ko_and_english_by_default(tmp_path, style):
    korean = svg_texts(KOREAN, style, "ko", tmp_path)
    assert "8개 층" in korean and "421,642개 매개변수" in korean and "MMAC 연산" in korean
    assert "입력 28×28×1" in korean and "출력 10" in korean
    assert "params" not in korean and "layers" not in korean
    english = svg_texts(KOREAN, style, "en", tmp_path)
    assert "8 layers" in english and "421,642 params" in english and "MMACs" in english
    assert "input 28×28×1" in english and "매개변수" not in english


def test_the_error_line_and_continued_blocks_follow_the_language_too():
    from layergraph.render import make_options
    from layergraph.render.frame import footer_label
    from layergraph.render.labels import WORDS
    from layergraph.render.theme import get_theme

    broken = analyze(ROOT / "tests" / "fixtures" / "invalid" / "add_mismatch.json")
    assert broken.errors and broken.layers
    label = footer_label(broken, get_theme("light"), make_options(lang="ko"))
    assert "오류 " in label and "합계가 불완전합니다" in label and "errors" not in label
    assert WORDS["en"].keys() == WORDS["ko"].keys()   # one table, every word in both languages


# --- compiling, where TeX is installed -------------------------------------------------

def latex(engine: str, tmp_path: Path, name: str = "figure.tex") -> subprocess.CompletedProcess:
    return subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error", name],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)


def with_streams_inflated(pdf: bytes) -> bytes:
    """The PDF with its Flate streams appended, inflated: xdvipdfmx keeps the font
    dictionaries in compressed object streams."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(pdf[match.end():match.end() + 2_000_000]))
        except zlib.error:
            continue
    return b"\n".join(parts)


@needs_pdflatex
@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("name", ["alexnet", "residual_cnn", "inception_module"])
def test_the_tex_of_a_bundled_spec_compiles_with_pdflatex(tmp_path, name, style):
    render_tex(tmp_path, bundled(name), style)
    done = latex("pdflatex", tmp_path)
    assert done.returncode == 0, done.stdout[-2000:]
    pdf = (tmp_path / "figure.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5000
    assert "Missing character" not in (tmp_path / "figure.log").read_text(errors="replace")


@needs_pdflatex
def test_specials_compile_and_the_graph_figure_inputs_into_notes(tmp_path):
    render_tex(tmp_path, special_spec(tmp_path), "graph")
    assert latex("pdflatex", tmp_path).returncode == 0
    (tmp_path / "notes.tex").write_text(
        "\\documentclass{article}\\usepackage{standalone}\\usepackage{tikz}"
        "\\usetikzlibrary{arrows.meta}\\begin{document}Figure:\\input{figure}\\end{document}\n")
    done = latex("pdflatex", tmp_path, "notes.tex")
    assert done.returncode == 0, done.stdout[-2000:]


@pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed")
@pytest.mark.skipif(not HANGUL_FONTS, reason="no Hangul font installed")
@pytest.mark.parametrize("style", STYLES + ["volumes"])
def test_the_korean_spec_compiles_with_xelatex_and_embeds_a_hangul_font(tmp_path, style):
    tex = render_tex(tmp_path, KOREAN, style, "--lang", "ko")
    assert "합성곱1" in tex and "개 매개변수" in tex
    done = latex("xelatex", tmp_path)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "Missing character" not in (tmp_path / "figure.log").read_text(errors="replace")
    fonts = embedded_fonts(with_streams_inflated((tmp_path / "figure.pdf").read_bytes()))
    assert fonts & HANGUL_FONTS, f"embedded {fonts}, none of which draws Hangul"
