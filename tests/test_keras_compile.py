"""Compiling specs to Keras: Keras itself is the judge of shapes, counts and names."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

import layergraph as lg
from conftest import BUNDLED_SPECS, ROOT, SPECS
from layergraph.keras_support import KerasBuildError

keras_test = pytest.mark.keras


@pytest.fixture(scope="module")
def compiled():
    """Every bundled spec compiled once: stem -> (analysis, keras model)."""
    pytest.importorskip("keras")
    return {path.stem: (lg.analyze(path), lg.to_keras(path)) for path in BUNDLED_SPECS}


@keras_test
@pytest.mark.parametrize("stem", [p.stem for p in BUNDLED_SPECS])
def test_keras_agrees_with_the_analysis_on_every_layer(compiled, stem):
    analysis, model = compiled[stem]
    # One Keras layer per spec layer (Keras may list parallel branches in another order).
    assert sorted(layer.name for layer in model.layers) == sorted(analysis.layers)
    for layer in model.layers:
        result = analysis.layers[layer.name]
        outputs = layer.output if isinstance(layer.output, (list, tuple)) else [layer.output]
        assert [tuple(t.shape[1:]) for t in outputs] == result.output_shapes, layer.name
        assert layer.count_params() == result.param_count, layer.name
        assert type(layer).__name__ == result.type
    assert model.count_params() == analysis.total_params


@keras_test
@pytest.mark.parametrize("stem", [p.stem for p in BUNDLED_SPECS])
def test_the_model_has_the_specs_name_inputs_and_outputs(compiled, stem):
    analysis, model = compiled[stem]
    assert model.name == analysis.name
    assert [t.name for t in model.inputs] == analysis.inputs
    assert list(model.output_names) == analysis.outputs


@keras_test
def test_trainable_and_frozen_weights_are_counted_like_keras(compiled):
    analysis, model = compiled["residual_cnn"]
    trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
    frozen = sum(int(w.numpy().size) for w in model.non_trainable_weights)
    assert (trainable, frozen) == (analysis.trainable_params, analysis.non_trainable_params)


@keras_test
def test_an_analysis_can_be_compiled_directly_and_is_not_reanalysed():
    analysis = lg.analyze(SPECS / "mnist_cnn.json")
    model = lg.to_keras(analysis)
    assert model.count_params() == 1_676_266


@keras_test
def test_a_spec_can_be_given_as_a_dict_with_several_inputs_and_outputs():
    spec = {"name": "two_heads",
            "inputs": [{"name": "a", "shape": [8]}, {"name": "b", "shape": [8]}],
            "layers": [{"name": "sum", "type": "Add", "inputs": ["a", "b"]},
                       {"name": "head1", "type": "Dense", "units": 3, "inputs": ["sum"]},
                       {"name": "head2", "type": "Dense", "units": 2, "inputs": ["sum"]}],
            "outputs": ["head1", "head2"]}
    model = lg.to_keras(spec)
    assert [t.name for t in model.inputs] == ["a", "b"]
    assert [tuple(t.shape) for t in model.outputs] == [(None, 3), (None, 2)]


@keras_test
def test_names_keras_forbids_are_reported_as_diagnostics():
    spec = {"inputs": [{"name": "x", "shape": [4]}],
            "layers": [{"name": "dense/1", "type": "Dense", "units": 2}]}
    with pytest.raises(lg.SpecError) as info:
        lg.to_keras(spec)
    assert "dense/1" in str(info.value) and "'/'" in str(info.value)


@keras_test
def test_a_layer_keras_rejects_is_named_in_a_clear_error():
    from layergraph.registry import LayerType, Registry, get_registry

    class Bogus(LayerType):
        """A plugin type with no Keras class behind it."""

        type_name = "BogusLayer"

    registry = Registry(dict(get_registry().types))
    registry.register(Bogus)
    analysis = lg.analyze({"inputs": [{"name": "x", "shape": [4]}],
                           "layers": [{"name": "odd", "type": "BogusLayer"}]}, registry=registry)
    with pytest.raises(KerasBuildError, match=r"layer 'odd' \(BogusLayer\)"):
        lg.to_keras(analysis)


@keras_test
@pytest.mark.parametrize("initializer", [
    {"class_name": "__lambda__", "config": {"code": "YQ==", "defaults": None, "closure": None}},
    {"module": "os", "class_name": "system", "config": {"command": "touch /tmp/lg-pwned"}},
    {"module": "keras.src.saving.serialization_lib",
     "class_name": "enable_unsafe_deserialization", "config": {}},
])
def test_code_smuggled_into_a_spec_is_refused_by_name(initializer):
    spec = {"inputs": [{"name": "x", "shape": [4]}],
            "layers": [{"name": "d", "type": "Dense", "units": 2, "kernel_initializer": initializer}]}
    # Refused by the checker (a non-Keras module) or by Keras itself, naming the layer either way.
    with pytest.raises((KerasBuildError, lg.SpecError), match=r"layer 'd' \(Dense\)"):
        lg.to_keras(spec)


def _run(*parts: str) -> subprocess.CompletedProcess:
    code = "\n".join(textwrap.dedent(part) for part in parts)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_a_spec_with_errors_is_refused_with_its_diagnostics_before_tensorflow_is_imported():
    result = _run("""
        import sys, layergraph as lg
        try:
            lg.to_keras({"inputs": [{"name": "x", "shape": [4]}],
                         "layers": [{"type": "Dense", "units": 10**12}]})
        except lg.SpecError as exc:
            print(exc.diagnostics[0].code.value, "tensorflow" in sys.modules, "keras" in sys.modules)
    """)
    assert result.stdout.split() == ["LG601", "False", "False"], result.stderr


BLOCK_KERAS = """
    import sys, importlib.abc
    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("keras", "tensorflow"):
                raise ImportError(f"No module named {name!r}")
    sys.meta_path.insert(0, Block())
"""


def test_missing_tensorflow_gives_one_message_with_the_install_command():
    result = _run(BLOCK_KERAS, """
        import layergraph as lg
        from layergraph.keras_support import KerasUnavailableError
        try:
            lg.to_keras("specs/alexnet.json")
        except KerasUnavailableError as exc:
            print(exc)
    """)
    assert "pip install 'layergraph[keras]'" in result.stdout, result.stderr
    assert result.stdout.count("\n") == 1


def test_the_cli_reports_missing_tensorflow_in_one_line(tmp_path):
    result = _run(BLOCK_KERAS, f"""
        import sys
        from layergraph.cli import main
        sys.argv = ["layergraph", "compile", "specs/alexnet.json", "-o", r"{tmp_path / 'a.keras'}"]
        main()
    """)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'layergraph[keras]'" in lines[0]
    assert not (tmp_path / "a.keras").exists()


def test_importing_layergraph_never_imports_tensorflow():
    result = _run("""
        import sys, layergraph as lg, layergraph.cli
        lg.analyze("specs/vgg16.json"); lg.export_python("specs/vgg16.json")
        print("tensorflow" in sys.modules, "keras" in sys.modules)
    """)
    assert result.stdout.split() == ["False", "False"], result.stderr


@keras_test
def test_models_build_and_train_under_a_mirrored_strategy_with_two_replicas():
    result = _run("""
        import numpy as np, tensorflow as tf
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
        import layergraph as lg
        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        with strategy.scope():
            model = lg.to_keras("specs/mnist_cnn.json")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        mirrored = all(isinstance(w.value, tf.distribute.DistributedValues) for w in model.weights)
        x = np.random.default_rng(0).random((8, 28, 28, 1), dtype=np.float32)
        history = model.fit(x, np.arange(8) % 10, batch_size=4, epochs=1, verbose=0)
        print(strategy.num_replicas_in_sync, mirrored, np.isfinite(history.history["loss"][0]))
    """)
    assert result.stdout.split() == ["2", "True", "True"], result.stderr[-2000:]
