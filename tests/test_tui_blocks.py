"""Editing inside blocks, making and inlining blocks, graph inputs and outputs, from the keyboard.

Keys go out in one burst (no pause between them) while the analysis is slowed down, and
the assertions are on the document and the saved file.
"""

import json

import pytest

import layergraph as lg
from textual.command import CommandList, CommandPalette
from layergraph.tui.screens.confirm import ConfirmScreen
from layergraph.tui.screens.prompt import PromptScreen
from tui_support import (async_test, burst, copy_spec, editing, notifications, on_disk, select,
                         slow_analysis, until)


@pytest.fixture(autouse=True)
def _slow(monkeypatch):
    slow_analysis(monkeypatch, 0.1)


def block_names(data, block="residual"):
    return [i.get("name") for i in data["blocks"][block]["layers"]]


def signature(data):
    """Counts, every shape and the outputs: what making or inlining a block must keep."""
    analysis = lg.analyze(data)
    assert analysis.ok, [d.format() for d in analysis.errors]
    return (analysis.total_params, len(analysis.layers), [r.output_shape for r in analysis.layers.values()],
            [analysis.layers[o].output_shape for o in analysis.outputs])


def said(app, text):
    return any(text in n for n in notifications(app))


def titles(app):
    return " ".join(str(w.content) for w in app.inspector.query(".section-title"))


@async_test
async def test_renaming_on_a_block_row_renames_the_definitions_layer_in_every_use(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "res2_bn2")
        assert "changes 2 uses" in titles(app)  # said before anything is typed
        await burst(app, pilot, "r", *"norm2", "enter", "ctrl+s")
        assert block_names(app.doc.data)[4] == "norm2"
        assert app.doc.data["blocks"]["residual"]["layers"][5]["inputs"] == ["norm2", "x"]
        assert app.doc.data["layers"][3]["name"] == "res"  # the block use keeps its name
        assert app.selected_row.key == "res2_norm2"  # still in the use being edited
        assert said(app, "changes 2 uses")
    assert block_names(on_disk(path))[4] == "norm2"


@async_test
async def test_a_parameter_typed_on_a_block_row_goes_into_the_block_definition(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "res1_conv1")
        await burst(app, pilot, "e", "tab", "5", "enter", "ctrl+s")
        assert app.doc.data["blocks"]["residual"]["layers"][0]["kernel_size"] == 5
        assert app.doc.data["blocks"]["residual"]["layers"][0]["filters"] == "$filters"
        assert app.doc.analysis.layers["res2_conv1"].raw_params["kernel_size"] == 5
    assert on_disk(path)["blocks"]["residual"]["layers"][0]["kernel_size"] == 5


@async_test
async def test_deleting_on_a_block_row_deletes_from_the_block_and_undo_brings_it_back(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        original = json.loads(json.dumps(app.doc.data))
        await select(app, pilot, "res2_relu1")
        await burst(app, pilot, "d")
        assert isinstance(app.screen, ConfirmScreen)
        assert "changes 2 uses" in app.screen.question
        await burst(app, pilot, "d", "ctrl+s")  # D: Delete from block
        assert block_names(app.doc.data) == ["conv1", "bn1", "conv2", "bn2", "add", "out"]
        assert app.doc.analysis.layers["res1_conv2"].inputs == ["res1_bn1"]
        assert app.selected_row.key == "res2_conv2"
        assert on_disk(path)["blocks"]["residual"]["layers"][2]["name"] == "conv2"
        await burst(app, pilot, "ctrl+z")
        assert app.doc.data == original
        await burst(app, pilot, "ctrl+y", "ctrl+z", "ctrl+s")
    assert on_disk(path) == original


@async_test
async def test_duplicate_and_moves_on_a_block_row_stay_inside_the_block(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "res2_relu1")
        await burst(app, pilot, "c", "K", "K", "K", "K", "ctrl+s")
        assert block_names(app.doc.data)[:4] == ["relu1_copy", "conv1", "bn1", "relu1"]
        assert said(app, "a move stays inside the block")  # the fourth K
        assert app.selected_row.key == "res2_relu1_copy"
        assert [i["name"] for i in app.doc.data["layers"]][:4] == ["stem_conv", "stem_bn", "stem_relu", "res"]
        assert app.doc.analysis.ok
        await burst(app, pilot, "J", "ctrl+z")  # one undo per move
        assert block_names(app.doc.data)[:2] == ["relu1_copy", "conv1"]
    assert block_names(on_disk(path))[:4] == ["relu1_copy", "conv1", "bn1", "relu1"]


@async_test
async def test_v_then_b_makes_a_block_of_the_selected_layers_with_the_same_analysis(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        original, before = json.loads(json.dumps(app.doc.data)), signature(app.doc.data)
        await select(app, pilot, "stem_conv")
        await burst(app, pilot, "V", "down", "down")
        assert app.table.marked == {"stem_conv", "stem_bn", "stem_relu"}
        await burst(app, pilot, "b")
        assert isinstance(app.screen, PromptScreen)
        await burst(app, pilot, "enter", "ctrl+s")  # the name offered: their shared prefix
        assert app.doc.data["layers"][0] == {"name": "stem", "block": "stem"}
        assert block_names(app.doc.data, "stem") == ["conv", "bn", "relu"]
        assert signature(app.doc.data) == before and not app.table.marked
        assert signature(on_disk(path)) == before
        await burst(app, pilot, "ctrl+z")
        assert app.doc.data == original


@async_test
async def test_a_block_name_is_typed_and_a_taken_one_is_refused_in_the_prompt(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        before = signature(app.doc.data)
        await select(app, pilot, "avg_pool")
        await burst(app, pilot, "V", "down", "b", "home", "ctrl+k", *"residual", "enter")
        assert isinstance(app.screen, PromptScreen)  # refused: the block exists
        assert "exists already" in str(app.screen.query_one("#prompt-note").content)
        await burst(app, pilot, "home", "ctrl+k", *"head", "enter", "ctrl+s")
        assert app.doc.data["layers"][-1] == {"name": "head", "block": "head"}
        assert signature(on_disk(path)) == before


@async_test
async def test_a_run_read_from_inside_is_refused_with_the_reason_and_nothing_changes(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        app.doc.set_inputs("/layers/4", ["stem_bn"])  # 'down' reads stem_bn
        app.refresh_view()
        data = json.loads(json.dumps(app.doc.data))
        await select(app, pilot, "stem_conv")
        await burst(app, pilot, "V", "down", "down", "b")
        assert not isinstance(app.screen, PromptScreen)
        assert said(app, "'down' reads 'stem_bn' from inside the run")
        assert app.doc.data == data
        await burst(app, pilot, "escape")
        assert not app.table.marked


@async_test
async def test_i_inlines_a_block_use_and_removes_the_unused_definition(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        original, before = json.loads(json.dumps(app.doc.data)), signature(app.doc.data)
        await select(app, pilot, "res1_bn1")
        await burst(app, pilot, "I", "ctrl+s")
        names = [i["name"] for i in app.doc.data["layers"]]
        assert names[3:5] == ["res1_conv1", "res1_bn1"] and "res2_out" in names
        assert "residual" not in app.doc.data["blocks"]
        assert said(app, "definition is removed")
        assert signature(on_disk(path)) == before
        await burst(app, pilot, "ctrl+z")
        assert app.doc.data == original
        await burst(app, pilot, "ctrl+y")
        assert "residual" not in app.doc.data["blocks"]


@async_test
async def test_o_and_shift_o_set_the_graphs_outputs(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "avg_pool")
        await burst(app, pilot, "o")
        assert app.doc.data["outputs"] == ["predictions", "avg_pool"]
        await burst(app, pilot, "O", "home", "ctrl+k", *"nowhere", "enter")
        assert "no layer is named 'nowhere'" in str(app.screen.query_one("#prompt-note").content)
        await burst(app, pilot, "home", "ctrl+k", *"res1_out, predictions", "enter", "ctrl+s")
        assert app.doc.analysis.outputs == ["res1_out", "predictions"]
        await burst(app, pilot, "ctrl+z")
        assert app.doc.data["outputs"] == ["predictions", "avg_pool"]
        await burst(app, pilot, "ctrl+z")
        assert "outputs" not in app.doc.data
    assert on_disk(path)["outputs"] == ["res1_out", "predictions"]


async def palette(app, pilot, title):
    """Run a command from the palette (Ctrl+P, its title, Enter)."""
    await burst(app, pilot, "ctrl+p", *title)
    await until(pilot, lambda: isinstance(app.screen, CommandPalette)
                and app.screen.query_one(CommandList).option_count > 0, f"the palette to offer {title}")
    await burst(app, pilot, "enter")


@async_test
async def test_an_input_is_added_from_the_palette_and_a_bad_shape_is_explained(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        await palette(app, pilot, "Add input")
        assert isinstance(app.screen, PromptScreen)
        await burst(app, pilot, "home", "ctrl+k", *"aux", "enter", *"28 by 28", "enter")
        assert "a shape lists the sizes of one sample" in str(app.screen.query_one("#prompt-note").content)
        await burst(app, pilot, "home", "ctrl+k", *"28x28x1", "enter", "ctrl+s")
        assert app.doc.data["inputs"][1] == {"name": "aux", "shape": [28, 28, 1]}
        assert app.doc.data["layers"][0]["inputs"] == ["image"]
        assert app.selected_row.key == "aux"
        await palette(app, pilot, "Set input shape")
        await burst(app, pilot, "home", "ctrl+k", *"?, 10", "enter")
        assert app.doc.data["inputs"][1]["shape"] == [None, 10]
        await burst(app, pilot, "ctrl+z")
        assert app.doc.data["inputs"][1]["shape"] == [28, 28, 1]
    assert on_disk(path)["inputs"][1] == {"name": "aux", "shape": [28, 28, 1]}


@async_test
async def test_a_bad_shape_typed_in_the_inspector_is_refused_on_the_field(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "image")
        await burst(app, pilot, "e", *"0, 5", "enter")
        assert app.doc.data["inputs"][0]["shape"] == [32, 32, 3]
        assert said(app, "a shape lists the sizes of one sample")
        await burst(app, pilot, "escape", "e", *"64, 64, 3", "enter", "ctrl+s")
        assert app.doc.analysis.layers["stem_conv"].output_shape == (64, 64, 32)
    assert on_disk(path)["inputs"][0]["shape"] == [64, 64, 3]
