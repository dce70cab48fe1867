"""No code execution from input: specs are data, layer types come only from installed plugins."""

from __future__ import annotations

import ast
import builtins
import os
import pickle
import socket
import subprocess
from pathlib import Path

import pytest

import layergraph as lg
from conftest import BUNDLED_SPECS, FIXTURES, ROOT
from layergraph import summary
from layergraph.diagnostics import Code

PACKAGE = ROOT / "layergraph"
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "execfile", "input"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "dill", "cloudpickle", "marshal", "shelve", "joblib"}
FORBIDDEN_ATTRIBUTES = {"enable_unsafe_deserialization", "unsafe_load", "full_load"}


def python_files():
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", python_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_package_source_has_no_eval_exec_or_pickle(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in FORBIDDEN_CALLS, f"{path}:{node.lineno} calls {node.func.id}"
        if isinstance(node, ast.Import):
            for alias in node.names:
                assert alias.name.split(".")[0] not in FORBIDDEN_MODULES, f"{path}:{node.lineno}"
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.module.split(".")[0] not in FORBIDDEN_MODULES, f"{path}:{node.lineno}"
        if isinstance(node, ast.Attribute):
            assert node.attr not in FORBIDDEN_ATTRIBUTES, f"{path}:{node.lineno} uses {node.attr}"
        if isinstance(node, ast.keyword) and node.arg == "safe_mode":
            # Loading Keras files keeps Keras's safe mode: never safe_mode=False.
            assert not (isinstance(node.value, ast.Constant) and node.value.value is False), \
                f"{path}:{node.lineno} turns off Keras's safe mode"


def test_the_source_scan_would_catch_a_call_to_eval(tmp_path):
    # The scan above must be able to fail: try it on a file that does what is forbidden.
    bad = tmp_path / "bad.py"
    bad.write_text("import pickle\nvalue = eval('1 + 1')\n")
    calls = [n.func.id for n in ast.walk(ast.parse(bad.read_text()))
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    assert "eval" in calls


@pytest.fixture
def tripwires(monkeypatch):
    """Make every way of running code or reaching the network fail loudly while a test runs."""
    calls = []

    def tripwire(name):
        def fail(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"{name} was called while reading a spec")
        return fail

    for name in ("eval", "exec"):
        original = getattr(builtins, name)

        def source_only(source, *args, _name=name, _original=original, **kwargs):
            # The import system execs compiled module code; running *text* is what is forbidden.
            if isinstance(source, (str, bytes)):
                return tripwire(_name)()
            return _original(source, *args, **kwargs)

        monkeypatch.setattr(builtins, name, source_only)
    monkeypatch.setattr(os, "system", tripwire("os.system"))
    monkeypatch.setattr(os, "popen", tripwire("os.popen"))
    monkeypatch.setattr(subprocess, "Popen", tripwire("subprocess.Popen"))
    monkeypatch.setattr(pickle, "loads", tripwire("pickle.loads"))
    monkeypatch.setattr(pickle, "load", tripwire("pickle.load"))
    monkeypatch.setattr(socket.socket, "connect", tripwire("socket.connect"))
    monkeypatch.setattr(socket, "create_connection", tripwire("socket.create_connection"))
    return calls


HOSTILE = [FIXTURES / "invalid" / "lambda_layer.json", FIXTURES / "invalid" / "control_characters.json",
           *BUNDLED_SPECS]


@pytest.mark.parametrize("path", HOSTILE, ids=lambda p: p.stem)
def test_checking_and_summarising_runs_no_code_and_opens_no_connection(tripwires, path):
    analysis = lg.analyze(path)
    summary.to_json(analysis)
    summary.to_markdown(analysis)
    assert tripwires == []


def test_a_lambda_layer_is_just_an_unknown_type_and_its_payload_never_runs(tripwires, tmp_path):
    marker = tmp_path / "pwned"
    spec = {"inputs": [{"name": "x", "shape": [4]}],
            "layers": [{"name": "evil", "type": "Lambda",
                        "function": f"lambda x: open({str(marker)!r}, 'w') or x"}]}
    analysis = lg.analyze(spec)
    assert [d.code for d in analysis.errors] == [Code.UNKNOWN_TYPE]
    assert "Lambda" not in lg.get_registry().names()
    assert not marker.exists() and tripwires == []


@pytest.mark.parametrize("type_name", [
    "os.system", "keras.layers.Lambda", "layergraph.layers.core:Dense", "__builtins__.eval",
    "builtins:exec", "pickle.loads", "tensorflow.keras.layers.Dense", "../plugins/evil.py"])
def test_a_type_cannot_name_a_module_or_a_class_path(type_name, tripwires):
    analysis = lg.analyze({"inputs": [{"name": "x", "shape": [4]}],
                           "layers": [{"name": "l", "type": type_name}]})
    assert analysis.errors and all(d.code in (Code.UNKNOWN_TYPE, Code.BAD_STRUCTURE)
                                   for d in analysis.errors)
    assert tripwires == []


def test_a_schema_url_in_a_spec_is_never_fetched(tripwires):
    analysis = lg.analyze({"$schema": "https://attacker.example/schema.json",
                           "inputs": [{"name": "x", "shape": [4]}],
                           "layers": [{"type": "Dense", "units": 2}]})
    assert analysis.ok and tripwires == []


def test_templates_substitute_values_and_never_evaluate_them(tripwires):
    spec = {"inputs": [{"name": "x", "shape": [4]}],
            "blocks": {"b": {"params": {"units": "__import__('os').getcwd()"},
                             "layers": [{"type": "Dense", "units": "$units"}]}},
            "layers": [{"name": "use", "block": "b"}]}
    analysis = lg.analyze(spec)
    (error,) = analysis.errors
    assert error.code is Code.INVALID_PARAMETER and "__import__" in error.message
    assert tripwires == []


def test_the_tripwires_fire(tripwires):
    with pytest.raises(AssertionError):
        eval("1 + 1")
    with pytest.raises(AssertionError):
        pickle.loads(b"x")
    assert tripwires == ["eval", "pickle.loads"]
