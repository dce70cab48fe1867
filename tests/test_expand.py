"""Block expansion: names, repeats, templates, ports and aliases."""

import layergraph as lg


def spec(layers, blocks=None, outputs=None, shape=(8, 8, 3)):
    data = {"inputs": [{"name": "x", "shape": list(shape)}], "layers": layers}
    if blocks:
        data["blocks"] = blocks
    if outputs:
        data["outputs"] = outputs
    return data


CONV = {"type": "Conv2D", "filters": "$f", "kernel_size": 3, "padding": "same"}


def test_layers_without_inputs_are_chained_in_order():
    a = lg.analyze(spec([{"name": "a", "type": "Flatten"}, {"name": "b", "type": "Dense", "units": 2}]))
    assert a.layers["a"].inputs == ["x"] and a.layers["b"].inputs == ["a"]
    assert a.outputs == ["b"]


def test_unnamed_layers_get_keras_style_names():
    a = lg.analyze(spec([{"type": "Conv2D", "filters": 2, "kernel_size": 1}] * 2
                        + [{"type": "GlobalAveragePooling2D"}]))
    assert list(a.layers)[1:] == ["conv2d", "conv2d_1", "global_average_pooling2d"]


def test_repeat_suffixes_names_and_chains_copies():
    a = lg.analyze(spec([{"name": "conv", "type": "Conv2D", "filters": 4, "kernel_size": 3,
                          "padding": "same", "repeat": 3}, {"type": "Flatten", "inputs": ["conv"]}]))
    assert list(a.layers)[1:4] == ["conv1", "conv2", "conv3"]
    assert a.layers["conv3"].inputs == ["conv2"]
    assert a.layers["flatten"].inputs == ["conv3"], "the base name refers to the last copy"


def test_block_arguments_defaults_and_name_prefixes():
    blocks = {"b": {"params": {"f": 4}, "layers": [dict(CONV, name="conv")]}}
    a = lg.analyze(spec([{"name": "one", "block": "b"}, {"name": "two", "block": "b", "args": {"f": 6}}],
                        blocks))
    assert a.layers["one_conv"].output_shape == (8, 8, 4)
    assert a.layers["two_conv"].output_shape == (8, 8, 6)
    assert [(b.name, b.block, b.layers) for b in a.blocks] == [
        ("one", "b", ["one_conv"]), ("two", "b", ["two_conv"])]


def test_block_ports_and_outputs_make_residual_connections():
    blocks = {"res": {"params": {"f": 3}, "inputs": ["skip"], "output": "sum", "layers": [
        dict(CONV, name="conv"),
        {"name": "sum", "type": "Add", "inputs": ["conv", "skip"]},
        {"name": "unused_tail", "type": "ReLU"}]}}
    a = lg.analyze(spec([{"name": "r", "block": "res", "repeat": 2}, {"type": "Flatten", "inputs": ["r"]}],
                        blocks))
    assert a.layers["r1_sum"].inputs == ["r1_conv", "x"]
    assert a.layers["r2_conv"].inputs == ["r1_sum"], "the next instance takes the block output"
    assert a.layers["r2_sum"].inputs == ["r2_conv", "r1_sum"]
    assert a.layers["flatten"].inputs == ["r2_sum"]


def test_nested_blocks_and_inline_templates():
    blocks = {
        "inner": {"params": ["f"], "layers": [dict(CONV, name="conv${f}")]},
        "outer": {"params": ["f"], "layers": [{"name": "a", "block": "inner", "args": {"f": "$f"}},
                                              {"name": "b", "block": "inner", "args": {"f": 5}}]},
    }
    a = lg.analyze(spec([{"name": "o", "block": "outer", "args": {"f": 2}}], blocks))
    assert a.ok, [d.format() for d in a.diagnostics]
    assert [n for n in a.layers][1:] == ["o_a_conv2", "o_b_conv5"]
    outer = next(b for b in a.blocks if b.name == "o")
    assert outer.layers == ["o_a_conv2", "o_b_conv5"]
    assert {b.name: b.parent for b in a.blocks} == {"o": None, "o_a": "o", "o_b": "o"}


def test_input_layer_inside_the_layer_list_takes_no_default_input():
    a = lg.analyze({"layers": [{"name": "img", "type": "InputLayer", "shape": [4]},
                               {"type": "Dense", "units": 2}]})
    assert a.ok and a.layers["img"].inputs == [] and a.inputs == ["img"]


def test_dag_layers_are_listed_in_topological_order_even_if_written_out_of_order():
    a = lg.analyze({"inputs": [{"name": "x", "shape": [4]}], "layers": [
        {"name": "late", "type": "Add", "inputs": ["early", "x"]},
        {"name": "early", "type": "Dense", "units": 4, "inputs": ["x"]}], "outputs": ["late"]})
    assert a.ok and list(a.layers) == ["x", "early", "late"]


def test_spec_round_trips_through_its_json_data_with_identical_expansion():
    from conftest import SPECS

    original = lg.analyze(SPECS / "vgg16.json")
    again = lg.analyze(original.spec.to_json_data())
    assert list(again.layers) == list(original.layers)
    assert again.total_params == original.total_params


def test_explicit_repeat_of_one_still_numbers_the_layer():
    a = lg.analyze(spec([{"name": "conv", "type": "Conv2D", "filters": 1, "kernel_size": 1, "repeat": 1}]))
    again = lg.analyze(a.spec.to_json_data())
    assert "conv1" in a.layers and "conv1" in again.layers
