"""Core benchmark: layergraph's check + summary against building the model in Keras.

Keras has to build the model to tell its shapes; layergraph computes them from
the spec. Also the scaling of the check over synthetic chains and DAGs.
Run: `make bench` (or `.venv/bin/python benchmarks/bench_core.py`).
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import fmt_seconds, median_seconds, print_table, ratio_line  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
VGG16 = ROOT / "specs" / "vgg16.json"


def layergraph_vgg16() -> float:
    import layergraph as lg
    from layergraph import summary

    def job():
        analysis = lg.analyze(VGG16)
        summary.to_dict(analysis)

    return median_seconds(job, repeat=20, warmup=2)


def keras_vgg16() -> tuple[float, float]:
    """(import time, median build + summary time) of the seed's VGG16 in Keras."""
    start = time.perf_counter()
    import keras
    from keras import layers
    import_time = time.perf_counter() - start

    def build():
        model = keras.Sequential([layers.Input(shape=(224, 224, 3))])
        for filters, convs in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
            for _ in range(convs):
                model.add(layers.Conv2D(filters, 3, padding="same", activation="relu"))
            model.add(layers.MaxPooling2D(2, strides=2))
        model.add(layers.Flatten())
        model.add(layers.Dense(4096, activation="relu"))
        model.add(layers.Dense(4096, activation="relu"))
        model.add(layers.Dense(1000, activation="softmax"))
        [layer.output.shape for layer in model.layers]
        model.count_params()
        keras.backend.clear_session()

    return import_time, median_seconds(build, repeat=5, warmup=1)


def chain_spec(n: int) -> str:
    layers = [{"type": "Dense", "units": 16, "activation": "relu"} for _ in range(n)]
    return json.dumps({"inputs": [{"shape": [16]}], "layers": layers})


def dag_spec(n: int) -> str:
    """Residual-style DAG: every third layer adds the outputs of two earlier ones."""
    layers = []
    for i in range(n):
        if i % 3 == 2:
            layers.append({"name": f"l{i}", "type": "Add", "inputs": [f"l{i - 1}", f"l{i - 2}"]})
        else:
            layers.append({"name": f"l{i}", "type": "Dense", "units": 16})
    return json.dumps({"inputs": [{"shape": [16]}], "layers": layers})


def varied_spec(n: int) -> str:
    """A chain of n layers with parameters that differ from layer to layer (no two alike)."""
    layers = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            layers.append({"name": f"d{i}", "type": "Dense", "units": 8 + i % 97,
                           "activation": ["relu", "tanh", "linear"][i % 3], "use_bias": i % 2 == 0})
        elif kind == 1:
            layers.append({"name": f"n{i}", "type": "LayerNormalization", "epsilon": 1e-3 + i * 1e-9})
        elif kind == 2:
            layers.append({"name": f"a{i}", "type": "Activation", "activation": ["relu", "gelu"][i % 2]})
        else:
            layers.append({"name": f"p{i}", "type": "Dropout", "rate": (i % 50) / 100})
    return json.dumps({"inputs": [{"shape": [16]}], "layers": layers})


def json_ratio_rows() -> list[list[str]]:
    """Analysis of varied specs against json.loads of the same text, same process."""
    import layergraph as lg
    from layergraph.spec import GraphSpec

    rows, per_layer = [], {}
    for n in (1_000, 10_000, 100_000):
        text = varied_spec(n)
        repeat = 5 if n < 100_000 else 2
        parse = median_seconds(lambda: json.loads(text), repeat=repeat)
        analysis_time = median_seconds(lambda: lg.analyze(text), repeat=repeat)
        analysis = lg.analyze(text)
        assert analysis.ok and len(analysis.layers) == n + 1, analysis.errors[:3]
        data = json.loads(text)
        collecting = gc.isenabled()
        gc.disable()  # as analyze() runs it
        try:  # what Pydantic alone takes to build the spec's models, part of every analysis
            models = median_seconds(lambda: GraphSpec.model_validate(data), repeat=repeat)
        finally:
            if collecting:
                gc.enable()
        per_layer[n] = analysis_time / n
        ratio = analysis_time / parse
        rows.append([f"{n:,}", fmt_seconds(parse), fmt_seconds(analysis_time),
                     f"{per_layer[n] * 1e6:.1f} µs", f"{ratio:.1f}×", f"{models / parse:.1f}×"])
        ratio_line(f"analysis vs json.loads, {n:,} varied layers", f"{ratio:.1f}×", "≤ 15×",
                   ratio <= 15)
    flat = max(per_layer.values()) / min(per_layer.values())
    ratio_line("analysis per layer, 100k vs 1k (flatness)", f"{flat:.2f}×", "≤ 1.5×", flat <= 1.5)
    return rows


def resnet50_in_process() -> float:
    import layergraph as lg

    text = (ROOT / "specs" / "resnet50.json").read_text()
    seconds = median_seconds(lambda: lg.analyze(text), repeat=20, warmup=2)
    ratio_line("ResNet50 analysis in process", fmt_seconds(seconds), "≤ 5 ms", seconds <= 5e-3)
    return seconds


def scaling_rows() -> list[list[str]]:
    import layergraph as lg

    rows = []
    for kind, make in (("chain", chain_spec), ("DAG", dag_spec)):
        for n in (1_000, 10_000, 100_000):
            text = make(n)
            seconds = median_seconds(lambda: lg.analyze(text), repeat=3 if n < 100_000 else 1)
            analysis = lg.analyze(text)
            assert analysis.ok and len(analysis.layers) == n + 1, analysis.errors[:3]
            rows.append([kind, f"{n:,}", fmt_seconds(seconds), f"{seconds / n * 1e6:.1f} µs"])
    return rows


def main() -> None:
    start = time.perf_counter()
    import layergraph  # noqa: F401
    lg_import = time.perf_counter() - start
    ours = layergraph_vgg16()
    keras_import, theirs = keras_vgg16()
    print("VGG16: shapes and parameter counts")
    print_table(["tool", "import", "check + summary / build", "ratio"], [
        ["layergraph", fmt_seconds(lg_import), fmt_seconds(ours), "1×"],
        ["Keras (build model)", fmt_seconds(keras_import), fmt_seconds(theirs),
         f"layergraph is {theirs / ours:.0f}× faster (target ≥ 100×)"],
    ])
    ratio_line("VGG16 check + summary in process vs Keras building it", f"{theirs / ours:.0f}× faster",
               "≥ 100×", theirs / ours >= 100)
    print("\nCheck of synthetic graphs (JSON text → analysis)")
    print_table(["graph", "layers", "time", "per layer"], scaling_rows())
    print("\nVaried parameters: analysis against json.loads of the same text")
    print_table(["layers", "json.loads", "analysis", "per layer", "ratio",
                 "of which the spec's Pydantic models"], json_ratio_rows())
    print(f"\nResNet50 analysis in process (JSON text → analysis): {fmt_seconds(resnet50_in_process())}")


if __name__ == "__main__":
    main()
