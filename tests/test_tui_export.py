"""Export from the editor (x): every format writes a file that decodes, replacing a file asks,
read-only files and links are treated as a save treats them, failures are said, never raised."""

import json
import os
import zipfile
import xml.etree.ElementTree as ET

import pytest

from layergraph.tui.compile_job import run_job
from layergraph.tui.exports import FORMATS
from layergraph.tui.screens.compile_log import CompileScreen
from layergraph.tui.screens.confirm import ConfirmScreen
from layergraph.tui.screens.export import ExportScreen
from tui_support import async_test, burst, copy_spec, editing, idle, notifications, until

# From the dialog's first choice (PNG) to each format, with the arrow keys.
MOVES = {f.key: FORMATS.index(f) - 3 for f in FORMATS}


def keys_for(fmt: str) -> list[str]:
    """x, then the arrows to ``fmt``, then Enter: the whole export, typed in one burst."""
    steps = MOVES[fmt]
    return ["x", *(["down"] * steps if steps > 0 else ["up"] * -steps), "enter"]


async def export(app, pilot, fmt: str) -> None:
    await burst(app, pilot, *keys_for(fmt))
    await idle(app, pilot)


def break_pool3(app):
    app.edit(app.doc.set_param, "/layers/7", "pool_size", 15)


@async_test
async def test_x_opens_the_dialog_with_a_png_beside_the_spec(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await burst(app, pilot, "x")
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.query_one("#export-path").value == str(tmp_path / "alexnet.png")
        await burst(app, pilot, "up")
        assert app.screen.query_one("#export-path").value == str(tmp_path / "alexnet.md")
        await burst(app, pilot, "escape")
        assert not isinstance(app.screen, ExportScreen)


@async_test
async def test_each_diagram_format_writes_a_file_that_decodes(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        for fmt in ("png", "svg", "pdf"):
            await export(app, pilot, fmt)
        assert (tmp_path / "residual_cnn.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        assert ET.parse(tmp_path / "residual_cnn.svg").getroot().tag.endswith("svg")
        assert (tmp_path / "residual_cnn.pdf").read_bytes().startswith(b"%PDF-")
        assert any("Wrote" in n and "residual_cnn.pdf" in n for n in notifications(app))


@async_test
async def test_the_diagram_is_drawn_in_the_style_chosen_in_the_preview(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        await burst(app, pilot, "ctrl+g", "s", "s")  # volumes: drawn without Graphviz
        await export(app, pilot, "svg")
        svg = (tmp_path / "residual_cnn.svg").read_text(encoding="utf-8")
        assert "<svg" in svg and "Graphviz" not in svg


@async_test
async def test_the_python_script_compiles_and_the_summary_has_the_table(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        app.edit(app.doc.set_param, "/layers/0", "filters", 48)  # the edited graph, not the file
        await export(app, pilot, "py")
        await export(app, pilot, "md")
        script = (tmp_path / "alexnet.py").read_text(encoding="utf-8")
        compile(script, "alexnet.py", "exec")
        assert 'layers.Conv2D(48, 11, strides=4, activation="relu", name="conv1")' in script
        summary = (tmp_path / "alexnet.md").read_text(encoding="utf-8")
        assert "| Layer (type) | Output shape | Param # |" in summary and "|---|" in summary
        assert "| `conv1 (Conv2D)` | (55, 55, 48) |" in summary
    assert json.loads(path.read_text(encoding="utf-8"))["layers"][0]["filters"] == 96  # not saved


@async_test
async def test_replacing_an_existing_file_asks_with_cancel_focused(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    target = tmp_path / "alexnet.md"
    target.write_text("mine\n", encoding="utf-8")
    async with editing(path) as (app, pilot):
        await burst(app, pilot, *keys_for("md"))
        assert isinstance(app.screen, ConfirmScreen)
        assert app.focused.id == "answer-cancel"
        await burst(app, pilot, "enter")  # Enter at once keeps the file
        await idle(app, pilot)
        assert target.read_text(encoding="utf-8") == "mine\n"
        await burst(app, pilot, *keys_for("md"), "r")  # R: Replace
        await idle(app, pilot)
        assert "`conv1 (Conv2D)`" in target.read_text(encoding="utf-8")


@async_test
async def test_a_read_only_target_is_not_replaced_and_the_editor_says_so(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    target = tmp_path / "alexnet.py"
    target.write_text("keep me\n", encoding="utf-8")
    os.chmod(target, 0o444)
    async with editing(path) as (app, pilot):
        await export(app, pilot, "py")
        assert not isinstance(app.screen, ConfirmScreen)
        assert any("read-only" in n for n in notifications(app))
        assert app.is_running
    assert target.read_text(encoding="utf-8") == "keep me\n"


@async_test
async def test_exporting_through_a_link_writes_the_file_it_points_to_and_keeps_the_link(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    real = tmp_path / "real.md"
    real.write_text("old\n", encoding="utf-8")
    (tmp_path / "alexnet.md").symlink_to(real)
    async with editing(path) as (app, pilot):
        await burst(app, pilot, *keys_for("md"), "r")
        await idle(app, pilot)
    assert (tmp_path / "alexnet.md").is_symlink()
    assert "conv1" in real.read_text(encoding="utf-8")


@async_test
async def test_a_missing_folder_and_the_spec_itself_are_refused_with_a_message(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    before = path.read_bytes()
    async with editing(path) as (app, pilot):
        for name in (str(tmp_path / "nowhere" / "a.md"), str(path)):
            await burst(app, pilot, "x", "tab")
            app.screen.query_one("#export-path").value = name
            await burst(app, pilot, "enter")
            await idle(app, pilot)
        messages = notifications(app)
        assert any("does not exist" in n for n in messages)
        assert any("the spec itself" in n for n in messages)
    assert path.read_bytes() == before


@async_test
async def test_a_script_of_a_broken_graph_is_refused_but_its_diagram_marks_the_error(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        break_pool3(app)
        await export(app, pilot, "py")
        await export(app, pilot, "svg")
        assert not (tmp_path / "alexnet.py").exists()
        assert any("needs a graph without errors" in n for n in notifications(app))
        assert "LG402" in (tmp_path / "alexnet.svg").read_text(encoding="utf-8")


@async_test
async def test_a_failing_writer_is_reported_and_nothing_is_written(tmp_path, monkeypatch):
    from layergraph.tui import preview_actions

    def broken(*args):
        raise RuntimeError("dot crashed")
    monkeypatch.setattr(preview_actions, "export_bytes", broken)
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await export(app, pilot, "png")
        assert any("dot crashed" in n for n in notifications(app))
        assert not (tmp_path / "alexnet.png").exists() and app.is_running


def test_without_keras_the_model_export_says_how_to_install_it_and_writes_nothing(tmp_path):
    events = []

    def no_keras():
        raise ImportError("No module named 'keras'")
    target = tmp_path / "m.keras"
    ok = run_job({}, 0, lambda event, **f: events.append((event, f)), to_keras=lambda s: None,
                 load_keras=no_keras, save_to=str(target))
    assert not ok and not target.exists()
    assert any("pip install 'layergraph[keras]'" in f.get("text", "") for _, f in events)
    assert events[-1] == ("done", {"ok": False, "title": "Compilation failed — see the log"})


@pytest.mark.keras
@async_test
async def test_the_keras_model_is_built_in_the_background_and_saved(tmp_path):
    path = copy_spec(tmp_path, "mnist_cnn")
    async with editing(path) as (app, pilot):
        await burst(app, pilot, *keys_for("keras"))
        screen = app.screen
        assert isinstance(screen, CompileScreen)
        await until(pilot, lambda: screen.finished, "the Keras export", polls=2400)
        assert screen.ok, screen.text
    with zipfile.ZipFile(tmp_path / "mnist_cnn.keras") as archive:
        assert "config.json" in archive.namelist()
