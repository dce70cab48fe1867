"""Checking never hides a problem: every error in one run, in file order, with right hints."""

from __future__ import annotations

import json

import layergraph as lg
from layergraph.diagnostics import Code, Severity


def codes(analysis) -> list[str]:
    return [d.code.value for d in analysis.diagnostics]


def test_a_duplicate_name_does_not_hide_the_same_layers_unknown_type():
    analysis = lg.analyze({"inputs": [{"shape": [4]}], "layers": [
        {"name": "a", "type": "Dense", "units": 2}, {"name": "a", "type": "Dnse", "units": 2}]})
    assert codes(analysis) == ["LG301", "LG201"]
    assert analysis.diagnostics[1].pointer == "/layers/1/type"


def test_a_duplicate_name_does_not_hide_the_same_layers_bad_values():
    analysis = lg.analyze({"inputs": [{"shape": [4]}], "layers": [
        {"name": "a", "type": "Dense", "units": 2}, {"name": "a", "type": "Dense", "units": -1}]})
    assert codes(analysis) == ["LG301", "LG203"]
    assert analysis.diagnostics[1].pointer == "/layers/1/units"


def test_an_error_in_a_block_use_does_not_hide_errors_in_the_blocks_body():
    analysis = lg.analyze({"inputs": [{"shape": [4]}], "blocks": {"b": {"params": ["n"], "layers": [
        {"type": "Dnse", "units": "$n"},
        {"type": "Dense", "units": "$n", "activation": "rleu"}]}},
        "layers": [{"block": "b", "name": "x", "args": {"m": 1}}]})
    pointers = {d.pointer: d for d in analysis.diagnostics}
    assert pointers["/blocks/b/layers/0/type"].code is Code.UNKNOWN_TYPE
    assert pointers["/blocks/b/layers/1/activation"].code is Code.INVALID_PARAMETER
    assert "/layers/0/args/m" in pointers  # the use's own error is still there
    assert not any("units" in p for p in pointers)  # `$n` is left to the expansion


def test_diagnostics_come_in_file_order(tmp_path):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps({"inputs": [{"shape": [4]}], "layers": [
        {"name": "a", "type": "Dense", "units": 2, "inputs": ["nowhere"]},
        {"name": "b", "type": "Dnse"},
        {"name": "c", "type": "Dense", "units": 0}]}, indent=1))
    lines = [d.line for d in lg.analyze(path).diagnostics]
    assert len(lines) == 3 and lines == sorted(lines)


def test_a_missing_channel_axis_gets_the_hint_to_add_one():
    analysis = lg.analyze({"inputs": [{"shape": [28, 28]}],
                           "layers": [{"type": "Conv2D", "filters": 2, "kernel_size": 3}]})
    assert "add a channel axis to input 'input_layer' (e.g. [28, 28, 1])" in analysis.errors[0].hint


def test_a_shape_with_the_batch_axis_gets_the_hint_to_leave_it_out():
    analysis = lg.analyze({"inputs": [{"shape": [32, 28, 28, 1]}],
                           "layers": [{"type": "Conv2D", "filters": 2, "kernel_size": 3}]})
    assert "shapes leave out the batch axis" in analysis.errors[0].hint
    assert "[28, 28, 1]" in analysis.errors[0].hint


def test_an_input_shape_key_on_a_layer_points_to_the_top_level_inputs():
    analysis = lg.analyze({"layers": [{"type": "Dense", "units": 2, "input_shape": [4]}]})
    (unknown,) = [d for d in analysis.diagnostics if d.code is Code.UNKNOWN_PARAMETER]
    assert "top-level `inputs`" in unknown.hint


def test_a_dense_layer_on_a_feature_map_gets_an_info_note_about_flatten():
    analysis = lg.analyze({"inputs": [{"shape": [8, 8, 1]}], "layers": [
        {"type": "Conv2D", "filters": 2, "kernel_size": 3}, {"type": "Dense", "units": 3}]})
    (note,) = [d for d in analysis.diagnostics if d.code is Code.LIKELY_MISSING_FLATTEN]
    assert note.severity is Severity.INFO and "Did you forget a Flatten?" in note.message
    assert analysis.ok and analysis.complete


def test_a_dense_layer_on_a_sequence_gets_no_flatten_note():
    analysis = lg.analyze({"inputs": [{"shape": [10, 16]}], "layers": [{"type": "Dense", "units": 3}]})
    assert analysis.diagnostics == []


def test_no_pydantic_wording_reaches_the_user():
    bad = [{"type": "Conv2D", "filters": 2, "kernel_size": [3]},
           {"type": "Conv2D", "filters": 0, "kernel_size": 3},
           {"type": "Conv2D", "filters": 2, "kernel_size": 3, "padding": "full"},
           {"type": "Conv2D", "filters": 2, "kernel_size": [3, 3, 3]},
           {"type": "Dense", "units": 2, "name": ""}]
    for layer in bad:
        (diagnostic,) = lg.analyze({"inputs": [{"shape": [8, 8, 1]}], "layers": [layer]}).errors
        for pydantic_words in ("field required", "input should", "after validation", "should have"):
            assert pydantic_words not in diagnostic.message.lower(), diagnostic.message
    short = lg.analyze({"inputs": [{"shape": [8, 8, 1]}],
                        "layers": [{"type": "Conv2D", "filters": 2, "kernel_size": [3]}]}).errors[0]
    assert "item 1 is missing" in short.message


def test_check_strict_does_not_fail_on_info_notes(tmp_path):
    from typer.testing import CliRunner

    from layergraph.cli import app

    path = tmp_path / "spec.json"
    path.write_text(json.dumps({"inputs": [{"shape": [8, 8, 1]}], "layers": [
        {"type": "Conv2D", "filters": 2, "kernel_size": 3}, {"type": "Dense", "units": 3}]}))
    result = CliRunner().invoke(app, ["check", "--strict", str(path)])
    assert result.exit_code == 0 and "LG802" in result.stdout
