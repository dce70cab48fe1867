"""`layergraph check` and `layergraph summary`: formats, exit codes and safe output."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from conftest import BUNDLED_SPECS, FIXTURES, SPECS
from layergraph.cli import app

INVALID = FIXTURES / "invalid"
runner = CliRunner()


def run(*args: str):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


# -- check ---------------------------------------------------------------------------


def test_check_of_clean_specs_exits_0_and_says_ok_per_file():
    result = run("check", *BUNDLED_SPECS)
    assert result.exit_code == 0, result.output
    for path in BUNDLED_SPECS:
        assert f"{path}: ok" in result.stdout


def test_check_prints_every_problem_of_every_file_compiler_style_and_exits_1():
    files = [SPECS / "alexnet.json", INVALID / "many_errors.json", INVALID / "unknown_type.json"]
    result = run("check", *files)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    located = [line for line in lines if re.match(r"^\S+:\d+:\d+: error LG\d{3}", line)]
    assert len(located) == 5 + 1
    assert f"{files[1]}: 5 error(s)" in lines and f"{files[0]}: ok" in lines
    assert "    hint: did you mean `Conv2D`?" in lines


def test_check_with_only_warnings_exits_0_unless_strict():
    path = INVALID / "unused_layer.json"
    relaxed = run("check", path)
    assert relaxed.exit_code == 0 and "1 warning(s)" in relaxed.stdout
    assert run("check", "--strict", path).exit_code == 1


def test_check_json_format_lists_each_diagnostic_with_its_location():
    path = INVALID / "dangling_input.json"
    result = run("check", "--format", "json", SPECS / "vgg16.json", path)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    clean, broken = report["files"]
    assert clean == {"file": str(SPECS / "vgg16.json"), "ok": True, "diagnostics": []}
    assert broken["ok"] is False
    error = next(d for d in broken["diagnostics"] if d["severity"] == "error")
    assert error == {
        "code": "LG302", "severity": "error", "layer": "sum", "pointer": "/layers/2/inputs/1",
        "file": str(path), "line": 7, "column": 57, "message": error["message"],
        "hint": "did you mean `conv_b` or `conv_a`?"}
    assert "Received: 'conv_c'" in error["message"]


def test_check_json_of_a_clean_run_says_ok_and_exits_0():
    result = run("check", "-f", "json", SPECS / "mnist_cnn.json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["ok"] is True


def test_check_of_a_missing_file_is_a_diagnostic_not_a_usage_error(tmp_path):
    result = run("check", tmp_path / "missing.json")
    assert result.exit_code == 1
    assert "LG001" in result.stdout and "No such file" in result.stdout


@pytest.mark.parametrize("args", [
    ["check"],  # no file
    ["check", "--format", "xml", "specs/alexnet.json"],
    ["check", "--no-such-option", "specs/alexnet.json"],
    ["summary"],
    ["summary", "specs/alexnet.json", "--format", "html"],
    ["summary", "specs/alexnet.json", "--batch-size", "0"],
    ["no-such-command"],
])
def test_usage_errors_exit_2(args):
    assert run(*args).exit_code == 2


# -- summary ---------------------------------------------------------------------------


def summary_json(path):
    result = run("summary", path, "--format", "json")
    return result, json.loads(result.stdout)


def test_summary_json_has_the_documented_keys_and_layers_in_topological_order():
    result, data = summary_json(SPECS / "residual_cnn.json")
    assert result.exit_code == 0
    assert {"name", "total_params", "trainable_params", "total_macs", "outputs", "layers"} <= set(data)
    position = {}
    for i, layer in enumerate(data["layers"]):
        assert {"name", "type", "inputs", "output_shape", "params", "macs"} <= set(layer)
        assert all(position[name] < i for name in layer["inputs"]), layer["name"]
        position[layer["name"]] = i
    assert data["outputs"] == [data["layers"][-1]["name"]]
    assert data["total_params"] == sum(layer["params"] for layer in data["layers"])
    assert data["total_macs"] == sum(layer["macs"] for layer in data["layers"])


def test_summary_json_output_shapes_exclude_the_batch_axis():
    spec = json.loads((SPECS / "alexnet.json").read_text())
    _, data = summary_json(SPECS / "alexnet.json")
    layers = {layer["name"]: layer for layer in data["layers"]}
    assert layers[spec["inputs"][0]["name"]]["output_shape"] == spec["inputs"][0]["shape"]
    assert layers["conv1"]["output_shape"] == [55, 55, 96]  # (227 - 11) / 4 + 1
    for item in spec["layers"]:
        if item["type"] == "Dense":
            assert layers[item["name"]]["output_shape"] == [item["units"]]
    assert data["total_params"] == 62_378_344


def test_summary_markdown_is_a_table_with_one_row_per_layer():
    _, data = summary_json(SPECS / "inception_module.json")
    result = run("summary", SPECS / "inception_module.json", "--format", "markdown")
    assert result.exit_code == 0
    rows = [line for line in result.stdout.splitlines() if line.startswith("|")]
    header, separator, *body = rows
    split = lambda row: [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]  # noqa: E731
    assert split(header) == ["Layer (type)", "Output shape", "Param #", "MACs", "Connected to"]
    assert all(re.fullmatch(r":?-+:?", c) for c in split(separator))
    assert len(body) == len(data["layers"])
    for row, layer in zip(body, data["layers"]):
        cells = split(row)
        assert len(cells) == 5
        assert cells[0] == f"`{layer['name']} ({layer['type']})`"
        assert int(cells[2].replace(",", "")) == layer["params"]
        assert cells[4] == (", ".join(layer["inputs"]) or "—")
    assert f"Total params: {data['total_params']:,}" in result.stdout


def test_summary_table_shows_layers_and_totals():
    result = run("summary", SPECS / "alexnet.json")
    assert result.exit_code == 0
    assert "conv1 (Conv2D)" in result.stdout and "(55, 55, 96)" in result.stdout
    assert "Total params: 62,378,344" in result.stdout


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_summary_of_a_broken_spec_still_summarises_marks_it_incomplete_and_exits_1(fmt):
    result = run("summary", INVALID / "many_errors.json", "--format", fmt)
    assert result.exit_code == 1
    assert "LG401" in result.stderr
    if fmt == "json":
        assert json.loads(result.stdout)["complete"] is False
    else:
        assert "incomplete" in result.stdout


def test_summary_memory_estimate_scales_with_batch_size_and_dtype():
    _, one = summary_json(SPECS / "mnist_cnn.json")
    result = run("summary", SPECS / "mnist_cnn.json", "-f", "json", "--batch-size", "8",
                 "--dtype", "float16")
    eight = json.loads(result.stdout)["memory_bytes"]
    assert eight["activations"] == one["memory_bytes"]["activations"] * 8 // 2
    assert eight["weights"] == one["memory_bytes"]["weights"] // 2


# -- output is safe to print -----------------------------------------------------------


@pytest.mark.parametrize("args", [
    ["check"], ["check", "--format", "json"], ["summary"], ["summary", "--format", "markdown"],
    ["summary", "--format", "json"]])
def test_control_characters_in_a_spec_never_reach_the_terminal(args):
    result = run(*args, INVALID / "control_characters.json")
    assert result.exit_code == 1
    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream and "\x07" not in stream
    shown = result.stdout + result.stderr
    assert "\\x1b" in shown or "\\u001b" in shown  # shown, escaped
