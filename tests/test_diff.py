"""`layergraph diff`: layers added, removed and changed, blocks as units, totals."""

from __future__ import annotations

import copy
import json

import pytest
from typer.testing import CliRunner

import layergraph as lg
from layergraph import diff
from layergraph.cli import app


def load(spec_path, stem) -> dict:
    return json.loads(spec_path(stem).read_text())


def test_identical_specs_have_no_differences(spec_path):
    a = lg.analyze(spec_path("alexnet"))
    result = diff.diff(a, lg.analyze(spec_path("alexnet")))
    assert (result["added"], result["removed"], result["changed"]) == ([], [], [])
    assert "no differences" in diff.to_text(result)


def test_a_changed_kernel_reports_the_parameter_shape_and_deltas(spec_path):
    before = load(spec_path, "alexnet")
    after = copy.deepcopy(before)
    after["layers"][0]["kernel_size"] = 7
    result = diff.diff(lg.analyze(before), lg.analyze(after))
    conv1 = next(c for c in result["changed"] if c["name"] == "conv1")
    assert conv1["parameters"] == {"kernel_size": [11, 7]}
    assert conv1["before"]["output_shape"] == [55, 55, 96] and conv1["after"]["output_shape"] == [56, 56, 96]
    assert conv1["delta_params"] == (7 * 7 - 11 * 11) * 3 * 96
    assert conv1["delta_macs"] == 56 * 56 * 96 * 7 * 7 * 3 - 55 * 55 * 96 * 11 * 11 * 3
    assert conv1["delta_receptive_field"] == [-4, -4]
    assert result["delta"]["params"] == result["after"]["params"] - result["before"]["params"]


def test_added_and_removed_layers_are_listed_with_their_counts(spec_path):
    before = load(spec_path, "alexnet")
    after = copy.deepcopy(before)
    after["layers"].insert(2, {"name": "extra", "type": "Conv2D", "filters": 96, "kernel_size": 1})
    after["layers"] = [layer for layer in after["layers"] if layer["name"] != "dropout1"]
    result = diff.diff(lg.analyze(before), lg.analyze(after))
    assert [u["name"] for u in result["added"]] == ["extra"]
    assert result["added"][0]["params"] == 96 * 96 + 96
    assert [u["name"] for u in result["removed"]] == ["dropout1"]


def test_a_block_is_compared_as_one_unit_with_its_inner_changes(spec_path):
    before = load(spec_path, "vgg16")
    after = copy.deepcopy(before)
    after["layers"][2]["args"]["convs"] = 4  # block3 grows a fourth convolution
    result = diff.diff(lg.analyze(before), lg.analyze(after))
    assert result["added"] == [] and result["removed"] == []
    block3 = next(c for c in result["changed"] if c["name"] == "block3")
    assert block3["kind"] == "block" and "args" in block3["changes"]
    assert block3["layers_added"] == ["block3_conv4"]
    assert block3["delta_params"] == 3 * 3 * 256 * 256 + 256


def test_a_spec_with_blocks_compares_layer_by_layer_with_one_without(spec_path):
    analysis = lg.analyze(spec_path("vgg16"))
    flat = {"name": "VGG16", "inputs": [{"name": "input_layer", "shape": [224, 224, 3]}],
            "layers": [{"name": r.name, "type": r.type, **r.raw_params}
                       for r in analysis.layers.values() if r.type != "InputLayer"]}
    result = diff.diff(analysis, lg.analyze(flat))
    assert (result["added"], result["removed"], result["changed"]) == ([], [], [])


def test_text_and_markdown_show_each_change(spec_path):
    before = load(spec_path, "alexnet")
    after = copy.deepcopy(before)
    after["layers"][-1]["units"] = 10
    result = diff.diff(lg.analyze(before), lg.analyze(after))
    text = diff.to_text(result)
    assert "~ predictions (Dense)" in text and "units 1000 → 10" in text and "Totals: params" in text
    markdown = diff.to_markdown(result)
    assert "| ~ | `predictions` | Dense | -4,056,030 |" in markdown


def test_cli_diff_prints_json_with_added_removed_and_changed(spec_path, tmp_path):
    after = load(spec_path, "alexnet")
    after["layers"][-1]["units"] = 10
    path = tmp_path / "after.json"
    path.write_text(json.dumps(after))
    result = CliRunner().invoke(app, ["diff", str(spec_path("alexnet")), str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"added", "removed", "changed", "before", "after", "delta"} <= set(data)
    assert [c["name"] for c in data["changed"]] == ["predictions"]


def test_cli_diff_of_a_spec_with_errors_exits_1_with_diagnostics_not_a_traceback(spec_path, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"inputs": [{"shape": [8]}], "layers": [{"type": "Dense", "units": 0}]}')
    result = CliRunner().invoke(app, ["diff", str(spec_path("alexnet")), str(bad)])
    assert result.exit_code == 1
    assert "LG203" in result.stderr and "Traceback" not in result.output


@pytest.mark.keras
def test_an_imported_keras_vgg16_has_no_differences_from_the_hand_written_spec(spec_path):
    import keras

    keras.backend.clear_session()  # so the input is named input_layer, as in a fresh process
    spec = lg.from_keras("keras.applications:VGG16")
    result = diff.diff(lg.analyze(spec_path("vgg16")), lg.analyze(spec))
    assert result["delta"]["params"] == 0 and result["delta"]["macs"] == 0
    assert result["added"] == [] and result["removed"] == []
