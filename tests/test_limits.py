"""Resource limits: small files cannot demand huge work or memory; every limit is overridable."""

from __future__ import annotations

import json
import re
import tracemalloc
from dataclasses import fields

import pytest

import layergraph as lg
from conftest import FIXTURES, ROOT, SPECS
from layergraph.diagnostics import Code
from layergraph.limits import Limits

INVALID = FIXTURES / "invalid"


def peak_memory(function, *args, **kwargs):
    """(result, peak bytes allocated by Python while running function)."""
    lg.analyze(SPECS / "mnist_cnn.json")  # imports and the registry are not the spec's cost
    tracemalloc.start()
    try:
        result = function(*args, **kwargs)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_one_kilobyte_spec_cannot_expand_into_a_billion_layers():
    path = INVALID / "block_bomb.json"
    assert path.stat().st_size < 1024
    analysis, peak = peak_memory(lg.analyze, path)
    (diagnostic,) = analysis.diagnostics
    assert diagnostic.code is Code.LIMIT_EXCEEDED
    assert "Received: 1,000,000,000,001 layers" in diagnostic.message
    assert analysis.layers == {}  # refused before expanding anything
    assert peak < 5 * 2**20


def test_a_templated_block_bomb_stops_at_the_layer_limit_with_bounded_memory():
    spec = {"inputs": [{"name": "x", "shape": [4]}],
            "blocks": {"b1": {"params": ["n"], "layers": [{"type": "ReLU", "name": "r", "repeat": "$n"}]},
                       "b2": {"params": ["n"], "layers": [{"name": "a", "block": "b1", "repeat": "$n",
                                                          "args": {"n": "$n"}}]}},
            "layers": [{"name": "bomb", "block": "b2", "args": {"n": 10_000}}]}
    assert len(json.dumps(spec)) < 1024
    analysis, peak = peak_memory(lg.analyze, spec, limits=Limits(max_layers=5_000))
    assert [d.code for d in analysis.diagnostics] == [Code.LIMIT_EXCEEDED]
    assert peak < 20 * 2**20


def test_a_dense_layer_with_a_trillion_units_is_reported_not_allocated():
    spec = {"inputs": [{"name": "x", "shape": [16]}],
            "layers": [{"name": "huge", "type": "Dense", "units": 10**12}]}
    analysis, peak = peak_memory(lg.analyze, spec)
    (diagnostic,) = analysis.errors
    assert diagnostic.code is Code.LIMIT_EXCEEDED and diagnostic.layer == "huge"
    assert "(1000000000000,)" in diagnostic.message
    assert peak < 5 * 2**20  # 10^12 float32 weights would be 4 TB


def test_a_trillion_parameters_spread_over_layers_are_refused_as_a_total():
    spec = {"inputs": [{"name": "x", "shape": [100_000]}],
            "layers": [{"type": "Dense", "units": 100_000, "name": f"d{i}"} for i in range(3)]}
    analysis = lg.analyze(spec, limits=Limits(max_total_params=10**10))
    (diagnostic,) = analysis.errors
    assert "at most 10,000,000,000 parameters" in diagnostic.message
    assert "Received: 30,000,300,000 parameters" in diagnostic.message


@pytest.mark.parametrize("shape", [[10**30], [2**25, 1], [2**17, 2**17, 2]])
def test_huge_input_shapes_are_refused(shape):
    analysis = lg.analyze({"inputs": [{"name": "x", "shape": shape}], "layers": [{"type": "Flatten"}]})
    assert analysis.errors[0].code is Code.LIMIT_EXCEEDED


def test_blocks_nested_deeper_than_the_limit_are_refused():
    blocks = {f"b{i}": {"layers": [{"name": "n", "block": f"b{i + 1}"}]} for i in range(40)}
    blocks["b40"] = {"layers": [{"type": "ReLU"}]}
    spec = {"inputs": [{"name": "x", "shape": [4]}], "blocks": blocks,
            "layers": [{"name": "top", "block": "b0"}]}
    analysis = lg.analyze(spec)
    assert [d.code for d in analysis.errors] == [Code.LIMIT_EXCEEDED]
    assert "nested too deeply: at most 32 levels" in analysis.errors[0].message


# -- every limit can be changed --------------------------------------------------------

DEEP_CONFIG = {"inputs": [{"name": "x", "shape": [4]}],
               "layers": [{"type": "Dense", "units": 2,
                           "kernel_initializer": {"class_name": "Constant",
                                                  "config": {"value": [[[1.0]]]}}}]}
CASES = {  # limit: (small value, spec that exceeds only it, expected code)
    "max_file_bytes": (100, SPECS / "mnist_cnn.json", Code.FILE_TOO_LARGE),
    "max_nesting_depth": (5, DEEP_CONFIG, Code.NESTING_TOO_DEEP),
    "max_layers": (10, SPECS / "vgg16.json", Code.LIMIT_EXCEEDED),
    "max_repeat": (1, SPECS / "residual_cnn.json", Code.LIMIT_EXCEEDED),
    "max_block_depth": (0, SPECS / "vgg16.json", Code.LIMIT_EXCEEDED),
    "max_dimension": (100, SPECS / "alexnet.json", Code.LIMIT_EXCEEDED),
    "max_total_params": (1000, SPECS / "mnist_cnn.json", Code.LIMIT_EXCEEDED),
    "max_tensor_elements": (1000, SPECS / "alexnet.json", Code.LIMIT_EXCEEDED),
}


def test_the_table_of_cases_covers_every_limit():
    assert set(CASES) == {f.name for f in fields(Limits)}


@pytest.mark.parametrize("limit", sorted(CASES))
def test_each_limit_is_overridable_by_argument_and_by_environment(limit, monkeypatch):
    small, spec, code = CASES[limit]
    assert lg.analyze(spec).ok  # within the defaults
    by_argument = lg.analyze(spec, limits=Limits(**{limit: small}))
    assert code in {d.code for d in by_argument.errors}
    monkeypatch.setenv(f"LAYERGRAPH_{limit.upper()}", str(small))
    assert code in {d.code for d in lg.analyze(spec).errors}


def test_an_unreadable_environment_value_leaves_the_default(monkeypatch):
    monkeypatch.setenv("LAYERGRAPH_MAX_LAYERS", "lots")
    assert Limits.from_env() == Limits()
    assert lg.analyze(SPECS / "vgg16.json").ok


def test_the_readme_documents_every_limit_with_its_default():
    text = (ROOT / "README.md").read_text()
    section = text[text.index("<!-- section:security -->"):]
    rows = dict(re.findall(r"^\| `(LAYERGRAPH_MAX_[A-Z_]+)` \| ([\d,]+) \|", section, re.M))
    documented = {name: int(value.replace(",", "")) for name, value in rows.items()}
    assert documented == {f"LAYERGRAPH_{f.name.upper()}": getattr(Limits(), f.name)
                          for f in fields(Limits)}
