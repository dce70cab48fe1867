"""The editor's document model: every edit, undo/redo, references that follow, safe saving."""

import json
import os

import pytest

import layergraph as lg
from conftest import SPECS
from layergraph.editing import operations as ops
from layergraph.editing.document import Document, DocumentError, FileChangedError
from layergraph.fileio import OutputError, OutputExistsError


def saved(doc):
    """The saved file, parsed."""
    return json.loads(doc.path.read_text(encoding="utf-8"))


def layer_names(doc):
    return [item.get("name") for item in doc.data["layers"]]


# -- opening ------------------------------------------------------------------------

def test_open_then_save_without_edits_gives_a_byte_identical_file(open_copy):
    for stem in ("alexnet", "vgg16", "mnist_cnn", "residual_cnn", "inception_module"):
        doc = open_copy(stem)
        before = doc.path.read_bytes()
        assert not doc.modified
        doc.save()
        assert doc.path.read_bytes() == before


@pytest.mark.parametrize("content, message", [
    (b'{"layers": [', "Malformed JSON"),
    (b"[1, 2]", "JSON object"),
    (b"\xff\xfe{}", "not UTF-8"),
    (b'{"a": NaN}', "Malformed JSON"),
])
def test_files_that_are_not_a_json_object_are_refused_with_a_clear_message(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=message):
        Document.open(path)
    assert path.read_bytes() == content


def test_a_directory_or_a_missing_file_cannot_be_opened(tmp_path):
    with pytest.raises(DocumentError, match="directory"):
        Document.open(tmp_path)
    with pytest.raises(DocumentError, match="cannot read"):
        Document.open(tmp_path / "missing.json")


def test_a_byte_order_mark_is_kept(tmp_path, spec_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + spec_path("alexnet").read_bytes())
    doc = Document.open(path)
    doc.set_param("/layers/0", "filters", 64)
    doc.save()
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert lg.analyze(path).layers["conv1"].output_shape == (55, 55, 64)


# -- editing ---------------------------------------------------------------------------

def test_set_param_changes_the_analysis_and_only_that_value_in_the_file(open_copy):
    doc = open_copy("alexnet")
    original = doc.path.read_text()
    doc.set_param("/layers/0", "filters", 64)
    assert doc.analysis.layers["conv1"].output_shape == (55, 55, 64)
    assert doc.modified
    doc.save()
    assert doc.path.read_text() == original.replace('"filters": 96', '"filters": 64', 1)


def test_a_new_parameter_goes_in_keras_order_before_the_description(open_copy):
    doc = open_copy("alexnet")
    doc.set_param("/layers/1", "padding", "same")
    assert list(doc.data["layers"][1]) == ["name", "type", "pool_size", "strides", "padding", "description"]


def test_resetting_a_parameter_removes_the_key(open_copy):
    doc = open_copy("alexnet")
    doc.set_param("/layers/2", "padding", ops.UNSET)
    assert "padding" not in doc.data["layers"][2]
    assert doc.analysis.layers["conv2"].output_shape == (23, 23, 256)  # 27 - 5 + 1, Keras 'valid'


def test_an_invalid_value_is_kept_and_reported_where_it_is(open_copy):
    doc = open_copy("alexnet")
    doc.set_param("/layers/0", "filters", -3)
    problems = [d for d in doc.analysis.errors if d.pointer == "/layers/0/filters"]
    assert problems and problems[0].layer == "conv1"
    assert doc.analysis.layers["pool1"].output_shape is None  # downstream becomes unknown


def test_values_json_cannot_hold_are_refused(open_copy):
    doc = open_copy("alexnet")
    with pytest.raises(ops.EditError, match="finite"):
        doc.set_param("/layers/0", "filters", float("inf"))
    assert not doc.modified


def test_add_after_inserts_into_the_chain(open_copy):
    doc = open_copy("alexnet")
    outcome = doc.add_layer(1, "BatchNormalization")
    assert layer_names(doc)[:3] == ["conv1", "batch_normalization", "pool1"]
    assert outcome.select == "/layers/1"
    assert doc.analysis.layers["pool1"].inputs == ["batch_normalization"]
    # 4 weights per channel (2 trainable), counted independently of the editor:
    assert doc.analysis.total_params == lg.analyze(SPECS / "alexnet.json").total_params + 4 * 96


def test_added_layers_get_unique_keras_names_and_working_parameters(open_copy):
    doc = open_copy("mnist_cnn")  # unnamed layers: conv2d ... conv2d_3 are taken
    doc.add_layer(0, "Conv2D")
    assert doc.data["layers"][0] == {"name": "conv2d_4", "type": "Conv2D"}
    from layergraph.editing.forms import new_layer_params
    doc.undo()
    doc.add_layer(0, "Conv2D", new_layer_params(lg.get_registry().get("Conv2D")))
    assert doc.analysis.ok


def test_delete_bypasses_explicit_references_to_the_single_input(open_copy):
    doc = open_copy("residual_cnn")
    doc.set_inputs("/layers/4", ["stem_relu"])  # 'down' takes stem_relu explicitly
    doc.delete("/layers/2")  # delete stem_relu
    assert doc.data["layers"][3]["inputs"] == ["stem_bn"]
    assert "stem_relu" not in json.dumps(doc.data)


def test_deleting_a_block_use_bypasses_it_to_the_blocks_input(open_copy):
    doc = open_copy("residual_cnn")
    doc.set_inputs("/layers/5", ["res2_add"])
    doc.delete("/layers/3")  # the whole block use 'res', fed by stem_relu
    assert doc.data["layers"][4]["inputs"] == ["stem_relu"]


def test_delete_reports_references_it_cannot_repair(open_copy):
    doc = open_copy("residual_cnn")
    doc.add_layer(3, "Add", name="merge")
    doc.set_inputs("/layers/3", ["stem_bn", "stem_relu"])
    doc.set_inputs("/layers/5", ["merge"])
    outcome = doc.delete("/layers/3")  # two inputs: no single layer can take its place
    assert any("still names deleted 'merge'" in note for note in outcome.notes)
    assert doc.data["layers"][4]["inputs"] == ["merge"]
    assert any(d.code.value == "LG302" for d in doc.analysis.errors)


def test_delete_updates_outputs(open_copy):
    doc = open_copy("alexnet")
    doc.delete("/layers/13")
    assert doc.data["outputs"] == ["dropout2"]
    assert doc.analysis.ok


def test_deleting_an_unnamed_layer_keeps_references_on_the_same_layers(open_copy):
    doc = open_copy("mnist_cnn")
    doc.set_inputs("/layers/5", ["conv2d_1"])  # the dropout takes the second convolution
    shape = doc.analysis.layers["dropout"].output_shape
    doc.delete("/layers/0")  # the first convolution: every later conv2d name shifts down
    assert doc.data["layers"][4]["inputs"] == ["conv2d"]
    assert doc.analysis.layers["dropout"].inputs == ["conv2d"]
    assert doc.analysis.layers["dropout"].output_shape[:2] == shape[:2]


def test_duplicate_inserts_a_renamed_copy_after_the_original(open_copy):
    doc = open_copy("alexnet")
    doc.duplicate(4)
    assert layer_names(doc)[4:6] == ["conv3", "conv3_copy"]
    assert doc.data["layers"][5]["filters"] == 384
    assert doc.analysis.ok


def test_move_swaps_neighbours_and_refuses_to_leave_the_list(open_copy):
    doc = open_copy("alexnet")
    doc.move(10, -1)  # dropout1 above fc1
    assert layer_names(doc)[8:11] == ["flatten", "dropout1", "fc1"]
    with pytest.raises(ops.EditError, match="first"):
        doc.move(0, -1)
    with pytest.raises(ops.EditError, match="last"):
        doc.move(13, 1)


def test_rename_follows_into_inputs_and_outputs(open_copy):
    doc = open_copy("alexnet")
    doc.set_inputs("/layers/3", ["conv2"])
    doc.rename("/layers/2", "conv2b")
    assert doc.data["layers"][3]["inputs"] == ["conv2b"]
    doc.rename("/layers/13", "probs")
    assert doc.data["outputs"] == ["probs"]
    doc.rename("/inputs/0", "pixels")
    assert doc.analysis.layers["conv1"].inputs == ["pixels"]
    assert doc.analysis.ok


def test_renaming_a_block_use_renames_references_to_its_layers(open_copy):
    doc = open_copy("vgg16")
    doc.set_inputs("/layers/5", ["block5_conv3"])  # flatten skips block5_pool
    doc.rename("/layers/4", "stage5")
    assert doc.data["layers"][5]["inputs"] == ["stage5_conv3"]


def test_renaming_a_layer_inside_a_block_definition_updates_the_block(open_copy):
    doc = open_copy("residual_cnn")
    doc.rename("/blocks/residual/layers/4", "norm2")
    block = doc.data["blocks"]["residual"]["layers"]
    assert block[5]["inputs"] == ["norm2", "x"]
    assert "res1_norm2" in doc.analysis.layers and doc.analysis.ok


@pytest.mark.parametrize("name, message", [
    ("", "empty"), (" x", "spaces"), ("a/b", "'/'"), ("conv1", "exists"), ("$x", "template")])
def test_bad_names_are_refused(open_copy, name, message):
    doc = open_copy("alexnet")
    with pytest.raises(ops.EditError, match=message):
        doc.rename("/layers/2", name)
    assert not doc.modified


def test_rewiring_a_merge_layer(open_copy):
    doc = open_copy("residual_cnn")
    doc.set_inputs("/blocks/residual/layers/5", ["bn2", "x", "bn1"])
    assert doc.analysis.layers["res1_add"].inputs == ["res1_bn2", "stem_relu", "res1_bn1"]
    doc.set_inputs("/layers/5", ["res2_out"])
    doc.set_inputs("/layers/5", None)
    assert "inputs" not in doc.data["layers"][5]


def test_block_arguments_can_be_set_and_reset(open_copy):
    doc = open_copy("vgg16")
    doc.set_block_arg("/layers/0", "convs", 3)
    assert "block1_conv3" in doc.analysis.layers
    doc.set_block_arg("/layers/0", "filters", 32)
    assert doc.analysis.layers["block1_conv1"].output_shape == (224, 224, 32)
    doc.set_block_arg("/layers/0", "filters", ops.UNSET)
    assert any(d.code.value == "LG503" for d in doc.analysis.errors)  # filters has no default


def test_descriptions_of_layers_and_graph(open_copy):
    doc = open_copy("alexnet")
    doc.set_description("/layers/2", "second convolution")
    assert doc.data["layers"][2]["description"] == "second convolution"
    doc.set_description("/layers/2", "")
    assert "description" not in doc.data["layers"][2]
    doc.set_description("", "changed")
    assert doc.analysis.description == "changed"
    doc.set_graph_name("AlexNet-small")
    assert doc.analysis.name == "AlexNet-small"


# -- history -------------------------------------------------------------------------

def test_every_edit_can_be_undone_and_redone(open_copy):
    doc = open_copy("residual_cnn")
    original = json.dumps(doc.data)
    edits = [
        lambda: doc.add_layer(2, "Dropout", {"rate": 0.1}),
        lambda: doc.delete("/layers/1"),
        lambda: doc.duplicate(0),
        lambda: doc.move(3, 1),
        lambda: doc.rename("/layers/0", "stem"),
        lambda: doc.set_inputs("/layers/1", ["stem"]),
        lambda: doc.set_param("/layers/0", "filters", 16),
        lambda: doc.set_description("/layers/0", "first"),
        lambda: doc.set_block_arg("/layers/3", "filters", 48),  # res, after the moves above
    ]
    states = [original]
    for edit in edits:
        edit()
        states.append(json.dumps(doc.data))
    for state in reversed(states[:-1]):
        doc.undo()
        assert json.dumps(doc.data) == state
    assert not doc.modified
    for state in states[1:]:
        doc.redo()
        assert json.dumps(doc.data) == state


def test_typing_into_one_field_is_one_undo_step(open_copy):
    doc = open_copy("alexnet")
    for value in (1, 12, 128):
        doc.set_param("/layers/0", "filters", value, coalesce=True)
    doc.set_param("/layers/2", "filters", 64, coalesce=True)
    doc.undo()
    assert doc.data["layers"][0]["filters"] == 128
    doc.undo()
    assert doc.data["layers"][0]["filters"] == 96
    assert not doc.can_undo


def test_a_new_edit_clears_redo_and_undo_returns_the_selection(open_copy):
    doc = open_copy("alexnet")
    doc.delete("/layers/4")
    assert doc.undo() == "/layers/4"
    doc.set_param("/layers/0", "filters", 8)
    assert not doc.can_redo
    with pytest.raises(ops.EditError):
        doc.redo()


def test_an_edit_that_changes_nothing_is_not_recorded(open_copy):
    doc = open_copy("alexnet")
    outcome = doc.set_param("/layers/0", "filters", 96)
    assert not outcome.changed and not doc.can_undo and not doc.modified


def test_undoing_back_to_the_saved_state_clears_modified(open_copy):
    doc = open_copy("alexnet")
    doc.set_param("/layers/0", "filters", 64)
    doc.save()
    doc.set_param("/layers/0", "filters", 32)
    assert doc.modified
    doc.undo()
    assert not doc.modified


# -- saving ------------------------------------------------------------------------------

def test_save_refuses_to_overwrite_a_file_changed_on_disk(open_copy):
    doc = open_copy("alexnet")
    doc.set_param("/layers/0", "filters", 64)
    other = doc.path.read_text().replace("AlexNet", "Theirs")
    doc.path.write_text(other)
    assert doc.changed_on_disk()
    with pytest.raises(FileChangedError):
        doc.save()
    assert doc.path.read_text() == other
    doc.save(overwrite=True)
    assert saved(doc)["layers"][0]["filters"] == 64


def test_touching_a_file_without_changing_it_is_not_a_conflict(open_copy):
    doc = open_copy("alexnet")
    os.utime(doc.path, ns=(1, 1))
    assert not doc.changed_on_disk()


def test_save_as_refuses_an_existing_file_unless_told(open_copy, tmp_path):
    doc = open_copy("alexnet")
    other = tmp_path / "other.json"
    other.write_text("{}")
    with pytest.raises(OutputExistsError):
        doc.save(other)
    assert other.read_text() == "{}"
    doc.save(other, overwrite=True)
    assert doc.path == other and saved(doc)["name"] == "AlexNet"


def test_a_failing_write_leaves_the_old_file_intact(open_copy, monkeypatch):
    doc = open_copy("alexnet")
    before = doc.path.read_bytes()
    doc.set_param("/layers/0", "filters", 64)

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OutputError, match="No space left"):
        doc.save()
    assert doc.path.read_bytes() == before
    assert [p.name for p in doc.path.parent.iterdir()] == ["alexnet.json"]
    assert doc.modified


def test_a_saved_file_passes_check(open_copy):
    doc = open_copy("inception_module")
    doc.add_layer(5, "Dense", {"units": 32, "activation": "relu"})
    doc.rename("/layers/2", "mixed1")
    doc.save()
    assert lg.analyze(doc.path).ok


def test_a_new_document_from_text_is_unsaved_and_written_in_its_layout(tmp_path, spec_path):
    text = spec_path("mnist_cnn").read_text()
    doc = Document.from_text(text, tmp_path / "mine.json")
    assert doc.modified
    doc.save()
    assert doc.path.read_text() == text and not doc.modified


def test_reload_discards_edits(open_copy):
    doc = open_copy("alexnet")
    doc.set_param("/layers/0", "filters", 64)
    doc.reload()
    assert doc.data["layers"][0]["filters"] == 96 and not doc.can_undo


# -- broken specs can be repaired -----------------------------------------------------------

def test_a_non_object_item_can_be_deleted_and_the_spec_becomes_valid(spec_path):
    data = json.loads(spec_path("alexnet").read_text())
    data["layers"].insert(2, 17)
    doc = Document(data)
    assert doc.analysis.spec is None  # the structure is broken: nothing is analysed
    with pytest.raises(ops.EditError, match="not a JSON object"):
        doc.set_param("/layers/2", "filters", 3)
    doc.delete("/layers/2")
    assert doc.analysis.ok


def test_a_spec_without_layers_gets_a_clear_edit_error():
    doc = Document({"format": "layergraph/1", "inputs": [{"shape": [4]}]})
    with pytest.raises(ops.EditError, match="no `layers` list"):
        doc.add_layer(0, "Dense", {"units": 2})
    with pytest.raises(ops.EditError, match="nothing at"):
        doc.delete("/layers/0")


def test_unknown_types_can_be_fixed_with_set_type(spec_path):
    data = json.loads(spec_path("alexnet").read_text())
    data["layers"][2]["type"] = "Conv2d"
    doc = Document(data)
    hint = next(d.hint for d in doc.analysis.errors if d.pointer == "/layers/2/type")
    assert "Conv2D" in hint
    doc.set_type("/layers/2", "Conv2D")
    assert doc.analysis.ok
