"""`shares`: another call of an earlier layer or block use with the same weights (a siamese
network's tower). Counted once, MACs per call, checked with LG309 where the weights cannot be
shared; the Keras side (one layer called twice) is in test_import_nested_and_shared.py."""

import pytest

import layergraph as lg
from layergraph.emit.source import export_python
from layergraph.summary import to_dict

INPUTS = [{"name": "a", "shape": [8]}, {"name": "b", "shape": [8]}]
TOWER = {"tower": {"inputs": ["x"], "layers": [
    {"name": "hidden", "type": "Dense", "units": 4, "activation": "relu"},
    {"name": "embed", "type": "Dense", "units": 2}]}}


def siamese(*extra, blocks=None) -> dict:
    return {"inputs": INPUTS, "blocks": blocks or {}, "layers": [
        {"name": "dense_a", "type": "Dense", "units": 3, "inputs": ["a"]},
        {"name": "dense_b", "shares": "dense_a", "inputs": ["b"]},
        *extra]}


def errors(spec) -> list:
    return [(d.code.value, d.pointer, d.message) for d in lg.analyze(spec).errors]


def test_a_shared_layer_counts_its_weights_once_and_its_macs_per_call():
    analysis = lg.analyze(siamese({"name": "join", "type": "Concatenate",
                                   "inputs": ["dense_a", "dense_b"]}))
    assert analysis.ok
    a, b = analysis.layers["dense_a"], analysis.layers["dense_b"]
    assert (b.type, b.shares, b.inputs, b.output_shape) == ("Dense", "dense_a", ["b"], (3,))
    assert (a.param_count, b.param_count) == (27, 0)
    assert (a.macs, b.macs) == (24, 24)
    assert analysis.total_params == 27


def test_a_shared_block_use_calls_each_of_its_layers_again_under_its_own_name():
    spec = {"inputs": INPUTS, "blocks": TOWER, "layers": [
        {"name": "left", "block": "tower", "inputs": ["a"]},
        {"name": "right", "shares": "left", "inputs": ["b"]},
        {"name": "distance", "type": "Subtract", "inputs": ["left", "right"]}]}
    analysis = lg.analyze(spec)
    assert analysis.ok
    shared = {name: (r.shares, r.inputs) for name, r in analysis.layers.items() if r.shares}
    assert shared == {"right_hidden": ("left_hidden", ["b"]),
                      "right_embed": ("left_embed", ["right_hidden"])}
    assert analysis.layers["distance"].inputs == ["left_embed", "right_embed"]
    assert analysis.total_params == (8 * 4 + 4) + (4 * 2 + 2)
    right = next(b for b in analysis.blocks if b.name == "right")
    assert (right.block, right.shares, right.output) == ("tower", "left", "right_embed")


def test_a_share_of_a_shared_call_points_at_the_layer_holding_the_weights():
    analysis = lg.analyze(siamese({"name": "dense_c", "shares": "dense_b", "inputs": ["a"]},
                                  {"name": "join", "type": "Add", "inputs": ["dense_b", "dense_c"]}))
    assert analysis.ok and analysis.layers["dense_c"].shares == "dense_a"


def test_a_shared_convolution_on_another_image_size_uses_the_same_weights():
    spec = {"inputs": [{"name": "big", "shape": [32, 32, 3]}, {"name": "small", "shape": [16, 16, 3]}],
            "layers": [
                {"name": "conv", "type": "Conv2D", "filters": 4, "kernel_size": 3, "inputs": ["big"]},
                {"name": "pool", "type": "GlobalAveragePooling2D"},
                {"name": "conv_small", "shares": "conv", "inputs": ["small"]},
                {"name": "pool_small", "type": "GlobalAveragePooling2D"},
                {"name": "join", "type": "Add", "inputs": ["pool", "pool_small"]}]}
    analysis = lg.analyze(spec)
    assert analysis.ok and analysis.layers["conv_small"].output_shape == (14, 14, 4)
    assert analysis.total_params == 3 * 3 * 3 * 4 + 4


@pytest.mark.parametrize("share, pointer, words", [
    ({"name": "dense_c", "shares": "dense_z", "inputs": ["a"]}, "/layers/2/shares",
     "'dense_c' shares 'dense_z', which is not an earlier layer or block use"),
    ({"name": "dense_c", "shares": "later", "inputs": ["a"]}, "/layers/2/shares",
     "not an earlier layer"),
    ({"name": "dense_c", "shares": "a"}, "/layers/2/shares", "not an earlier layer"),
    ({"name": "dense_c", "shares": "dense_a", "type": "Conv2D", "inputs": ["a"]}, "/layers/2/type",
     "shares the weights of Dense layer 'dense_a', so it is a Dense layer too. "
     "Received: type='Conv2D'"),
    ({"name": "dense_c", "shares": "dense_a", "inputs": ["dense_b"]}, "/layers/2",
     "calls the weights of Dense layer 'dense_a' (built for input (8,)) on input (3,): those "
     "weights do not fit (12 parameters needed, 27 shared)"),
])
def test_a_bad_share_is_a_clear_error(share, pointer, words):
    later = {"name": "later", "type": "Dense", "units": 3, "inputs": ["a"]}
    found = errors(siamese(share, later))
    assert [(code, where) for code, where, _ in found] == [("LG309", pointer)]
    assert words in found[0][2]


def test_a_share_of_a_block_use_with_the_wrong_number_of_inputs_is_a_clear_error():
    spec = {"inputs": INPUTS, "blocks": TOWER, "layers": [
        {"name": "left", "block": "tower", "inputs": ["a"]},
        {"name": "right", "shares": "left", "inputs": ["a", "b"]}]}
    [(code, pointer, message)] = errors(spec)
    assert (code, pointer) == ("LG304", "/layers/1")
    assert "another call of block use 'left': expected 1" in message


def test_a_share_with_parameters_of_its_own_is_a_structure_error_listing_its_keys():
    [(code, pointer, message)] = errors(siamese({"name": "dense_c", "shares": "dense_a",
                                                  "units": 5, "inputs": ["a"]}))
    assert (code, pointer) == ("LG101", "/layers/2/units")
    assert "expected one of `name`, `shares`, `type`, `inputs`" in message


def test_the_summary_names_the_shared_layer_instead_of_counting_it():
    data = to_dict(lg.analyze(siamese({"name": "join", "type": "Add",
                                       "inputs": ["dense_a", "dense_b"]})))
    rows = {row["name"]: row for row in data["layers"]}
    assert (rows["dense_b"]["params"], rows["dense_b"]["shares"]) == (0, "dense_a")
    assert "shares" not in rows["dense_a"]


def test_the_exported_script_builds_the_shared_layer_once_and_calls_it_twice():
    source = export_python(siamese({"name": "join", "type": "Add", "inputs": ["dense_a", "dense_b"]}))
    assert 'dense_a_layer = layers.Dense(3, name="dense_a")' in source
    assert "dense_a = dense_a_layer(a)" in source and "= dense_a_layer(b)" in source
    assert source.count("layers.Dense(") == 1
