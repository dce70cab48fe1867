"""Spec parameters: declared with defaults, used as "$name", overridden and checked.

The truth for substitution is the same spec written out by hand: a parameterised spec
and its literal twin must analyse to the same layers, shapes and counts.
"""

from __future__ import annotations

import copy
import importlib.util
import json

import pytest
from typer.testing import CliRunner

import layergraph as lg
from conftest import ROOT
from layergraph.cli import app
from layergraph.compiler.params import parse_assignment

TUNABLE = ROOT / "examples" / "tunable_cnn.json"


def spec(**params) -> dict:
    """A spec using "$width" in a layer, in block arguments, in a repeat and in a name."""
    return {
        "params": {"width": 8, "depth": 2, "classes": 3, "rate": 0.5, **params},
        "inputs": [{"name": "x", "shape": [8, 8, 3]}],
        "blocks": {"stage": {"params": {"filters": 4}, "layers": [
            {"type": "Conv2D", "name": "conv", "filters": "$filters", "kernel_size": 3,
             "padding": "same"},
            {"type": "Dense", "name": "mix", "units": "$width"}]}},
        "layers": [
            {"block": "stage", "name": "s", "args": {"filters": "$width"}, "repeat": "$depth"},
            {"type": "GlobalAveragePooling2D", "name": "gap"},
            {"type": "Dropout", "name": "drop", "rate": "$rate"},
            {"type": "Dense", "name": "out_${classes}", "units": "$classes"}],
    }


def literal(width=8, depth=2, classes=3, rate=0.5) -> dict:
    """The same spec with the values written in."""
    data = copy.deepcopy(spec())
    del data["params"]
    data["blocks"]["stage"]["layers"][1]["units"] = width
    data["layers"][0].update(args={"filters": width}, repeat=depth)
    data["layers"][2]["rate"] = rate
    data["layers"][3].update(name=f"out_{classes}", units=classes)
    return data


def facts(analysis) -> list:
    assert analysis.ok, [d.format() for d in analysis.diagnostics]
    return [(r.name, r.type, r.output_shape, r.param_count, r.macs) for r in analysis.layers.values()]


def test_a_parameterised_spec_analyses_like_its_literal_twin():
    assert facts(lg.analyze(spec())) == facts(lg.analyze(literal()))


def test_an_override_analyses_like_the_twin_written_with_that_value():
    overridden = lg.analyze(spec(), params={"width": 16, "depth": 3, "classes": 5})
    assert facts(overridden) == facts(lg.analyze(literal(width=16, depth=3, classes=5)))
    assert overridden.spec.params["width"] == 16


def test_a_block_parameter_shadows_a_spec_parameter_of_the_same_name():
    data = spec(filters=99)
    assert facts(lg.analyze(data)) == facts(lg.analyze(literal()))


def test_an_integer_override_is_accepted_where_the_default_is_a_number():
    assert lg.analyze(spec(), params={"rate": 0}).ok


def test_an_unknown_template_at_the_top_level_names_the_declared_params():
    data = spec()
    data["layers"][3]["units"] = "$clases"
    (problem,) = lg.analyze(data).errors
    assert problem.code is lg.Code.BAD_SPEC_PARAMETER and problem.pointer == "/layers/3"
    assert "`$clases`" in problem.message and "classes" in problem.hint


def test_an_unknown_override_gets_a_did_you_mean():
    (problem,) = lg.analyze(spec(), params={"widht": 16}).errors
    assert problem.code is lg.Code.BAD_SPEC_PARAMETER and "`widht`" in problem.message
    assert "`width`" in problem.hint


@pytest.mark.parametrize("value", ["wide", 1.5, True, [8], None])
def test_an_override_of_the_wrong_json_type_is_an_error(value):
    (problem,) = lg.analyze(spec(), params={"width": value}).errors
    assert problem.code is lg.Code.BAD_SPEC_PARAMETER and "expected integer" in problem.message


def test_an_override_of_the_right_type_is_still_checked_by_each_layer_that_uses_it():
    errors = lg.analyze(spec(), params={"width": 0}).errors
    assert errors and {e.code for e in errors} <= {lg.Code.INVALID_PARAMETER}
    assert {e.layer for e in errors} >= {"s1_conv", "s1_mix"}


def test_a_parameter_name_must_be_an_identifier_and_a_misspelt_params_key_is_caught():
    bad_name = lg.analyze({**spec(), "params": {"my-width": 8}})
    assert [e.code for e in bad_name.errors] == [lg.Code.BAD_STRUCTURE]
    data = spec()
    data["parms"] = data.pop("params")
    assert any("`params`" in (e.hint or "") for e in lg.analyze(data).errors)


@pytest.mark.parametrize(("text", "expected"), [
    ("width=128", ("width", 128)), ("rate=0.5", ("rate", 0.5)), ("act=relu", ("act", "relu")),
    ('act="relu"', ("act", "relu")), ("shape=[1, 2]", ("shape", [1, 2])), ("on=true", ("on", True)),
    (" width = 3", ("width", 3)),
])
def test_a_set_value_is_json_if_it_parses_and_text_otherwise(text, expected):
    assert parse_assignment(text) == expected


@pytest.fixture
def spec_file(tmp_path):
    path = tmp_path / "param.json"
    path.write_text(json.dumps(spec(), indent=1))
    return path


def test_set_overrides_on_check_summary_and_export(spec_file):
    runner = CliRunner()
    summary = runner.invoke(app, ["summary", str(spec_file), "-f", "json", "--set", "width=16",
                                  "--set", "classes=5"])
    assert summary.exit_code == 0, summary.output
    expected = lg.analyze(literal(width=16, classes=5)).total_params
    assert json.loads(summary.stdout)["total_params"] == expected
    exported = runner.invoke(app, ["export", str(spec_file), "--set", "width=16"])
    assert exported.exit_code == 0 and 'layers.Dense(16, name="s1_mix")' in exported.stdout
    check = runner.invoke(app, ["check", str(spec_file), "--set", "widht=16"])
    assert check.exit_code == 1 and "LG504" in check.output and "`width`" in check.output


def test_set_on_render_changes_the_drawn_graph(spec_file, tmp_path):
    out = tmp_path / "param.dot"
    result = CliRunner().invoke(app, ["render", str(spec_file), "-o", str(out), "--set", "classes=7"])
    assert result.exit_code == 0, result.output
    assert "out_7" in out.read_text() and "out_3" not in out.read_text()


@pytest.mark.parametrize("command", ["check", "summary", "render", "compile", "export"])
def test_a_malformed_set_is_a_usage_error(spec_file, tmp_path, command):
    extra = ["-o", str(tmp_path / "m.keras")] if command == "compile" else []
    result = CliRunner().invoke(app, [command, str(spec_file), *extra, "--set", "width"])
    assert result.exit_code == 2 and "NAME=VALUE" in result.output


@pytest.mark.keras
def test_to_keras_keyword_overrides_build_what_the_analysis_counts():
    pytest.importorskip("keras")
    model = lg.to_keras(spec(), width=16, params={"depth": 3})
    analysis = lg.analyze(literal(width=16, depth=3))
    assert model.count_params() == analysis.total_params
    assert [layer.name for layer in model.layers] == list(analysis.layers)


@pytest.mark.keras
def test_compile_set_writes_the_overridden_model(spec_file, tmp_path):
    keras = pytest.importorskip("keras")
    out = tmp_path / "m.keras"
    result = CliRunner().invoke(app, ["compile", str(spec_file), "-o", str(out), "--set", "width=12"])
    assert result.exit_code == 0, result.output
    model = keras.saving.load_model(out)
    assert model.count_params() == lg.analyze(literal(width=12)).total_params


@pytest.mark.keras
def test_the_keras_tuner_example_searches_spec_parameters(tmp_path):
    pytest.importorskip("keras_tuner")
    example = importlib.util.spec_from_file_location("keras_tuner_search",
                                                     ROOT / "examples" / "keras_tuner_search.py")
    module = importlib.util.module_from_spec(example)
    example.loader.exec_module(module)
    tuner = module.search(str(tmp_path), trials=2, epochs=1)
    trials = tuner.oracle.trials.values()
    assert len(trials) == 2 and all(t.status == "COMPLETED" for t in trials)
    best = tuner.get_best_hyperparameters(1)[0].values
    model = tuner.hypermodel.build(tuner.get_best_hyperparameters(1)[0])
    expected = lg.analyze(TUNABLE, params={k: best[k] for k in ("width", "depth", "dropout")})
    assert model.count_params() == expected.total_params
