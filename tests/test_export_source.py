"""Exported Python: readable, valid, and building exactly the compiled model when run."""

from __future__ import annotations

import ast
import runpy

import pytest

import layergraph as lg
from conftest import BUNDLED_SPECS, SPECS
from layergraph.emit.pycode import MAX_LINE

EDGE_SPECS = {
    "nested_blocks": {
        "name": "edge",
        "inputs": [{"name": "a", "shape": [16, 16, 3]}, {"name": "b", "shape": [16, 16, 3]}],
        "blocks": {
            "merge2": {"params": {"f": 4}, "inputs": ["left", "right"], "layers": [
                {"name": "sum", "type": "Add", "inputs": ["left", "right"]},
                {"name": "conv_${f}", "type": "Conv2D", "filters": "$f", "kernel_size": 1}]},
            "stack": {"params": ["n", "f"], "layers": [
                {"name": "c", "type": "Conv2D", "repeat": "$n", "filters": "$f", "kernel_size": 3,
                 "padding": "same", "description": "`n` convolutions"},
                {"name": "inner", "block": "unit", "args": {"width": "$f"}}]},
            "unit": {"params": {"width": 8}, "layers": [
                {"name": "bn", "type": "BatchNormalization"},
                {"name": "relu", "type": "ReLU", "max_value": 6.0}]},
        },
        "layers": [
            {"name": "m", "block": "merge2", "inputs": ["a", "b"], "args": {"f": 6}},
            {"name": "s", "block": "stack", "args": {"n": 2, "f": 6}, "repeat": 2},
            {"name": "dense", "type": "Dense", "units": 3, "repeat": 2},
            {"name": "side", "type": "GlobalAveragePooling2D", "inputs": ["m"]},
        ],
        "outputs": ["dense", "side"],
    },
    "unnamed_in_block": {
        "inputs": [{"name": "x", "shape": [8]}],
        "blocks": {"b": {"layers": [{"type": "Dense", "units": 4}, {"name": "out", "type": "ReLU"}]}},
        "layers": [{"name": "b1", "block": "b"}, {"name": "b2", "block": "b"}],
    },
    "output_inside_block": {
        "inputs": [{"name": "x", "shape": [8]}],
        "blocks": {"b": {"layers": [{"name": "d", "type": "Dense", "units": 4},
                                    {"name": "out", "type": "ReLU"}]}},
        "layers": [{"name": "b1", "block": "b"}],
        "outputs": ["b1_d", "b1"],
    },
    "repetition_referenced": {
        "inputs": [{"name": "x", "shape": [8]}],
        "layers": [{"name": "d", "type": "Dense", "units": 8, "repeat": 3},
                   {"name": "add", "type": "Add", "inputs": ["d1", "d3"]}],
    },
    "awkward_names": {
        "name": "odd \"names\"",
        "description": 'quotes """ and a backslash \\ and braces {x} — 한글',
        "inputs": [{"name": "in put", "shape": [8], "description": "line one\nline two"}],
        "blocks": {"lambda": {"params": {"if": 2}, "inputs": ["class"], "layers": [
            {"name": "1x1", "type": "Dense", "units": "$if", "inputs": ["class"]},
            {"name": "{brace}", "type": "ReLU"}]}},
        "layers": [{"name": "import", "type": "Dense", "units": 4},
                   {"name": "for", "block": "lambda", "args": {"if": 3}},
                   {"name": "a${b}{c}", "type": "Dense", "units": 4, "repeat": 2},
                   {"name": "한글", "type": "Dense", "units": 2}],
    },
}

ALL = {p.stem: p for p in BUNDLED_SPECS} | EDGE_SPECS


@pytest.fixture(scope="module")
def sources():
    return {name: lg.export_python(spec) for name, spec in ALL.items()}


@pytest.mark.parametrize("name", list(ALL))
def test_the_source_is_valid_python_within_the_line_limit(sources, name):
    tree = ast.parse(sources[name])
    assert [n.name for n in tree.body if isinstance(n, ast.FunctionDef)][-1] == "build_model"
    assert all(len(line) <= MAX_LINE for line in sources[name].splitlines())
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call)
              and isinstance(n.func, ast.Name)}
    assert not called & {"eval", "exec", "compile", "__import__", "open"}


def test_sequential_specs_read_like_the_seed_notes(sources):
    alexnet = sources["alexnet"]
    layer_lines = [line for line in alexnet.splitlines() if " = layers." in line]
    assert len(layer_lines) == len(lg.analyze(SPECS / "alexnet.json").layers) - 1  # + the Input
    assert 'x = layers.Conv2D(96, 11, strides=4, activation="relu", name="conv1")(image)' in alexnet
    assert "# overlapping pooling: the stride is smaller than the window" in alexnet
    assert "import keras\nfrom keras import layers\n" in alexnet


def test_blocks_become_functions_and_repeats_loops(sources):
    vgg = sources["vgg16"]
    assert "def vgg_block(x, name, filters, convs):" in vgg
    assert "    for i in range(1, convs + 1):" in vgg
    assert 'name=f"{name}_conv{i}"' in vgg
    assert 'x = vgg_block(x, "block2", filters=128, convs=2)' in vgg
    assert "for i in range(1, 3):\n        x = residual(x, f\"res{i}\", filters=32)" in sources["residual_cnn"]
    assert "def conv_block(x, name, filters=64, out_filters=256, strides=2):" in sources["resnet50"]


@pytest.mark.parametrize("name", ["unnamed_in_block", "output_inside_block", "repetition_referenced"])
def test_blocks_that_cannot_be_functions_are_written_flat(sources, name):
    assert "def b(" not in sources[name]
    assert "# block b1 (b)" in sources[name] or name == "repetition_referenced"


def test_a_spec_with_errors_is_not_exported():
    with pytest.raises(lg.SpecError):
        lg.export_python({"layers": [{"type": "Conv2D"}]})


@pytest.fixture(scope="module")
def executed(sources, tmp_path_factory):
    """Run each generated file as a script would be run; keep its `model`."""
    pytest.importorskip("keras")
    folder = tmp_path_factory.mktemp("exported")
    models = {}
    for name, text in sources.items():
        path = folder / f"{name}.py"
        path.write_text(text, encoding="utf-8")
        models[name] = runpy.run_path(str(path))["model"]
    return models


def _shapes(output):
    """An output's shape, or each output's shape for a layer with several."""
    outputs = output if isinstance(output, (list, tuple)) else [output]
    return [tuple(t.shape) for t in outputs]


@pytest.mark.keras
@pytest.mark.parametrize("name", list(ALL))
def test_running_the_source_builds_the_compiled_model(executed, name):
    generated, compiled = executed[name], lg.to_keras(ALL[name])
    assert generated.name == compiled.name
    assert generated.count_params() == compiled.count_params()

    def layers_of(model):
        return sorted((layer.name, type(layer).__name__, _shapes(layer.output),
                       layer.count_params(), repr(sorted(layer.get_config().items())))
                      for layer in model.layers)

    assert layers_of(generated) == layers_of(compiled)
    assert [t.name for t in generated.inputs] == [t.name for t in compiled.inputs]
    assert list(generated.output_names) == list(compiled.output_names)
