"""Files: PNG, SVG, PDF and DOT decode with sane sizes; no Graphviz; failures keep old files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from render_helpers import parse_dot, png_size, svg_info

import layergraph as lg
from layergraph.fileio import OutputError
from layergraph.render import GraphvizNotFoundError, OptionError, render, to_dot
from layergraph.render.output import GraphvizFailedError, find_dot, output_format

pytestmark = pytest.mark.skipif(
    not any((Path(p) / "dot").exists() for p in os.environ.get("PATH", "").split(os.pathsep)),
    reason="Graphviz's dot is not installed")


@pytest.fixture
def no_graphviz(monkeypatch, tmp_path):
    """A PATH without Graphviz (and no LAYERGRAPH_DOT)."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("LAYERGRAPH_DOT", raising=False)


def fake_dot(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-dot"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_png_has_the_size_the_svg_promises_at_the_requested_dpi(spec_path, tmp_path):
    svg = svg_info(render(spec_path("alexnet"), tmp_path / "a.svg").read_text())
    for dpi in (72, 150):
        width, height = png_size(render(spec_path("alexnet"), tmp_path / "a.png",
                                        dpi=dpi).read_bytes())
        assert abs(width - svg["width"] * dpi / 72) <= 2
        assert abs(height - svg["height"] * dpi / 72) <= 2
        assert 200 < width < 32_000 and 100 < height < 32_000


@pytest.mark.parametrize("stem", ["alexnet", "vgg16", "mnist_cnn", "residual_cnn",
                                  "inception_module"])
@pytest.mark.parametrize("style", ["graph", "blocks"])
def test_bundled_specs_render_to_pictures_of_slide_like_shape(spec_path, tmp_path, stem, style):
    width, height = png_size(render(spec_path(stem), tmp_path / "x.png", style=style,
                                    dpi=96).read_bytes())
    assert 1 / 2 <= width / height <= 5, f"{stem} {style}: {width}×{height}"
    assert max(width, height) < 6000


def test_svg_and_pdf_are_written(spec_path, tmp_path):
    svg = render(spec_path("vgg16"), tmp_path / "v.svg", style="blocks")
    info = svg_info(svg.read_text())
    assert info["width"] > 100 and info["height"] > 100 and "block3_conv3" in info["texts"]
    pdf = render(spec_path("vgg16"), tmp_path / "v.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")


def test_dot_output_is_the_source_of_to_dot(spec_path, tmp_path):
    path = render(spec_path("residual_cnn"), tmp_path / "r.dot")
    assert path.read_text(encoding="utf-8") == to_dot(spec_path("residual_cnn")).source
    assert parse_dot(path.read_text(encoding="utf-8"))


def test_format_comes_from_the_extension_or_the_option(tmp_path):
    assert output_format("x.PNG", None) == "png"
    assert output_format("x.gv", None) == "dot"
    assert output_format("x", "svg") == "svg"
    with pytest.raises(OptionError, match="ends in .png but --format is svg"):
        output_format("x.png", "svg")
    with pytest.raises(OptionError, match="cannot tell the format"):
        output_format("x.jpg", None)


def test_render_returns_the_path_and_creates_missing_folders(spec_path, tmp_path):
    target = tmp_path / "deep" / "er" / "mnist.svg"
    assert render(spec_path("mnist_cnn"), target) == target and target.exists()


def test_without_graphviz_dot_output_still_works(spec_path, tmp_path, no_graphviz):
    path = render(spec_path("alexnet"), tmp_path / "a.dot")
    assert path.read_text(encoding="utf-8").startswith("digraph layergraph {")


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf", ".tex"])
def test_without_graphviz_pictures_fail_with_install_instructions(spec_path, tmp_path,
                                                                   no_graphviz, suffix):
    target = tmp_path / f"a{suffix}"
    with pytest.raises(GraphvizNotFoundError) as caught:
        render(spec_path("alexnet"), target)
    message = str(caught.value)
    for needle in ("apt-get install graphviz", "brew install graphviz",
                   "conda install -c conda-forge graphviz", ".dot"):
        assert needle in message
    assert "\n" not in message
    assert not target.exists() and list(tmp_path.glob(".a*")) == []


def test_layergraph_dot_names_another_dot_program(tmp_path, monkeypatch, no_graphviz):
    monkeypatch.setenv("LAYERGRAPH_DOT", str(tmp_path / "missing-dot"))
    with pytest.raises(GraphvizNotFoundError, match="LAYERGRAPH_DOT"):
        find_dot()
    script = fake_dot(tmp_path, "cat >/dev/null; printf '<svg/>'")
    monkeypatch.setenv("LAYERGRAPH_DOT", str(script))
    assert find_dot() == str(script)


def test_a_failing_graphviz_keeps_the_old_picture(spec_path, tmp_path, monkeypatch):
    target = tmp_path / "a.png"
    target.write_bytes(b"old picture")
    monkeypatch.setenv("LAYERGRAPH_DOT", str(fake_dot(tmp_path, "echo 'Error: boom' >&2; exit 3")))
    with pytest.raises(GraphvizFailedError, match="Graphviz could not render the diagram: Error: boom"):
        render(spec_path("alexnet"), target)
    assert target.read_bytes() == b"old picture"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "fake-dot"]


def test_a_hanging_graphviz_times_out_clearly(spec_path, tmp_path, monkeypatch):
    monkeypatch.setenv("LAYERGRAPH_DOT", str(fake_dot(tmp_path, "sleep 5")))
    with pytest.raises(GraphvizFailedError, match="longer than 0.5 s"):
        render(spec_path("alexnet"), tmp_path / "a.png", timeout=0.5)


def test_rendering_replaces_an_old_picture_unless_overwriting_is_off(spec_path, tmp_path):
    target = tmp_path / "a.svg"
    target.write_text("old")
    render(spec_path("alexnet"), target)
    assert target.read_text().startswith("<?xml")
    target.write_text("old")
    with pytest.raises(OutputError, match="exists"):
        render(spec_path("alexnet"), target, overwrite=False)
    assert target.read_text() == "old"


def test_lg_exports_render_and_to_dot(spec_path, tmp_path):
    assert lg.render is render and lg.to_dot is to_dot
    assert "digraph" in lg.to_dot(spec_path("alexnet")).source


def _connector_positions(spec, **options) -> list[tuple[float, float]]:
    """Where dot puts the connector circles that start rows 2, 3, …"""
    import subprocess

    plain = subprocess.run(["dot", "-Tplain"], input=to_dot(spec, **options).source.encode(),
                           capture_output=True, check=True).stdout.decode()
    found = {}
    for line in plain.splitlines():
        parts = line.split()
        if parts[0] == "node" and parts[1].startswith("c") and parts[1].endswith("_in"):
            found[int(parts[1][1:-3])] = (float(parts[2]), float(parts[3]))
    return [found[r] for r in sorted(found)]


@pytest.mark.parametrize("style", ["graph", "blocks"])
def test_rows_stack_downwards_and_columns_rightwards(spec_path, style):
    down = _connector_positions(spec_path("vgg16"), style=style, rows=3)
    assert len(down) == 2 and down[0][1] > down[1][1]          # y grows upwards in -Tplain
    right = _connector_positions(spec_path("vgg16"), style=style, rows=3, rankdir="TB")
    assert len(right) == 2 and right[0][0] < right[1][0]


def test_importing_layergraph_imports_neither_tensorflow_nor_graphviz():
    import subprocess
    import sys

    code = ("import sys, layergraph, layergraph.render.api; "
            "print(sorted(m for m in ('tensorflow', 'keras', 'graphviz') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_rendering_imports_no_tensorflow(spec_path, tmp_path):
    import subprocess
    import sys

    code = ("import sys, layergraph as lg; "
            f"lg.render({str(spec_path('vgg16'))!r}, {str(tmp_path / 'v.svg')!r}, style='blocks'); "
            "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]" and (tmp_path / "v.svg").exists()
