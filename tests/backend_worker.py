"""Build cases on ONE Keras backend and save every layer's outputs: the parity test's worker.

Run as ``KERAS_BACKEND=jax python tests/backend_worker.py OUT_DIR CASE...`` (the backend
must be chosen before Keras is imported, hence one process per backend). A case is
``spec:NAME`` (a bundled spec), ``probe:NAME`` or ``keras:NAME`` (see backend_cases.py).
Weights are not the backend's random ones: each weight array is drawn from a seed made
of its layer's name and position, so every backend gets the same numbers without files
being passed between processes. Writes ``OUT_DIR/CASE.npz`` (a sample of each layer's
output, the same positions on every backend) and ``OUT_DIR/report.json``.
"""

from __future__ import annotations

import json
import sys
import time
import zlib
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
SAMPLE = 4096  # values kept per layer output


def seeded_weights(layer) -> list[np.ndarray]:
    """The same well-scaled arrays for a layer on every backend, from its name alone.

    Drawn in float32 directly: VGG16's 138 M weights took 5 s as float64 draws cast down.
    """
    arrays = []
    for index, weight in enumerate(layer.weights):
        shape = tuple(weight.shape)
        rng = np.random.default_rng(zlib.crc32(f"{layer.name}/{index}".encode()))
        path = getattr(weight, "path", weight.name)
        if len(shape) >= 2:  # a kernel: unit-variance outputs for unit-variance inputs
            fan_in = int(np.prod(shape[:-1])) or 1
            if "depthwise" in path:
                fan_in = int(np.prod(shape[:2]))
            array = rng.standard_normal(shape, dtype=np.float32)
            array *= np.float32(1.0 / np.sqrt(fan_in))
        elif "variance" in path or "gamma" in path:
            array = 1.0 + 0.2 * rng.random(shape, dtype=np.float32)
        elif "count" in path:
            array = np.full(shape, 1.0, dtype=np.float32)
        else:
            array = 0.1 * rng.standard_normal(shape, dtype=np.float32)
        dtype = weight.dtype if isinstance(weight.dtype, str) else "float32"
        arrays.append(array.astype(dtype, copy=False))
    return arrays


def seed_every_weight(model) -> None:
    """Give every layer of ``model`` its ``seeded_weights`` (after ``skip_random_initial_values``)."""
    for layer in model.layers:
        if layer.weights:
            layer.set_weights(seeded_weights(layer))


STEPS = 5  # the length given to an axis of unknown size (a seq2seq input's time axis)
TOKENS = 4  # integer inputs (token ids for an Embedding) are drawn from 0..TOKENS-1


def seeded_input(name: str, shape, dtype: str = "float32") -> np.ndarray:
    """The same input on every backend; integer ones are token ids, zeros (padding) included."""
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    shape = tuple(STEPS if size is None else size for size in shape)  # variable-length inputs
    if "int" in str(dtype):
        return rng.integers(0, TOKENS, (1, *shape)).astype(str(dtype))
    return rng.standard_normal((1, *shape)).astype("float32")


def _tensors(output) -> list:
    """A layer's output tensors (several for an RNN with return_state, a merge_mode=None Bidirectional)."""
    return list(output) if isinstance(output, (list, tuple)) else [output]


def build(case: str):
    """The Keras model of a case, and its input shapes."""
    import keras

    import layergraph as lg
    from backend_cases import KERAS_CASES, PROBE_SPECS

    kind, name = case.split(":", 1)
    if kind == "spec":
        model = lg.to_keras(HERE.parent / "specs" / f"{name}.json")
    elif kind == "probe":
        model = lg.to_keras(PROBE_SPECS[name])
    else:
        shape, class_name, kwargs = KERAS_CASES[name]
        inputs = keras.Input(shape, name="x")
        layer = getattr(keras.layers, class_name)(name="layer", **kwargs)
        # attention layers take (query, value): self-attention on the one input
        outputs = layer(inputs, inputs) if "Attention" in class_name else layer(inputs)
        model = keras.Model(inputs, outputs, name=name)
    return model


def layer_outputs(model, case: str) -> dict[str, np.ndarray]:
    """A fixed sample of every layer's output on the case's seeded input."""
    import keras

    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    seed_every_weight(model)
    names = [f"{layer.name}:{i}" if i else layer.name
             for layer in layers for i, _ in enumerate(_tensors(layer.output))]
    probe = keras.Model(model.inputs, [t for layer in layers for t in _tensors(layer.output)])
    inputs = [seeded_input(f"{case}/{i}", tuple(t.shape[1:]), t.dtype)
              for i, t in enumerate(model.inputs)]
    outputs = _run(probe, inputs[0] if len(inputs) == 1 else inputs)
    result = {}
    for name, output in zip(names, _tensors(outputs)):
        # float64, so boolean outputs (an ops.not_equal mask) can be subtracted too
        flat = keras.ops.convert_to_numpy(output).reshape(-1).astype("float64")
        picks = np.linspace(0, flat.size - 1, num=min(SAMPLE, flat.size)).astype(int)
        result[name] = flat[picks]
    return result


def _run(probe, inputs):
    """The probe's outputs in inference mode, as a user's ``predict`` computes them on JAX.

    On JAX, ``predict`` compiles the whole model once; calling the model eagerly compiles every
    operation on its own (ResNet50: 9 s against 2.5 s). The other backends run eagerly.
    """
    import keras

    if keras.backend.backend() == "jax":
        return probe.predict(inputs, batch_size=1, verbose=0)
    return probe(inputs, training=False)


def skip_random_initial_values() -> None:
    """Give every layer weight zeros until ``seeded_weights`` replaces it.

    Keras's random initializers cost JAX one XLA compilation per weight shape (~0.7 s each:
    95 % of building a model on JAX, minutes over all cases), and the values are overwritten
    anyway. The layers and their wiring are built as users build them; only the initial values
    differ, and ``set_weights`` replaces every one of them.
    """
    from keras.src.layers.layer import Layer

    real_add_weight = Layer.add_weight

    def add_weight(self, *args, **kwargs):
        kwargs["initializer"] = _zeros
        return real_add_weight(self, *args, **kwargs)

    Layer.add_weight = add_weight


def _zeros(shape, dtype=None):
    try:
        return np.zeros(shape, dtype=dtype or "float32")
    except TypeError:  # a dtype NumPy does not know (bfloat16)
        import keras

        return keras.ops.zeros(shape, dtype=dtype)


def main(out_dir: str, cases: list[str]) -> None:
    import keras

    skip_random_initial_values()

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = {"backend": keras.backend.backend(), "keras": keras.__version__, "cases": {}}
    for case in cases:
        started = time.perf_counter()
        try:
            model = build(case)
            built = time.perf_counter() - started
            np.savez(out / f"{case.replace(':', '-')}.npz", **layer_outputs(model, case))
            report["cases"][case] = {"ok": True, "build_seconds": built}
        except Exception as exc:  # recorded, so the test can say which case failed and how
            report["cases"][case] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:2000]}
    (out / "report.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
