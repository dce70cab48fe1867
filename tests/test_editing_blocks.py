"""Editing inside blocks, making and inlining blocks, graph inputs and outputs (document level)."""

import json

import pytest

import layergraph as lg
from layergraph.editing import operations as ops
from layergraph.editing.document import Document


def signature(data):
    """What must not change when a block is made or inlined: counts, every shape, the outputs."""
    analysis = lg.analyze(data)
    assert analysis.ok, [d.format() for d in analysis.errors]
    return (analysis.total_params, analysis.trainable_params, analysis.total_macs, len(analysis.layers),
            [r.output_shape for r in analysis.layers.values()],
            [analysis.layers[o].output_shape for o in analysis.outputs])


def undo_redo_restores(doc, before):
    """One undo gives ``before`` back, one redo the edit again."""
    after = json.loads(json.dumps(doc.data))
    doc.undo()
    assert doc.data == before
    doc.redo()
    assert doc.data == after


def copy_of(doc):
    return json.loads(json.dumps(doc.data))


TWO_INPUTS = {
    "inputs": [{"name": "a", "shape": [8]}, {"name": "b", "shape": [6]}],
    "layers": [
        {"name": "da", "type": "Dense", "units": 4, "inputs": ["a"]},
        {"name": "db", "type": "Dense", "units": 4, "inputs": ["b"]},
        {"name": "cat", "type": "Concatenate", "inputs": ["da", "db"]},
        {"name": "out", "type": "Dense", "units": 2},
    ],
}


# -- a block definition's layers -------------------------------------------------------

def test_a_parameter_of_a_block_layer_changes_every_use_and_says_how_many(open_copy):
    doc = open_copy("residual_cnn")
    outcome = doc.set_param("/blocks/residual/layers/0", "kernel_size", 5)
    assert "changes 2 uses" in " ".join(outcome.notes)
    assert doc.analysis.layers["res1_conv1"].raw_params["kernel_size"] == 5
    assert doc.analysis.layers["res2_conv1"].raw_params["kernel_size"] == 5


def test_renaming_a_block_layer_renames_it_in_every_use_and_references_follow(open_copy):
    doc = open_copy("residual_cnn")
    doc.set_inputs("/layers/4", ["res2_bn2"])  # 'down' reads a layer inside the second use
    before = copy_of(doc)
    outcome = doc.rename("/blocks/residual/layers/4", "norm2")
    assert "changes 2 uses" in " ".join(outcome.notes)
    assert doc.data["blocks"]["residual"]["layers"][5]["inputs"] == ["norm2", "x"]
    assert doc.data["layers"][4]["inputs"] == ["res2_norm2"]
    assert {"res1_norm2", "res2_norm2"} <= set(doc.analysis.layers) and doc.analysis.ok
    undo_redo_restores(doc, before)


def test_deleting_a_block_layer_bypasses_it_inside_the_block_and_outside(open_copy):
    doc = open_copy("residual_cnn")
    doc.set_inputs("/layers/4", ["res2_bn2"])
    before = copy_of(doc)
    outcome = doc.delete_block_layer("/blocks/residual/layers/4")  # bn2, read by add and by 'down'
    assert "changes 2 uses" in " ".join(outcome.notes)
    names = [i["name"] for i in doc.data["blocks"]["residual"]["layers"]]
    assert names == ["conv1", "bn1", "relu1", "conv2", "add", "out"]
    assert doc.data["blocks"]["residual"]["layers"][4]["inputs"] == ["conv2", "x"]
    assert doc.data["layers"][4]["inputs"] == ["res2_conv2"]
    assert doc.analysis.ok and "res1_bn2" not in doc.analysis.layers
    undo_redo_restores(doc, before)


def test_deleting_the_first_block_layer_hands_its_readers_the_blocks_input(open_copy):
    doc = open_copy("residual_cnn")
    doc.delete_block_layer("/blocks/projection/layers/0")
    assert doc.analysis.layers["down_bn1"].inputs == ["res2_out"]


def test_the_only_layer_of_a_block_cannot_be_deleted(open_copy):
    doc = open_copy("residual_cnn")
    doc.data["blocks"]["residual"]["layers"] = [{"name": "only", "type": "ReLU"}]
    doc = Document(doc.data)
    with pytest.raises(ops.EditError, match="only layer"):
        doc.delete_block_layer("/blocks/residual/layers/0")


def test_duplicating_a_block_layer_adds_it_to_every_use(open_copy):
    doc = open_copy("residual_cnn")
    before = copy_of(doc)
    outcome = doc.duplicate_block_layer("/blocks/residual/layers/2")
    assert outcome.select == "/blocks/residual/layers/3"
    assert [i["name"] for i in doc.data["blocks"]["residual"]["layers"]][2:4] == ["relu1", "relu1_copy"]
    assert {"res1_relu1_copy", "res2_relu1_copy"} <= set(doc.analysis.layers)
    assert doc.analysis.layers["res1_conv2"].inputs == ["res1_relu1_copy"]
    undo_redo_restores(doc, before)


def test_moving_a_block_layer_stays_inside_the_block_and_leaves_outside_references(open_copy):
    doc = open_copy("residual_cnn")
    doc.set_inputs("/layers/4", ["res2_bn1"])
    before = copy_of(doc)
    outcome = doc.move_block_layer("/blocks/residual/layers/2", -1)  # relu1 above bn1
    assert "changes 2 uses" in " ".join(outcome.notes)
    assert [i["name"] for i in doc.data["blocks"]["residual"]["layers"]][:3] == ["conv1", "relu1", "bn1"]
    assert doc.data["layers"][4]["inputs"] == ["res2_bn1"]  # a move renames nothing
    undo_redo_restores(doc, before)
    with pytest.raises(ops.EditError, match="first layer already: a move stays inside the block"):
        doc.move_block_layer("/blocks/residual/layers/0", -1)
    with pytest.raises(ops.EditError, match="last layer already"):
        doc.move_block_layer("/blocks/residual/layers/6", 1)


# -- making a block ------------------------------------------------------------------------

def test_making_a_block_of_the_stem_keeps_the_analysis_and_even_the_names(open_copy):
    doc = open_copy("residual_cnn")
    before, names = signature(doc.data), list(doc.analysis.layers)
    original = copy_of(doc)
    outcome = doc.make_block(0, 2, "stem")
    assert doc.data["layers"][0] == {"name": "stem", "block": "stem"}
    assert [i["name"] for i in doc.data["blocks"]["stem"]["layers"]] == ["conv", "bn", "relu"]
    assert doc.data["blocks"]["stem"]["inputs"] == ["x"]
    assert outcome.select == "/layers/0"
    assert signature(doc.data) == before and list(doc.analysis.layers) == names
    undo_redo_restores(doc, original)
    doc.save()
    assert signature(json.loads(doc.path.read_text())) == before


def test_a_block_made_of_a_run_read_from_outside_twice_gets_one_input(open_copy):
    doc = open_copy("residual_cnn")
    doc.inline_block(3)  # res1_conv1 … res1_out at 3..9; res1_add reads stem_relu by name
    before = signature(doc.data)
    doc.make_block(3, 9, "residual_again", "again")
    definition = doc.data["blocks"]["residual_again"]
    assert definition["inputs"] == ["x"]
    assert definition["layers"][5]["inputs"] == ["res1_bn2", "x"]
    assert signature(doc.data) == before
    assert doc.analysis.layers["res2_conv1"].inputs == ["again_res1_out"]


def test_a_run_reading_several_tensors_from_outside_becomes_a_block_with_several_inputs():
    doc = Document(json.loads(json.dumps(TWO_INPUTS)))
    before = signature(doc.data)
    doc.make_block(0, 2, "merge", "m")
    assert doc.data["blocks"]["merge"]["inputs"] == ["a", "b"]
    assert doc.data["layers"][0] == {"name": "m", "block": "merge", "inputs": ["a", "b"]}
    assert signature(doc.data) == before


def test_a_run_whose_inner_layers_are_read_after_it_is_refused_with_the_reason(open_copy):
    doc = open_copy("residual_cnn")
    doc.inline_block(3)
    with pytest.raises(ops.EditError, match="'res1_add' reads 'stem_relu' from inside the run: "
                                            "a block has one output"):
        doc.make_block(0, 3, "stem")
    doc.set_outputs(["stem_bn", "predictions"])
    with pytest.raises(ops.EditError, match="the graph's outputs reads 'stem_bn'"):
        doc.make_block(0, 2, "stem")


def test_making_a_block_refuses_a_taken_block_name_and_model_inputs(open_copy):
    doc = open_copy("residual_cnn")
    with pytest.raises(ops.EditError, match="a block named 'residual' exists already"):
        doc.make_block(0, 1, "residual")
    with pytest.raises(ops.EditError, match="select one or more layers"):
        doc.make_block(5, 9, "tail")


def test_the_graph_reads_the_new_block_use_where_it_read_the_runs_last_layer(open_copy):
    doc = open_copy("residual_cnn")
    doc.set_outputs(["avg_pool", "predictions"])
    before = signature(doc.data)
    doc.make_block(4, 5, "tail", "tail")  # down, avg_pool
    assert doc.data["outputs"] == ["tail", "predictions"]
    assert signature(doc.data) == before


# -- inlining -----------------------------------------------------------------------------

def test_inlining_a_repeated_use_names_its_layers_as_the_expansion_does(open_copy):
    doc = open_copy("residual_cnn")
    before, names = signature(doc.data), list(doc.analysis.layers)
    original = copy_of(doc)
    outcome = doc.inline_block(3)
    assert [i["name"] for i in doc.data["layers"]][3:5] == ["res1_conv1", "res1_bn1"]
    assert doc.data["layers"][3]["filters"] == 32  # the argument, filled in
    assert "residual" not in doc.data["blocks"]
    assert any("definition is removed" in note for note in outcome.notes)
    assert signature(doc.data) == before and list(doc.analysis.layers) == names
    undo_redo_restores(doc, original)


def test_inlining_one_use_of_a_shared_block_keeps_the_definition(open_copy):
    doc = open_copy("resnet50")
    before = signature(doc.data)
    outcome = doc.inline_block(7)  # conv2_block2, one of the identity_block uses
    assert "identity_block" in doc.data["blocks"]
    assert any("stays" in note for note in outcome.notes)
    assert signature(doc.data) == before


def test_inlining_substitutes_template_counts_and_keeps_spec_parameters(open_copy):
    doc = open_copy("vgg16")
    before = signature(doc.data)
    doc.inline_block(0)
    assert doc.data["layers"][0] == {"name": "block1_conv", "type": "Conv2D", "repeat": 2, "filters": 64,
                                     "kernel_size": 3, "padding": "same", "activation": "relu"}
    assert signature(doc.data) == before
    data = {"params": {"width": 16}, "inputs": [{"name": "x", "shape": [4]}],
            "blocks": {"b": {"params": {"units": 3}, "layers": [
                {"name": "d", "type": "Dense", "units": "$units"},
                {"name": "e", "type": "Dense", "units": "$width"}]}},
            "layers": [{"name": "u", "block": "b"}]}
    doc = Document(data)
    doc.inline_block(0)
    assert [i["units"] for i in doc.data["layers"]] == [3, "$width"]


def test_inlining_every_use_of_resnet50_gives_the_same_network(open_copy):
    doc = open_copy("resnet50")
    before = signature(doc.data)
    index = 0
    while index < len(doc.data["layers"]):
        if "block" in doc.data["layers"][index]:
            doc.inline_block(index)
        index += 1
    assert doc.data["blocks"] == {} and signature(doc.data) == before


def test_a_layer_is_not_a_block_use_to_inline(open_copy):
    doc = open_copy("residual_cnn")
    with pytest.raises(ops.EditError, match="select a row of a block use"):
        doc.inline_block(0)


# -- graph inputs and outputs ------------------------------------------------------------

def test_adding_an_input_keeps_the_first_layer_on_the_input_it_read(open_copy):
    doc = open_copy("residual_cnn")
    before = copy_of(doc)
    outcome = doc.add_input("aux", [10])
    assert doc.data["inputs"][1] == {"name": "aux", "shape": [10]}
    assert doc.data["layers"][0]["inputs"] == ["image"]
    assert outcome.select == "/inputs/1" and outcome.notes
    assert doc.analysis.layers["aux"].output_shape == (10,)
    undo_redo_restores(doc, before)


@pytest.mark.parametrize("shape", ["abc", [], [28, 0], [-1], [2.5], [True], "28x28"])
def test_bad_input_shapes_are_refused_with_a_clear_message(open_copy, shape):
    doc = open_copy("residual_cnn")
    with pytest.raises(ops.EditError, match="a shape lists the sizes of one sample"):
        doc.add_input("aux", shape)
    with pytest.raises(ops.EditError, match="a shape lists the sizes of one sample"):
        doc.set_param("/inputs/0", "shape", shape)
    assert not doc.modified


def test_an_input_shape_can_be_changed_with_unknown_sizes(open_copy):
    doc = open_copy("residual_cnn")
    doc.set_param("/inputs/0", "shape", [64, None, 3])
    assert doc.analysis.layers["stem_conv"].output_shape == (64, None, 32)


def test_a_new_input_needs_a_free_name(open_copy):
    doc = open_copy("residual_cnn")
    with pytest.raises(ops.EditError, match="exists already"):
        doc.add_input("stem_conv", [3])


def test_outputs_can_be_set_toggled_and_cleared(open_copy):
    doc = open_copy("residual_cnn")
    before = copy_of(doc)
    doc.set_outputs(["avg_pool", "predictions"])
    assert doc.analysis.outputs == ["avg_pool", "predictions"]
    undo_redo_restores(doc, before)
    doc.toggle_output("avg_pool")
    assert doc.data["outputs"] == ["predictions"]
    doc.toggle_output("res1_out")
    assert doc.data["outputs"] == ["predictions", "res1_out"]
    doc.set_outputs(None)
    assert "outputs" not in doc.data and doc.analysis.outputs == ["predictions"]
    with pytest.raises(ops.EditError, match="last layer"):
        doc.toggle_output("predictions")
    with pytest.raises(ops.EditError, match="no layer is named 'avg_pol'"):
        doc.set_outputs(["avg_pol"])


def test_a_block_cannot_be_made_of_a_layer_shared_after_the_run():
    data = {"inputs": [{"name": "a", "shape": [8]}, {"name": "b", "shape": [8]}],
            "layers": [{"name": "tower", "type": "Dense", "units": 4, "inputs": ["a"]},
                       {"name": "tower_b", "shares": "tower", "inputs": ["b"]},
                       {"name": "join", "type": "Add", "inputs": ["tower", "tower_b"]}]}
    doc = Document(data)
    with pytest.raises(ops.EditError, match="shares the weights of 'tower' in the run"):
        doc.make_block(0, 0, "towers")


def test_the_output_layer_of_a_block_use_ending_the_run_may_be_read_after_it(open_copy):
    doc = open_copy("residual_cnn")
    doc.set_inputs("/layers/4", ["res2_out"])  # 'down' names the output layer of the last use
    before = signature(doc.data)
    doc.make_block(3, 3, "body", "body")
    assert doc.data["layers"][4]["inputs"] == ["body"]
    assert signature(doc.data) == before
