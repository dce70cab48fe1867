"""Choosing a backend and refusing its known gaps, without importing Keras."""

from __future__ import annotations

import json
import sys
import types

import pytest
from typer.testing import CliRunner

import layergraph as lg
from conftest import BUNDLED_SPECS, SPECS
from layergraph.backends import (BackendError, backend_problems, check_backend_name,
                                 configured_backend, select_backend)
from layergraph.cli import app


def _pool_spec(size: int, pool: int, strides: int | None, padding: str = "same",
               rank: int = 2) -> dict:
    layer = {"type": f"AveragePooling{rank}D", "name": "pool", "pool_size": pool, "padding": padding}
    if strides:
        layer["strides"] = strides
    return {"inputs": [{"name": "x", "shape": [size] * rank + [3]}], "layers": [layer]}


@pytest.fixture
def no_keras(monkeypatch, tmp_path):
    """As in a process that has not imported Keras, with no keras.json and no KERAS_BACKEND."""
    monkeypatch.delitem(sys.modules, "keras", raising=False)
    monkeypatch.setenv("KERAS_BACKEND", "")  # so that teardown restores the original value
    monkeypatch.delenv("KERAS_BACKEND")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    return tmp_path


def test_the_configured_backend_follows_keras_order_env_then_keras_json_then_tensorflow(
        no_keras, monkeypatch):
    assert configured_backend() == "tensorflow"
    (no_keras / "keras.json").write_text(json.dumps({"backend": "jax"}))
    assert configured_backend() == "jax"
    monkeypatch.setenv("KERAS_BACKEND", "torch")
    assert configured_backend() == "torch"


def test_the_running_keras_backend_wins_and_another_cannot_be_selected(no_keras, monkeypatch):
    running = types.SimpleNamespace(backend=types.SimpleNamespace(backend=lambda: "jax"))
    monkeypatch.setitem(sys.modules, "keras", running)
    assert configured_backend() == "jax"
    assert select_backend("jax") == "jax"
    with pytest.raises(BackendError, match="already running on 'jax'.*KERAS_BACKEND=torch"):
        select_backend("torch")


def test_selecting_a_backend_before_keras_is_imported_sets_keras_backend(no_keras):
    import os

    assert select_backend("torch") == "torch" and os.environ["KERAS_BACKEND"] == "torch"


def test_an_unknown_backend_name_gets_a_did_you_mean():
    with pytest.raises(BackendError, match="expected one of tensorflow, jax, torch.*`torch`"):
        check_backend_name("pytorch")


@pytest.mark.parametrize(("size", "pool", "strides", "padding", "refused"), [
    (8, 3, 2, "same", True),    # total padding 1, a 3-wide window: the edge copy is averaged
    (9, 3, 2, "same", False),   # total padding 2: even, torch pads natively
    (7, 2, None, "same", False),  # a 2-wide window over one cell and its copy: still exact
    (8, 3, 1, "same", False),   # stride 1: total padding 2
    (8, 3, 2, "valid", False),
])
@pytest.mark.parametrize("rank", [1, 2, 3])
def test_uneven_same_average_pooling_is_a_known_gap_on_torch_only(size, pool, strides, padding,
                                                                   refused, rank):
    analysis = lg.analyze(_pool_spec(size, pool, strides, padding, rank))
    assert analysis.ok
    problems = backend_problems(analysis, "torch")
    assert bool(problems) == refused
    assert backend_problems(analysis, "jax") == backend_problems(analysis, "tensorflow") == []
    if refused:
        assert problems[0].code is lg.Code.BACKEND_UNSUPPORTED and problems[0].layer == "pool"
        assert "torch backend" in problems[0].message and problems[0].hint


def test_uneven_padding_on_one_axis_of_a_3d_average_pooling_is_refused_on_torch():
    """Depth 4 pads evenly (total 1 with a 2-wide window), height 8 does not (total 1, 3 wide)."""
    spec = {"inputs": [{"name": "x", "shape": [4, 8, 9, 2]}],
            "layers": [{"type": "AveragePooling3D", "name": "pool", "pool_size": [2, 3, 3],
                        "strides": 2, "padding": "same"}]}
    assert [p.layer for p in backend_problems(lg.analyze(spec), "torch")] == ["pool"]
    spec["inputs"][0]["shape"] = [4, 9, 9, 2]
    assert backend_problems(lg.analyze(spec), "torch") == []


@pytest.mark.skipif("MultiHeadAttention" not in lg.get_registry().types,
                    reason="MultiHeadAttention is not a registered type on this branch")
@pytest.mark.parametrize(("extra", "refused"), [
    ({"value_dim": 3}, True),                 # the fused jax kernel needs equal head sizes
    ({"value_dim": 2}, False),                # equal to key_dim
    ({}, False),                              # value_dim defaults to key_dim
    ({"value_dim": 3, "dropout": 0.1}, False),  # dropout: Keras's own (unfused) attention
])
def test_multi_head_attention_with_another_value_dim_is_a_known_gap_on_jax_only(extra, refused):
    spec = {"inputs": [{"name": "x", "shape": [5, 4]}],
            "layers": [{"type": "MultiHeadAttention", "name": "mha", "num_heads": 2, "key_dim": 2,
                        "inputs": ["x", "x"], **extra}]}
    analysis = lg.analyze(spec)
    assert analysis.ok
    assert bool(backend_problems(analysis, "jax")) == refused
    assert backend_problems(analysis, "torch") == backend_problems(analysis, "tensorflow") == []


def test_to_keras_refuses_a_known_gap_before_importing_keras(no_keras, monkeypatch):
    monkeypatch.setitem(sys.modules, "keras", None)  # importing it would fail loudly
    with pytest.raises(lg.SpecError, match="LG702.*'pool'.*torch backend"):
        lg.to_keras(_pool_spec(8, 3, 2), backend="torch")


def test_compile_refuses_a_known_gap_with_the_file_position_and_writes_nothing(tmp_path):
    spec = tmp_path / "pool.json"
    spec.write_text(json.dumps(_pool_spec(8, 3, 2), indent=1))
    out = tmp_path / "pool.keras"
    result = CliRunner().invoke(app, ["compile", str(spec), "-o", str(out), "--backend", "torch"])
    assert result.exit_code == 1
    assert f"{spec}:" in result.output and "LG702" in result.output
    assert "nothing was written" in result.output and not out.exists()


def test_compile_rejects_an_unknown_backend_as_a_usage_error(tmp_path):
    result = CliRunner().invoke(app, ["compile", str(SPECS / "mnist_cnn.json"), "-o",
                                      str(tmp_path / "m.keras"), "--backend", "pytorch"])
    assert result.exit_code == 2 and "pytorch" in result.output


def test_every_registered_layer_type_is_in_a_backend_parity_case():
    """A new layer type needs a probe in tests/backend_cases.py (or a Keras-built case)."""
    import re

    from backend_cases import KERAS_CASES, PROBE_SPECS

    covered = {class_name for _, class_name, _ in KERAS_CASES.values()} | {"InputLayer"}
    for text in [json.dumps(s) for s in PROBE_SPECS.values()] + [p.read_text() for p in BUNDLED_SPECS]:
        covered |= set(re.findall(r'"type": *"([\w.]+)"', text))  # dotted: "ops.add"
    assert set(lg.get_registry().types) - covered == set()


def test_compile_with_an_unknown_configured_backend_is_one_clear_error(no_keras, monkeypatch,
                                                                        tmp_path):
    monkeypatch.setitem(sys.modules, "keras", None)  # never reached: the name is checked first
    monkeypatch.setenv("KERAS_BACKEND", "pytorch")
    out = tmp_path / "m.keras"
    result = CliRunner().invoke(app, ["compile", str(SPECS / "mnist_cnn.json"), "-o", str(out)])
    assert result.exit_code == 1 and not out.exists()
    assert "Unknown Keras backend 'pytorch'" in result.output and "`torch`" in result.output
