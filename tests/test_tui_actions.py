"""Render, compile, JSON, palette, help, layouts: the editor's actions beyond editing."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import layergraph
from layergraph.editing.document import Document
from layergraph.tui.app import EditorApp
from layergraph.tui.commands import COMMANDS
from layergraph.tui.screens.compile_log import CompileScreen
from layergraph.tui.screens.help import HelpScreen
from layergraph.tui.screens.json_view import JsonScreen
from tui_support import async_test, copy_spec, editing, notifications, select, settle, until


def break_graph(app):
    app.edit(app.doc.set_param, "/layers/7", "pool_size", 15)  # pool3 larger than its input


# -- render -----------------------------------------------------------------------------

@async_test
async def test_render_writes_a_png_beside_the_spec_in_the_background(tmp_path, monkeypatch):
    path = copy_spec(tmp_path, "alexnet")
    calls = []

    def fake_render(spec, target, **options):
        calls.append(spec)
        Path(target).write_bytes(b"\x89PNG fake")
        return Path(target)
    monkeypatch.setattr(layergraph, "render", fake_render, raising=False)
    async with editing(path) as (app, pilot):
        app.edit(app.doc.set_param, "/layers/0", "filters", 64)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert (tmp_path / "alexnet.png").read_bytes() == b"\x89PNG fake"
        assert calls[0]["layers"][0]["filters"] == 64  # the edited graph, not the file
        assert any(str(tmp_path / "alexnet.png") in n for n in notifications(app))


@async_test
async def test_render_is_disabled_with_the_reason_while_the_graph_has_errors(tmp_path, monkeypatch):
    path = copy_spec(tmp_path, "alexnet")
    calls = []
    monkeypatch.setattr(layergraph, "render", lambda *a, **k: calls.append(a), raising=False)
    async with editing(path) as (app, pilot):
        break_graph(app)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert calls == []
        assert any("needs a graph without errors" in n for n in notifications(app))
        assert app.check_action("render", ()) is None  # greyed out in the footer


@async_test
async def test_a_failing_render_is_reported(tmp_path, monkeypatch):
    path = copy_spec(tmp_path, "alexnet")

    def broken(spec, target, **options):
        raise RuntimeError("dot is not installed")
    monkeypatch.setattr(layergraph, "render", broken, raising=False)
    async with editing(path) as (app, pilot):
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert any("dot is not installed" in n for n in notifications(app))
        assert app.is_running


@async_test
async def test_render_says_so_when_this_installation_cannot(tmp_path, monkeypatch):
    path = copy_spec(tmp_path, "alexnet")
    monkeypatch.delattr(layergraph, "render", raising=False)
    monkeypatch.delitem(layergraph._LAZY, "render")  # else the lazy import brings it back
    async with editing(path) as (app, pilot):
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert any("layergraph.render" in n for n in notifications(app))


# -- compile (a child process driven by a worker; here with stand-in jobs) ---------------

FAKE_JOB = """
import json, os, sys, time, types
from layergraph.tui.compile_job import _emit, run_job
mode, params = sys.argv[1], int(sys.argv[2])
print("I0000 port.cc:153] oneDNN custom operations are on.", file=sys.stderr, flush=True)
request = json.load(sys.stdin)
if mode == "crash":
    os._exit(3)
if mode == "slow":
    time.sleep(60)

class Model:
    name, layers = "fake", [None] * 3
    def summary(self, print_fn, line_length=None):
        print_fn('Model: "fake"')
    def count_params(self):
        return params

def to_keras(spec):
    if mode == "raise":
        raise ValueError("Keras refused the model")
    assert spec["name"] == request["spec"]["name"]
    return Model()
run_job(request["spec"], request["expected_params"], _emit, to_keras,
        load_keras=lambda: types.SimpleNamespace(__version__="9.9"))
"""


def fake_job(monkeypatch, mode="ok", params=62_378_344):
    monkeypatch.setattr(EditorApp, "compile_command", [sys.executable, "-c", FAKE_JOB, mode, str(params)])


@async_test
async def test_compile_runs_in_the_background_and_compares_the_counts(tmp_path, monkeypatch):
    path = copy_spec(tmp_path, "alexnet")
    fake_job(monkeypatch)
    async with editing(path) as (app, pilot):
        await pilot.press("ctrl+b")
        assert isinstance(app.screen, CompileScreen)
        await settle(app, pilot)
        screen = app.screen
        assert screen.finished and screen.ok and not screen.has_class("-failed")
        assert "Keras counts 62,378,344 parameters; layergraph counted 62,378,344 ✓" in screen.text
        assert 'Model: "fake"' in screen.text
        assert "oneDNN" not in screen.text  # TensorFlow's chatter stays out of a good run
        await pilot.press("escape")
        assert not isinstance(app.screen, CompileScreen)


@async_test
async def test_compile_errors_go_to_the_log_screen(tmp_path, monkeypatch):
    path = copy_spec(tmp_path, "alexnet")
    fake_job(monkeypatch, "raise")
    async with editing(path) as (app, pilot):
        await pilot.press("ctrl+b")
        await settle(app, pilot)
        assert "ValueError: Keras refused the model" in app.screen.text
        assert app.screen.has_class("-failed")


@async_test
async def test_a_count_that_differs_from_keras_is_flagged(tmp_path, monkeypatch):
    path = copy_spec(tmp_path, "alexnet")
    fake_job(monkeypatch, params=1)
    async with editing(path) as (app, pilot):
        await pilot.press("ctrl+b")
        await settle(app, pilot)
        assert "they differ" in app.screen.text and app.screen.has_class("-failed")


@async_test
async def test_a_crashing_compile_job_is_reported_with_its_output(tmp_path, monkeypatch):
    path = copy_spec(tmp_path, "alexnet")
    fake_job(monkeypatch, "crash")
    async with editing(path) as (app, pilot):
        await pilot.press("ctrl+b")
        await settle(app, pilot)
        assert app.screen.has_class("-failed") and "oneDNN" in app.screen.text
        assert "exit code 3" in str(app.screen.query_one("#compile-title").render())
        assert app.is_running


@async_test
async def test_closing_the_log_stops_a_running_compile(tmp_path, monkeypatch):
    path = copy_spec(tmp_path, "alexnet")
    fake_job(monkeypatch, "slow")
    async with editing(path) as (app, pilot):
        await pilot.press("ctrl+b")
        screen = app.screen
        await until(pilot, lambda: screen.process is not None, "the compile job to start", polls=2400)
        await pilot.press("escape")
        await settle(app, pilot)
        assert screen.process.poll() is not None and screen.stopped


@async_test
async def test_compile_is_disabled_while_the_graph_has_errors(tmp_path, monkeypatch):
    path = copy_spec(tmp_path, "alexnet")
    fake_job(monkeypatch)
    async with editing(path) as (app, pilot):
        break_graph(app)
        await pilot.press("ctrl+b")
        await settle(app, pilot)
        assert not isinstance(app.screen, CompileScreen)
        assert any("Compile with Keras needs a graph without errors" in n for n in notifications(app))


@pytest.mark.keras
@async_test
async def test_compile_for_real_matches_the_keras_parameter_count(tmp_path):
    """Runs the real job and layergraph.to_keras: fails loudly if it is missing."""
    assert callable(layergraph.to_keras), "layergraph.to_keras is missing"
    path = copy_spec(tmp_path, "mnist_cnn")
    async with editing(path) as (app, pilot):
        await pilot.press("ctrl+b")
        await settle(app, pilot)
        assert "Keras counts 1,676,266 parameters; layergraph counted 1,676,266 ✓" in app.screen.text


def test_the_editor_does_not_import_tensorflow(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    script = f"""
import asyncio, sys
from layergraph.editing.document import Document
from layergraph.tui.app import EditorApp
async def main():
    app = EditorApp(Document.open({str(path)!r}))
    async with app.run_test() as pilot:
        await pilot.press("down", "a", "escape", "v", "escape")
asyncio.run(main())
print(sorted(m for m in ("tensorflow", "keras") if m in sys.modules))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    lines = result.stdout.strip().splitlines()
    assert lines and lines[-1] == "[]", result.stderr[-3000:]


# -- JSON, palette, help -------------------------------------------------------------------

@async_test
async def test_show_json_is_what_a_save_would_write(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        app.edit(app.doc.set_param, "/layers/0", "filters", 64)
        await select(app, pilot, "conv1")
        await pilot.press("v")
        assert isinstance(app.screen, JsonScreen)
        assert json.loads(app.screen.text)["layers"][0]["filters"] == 64
        assert app.screen.text == app.doc.render_text()
        await pilot.press("escape")


@async_test
async def test_the_palette_offers_every_command_and_says_why_some_are_unavailable(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        break_graph(app)
        commands = {c.title.split(" (")[0]: c.help for c in app.get_system_commands(app.screen)}
        for command in COMMANDS:
            assert command.title in commands
        assert commands["Render diagram"].startswith("Unavailable:")
        assert commands["Rename layer"] == "Rename the selected layer; references follow"


@async_test
async def test_help_lists_every_command_and_key(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        from layergraph.tui.screens.help import help_table
        from rich.console import Console
        console = Console(width=200, record=True)
        console.print(help_table())
        text = console.export_text()
        for command in COMMANDS:
            assert command.title in text
        assert "Ctrl+S" in text and "Ctrl+Z" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


def test_no_binding_uses_keys_terminals_confuse():
    for command in COMMANDS:
        for key in command.keys.split(","):
            assert key not in ("ctrl+m", "ctrl+i", "ctrl+h", "ctrl+j"), command


# -- sizes -----------------------------------------------------------------------------------

@async_test
async def test_at_80_by_24_every_column_of_alexnet_is_visible(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path, size=(80, 24)) as (app, pilot):
        table = app.table
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert app.inspector.region.width >= 28
        assert app.query_one("#problems").region.height >= 2


def big_spec(layers: int) -> dict:
    """A chain of residual units: conv, batch norm, add (the shortcut), relu; ``layers`` in all."""
    items, previous = [], "image"
    while len(items) + 4 <= layers:
        n = len(items)
        items += [{"name": f"c{n}", "type": "Conv2D", "inputs": [previous], "filters": 8,
                   "kernel_size": 3, "padding": "same"},
                  {"name": f"b{n}", "type": "BatchNormalization"},
                  {"name": f"a{n}", "type": "Add", "inputs": [f"b{n}", previous]},
                  {"name": f"r{n}", "type": "ReLU"}]
        previous = f"r{n}"
    return {"format": "layergraph/1", "name": "big", "inputs": [{"name": "image", "shape": [8, 8, 8]}],
            "layers": items}


@async_test
async def test_a_thousand_layer_graph_opens_and_edits_in_place(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big_spec(1000), indent=1))
    app = EditorApp(Document.open(path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.table.row_count == 1001
        await select(app, pilot, "c500")
        app.edit(app.doc.set_param, "/layers/500", "filters", 4)
        await pilot.pause()
        assert app.selected_row.key == "c500"
        rows = {r.key: r for r in app.rows}
        assert rows["a500"].status == "error" and rows["r996"].status == "unknown"
        await pilot.press("ctrl+z")
        assert app.doc.analysis.ok and app.table.row_count == 1001


@async_test
async def test_zoom_hides_the_inspector_and_editing_brings_it_back(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path, size=(80, 24)) as (app, pilot):
        width = app.table.region.width
        await pilot.press("z")
        assert not app.inspector.display and app.table.region.width > width
        await pilot.press("r")
        assert app.inspector.display and app.focused is app.inspector.field("rename").editor
