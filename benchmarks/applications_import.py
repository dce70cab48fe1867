"""Every keras.applications model, imported: build it (weights=None), import it with
layergraph, compare the analysis with Keras layer by layer (output shapes, parameters),
compile the spec back, copy the weights over by layer name and compare the outputs.

    python benchmarks/applications_import.py                   # all 40 models
    python benchmarks/applications_import.py -k ConvNeXt       # only the names that match
    python benchmarks/applications_import.py --no-forward-above 30000000

Models with more parameters than --no-forward-above (default 150 M) are compared by structure
only: their forward pass takes minutes on two CPU cores. Progress is shown on a terminal and
nothing is shown when stderr is piped.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(HERE)]
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from common import print_table, progress  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Import every matching application; print one row per model and the total."""
    args = _parser().parse_args(argv)
    import keras

    names = [n for n in dir(keras.applications) if n[:1].isupper()
             and (not args.k or any(k.lower() in n.lower() for k in args.k))]
    rows, imported = [], 0
    for index, name in enumerate(names, 1):
        progress(f"[{index}/{len(names)}] {name}")
        row = try_application(keras, name, args.no_forward_above)
        imported += row[1] == "✓"
        rows.append(row)
    progress("")
    print_table(["model", "imported", "layers", "params", "max diff", "seconds", "why not"], rows)
    print(f"\n{imported} of {len(names)} keras.applications models import and compile back")
    return 0 if imported == len(names) else 1


def try_application(keras, name: str, no_forward_above: int) -> list[str]:
    """One table row: import, compare, compile back, compare outputs (or structure)."""
    import numpy as np

    import layergraph as lg
    from keras_roundtrip import leaf_layers
    from layergraph.importers.keras import import_model

    start = time.perf_counter()
    keras.backend.clear_session()
    original = getattr(keras.applications, name)(weights=None)
    try:
        result = import_model(original)
        analysis = result.analysis
        sources = leaf_layers(original)  # a nested model's layers by their names in the spec
        mismatched = [name for name, layer in sources.items()
                      if name not in analysis.layers
                      or analysis.layers[name].param_count != layer.count_params()
                      or analysis.layers[name].output_shape != tuple(layer.output.shape[1:])]
        if mismatched or analysis.total_params != original.count_params():
            raise AssertionError(f"differs from Keras at {', '.join(mismatched[:3]) or 'the total'}")
        rebuilt = lg.to_keras(result.spec)
        for layer in rebuilt.layers:
            layer.set_weights(sources[layer.name].get_weights())
        difference = "structure only"
        if original.count_params() <= no_forward_above:
            shape = (1, *(224 if d is None else d for d in original.inputs[0].shape[1:]))
            x = np.random.default_rng(0).random(shape, dtype=np.float32) * 255
            difference = float(np.abs(np.asarray(original(x, training=False))
                                      - np.asarray(rebuilt(x, training=False))).max())
            if difference > 1e-4:
                raise AssertionError(f"outputs differ by {difference:.1e}")
            difference = f"{difference:.1e}"
        return [name, "✓", str(len(analysis.layers)), f"{analysis.total_params:,}", difference,
                f"{time.perf_counter() - start:.1f}", ""]
    except Exception as error:  # a row saying why, not a traceback: the table goes on
        return [name, "✗", "", f"{original.count_params():,}", "", f"{time.perf_counter() - start:.1f}",
                f"{type(error).__name__}: {str(error)[:80]}"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-k", action="append", help="only the models whose name contains this")
    parser.add_argument("--no-forward-above", type=int, default=150_000_000,
                        help="compare only the structure of models with more parameters")
    return parser


if __name__ == "__main__":
    sys.exit(main())
