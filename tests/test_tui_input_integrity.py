"""Keys typed in one burst while the analysis is slow (200 ms a run) land where they were typed.

Each test is a wrong edit once seen in tmux; the keys go out all at once (no pause between
them, unlike Pilot.press) and the assertions are on the document and the saved file.
"""

import pytest

from layergraph.tui.screens.add_layer import AddLayerScreen
from tui_support import async_test, burst, copy_spec, editing, notifications, on_disk, select, slow_analysis


@pytest.fixture(autouse=True)
def _slow(monkeypatch):
    slow_analysis(monkeypatch)


def layer(app, name):
    return next(item for item in app.doc.data["layers"] if item.get("name") == name)


@async_test
async def test_home_down_r_abc_enter_renames_the_first_layer(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "predictions")
        await burst(app, pilot, "home", "down", "r", "a", "b", "c", "enter", "ctrl+s")
        assert not isinstance(app.screen, AddLayerScreen)
        assert [item.get("name") for item in app.doc.data["layers"]][:2] == ["abc", "stem_bn"]
        assert len(app.doc.data["layers"]) == 7  # nothing was inserted
    assert on_disk(path)["layers"][0]["name"] == "abc"


@async_test
async def test_down_enter_64_enter_sets_filters_to_64(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "image")
        await burst(app, pilot, "down", "enter", "6", "4", "enter", "ctrl+s")
        assert layer(app, "stem_conv")["filters"] == 64
    assert on_disk(path)["layers"][0]["filters"] == 64


@async_test
async def test_a_value_then_tab_then_another_goes_to_each_field(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "conv2")
        await burst(app, pilot, "e", "2", "0", "tab", "7", "ctrl+s")
        conv2 = layer(app, "conv2")
        assert conv2["filters"] == 20 and conv2["kernel_size"] == 7
        assert app.inspector.field("param:filters").editor.value == "20"
        assert app.inspector.field("param:kernel_size").editor.value == "7"
    saved = next(item for item in on_disk(path)["layers"] if item["name"] == "conv2")
    assert saved["filters"] == 20 and saved["kernel_size"] == 7


@async_test
async def test_enter_gives_the_keys_back_to_the_table_after_r_or_i_opened_the_field(tmp_path):
    # Seen in tmux: "r abc ⏎ ↓ r xyz ⏎" renamed the first layer "abcrxyz": the focus stayed in
    # the name field, so the ↓ and the second r went into it.
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "image")
        await burst(app, pilot, "down", "r", *"abc", "enter", "down", "r", *"xyz", "enter",
                    "down", "enter", "6", "4", "enter")
        # e / Enter goes to the parameter form, and Enter there applies and stays in it.
        assert app.focused is app.inspector.field("param:filters").editor
        await burst(app, pilot, "escape", "down", "i", *"xyz", "enter", "down", "ctrl+s")
        assert app.focused is app.table and app.selected_row.key == "conv3"
    layers = on_disk(path)["layers"]
    assert [(i["name"], i.get("filters")) for i in layers[:3]] == [("abc", 96), ("xyz", None), ("conv2", 64)]
    assert layers[3]["name"] == "pool2" and layers[3]["inputs"] == ["xyz"]


@async_test
async def test_enter_in_a_field_reached_with_tab_keeps_the_focus_in_the_form(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "conv2")
        await burst(app, pilot, "e", "tab", "5", "enter", "tab", "2", "enter")
        assert layer(app, "conv2")["kernel_size"] == 5 and layer(app, "conv2")["strides"] == 2
        assert app.focused is app.inspector.field("param:strides").editor


@async_test
async def test_typing_while_the_applied_value_refreshes_the_form_is_kept(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "conv2")
        await burst(app, pilot, "e", "1", "6")
        field = app.inspector.field("param:filters")
        app.flush_typing()  # as the typing pause would, while more keys are on the way
        await burst(app, pilot, "8", "enter", "ctrl+s")
        assert layer(app, "conv2")["filters"] == 168
        assert field.editor.value == "168"
    assert next(i for i in on_disk(path)["layers"] if i["name"] == "conv2")["filters"] == 168


@async_test
async def test_undo_and_redo_while_a_field_is_focused_keep_the_form_and_the_document_agreed(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "conv2")
        before = layer(app, "conv2")["filters"]
        await burst(app, pilot, "e", "1", "2", "enter")
        field = app.inspector.field("param:filters")
        assert layer(app, "conv2")["filters"] == 12 and field.editor.has_focus
        await burst(app, pilot, "ctrl+z")
        assert layer(app, "conv2")["filters"] == before
        assert field.editor.value == str(before)
        await burst(app, pilot, "ctrl+y")
        assert layer(app, "conv2")["filters"] == 12 and field.editor.value == "12"
        await burst(app, pilot, "escape", "ctrl+s")  # leaving the field keeps the redone value
        assert layer(app, "conv2")["filters"] == 12
        await burst(app, pilot, "ctrl+z")
        await burst(app, pilot, "e", "tab")  # focus in and out of the undone field changes nothing
        assert layer(app, "conv2")["filters"] == before
    assert next(i for i in on_disk(path)["layers"] if i["name"] == "conv2")["filters"] == 12


@async_test
async def test_add_after_a_row_inside_a_block_use_inserts_after_that_row(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "res1_relu1")
        await burst(app, pilot, "a", *"dropout", "enter", "ctrl+s")
        block = [i["name"] for i in app.doc.data["blocks"]["residual"]["layers"]]
        assert block[:4] == ["conv1", "bn1", "relu1", "dropout"]
        assert app.doc.analysis.ok
        rows = [r.key for r in app.rows]
        assert rows.index("res1_dropout") == rows.index("res1_relu1") + 1
        assert app.doc.analysis.layers["res1_conv2"].inputs == ["res1_dropout"]
        assert app.selected_row.key == "res1_dropout"
        assert any("changes 2 uses" in n for n in notifications(app))
    assert [i["name"] for i in on_disk(path)["blocks"]["residual"]["layers"]][3] == "dropout"


@async_test
async def test_keys_typed_while_a_dialog_opens_go_into_the_dialog(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "conv1")
        await burst(app, pilot, "a", *"batchnorm", "enter", "down")
        names = [i.get("name") for i in app.doc.data["layers"]]
        assert names[:3] == ["conv1", "batch_normalization", "pool1"]
        assert app.selected_row.key == "pool1" and app.focused is app.table


@async_test
async def test_a_long_burst_of_cursor_moves_and_renames_lands_on_the_right_rows(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "conv1")
        keys = []
        for n in range(3):
            keys += ["down", "r", "end", *f"_x{n}", "enter", "escape"]
        await burst(app, pilot, *keys, "ctrl+s")
    names = [i["name"] for i in on_disk(path)["layers"]]
    assert names[1:4] == ["pool1_x0", "conv2_x1", "pool2_x2"]


@async_test
async def test_a_name_typed_without_enter_is_saved_by_ctrl_s(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "conv1")
        await burst(app, pilot, "r", *"stem", "ctrl+s")
        assert layer(app, "stem")["filters"] == 96 and not app.doc.modified
    assert on_disk(path)["layers"][0]["name"] == "stem"


@async_test
async def test_a_minus_applied_at_a_typing_pause_keeps_the_number_field_being_typed_in(tmp_path):
    # "-" alone is text: applied, it makes the field want a text editor instead of a number one.
    # Swapping editors under the user sent the "4" typed next to a hidden widget ("-4" became 4).
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "conv2")
        await burst(app, pilot, "e", "minus")
        field = app.inspector.field("param:filters")
        field.commit()  # what the typing pause does
        await burst(app, pilot)
        assert app.doc.item(field.target.pointer)["filters"] == "-"
        await burst(app, pilot, "4", "enter")
        assert app.inspector.field("param:filters").editor.value == "-4"
        assert app.doc.item(field.target.pointer)["filters"] == -4
