"""The editor driven with the keyboard (Textual Pilot): every edit lands in the document and the file."""

import json

import layergraph as lg
from layergraph.tui.screens.add_layer import AddLayerScreen
from layergraph.tui.screens.confirm import ConfirmScreen
from tui_support import async_test, burst, copy_spec, editing, on_disk, select, type_text, until


def names(app):
    return [item.get("name") for item in app.doc.data["layers"]]


@async_test
async def test_add_after_picks_a_type_from_the_filtered_list_and_saves_it(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "conv1")
        await pilot.press("a")
        assert isinstance(app.screen, AddLayerScreen)
        await type_text(pilot, "zzz")  # no match: the list is empty
        assert app.screen.query_one("#add-types").option_count == 0
        for _ in "zzz":
            await pilot.press("backspace")
        await type_text(pilot, "batchnorm")
        assert app.screen.query_one("#add-types").option_count == 1
        await pilot.press("enter")
        assert names(app)[:3] == ["conv1", "batch_normalization", "pool1"]
        assert app.selected_row.key == "batch_normalization"
        assert app.doc.analysis.layers["pool1"].inputs == ["batch_normalization"]
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = on_disk(path)
    assert saved["layers"][1] == {"name": "batch_normalization", "type": "BatchNormalization"}
    assert lg.analyze(path).ok


@async_test
async def test_add_before_and_escape_cancels(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "fc1")
        await pilot.press("A")
        await pilot.press("escape")
        assert not app.doc.modified
        await pilot.press("A")
        await type_text(pilot, "dropout")
        await pilot.press("enter")
        assert names(app)[8:11] == ["flatten", "dropout", "fc1"]
        assert app.doc.data["layers"][9]["rate"] == 0.5  # a new layer works at once


@async_test
async def test_delete_without_dependents_needs_no_confirmation_and_undo_restores(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "predictions")
        await pilot.press("d")
        assert not isinstance(app.screen, ConfirmScreen)  # nothing takes its output
        assert "predictions" not in names(app)
        assert app.selected_row.key == "avg_pool"
        await pilot.press("ctrl+z")
        assert "predictions" in names(app) and not app.doc.modified
        assert app.selected_row.key == "predictions"
        await pilot.press("ctrl+y")
        assert "predictions" not in names(app)


@async_test
async def test_delete_asks_when_others_depend_on_it_and_repairs_their_references(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        app.doc.set_inputs("/layers/4", ["stem_relu"])  # 'down' names stem_relu explicitly
        app.refresh_view()
        await select(app, pilot, "stem_relu")
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        assert "stem_relu" in names(app)
        await pilot.press("d")
        await pilot.click("#answer-delete")
        await pilot.pause()
        assert "stem_relu" not in names(app)
        assert app.doc.data["layers"][3]["inputs"] == ["stem_bn"]
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert on_disk(path)["layers"][3]["inputs"] == ["stem_bn"]


@async_test
async def test_deleting_a_block_row_can_delete_the_whole_block_use_after_asking(tmp_path):
    path = copy_spec(tmp_path, "vgg16")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "block5_conv2")
        await pilot.press("d")
        assert "changes 5 uses" in str(app.screen.question)
        assert app.focused.id == "answer-cancel"  # the safe answer has the focus
        await pilot.click("#answer-use")
        await pilot.pause()
        assert "block5" not in names(app)
        assert app.doc.analysis.layers["flatten"].inputs == ["block4_pool"]


@async_test
async def test_duplicate_and_move(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "conv4")
        await pilot.press("c")
        assert names(app)[5:7] == ["conv4", "conv4_copy"]
        assert app.selected_row.key == "conv4_copy"
        await pilot.press("K")
        assert names(app)[4:7] == ["conv3", "conv4_copy", "conv4"]
        await pilot.press("shift+down")
        assert names(app)[5:7] == ["conv4", "conv4_copy"]
        assert app.doc.analysis.ok
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [layer["name"] for layer in on_disk(path)["layers"]][5:7] == ["conv4", "conv4_copy"]


@async_test
async def test_rename_in_the_inspector_and_references_follow_into_the_file(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "predictions")
        await pilot.press("r")
        await type_text(pilot, "probs")
        await pilot.press("enter")
        assert app.doc.data["outputs"] == ["probs"]
        assert app.selected_row.key == "probs"
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = on_disk(path)
    assert saved["outputs"] == ["probs"] and saved["layers"][-1]["name"] == "probs"


@async_test
async def test_a_refused_rename_is_marked_on_the_field(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "conv2")
        await pilot.press("r")
        await type_text(pilot, "conv1")
        await pilot.press("enter")
        field = app.inspector.field("rename")
        assert field.has_class("-invalid") and "exists" in str(field.query_one(".field-error").render())
        assert not app.doc.modified


@async_test
async def test_rewiring_a_merge_layer_with_the_inputs_field(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "predictions")
        await pilot.press("i")
        await type_text(pilot, "avg_pool, stem_relu")
        await pilot.press("enter")
        assert app.doc.data["layers"][-1]["inputs"] == ["avg_pool", "stem_relu"]
        row = app.selected_row
        assert row.status == "error" and row.errors[0].code.value == "LG304"  # Dense takes one input
        field = app.inspector.field("inputs")
        assert field.has_class("-invalid")
        await pilot.press("ctrl+z")
        assert "inputs" not in app.doc.data["layers"][-1]


@async_test
async def test_typing_a_parameter_is_checked_live_and_marks_the_broken_layer(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "pool2")
        await pilot.press("e")  # the first parameter: pool_size
        await type_text(pilot, "50")
        # the typing pause applies it without Enter
        await until(pilot, lambda: app.doc.data["layers"][3].get("pool_size") == 50, "the typing pause")
        rows = {r.key: r for r in app.rows}
        assert rows["pool2"].status == "error" and rows["conv3"].status == "unknown"
        assert str(app.table.get_cell("pool2", "shape")).startswith("✗")
        assert str(app.table.get_cell("conv3", "shape")).strip() == "—"
        assert str(app.table.get_cell("conv3", "params")).strip() == "—"
        problems = app.query_one("#problems")
        assert problems.option_count == 1 and problems.keys == ["pool2"]
        await pilot.press("ctrl+z")
        assert app.doc.data["layers"][3]["pool_size"] == 3 and app.doc.analysis.ok


@async_test
async def test_an_invalid_value_is_marked_on_its_field(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "conv2")
        await pilot.press("e")
        await type_text(pilot, "-4")
        await pilot.press("enter")
        field = app.inspector.field("param:filters")
        assert field.has_class("-invalid")
        assert "greater than or equal to 1" in str(field.query_one(".field-error").render())


@async_test
async def test_select_and_switch_fields(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "conv1")
        switch = app.inspector.field("param:use_bias").editor
        switch.value = False
        await pilot.pause()
        assert app.doc.data["layers"][0]["use_bias"] is False
        assert app.doc.analysis.layers["conv1"].param_count == 11 * 11 * 3 * 96
        switch.value = True  # back to the Keras default: the key goes away
        await pilot.pause()
        assert "use_bias" not in app.doc.data["layers"][0]
        padding = app.inspector.field("param:padding").editor
        padding.value = "same"
        await pilot.pause()
        assert app.doc.analysis.layers["conv1"].output_shape == (57, 57, 96)


@async_test
async def test_descriptions_and_block_arguments(tmp_path):
    path = copy_spec(tmp_path, "vgg16")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "block1_conv1")
        field = app.inspector.field("arg:convs")
        field.focus_editor()
        await type_text(pilot, "3")
        await pilot.press("enter")
        assert "block1_conv3" in app.doc.analysis.layers
        assert app.selected_row.key == "block1_conv1"
        description = app.inspector.field("use:description")
        description.focus_editor()
        await type_text(pilot, "first stage")
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = on_disk(path)
    assert saved["layers"][0]["args"]["convs"] == 3
    assert saved["layers"][0]["description"] == "first stage"


@async_test
async def test_editing_a_layer_of_a_block_definition_changes_every_use(tmp_path):
    path = copy_spec(tmp_path, "vgg16")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "block3_pool")
        field = app.inspector.field("def:param:strides")
        field.focus_editor()
        await type_text(pilot, "1")
        await pilot.press("enter")
        assert app.doc.data["blocks"]["vgg_block"]["layers"][1]["strides"] == 1
        assert app.doc.analysis.layers["block1_pool"].output_shape == (223, 223, 64)


@async_test
async def test_problems_panel_enter_jumps_to_the_layer(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        app.doc.set_param("/layers/7", "pool_size", 15)  # pool3: a 15×15 window on 13×13
        app.refresh_view()
        await select(app, pilot, "conv1")
        await pilot.press("p")
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected_row.key == "pool3" and app.focused is app.table


@async_test
async def test_graph_name_and_description_from_the_palette_actions(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await app.run_action("rename_graph")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = ""
        await type_text(pilot, "AlexNet2")
        await pilot.press("enter")
        assert app.doc.analysis.name == "AlexNet2"
        assert "AlexNet2" in str(app.query_one("#header-left").render())


@async_test
async def test_a_broken_spec_opens_and_can_be_repaired(tmp_path):
    path = tmp_path / "broken.json"
    data = json.loads(copy_spec(tmp_path, "alexnet").read_text())
    data["layers"][2]["type"] = "Conv2d"
    path.write_text(json.dumps(data, indent=2))
    async with editing(path) as (app, pilot):
        await select(app, pilot, "conv2")
        field = app.inspector.field("type")
        assert field.has_class("-invalid") and "Conv2D" in str(field.query_one(".field-error").render())
        field.focus_editor()
        await pilot.pause()
        assert field.editor.has_focus
        await burst(app, pilot, *"Conv2D", "enter", "ctrl+s")
        assert app.doc.analysis.ok and app.doc.data["layers"][2]["type"] == "Conv2D"
    assert lg.analyze(path).ok


@async_test
async def test_integer_parameters_refuse_letters(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "conv2")
        await pilot.press("e")  # filters, selected
        await type_text(pilot, "x1y28")
        assert app.inspector.field("param:filters").editor.value == "128"
        await pilot.press("enter")
        assert app.doc.data["layers"][2]["filters"] == 128


@async_test
async def test_the_add_dialog_finds_a_type_by_its_abbreviation(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "conv1")
        await burst(app, pilot, "a", "b", "n", "enter", "ctrl+s")
        assert names(app)[:3] == ["conv1", "batch_normalization", "pool1"]
    assert on_disk(path)["layers"][1]["type"] == "BatchNormalization"


@async_test
async def test_slash_finds_a_layer_by_name_or_type_and_n_steps_through_the_matches(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "image")
        await burst(app, pilot, "slash", *"pool", "enter")
        assert app.selected_row.key == "pool1"
        await burst(app, pilot, "n", "n")
        assert app.selected_row.key == "pool3"
        await burst(app, pilot, "n")  # wraps around
        assert app.selected_row.key == "pool1"
        await burst(app, pilot, "N")
        assert app.selected_row.key == "pool3"
        await burst(app, pilot, "slash", *"DENSE", "enter")  # the last query is selected: replaced
        assert app.selected_row.key == "fc1"
        await burst(app, pilot, "r", *"head", "enter", "ctrl+s")  # keys after a search act on that row
    assert [item["name"] for item in on_disk(path)["layers"]][9] == "head"
