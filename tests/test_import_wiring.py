"""Importing multi-input models wires every layer to the tensors Keras feeds it.

Issue 9's silent mis-import: a Keras config may list an InputLayer after layers that
read another input; a spec lists its inputs first, so leaving `inputs` out of such a
layer would make it read the wrong input. The oracle is Keras: the inbound layers of
every node, and the outputs of the recompiled model with copied weights.
"""

from __future__ import annotations

import numpy as np
import pytest

import layergraph as lg
from layergraph.importers import keras_config
from layergraph.importers.keras import import_model
from layergraph.keras_support import ModelImportError

pytestmark = pytest.mark.keras
from lazy_keras import keras, layers  # noqa: E402


def issue_minimal_model():
    """The issue's case: `b` is declared after `dense`, which reads `a`."""
    a = keras.Input((3,), name="a")
    x = layers.Dense(4, name="dense")(a)
    x = layers.Dense(4, name="dense_1")(x)
    b = keras.Input((5,), name="b")
    y = layers.Dense(4, name="dense_2")(b)
    out = layers.Concatenate(name="concat")([x, y, a])
    return keras.Model([a, b], out, name="minimal")


def three_inputs_uneven_branches():
    """Three inputs, branches of depth 3, 1 and 0, the deepest declared first."""
    a = keras.Input((6,), name="a")
    x = layers.Dense(8, activation="relu", name="a1")(a)
    x = layers.Dense(8, name="a2")(x)
    x = layers.Dense(5, name="a3")(x)
    b = keras.Input((7,), name="b")
    y = layers.Dense(5, name="b1")(b)
    c = keras.Input((5,), name="c")
    added = layers.Add(name="add")([x, y, c])
    out = layers.Dense(2, name="head")(layers.Concatenate(name="cat")([added, a]))
    return keras.Model([a, b, c], out, name="uneven")


def image_and_table_model():
    """An image branch and a tabular branch; the tabular input is declared mid-way."""
    image = keras.Input((16, 16, 3), name="image")
    x = layers.Conv2D(4, 3, name="conv")(image)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    table = keras.Input((9,), name="table")
    t = layers.Dense(4, name="t1")(table)
    t = layers.Dense(4, name="t2")(t)
    x = layers.Dense(4, name="img_dense")(x)  # follows t2 in the config, reads gap
    out = layers.Concatenate(name="cat")([x, t])
    return keras.Model([image, table], out, name="two_branches")


MODELS = [issue_minimal_model, three_inputs_uneven_branches, image_and_table_model]


def keras_wiring(model) -> dict[str, list[str]]:
    """Each layer's inbound layer names, as Keras's graph holds them."""
    wiring = {}
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        node = layer._inbound_nodes[0]
        wiring[layer.name] = [t._keras_history.operation.name for t in node.input_tensors]
    return wiring


def sample_inputs(model) -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    return [rng.random((2,) + tuple(t.shape[1:]), dtype=np.float32) for t in model.inputs]


@pytest.mark.parametrize("build", MODELS, ids=lambda f: f.__name__)
def test_imported_multi_input_models_are_wired_as_in_keras(build):
    model = build()
    result = import_model(model)
    spec_wiring = {name: list(r.inputs) for name, r in result.analysis.layers.items()
                   if r.type != "InputLayer"}
    assert spec_wiring == keras_wiring(model)
    assert result.analysis.total_params == model.count_params()


@pytest.mark.parametrize("build", MODELS, ids=lambda f: f.__name__)
def test_imported_multi_input_models_compute_what_keras_computes(build):
    model = build()
    rebuilt = lg.to_keras(import_model(model).spec)
    for layer in rebuilt.layers:
        layer.set_weights(model.get_layer(layer.name).get_weights())
    x = sample_inputs(model)
    by_name = dict(zip((t.name for t in model.inputs), x))
    ordered = [by_name[t.name] for t in rebuilt.inputs]
    np.testing.assert_allclose(rebuilt(ordered).numpy(), model(x).numpy(), atol=1e-6)


def test_the_issue_case_keeps_inputs_on_the_layer_reading_the_first_input():
    data = import_model(issue_minimal_model()).data
    first = data["layers"][0]
    assert first["name"] == "dense" and first["inputs"] == ["a"]
    assert "inputs" not in data["layers"][1]  # dense_1 reads dense: the rule holds


def test_the_final_check_refuses_a_spec_wired_differently_from_the_model(monkeypatch):
    def old_rule(layers_data, inputs):  # the config's order, as before the fix
        layers_data[0].pop("inputs")
        return layers_data

    monkeypatch.setattr(keras_config, "_omit_implied_inputs", old_rule)
    with pytest.raises(ModelImportError, match="wires layer 'dense'.*feeds it a"):
        import_model(issue_minimal_model())
