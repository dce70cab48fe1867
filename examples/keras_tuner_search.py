"""KerasTuner over a spec's parameters: `hp.Int(...)` values become `--set`-style overrides.

The architecture stays in examples/tunable_cnn.json; the search space is only the
parameters it declares. Each trial's spec is checked by layergraph before Keras builds
it, so a bad combination is reported as a diagnostic rather than a Keras traceback.

Run: .venv/bin/python examples/keras_tuner_search.py   (a tiny search on generated data)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

SPEC = Path(__file__).with_name("tunable_cnn.json")


def build_model(hp):
    """A compiled Keras model for one point of the search space."""
    import keras

    import layergraph as lg

    model = lg.to_keras(SPEC, width=hp.Int("width", 4, 16, step=4),
                        depth=hp.Int("depth", 1, 2), dropout=hp.Choice("dropout", [0.0, 0.25]))
    model.compile(optimizer=keras.optimizers.Adam(hp.Choice("learning_rate", [1e-3, 3e-3])),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def generated_data(samples: int = 64, seed: int = 0):
    """Digits-shaped random images whose label is their brightest quadrant (learnable)."""
    rng = np.random.default_rng(seed)
    x = rng.random((samples, 28, 28, 1)).astype("float32")
    labels = rng.integers(0, 4, samples)
    for image, label in zip(x, labels):
        row, col = divmod(int(label), 2)
        image[row * 14:(row + 1) * 14, col * 14:(col + 1) * 14] += 1.0
    return x, labels


def search(directory: str, trials: int = 2, epochs: int = 1):
    """A RandomSearch of ``trials`` models; returns the tuner (best first via get_best_*)."""
    import keras_tuner

    x, y = generated_data()
    tuner = keras_tuner.RandomSearch(build_model, objective="val_loss", max_trials=trials,
                                     seed=0, directory=directory, project_name="tunable_cnn",
                                     overwrite=True)
    tuner.search(x[:48], y[:48], validation_data=(x[48:], y[48:]), epochs=epochs,
                 batch_size=16, verbose=0)
    return tuner


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as directory:
        best = search(directory).get_best_hyperparameters(1)[0]
        print("best parameters:", best.values, file=sys.stderr)
