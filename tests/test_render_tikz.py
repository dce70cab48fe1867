"""TikZ output: a standalone picture that compiles (where TeX is installed) and can be \\input."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from layergraph.cli import app

ROOT = Path(__file__).resolve().parent.parent


def render_tex(tmp_path, spec="alexnet") -> str:
    target = tmp_path / "figure.tex"
    result = CliRunner().invoke(app, ["render", str(ROOT / f"specs/{spec}.json"), "--style",
                                      "volumes", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    return target.read_text(encoding="utf-8")


def test_the_tex_file_is_a_standalone_tikz_picture_with_every_volume(tmp_path):
    tex = render_tex(tmp_path)
    assert tex.startswith("%") and "\\documentclass[tikz,border=2pt]{standalone}" in tex
    assert tex.count("\\begin{tikzpicture}") == 1 and tex.count("\\end{tikzpicture}") == 1
    assert tex.rstrip().endswith("\\end{document}")
    assert tex.count("{") == tex.count("}")   # every escape kept its braces balanced
    for dims in ("227$\\times$227$\\times$3", "55$\\times$55$\\times$96", "{4096}"):
        assert dims in tex
    assert tex.count("-- cycle;") >= 3 * 15   # three faces per volume (and kernels)


def test_skip_arcs_become_bezier_curves(tmp_path):
    tex = render_tex(tmp_path, "residual_cnn")
    assert tex.count(".. controls") >= 3


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no TeX engine installed")
def test_the_tex_file_compiles_with_pdflatex_and_inputs_into_notes(tmp_path):
    render_tex(tmp_path)
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "figure.tex"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:]
    assert (tmp_path / "figure.pdf").stat().st_size > 1000
    (tmp_path / "notes.tex").write_text(
        "\\documentclass{article}\\usepackage{standalone}\\usepackage{tikz}"
        "\\usetikzlibrary{arrows.meta}\\begin{document}Figure:\\input{figure}\\end{document}\n")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "notes.tex"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:]
