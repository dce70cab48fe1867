"""Importing model files: plain JSON is read, nothing is executed, bad files get clear
messages. Most of these run without TensorFlow."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile

import pytest

from conftest import ROOT
from layergraph.importers.keras import import_model, read_keras_file
from layergraph.keras_support import ModelImportError
from layergraph.limits import Limits


def _tensor(layer: str, shape: list) -> dict:
    return {"class_name": "__keras_tensor__",
            "config": {"shape": [None] + shape, "dtype": "float32", "keras_history": [layer, 0, 0]}}


def _layer(name: str, class_name: str, config: dict, *inputs) -> dict:
    return {"module": "keras.layers", "class_name": class_name, "registered_name": None,
            "name": name, "config": {"name": name, "trainable": True, **config},
            "inbound_nodes": [{"args": list(inputs), "kwargs": {}}] if inputs else []}


def functional(layers: list, outputs: list, name: str = "m") -> dict:
    return {"class_name": "Functional", "config": {
        "name": name, "layers": layers, "input_layers": [["x", 0, 0]], "output_layers": outputs}}


INPUT = {"module": "keras.layers", "class_name": "InputLayer", "name": "x",
         "config": {"name": "x", "batch_shape": [None, 8, 8, 3], "dtype": "float32"},
         "inbound_nodes": []}


def write_model_file(path, config, extra: dict | None = None) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", json.dumps(config))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)


def test_a_functional_config_becomes_a_spec_with_canonical_parameters():
    conv = _layer("conv", "Conv2D", {"filters": 4, "kernel_size": [3, 3], "strides": [1, 1],
                                     "padding": "valid", "activation": "linear",
                                     "data_format": "channels_last"}, _tensor("x", [8, 8, 3]))
    result = import_model(functional([INPUT, conv], ["conv", 0, 0]))
    assert result.data["layers"] == [{"name": "conv", "type": "Conv2D", "filters": 4,
                                      "kernel_size": 3}]
    assert result.analysis.layers["conv"].output_shape == (6, 6, 4)


def test_keras2_style_inbound_nodes_are_understood():
    conv = _layer("conv", "Conv2D", {"filters": 4, "kernel_size": 1})
    conv["inbound_nodes"] = [[["x", 0, 0, {}]]]
    add = _layer("sum", "Add", {})
    add["inbound_nodes"] = [[["x", 0, 0, {}], ["conv", 0, 0, {}]]]
    conv["config"]["filters"] = 3
    result = import_model(functional([INPUT, conv, add], [["sum", 0, 0]]))
    assert result.analysis.layers["sum"].inputs == ["x", "conv"]


def test_a_recorded_shape_that_disagrees_with_layergraph_is_reported():
    conv = _layer("conv", "Conv2D", {"filters": 4, "kernel_size": 3}, _tensor("x", [8, 8, 3]))
    pool = _layer("pool", "MaxPooling2D", {"pool_size": 2}, _tensor("conv", [7, 7, 4]))
    with pytest.raises(ModelImportError, match=r"\(6, 6, 4\).*'conv'.*\(7, 7, 4\)"):
        import_model(functional([INPUT, conv, pool], ["pool", 0, 0]))


def test_settings_a_spec_cannot_hold_are_refused_by_name():
    bn = _layer("bn", "BatchNormalization", {"renorm": True}, _tensor("x", [8, 8, 3]))
    call = _layer("drop", "Dropout", {"rate": 0.5}, _tensor("bn", [8, 8, 3]))
    call["inbound_nodes"][0]["kwargs"] = {"training": True}
    with pytest.raises(ModelImportError) as info:
        import_model(functional([INPUT, bn, call], ["drop", 0, 0]))
    assert "renorm=True" in str(info.value) and "training=True" in str(info.value)


def test_unknown_and_custom_types_are_named_and_point_to_plugins():
    custom = _layer("mine", "Swirl", {}, _tensor("x", [8, 8, 3]))
    custom["module"], custom["registered_name"] = "mypkg.layers", "mypkg>Swirl"
    unknown = _layer("fancy", "FancyLayer", {"units": 3}, _tensor("mine", [8, 8, 3]))
    with pytest.raises(ModelImportError) as info:
        import_model(functional([INPUT, custom, unknown], ["fancy", 0, 0]))
    message = str(info.value)
    assert "'mine' (mypkg>Swirl)" in message and "'fancy' (FancyLayer)" in message
    assert "entry point" in message


@pytest.mark.parametrize("make, expected", [
    (lambda p: None, "cannot read"),
    (lambda p: p.mkdir(), "cannot read"),
    (lambda p: p.write_text("not a zip"), "not a Keras model file"),
    (lambda p: write_model_file(p, {}, None) or _drop_config(p), "no config.json"),
    (lambda p: _zip_text(p, "{not json"), "not valid JSON"),
    (lambda p: _zip_text(p, "[1, 2]"), "does not describe a model"),
    (lambda p: _zip_text(p, json.dumps({"class_name": "Functional", "config": {"name": "m"}})),
     "only functional and Sequential"),
])
def test_unreadable_model_files_get_clear_messages(tmp_path, make, expected):
    path = tmp_path / "model.keras"
    make(path)
    with pytest.raises(ModelImportError, match=expected):
        import_model(path)


def _zip_text(path, text: str) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", text)


def _drop_config(path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", "{}")


@pytest.mark.parametrize("broken", [
    {"class_name": "Functional", "config": {"name": "m", "layers": [{"class_name": "Dense",
                                                                      "config": [1, 2]}]}},
    {"class_name": "Functional", "config": {"name": "m", "layers": [INPUT],
                                            "input_layers": [["x", 0, 0]], "output_layers": 5}},
    {"class_name": "Functional", "config": {"name": "m", "input_layers": [], "layers": [
        INPUT, {**_layer("d", "Dense", {"units": 2}), "inbound_nodes": [{"args": [
            {"class_name": "__keras_tensor__", "config": {"keras_history": 7}}]}]}]}},
])
def test_malformed_configs_are_reported_not_raised(broken):
    with pytest.raises(ModelImportError, match="malformed|cannot|does not check"):
        import_model(broken)


def test_legacy_hdf5_files_are_refused_with_the_way_forward(tmp_path):
    with pytest.raises(ModelImportError, match="save it as .keras"):
        import_model(tmp_path / "old.h5")


def test_an_oversized_config_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.keras"
    _zip_text(path, json.dumps({"pad": "x" * 5000}))
    with pytest.raises(ModelImportError, match="too large"):
        read_keras_file(path, Limits(max_file_bytes=1000))


def test_converting_never_imports_keras():
    code = textwrap.dedent("""
        import sys
        from layergraph.importers.keras import import_model
        import test_import_files as t
        conv = t._layer("conv", "Conv2D", {"filters": 2, "kernel_size": 1}, t._tensor("x", [8, 8, 3]))
        import_model(t.functional([t.INPUT, conv], ["conv", 0, 0]))
        print("keras" in sys.modules, "tensorflow" in sys.modules)
    """)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "tests", capture_output=True,
                            text=True, timeout=120)
    assert result.stdout.split() == ["False", "False"], result.stderr


@pytest.mark.keras
def test_a_model_file_with_code_is_refused_without_running_the_code(tmp_path):
    keras = pytest.importorskip("keras")
    marker = tmp_path / "code-ran"
    inputs = keras.Input((4,), name="x")
    outputs = keras.layers.Lambda(
        lambda t, path=str(marker): (open(path, "w").close(), t)[1], name="payload")(inputs)
    assert marker.exists()  # building the model ran the function once
    marker.unlink()
    path = tmp_path / "payload.keras"
    keras.Model(inputs, outputs).save(path)
    code = textwrap.dedent(f"""
        import sys
        from layergraph.importers.keras import import_model
        from layergraph.keras_support import ModelImportError
        try:
            import_model(r"{path}")
        except ModelImportError as exc:
            print(exc)
        print("tensorflow" in sys.modules)
    """)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert "'payload' (Lambda)" in result.stdout, result.stderr
    assert result.stdout.strip().endswith("False")
    assert not marker.exists()
