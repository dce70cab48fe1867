"""Odd inputs found while hardening the core: each gives diagnostics, never an exception."""

from __future__ import annotations

import pytest

import layergraph as lg
from layergraph.diagnostics import Code, Diagnostic, printable

INPUT = [{"name": "x", "shape": [8]}]


def analyse(*layers, **top):
    return lg.analyze({"inputs": INPUT, "layers": list(layers), **top})


def only(analysis) -> Diagnostic:
    assert len(analysis.diagnostics) == 1, [d.format() for d in analysis.diagnostics]
    return analysis.diagnostics[0]


def test_a_path_with_a_nul_byte_is_a_diagnostic():
    assert only(lg.analyze("spec\x00.json")).code is Code.FILE_UNREADABLE


@pytest.mark.parametrize("text, kind", [("[1, 2]", "array"), ("  [ ]", "array")])
def test_json_text_that_is_not_an_object_is_a_structure_error(text, kind):
    diagnostic = only(lg.analyze(text))
    assert diagnostic.code is Code.BAD_STRUCTURE and f"a JSON {kind}" in diagnostic.message


def test_a_deeply_nested_dict_passed_to_the_api_hits_the_nesting_limit():
    value = "leaf"
    for _ in range(100_000):
        value = [value]
    diagnostic = only(analyse({"type": "Dense", "units": 2, "kernel_initializer": value}))
    assert diagnostic.code is Code.NESTING_TOO_DEEP


@pytest.mark.parametrize("key", ["kernel-size", "a[b]", "int", "tuple", "list", "layer", "str"])
def test_unknown_parameter_keys_are_reported_under_their_own_name(key):
    diagnostic = only(analyse({"type": "Dense", "units": 2, key: 1}))
    assert diagnostic.code is Code.UNKNOWN_PARAMETER
    assert diagnostic.pointer == f"/layers/0/{key}"
    assert f"Unknown parameter `{key}`" in diagnostic.message


@pytest.mark.parametrize("key", ["int", "a[b]", "my-key"])
def test_two_unknown_top_level_keys_are_two_diagnostics(key):
    analysis = analyse({"type": "Dense", "units": 2}, **{key: 1, "extra": 2})
    assert sorted(d.pointer for d in analysis.diagnostics) == sorted([f"/{key}", "/extra"])


def test_an_unknown_key_in_an_input_lists_the_keys_of_an_input():
    analysis = lg.analyze({"inputs": [{"shape": [8], "shap": 1}], "layers": [{"type": "Flatten"}]})
    diagnostic = only(analysis)
    assert diagnostic.pointer == "/inputs/0/shap"
    assert "`name`, `shape`, `dtype`, `description`" in diagnostic.message
    assert diagnostic.hint == "did you mean `shape`?"


def test_an_unknown_key_in_a_block_use_is_placed_in_that_item():
    analysis = analyse({"name": "b", "block": "blk", "tuple": 1},
                       blocks={"blk": {"layers": [{"type": "ReLU"}]}})
    diagnostic = only(analysis)
    assert diagnostic.pointer == "/layers/0/tuple"
    assert "`block`, `name`, `args`" in diagnostic.message


def test_a_bad_value_for_an_int_or_pair_parameter_is_one_diagnostic_saying_what_is_wrong():
    spec = {"inputs": [{"shape": [8, 8, 3]}],
            "layers": [{"type": "MaxPooling2D", "strides": 0}]}
    diagnostic = only(lg.analyze(spec))
    assert diagnostic.pointer == "/layers/0/strides"
    assert "greater than or equal to 1" in diagnostic.message and "tuple" not in diagnostic.message


def test_a_value_matching_no_form_of_a_union_lists_the_forms_once():
    spec = {"inputs": [{"shape": [8, 8, 3]}],
            "layers": [{"type": "Conv2D", "filters": 2, "kernel_size": [1, "x"]}]}
    diagnostic = only(lg.analyze(spec))
    assert diagnostic.pointer == "/layers/0/kernel_size"
    assert "no accepted form matches" in diagnostic.message


def test_an_unknown_activation_suggests_the_close_one():
    diagnostic = only(analyse({"type": "Dense", "units": 2, "activation": "rleu"}))
    assert "unknown activation 'rleu' (did you mean `relu`" in diagnostic.message


def test_keras_object_configs_for_keras_classes_are_accepted():
    analysis = analyse({"type": "Dense", "units": 2,
                        "kernel_initializer": {"class_name": "GlorotNormal", "config": {"seed": 1}},
                        "kernel_regularizer": {"class_name": "L2", "config": {"l2": 0.01},
                                               "module": "keras.regularizers"}})
    assert analysis.diagnostics == []


@pytest.mark.parametrize("config, says", [
    ({"class_name": "system", "module": "os"}, "must be a Keras module"),
    ({"class_name": "X", "module": "kerasx.evil"}, "must be a Keras module"),
    ({"class_name": "__import__('os')"}, "needs a `class_name`"),
    ({"class_name": "L2", "function": "lambda x: x"}, "found 'function'"),
])
def test_keras_object_configs_naming_other_modules_are_refused(config, says):
    diagnostic = only(analyse({"type": "Dense", "units": 2, "kernel_regularizer": config}))
    assert diagnostic.code is Code.INVALID_PARAMETER and says in diagnostic.message


@pytest.mark.parametrize("name", ["a/b", "tab\there", "bell\x07", "rtl\u202eoverride", "nul\x00"])
def test_names_with_slashes_or_control_characters_are_refused(name):
    diagnostic = only(analyse({"type": "Dense", "units": 2, "name": name}))
    assert diagnostic.pointer == "/layers/0/name"


@pytest.mark.parametrize("name", ["한글_층", "conv 1", "λ", "a.b-c"])
def test_names_in_any_script_are_fine(name):
    assert analyse({"type": "Dense", "units": 2, "name": name}).diagnostics == []


def test_printable_escapes_control_characters_and_keeps_other_text():
    assert printable("ok 한글 ✓") == "ok 한글 ✓"
    assert printable("a\x1b[31mb\n\x9b") == "a\\x1b[31mb\\n\\x9b"


def test_a_block_use_without_inputs_of_a_block_without_inputs_takes_none():
    analysis = analyse({"name": "b", "block": "blk"},
                       blocks={"blk": {"inputs": [], "layers": [{"type": "Dense", "units": 2}]}})
    assert [d.code for d in analysis.errors] == [Code.WRONG_ARITY]  # the Dense inside has no input


def test_a_problem_inside_a_block_used_many_times_is_reported_once():
    analysis = analyse({"name": "b", "block": "blk", "repeat": 5},
                       blocks={"blk": {"layers": [{"type": "Dense", "units": "$unit"}]}})
    assert [d.code for d in analysis.diagnostics] == [Code.BAD_BLOCK_ARGUMENT]


def test_templated_repeats_that_explode_still_stop_at_the_layer_limit():
    blocks = {"b1": {"params": {"n": 1}, "layers": [{"type": "ReLU", "name": "r", "repeat": "$n"}]},
              "b2": {"params": {"n": 1}, "layers": [{"name": "a", "block": "b1", "repeat": "$n",
                                                    "args": {"n": "$n"}}]}}
    analysis = analyse({"name": "bomb", "block": "b2", "args": {"n": 1000}}, blocks=blocks)
    diagnostic = only(analysis)
    assert diagnostic.code is Code.LIMIT_EXCEEDED and "layers" in diagnostic.message
    assert analysis.layers == {} and not analysis.complete


def test_a_rule_bug_in_a_built_in_type_is_an_internal_error_diagnostic(monkeypatch):
    from layergraph.layers.core import Dense

    def broken(p, shapes):
        raise KeyError("oops")

    monkeypatch.setattr(Dense, "output_shape", classmethod(lambda cls, p, s: broken(p, s)))
    diagnostic = only(analyse({"type": "Dense", "units": 2}))
    assert diagnostic.code is Code.INTERNAL_ERROR
    assert "Dense" in diagnostic.message and "KeyError" in diagnostic.message


def test_an_unnamed_layer_whose_automatic_name_is_taken_is_located_at_the_layer():
    # Found by the fuzzer: the diagnostic pointed at a `name` key the layer does not have.
    analysis = lg.analyze({"inputs": [{"name": "dense", "shape": [4]}],
                           "layers": [{"type": "Dense", "units": 2}]})
    diagnostic = only(analysis)
    assert diagnostic.code is Code.DUPLICATE_NAME and diagnostic.pointer == "/layers/0"
    assert "named 'dense' automatically" in diagnostic.message
    assert diagnostic.hint == "give this layer a `name`"


def test_two_unnamed_inputs_collide_at_the_second_input():
    analysis = lg.analyze({"inputs": [{"shape": [4]}, {"shape": [4]}],
                           "layers": [{"type": "Add", "inputs": ["input_layer", "input_layer"]}]})
    assert only(analysis).pointer == "/inputs/1"


def test_reading_a_spec_does_not_reserve_the_whole_size_limit_in_memory(tmp_path):
    import tracemalloc

    path = tmp_path / "small.json"
    path.write_text('{"layers": [{"type": "Flatten"}]}')
    lg.analyze(path)
    tracemalloc.start()
    lg.analyze(path, limits=lg.Limits(max_file_bytes=512 * 2**20))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 4 * 2**20  # read(limit) used to allocate the whole limit (16 MiB by default)


def test_a_device_that_never_ends_is_cut_at_the_size_limit():
    diagnostic = only(lg.analyze("/dev/zero", limits=lg.Limits(max_file_bytes=1000)))
    assert diagnostic.code is Code.FILE_TOO_LARGE
