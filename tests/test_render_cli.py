"""``layergraph render``: formats, options, usage errors, strict mode, and no Graphviz."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from render_helpers import png_size, svg_info
from typer.testing import CliRunner

from layergraph.cli import app

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")


def run(*args, env=None):
    result = CliRunner().invoke(app, ["render", *map(str, args)], env=env)
    print(result.stdout, result.stderr)  # shown when a test fails
    return result


@needs_dot
def test_renders_a_png_named_after_the_output(spec_path, tmp_path):
    target = tmp_path / "alexnet.png"
    result = run(spec_path("alexnet"), "-o", target, "--dpi", "72")
    assert result.exit_code == 0
    assert f"wrote {target}" in result.stderr
    width, height = png_size(target.read_bytes())
    assert width > 300 and height > 150


@needs_dot
@pytest.mark.parametrize("options", [
    ["--style", "blocks"], ["--collapse"], ["--no-collapse"], ["--rankdir", "TB"],
    ["--theme", "dark"], ["--theme", "print"], ["--hide", "shapes,params"], ["--rows", "2"],
    ["--title", "Figure 2"],
])
def test_every_option_gives_a_picture(spec_path, tmp_path, options):
    target = tmp_path / "v.svg"
    assert run(spec_path("vgg16"), "-o", target, *options).exit_code == 0
    assert svg_info(target.read_text())["width"] > 100


def test_format_option_and_stdout(spec_path):
    result = run(spec_path("mnist_cnn"), "--format", "dot", "-o", "-")
    assert result.exit_code == 0 and result.stdout.startswith("digraph layergraph {")


def test_default_output_is_the_spec_name_in_the_current_folder(spec_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(spec_path("mnist_cnn"), "-f", "dot").exit_code == 0
    assert (tmp_path / "mnist_cnn.dot").read_text().startswith("digraph")


@pytest.mark.parametrize("args, message", [
    (["-o", "x.jpg"], "cannot tell the format"),
    (["-o", "x.png", "-f", "svg"], "ends in .png but --format is svg"),
    (["-o", "x.dot", "--hide", "sizes"], "unknown detail to hide 'sizes'"),
])
def test_usage_errors_exit_2_with_one_clear_line(spec_path, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run(spec_path("alexnet"), *args)
    assert result.exit_code == 2 and message in result.stderr
    assert "Traceback" not in result.stderr and list(tmp_path.iterdir()) == []


def test_refuses_to_draw_over_the_spec(tmp_path, spec_path):
    spec = tmp_path / "model.dot"
    spec.write_text(spec_path("alexnet").read_text())
    result = run(spec, "-o", spec)
    assert result.exit_code == 2 and "refusing to draw over the spec" in result.stderr
    assert spec.read_text() == spec_path("alexnet").read_text()


def test_no_clobber_keeps_an_existing_file(spec_path, tmp_path):
    target = tmp_path / "a.dot"
    target.write_text("mine")
    result = run(spec_path("alexnet"), "-o", target, "--no-clobber")
    assert result.exit_code == 1 and "exists" in result.stderr
    assert target.read_text() == "mine"
    assert run(spec_path("alexnet"), "-o", target).exit_code == 0
    assert target.read_text().startswith("digraph")


BROKEN = {"inputs": [{"shape": [8, 8, 1]}],
          "layers": [{"type": "Flatten"}, {"name": "bad", "type": "Conv2D", "filters": 4,
                                           "kernel_size": 3}]}


def test_a_spec_with_errors_is_drawn_marked_and_reported(tmp_path):
    spec = tmp_path / "broken.json"
    spec.write_text(json.dumps(BROKEN))
    result = run(spec, "-o", tmp_path / "b.dot")
    assert result.exit_code == 0
    assert "error LG4" in result.stderr and "drawn with 1 error(s) marked" in result.stderr
    assert "#f8d7da" in (tmp_path / "b.dot").read_text()


def test_strict_refuses_a_spec_with_errors(tmp_path):
    spec = tmp_path / "broken.json"
    spec.write_text(json.dumps(BROKEN))
    result = run(spec, "-o", tmp_path / "b.dot", "--strict")
    assert result.exit_code == 1 and "not drawn: it has errors (--strict)" in result.stderr
    assert not (tmp_path / "b.dot").exists()


def test_an_unreadable_spec_exits_1_without_a_traceback(tmp_path):
    spec = tmp_path / "bad.json"
    spec.write_text('{"layers": [')
    result = run(spec, "-o", tmp_path / "b.dot")
    assert result.exit_code == 1 and "nothing could be read" in result.stderr
    assert "LG003" in result.stderr and "Traceback" not in result.stderr
    missing = run(tmp_path / "missing.json", "-o", tmp_path / "m.dot")
    assert missing.exit_code == 1 and "LG001" in missing.stderr


def test_without_graphviz_png_fails_with_install_help_and_dot_works(spec_path, tmp_path):
    env = {"PATH": str(tmp_path), "LAYERGRAPH_DOT": None}
    png = run(spec_path("alexnet"), "-o", tmp_path / "a.png", env=env)
    assert png.exit_code == 1
    assert "apt-get install graphviz" in png.stderr and "brew install graphviz" in png.stderr
    assert "Traceback" not in png.stderr and not (tmp_path / "a.png").exists()
    dot = run(spec_path("alexnet"), "-o", tmp_path / "a.dot", env=env)
    assert dot.exit_code == 0 and (tmp_path / "a.dot").exists()


def test_help_lists_the_options():
    result = CliRunner().invoke(app, ["render", "--help"], env={"COLUMNS": "200",
                                                                "TERM": os.environ.get("TERM", "")})
    for option in ("--output", "--format", "--style", "--collapse", "--rankdir", "--theme",
                   "--hide", "--rows", "--dpi", "--strict", "--no-clobber"):
        assert option in result.stdout


def test_says_when_it_collapsed_repeats_on_its_own(tmp_path):
    import synthetic_specs

    spec = tmp_path / "densenet.json"
    spec.write_text(json.dumps(synthetic_specs.densenet(121)))
    result = run(spec, "-o", tmp_path / "d.dot")
    assert result.exit_code == 0 and "repeated blocks collapsed" in result.stderr
    quiet = run(spec, "-o", tmp_path / "d.dot", "--no-collapse")
    assert quiet.exit_code == 0 and "repeated blocks" not in quiet.stderr
