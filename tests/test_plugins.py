"""Layer types from plugins: a fake distribution installed on sys.path is used end to end.

The fake distributions are real ``*.dist-info`` directories with ``entry_points.txt``,
found by :mod:`importlib.metadata` exactly as a pip-installed package would be.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

import layergraph as lg
from conftest import ROOT
from layergraph.cli import app
from layergraph.registry import BUILTIN_MODULES, ENTRY_POINT_GROUP, LayerType, get_registry

GOOD_MODULE = '''
"""A third-party plugin: two layer types layergraph does not ship."""
import math
from layergraph import LayerType, ParamCount, Params, ShapeError


class RepeatPixels2D(LayerType):
    """Repeats rows and columns `size` times."""
    type_name = "RepeatPixels2D"
    family = "reshape"

    class Params(Params):
        size: int = 2

    @classmethod
    def output_shape(cls, p, shapes):
        if len(shapes[0]) != 3:
            raise ShapeError("RepeatPixels2D needs (height, width, channels). "
                             f"Received: {shapes[0]}.")
        h, w, c = shapes[0]
        return (h * p.size, w * p.size, c)


class LearnedSlope(LayerType):
    """Leaky ReLU with one learned slope per input element."""
    type_name = "LearnedSlope"
    family = "activation"

    @classmethod
    def count_params(cls, p, shapes):
        return ParamCount(math.prod(shapes[0]))


class Explodes(LayerType):
    """A plugin whose shape rule has a bug."""
    type_name = "Explodes"

    @classmethod
    def output_shape(cls, p, shapes):
        return 1 // 0
'''

BROKEN_MODULE = '''
raise RuntimeError("this plugin needs a GPU driver")
'''


def write_distribution(root: Path, name: str, entry_lines: list[str], modules: dict[str, str]):
    info = root / f"{name.replace('-', '_')}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    points = "\n".join([f"[{ENTRY_POINT_GROUP}]", *entry_lines]) + "\n"
    (info / "entry_points.txt").write_text(points)
    for module, source in modules.items():
        (root / f"{module}.py").write_text(textwrap.dedent(source))


@pytest.fixture
def plugin_dir(tmp_path):
    """A directory holding a good and a broken plugin distribution."""
    write_distribution(tmp_path, "layergraph-fake", [
        "RepeatPixels2D = lgfake:RepeatPixels2D",
        "LearnedSlope = lgfake:LearnedSlope",
        "Explodes = lgfake:Explodes",
        "Dense = lgfake:LearnedSlope",  # tries to replace a built-in: wrong type name, refused
    ], {"lgfake": GOOD_MODULE})
    write_distribution(tmp_path, "layergraph-broken", [
        "Broken = lgbroken:Broken",
        "NotAClass = lgfake:math",
    ], {"lgbroken": BROKEN_MODULE})
    return tmp_path


@pytest.fixture
def plugins(plugin_dir, monkeypatch):
    """The process registry, reloaded with the fake distributions on sys.path."""
    monkeypatch.syspath_prepend(str(plugin_dir))
    yield get_registry(reload=True)
    monkeypatch.undo()
    for module in ("lgfake", "lgbroken"):
        sys.modules.pop(module, None)
    get_registry(reload=True)


PLUGIN_SPEC = {
    "format": "layergraph/1",
    "name": "uses-plugins",
    "inputs": [{"name": "image", "shape": [8, 8, 3]}],
    "layers": [
        {"name": "up", "type": "RepeatPixels2D", "size": 3},
        {"name": "prelu", "type": "LearnedSlope"},
        {"name": "flatten", "type": "Flatten"},
        {"name": "logits", "type": "Dense", "units": 2},
    ],
}


def test_plugin_layer_types_are_registered_with_their_distribution(plugins):
    assert plugins.get("RepeatPixels2D").__module__ == "lgfake"
    assert plugins.origins["RepeatPixels2D"] == "layergraph-fake"
    assert plugins.origins["LearnedSlope"] == "layergraph-fake"


def test_a_plugin_cannot_replace_a_built_in_type(plugins):
    assert plugins.get("Dense").__module__ == "layergraph.layers.core"
    assert "Dense" in plugins.failures  # "Dense" names a LearnedSlope class: refused with a reason


def test_a_spec_using_plugin_types_checks_and_counts(plugins):
    analysis = lg.analyze(PLUGIN_SPEC)
    assert analysis.diagnostics == []
    assert analysis.layers["up"].output_shape == (24, 24, 3)
    assert analysis.layers["prelu"].param_count == 24 * 24 * 3
    assert analysis.total_params == 24 * 24 * 3 + (24 * 24 * 3 * 2 + 2)


def test_plugin_parameters_are_validated_like_built_ins(plugins):
    spec = json.loads(json.dumps(PLUGIN_SPEC))
    spec["layers"][0]["sise"] = 3
    (diagnostic,) = lg.analyze(spec).errors
    assert diagnostic.code is lg.Code.UNKNOWN_PARAMETER
    assert "did you mean `size`?" in diagnostic.hint


def test_cli_lists_plugin_types_and_warns_about_broken_ones(plugins):
    result = CliRunner().invoke(app, ["layers"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if "RepeatPixels2D" in line]
    assert rows and "layergraph-fake" in rows[0]
    warnings = result.stderr.replace("\n", " ")
    assert "warning" in warnings and "Broken" in warnings
    assert "layergraph-broken" in warnings and "needs a GPU driver" in warnings


def test_cli_checks_and_summarises_a_spec_using_plugins(plugins, tmp_path):
    path = tmp_path / "plugins.json"
    path.write_text(json.dumps(PLUGIN_SPEC))
    runner = CliRunner()
    checked = runner.invoke(app, ["check", str(path)])
    assert checked.exit_code == 0, checked.output
    summary = runner.invoke(app, ["summary", str(path), "--format", "json"])
    assert summary.exit_code == 0, summary.output
    layers = {layer["name"]: layer for layer in json.loads(summary.stdout)["layers"]}
    assert layers["up"]["type"] == "RepeatPixels2D"
    assert layers["up"]["output_shape"] == [24, 24, 3]


def test_a_broken_plugin_is_recorded_not_raised(plugins):
    assert "needs a GPU driver" in plugins.failures["Broken"]
    assert "layergraph-broken" in plugins.failures["Broken"]
    assert "not a LayerType subclass" in plugins.failures["NotAClass"]
    assert plugins.get("Broken") is None


def test_a_spec_using_a_broken_plugin_gets_a_diagnostic_naming_it(plugins):
    spec = {"inputs": [{"shape": [4]}], "layers": [{"name": "b", "type": "Broken"},
                                                   {"name": "d", "type": "Dense", "units": 2}]}
    analysis = lg.analyze(spec)
    (diagnostic,) = analysis.errors
    assert diagnostic.code is lg.Code.PLUGIN_FAILED
    assert diagnostic.layer == "b" and diagnostic.pointer == "/layers/0/type"
    assert "layergraph-broken" in diagnostic.message and "GPU driver" in diagnostic.message
    assert analysis.layers["d"].output_shape is None  # downstream is unknown, not wrong


def test_a_plugin_rule_that_crashes_gives_a_diagnostic_naming_the_plugin(plugins):
    spec = {"inputs": [{"shape": [4]}], "layers": [{"name": "x", "type": "Explodes"},
                                                   {"name": "d", "type": "Dense", "units": 2}]}
    analysis = lg.analyze(spec)
    (diagnostic,) = analysis.errors
    assert diagnostic.code is lg.Code.PLUGIN_FAILED
    assert diagnostic.layer == "x"
    assert "layergraph-fake" in diagnostic.message and "ZeroDivisionError" in diagnostic.message
    assert not analysis.complete


def test_plugins_work_in_a_fresh_process(plugin_dir, tmp_path):
    # The real route: a new interpreter finds the distribution through its metadata.
    path = tmp_path / "plugins.json"
    path.write_text(json.dumps(PLUGIN_SPEC))
    env = {**os.environ, "PYTHONPATH": str(plugin_dir)}
    run = subprocess.run([sys.executable, "-m", "layergraph", "check", str(path)],
                         capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"{path}: ok" in run.stdout


# -- the built-ins come from layergraph's own modules -----------------------------------


def _defined_layer_types(module_name: str) -> dict[str, type]:
    module = importlib.import_module(module_name)
    return {
        obj.type_name: obj for name, obj in inspect.getmembers(module, inspect.isclass)
        if issubclass(obj, LayerType) and obj.__module__ == module_name
        and not name.startswith("_") and "type_name" in vars(obj)}


def _builtin_classes() -> dict[str, str]:
    return {name: f"{module}:{cls.__name__}" for module in BUILTIN_MODULES
            for name, cls in _defined_layer_types(module).items()}


def test_every_built_in_class_is_registered_without_an_install_step():
    registered = {name: f"{cls.__module__}:{cls.__name__}"
                  for name, cls in get_registry().types.items()
                  if get_registry().origins[name] == "layergraph"}
    assert registered == _builtin_classes()


def test_pyproject_declares_no_entry_points_for_built_ins():
    # Built-ins are found from BUILTIN_MODULES, so a new class needs no reinstall.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert ENTRY_POINT_GROUP not in pyproject["project"].get("entry-points", {})


def test_every_public_layer_class_is_exported_in_all():
    for module_name in BUILTIN_MODULES:
        module = importlib.import_module(module_name)
        defined = {cls.__name__ for cls in _defined_layer_types(module_name).values()}
        assert defined == set(module.__all__), module_name


def test_a_deferred_params_model_is_built_once_and_read_like_a_class_attribute():
    import threading

    from layergraph.registry import LayerType, Params, check_facts, deferred_params

    built = []

    class Base(LayerType):
        type_name = "DeferredBase"

        @deferred_params
        def Params():
            built.append(1)

            class DeferredParams(Params):
                units: int = 1

            return DeferredParams

    class Child(Base):
        type_name = "DeferredChild"

    assert "Params" in vars(Base) and not built  # nothing built by declaring the type
    models = []
    threads = [threading.Thread(target=lambda: models.append(Child.Params)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert built == [1] and {id(m) for m in models} == {id(Base.Params)}
    assert vars(Base)["Params"] is Base.Params  # replaced by the model: later reads are plain
    assert Child.Params(units=3).units == 3 and list(Base.Params.model_fields) == ["units"]
    check_facts(Child)
