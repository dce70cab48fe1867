"""Import a Keras model, compile the spec back, copy the weights over by layer name and
compare the outputs: the oracle for importers, nested models and shared layers.

A nested model becomes a block use, so its layers come back named ``<model>_<layer>``;
a shared layer is one Keras layer in both models, whatever the number of its calls.
"""

from __future__ import annotations

import numpy as np

import layergraph as lg
from layergraph.importers.keras import import_model


def leaf_layers(model, prefix: str = "") -> dict:
    """Every layer by the name ``to_keras`` gives it, nested models opened up (their
    layers prefixed with the nested model's name, as a block use prefixes them)."""
    found = {}
    for layer in model.layers:
        if hasattr(layer, "layers"):
            found.update(leaf_layers(layer, f"{prefix}{layer.name}_"))
        elif not (prefix and type(layer).__name__ == "InputLayer"):  # a nested model's input
            found[prefix + layer.name] = layer
    return found


def sample_inputs(model, scale: float = 255.0, batch: int = 2, shapes=None) -> list:
    """Random inputs in [0, scale); ``shapes`` for inputs of unknown size."""
    rng = np.random.default_rng(0)
    shapes = shapes or [tuple(tensor.shape[1:]) for tensor in model.inputs]
    return [(rng.random((batch, *shape)) * scale).astype("float32") for shape in shapes]


def assert_compiles_back(model, scale: float = 255.0, rtol: float = 1e-5, atol: float = 1e-5,
                         shapes=None):
    """Import ``model``; its parameters, layers and outputs (with copied weights) must be
    Keras's own. Returns the ImportResult and the rebuilt model."""
    result = import_model(model)
    assert result.analysis.total_params == model.count_params()
    rebuilt = lg.to_keras(result.spec)
    assert rebuilt.count_params() == model.count_params()
    original = leaf_layers(model)
    # The same layers (Keras orders a model's inputs by its own graph walk, so as sets).
    assert sorted(layer.name for layer in rebuilt.layers) == sorted(original)
    for layer in rebuilt.layers:
        layer.set_weights(original[layer.name].get_weights())
    x = sample_inputs(model, scale, shapes=shapes)
    arg = x[0] if len(x) == 1 else x
    # training=False: augmentation layers (whose call defaults to training) pass data through
    expected, got = model(arg, training=False), rebuilt(arg, training=False)
    for e, g in zip(_as_list(expected), _as_list(got)):
        np.testing.assert_allclose(np.asarray(g), np.asarray(e), rtol=rtol, atol=atol)
    return result, rebuilt


def _as_list(outputs) -> list:
    return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
