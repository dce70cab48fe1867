"""Benchmark: compiling specs to Keras vs hand-written Keras, and importing ResNet50.

For each bundled spec, `layergraph.to_keras(path)` (read + check + build) is timed
against hand-written Keras code that builds the same model, in the same process,
alternating the two so drift hits both. TensorFlow is imported before any timing;
Keras's session is cleared between runs (outside the timed region). The median of
the repeats is reported, in process CPU time so that other load on a shared machine
does not land on one side; the target is a ratio <= 1.05.

Run: .venv/bin/python benchmarks/bench_keras.py [--repeat N]
"""

from __future__ import annotations

import argparse
import gc
import os
import runpy
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import keras  # noqa: E402  (imported before timing on purpose)
from keras import layers  # noqa: E402

import layergraph as lg  # noqa: E402
from layergraph.importers.keras import import_model  # noqa: E402
from common import ratio_line  # noqa: E402

# -- hand-written peers: the same models written directly with the Keras API --------------


def alexnet():
    x = inputs = keras.Input((227, 227, 3), name="image")
    x = layers.Conv2D(96, 11, strides=4, activation="relu", name="conv1")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    x = layers.Conv2D(256, 5, padding="same", activation="relu", name="conv2")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool2")(x)
    x = layers.Conv2D(384, 3, padding="same", activation="relu", name="conv3")(x)
    x = layers.Conv2D(384, 3, padding="same", activation="relu", name="conv4")(x)
    x = layers.Conv2D(256, 3, padding="same", activation="relu", name="conv5")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool3")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(4096, activation="relu", name="fc1")(x)
    x = layers.Dropout(0.5, name="dropout1")(x)
    x = layers.Dense(4096, activation="relu", name="fc2")(x)
    x = layers.Dropout(0.5, name="dropout2")(x)
    x = layers.Dense(1000, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, x, name="AlexNet")


def mnist_cnn():
    """The seed notes' Basic_CNN code."""
    inputs = layers.Input((28, 28, 1))
    net = inputs
    for filters in (32, 64):
        for _ in range(2):
            net = layers.Conv2D(filters, (3, 3), padding="SAME")(net)
            net = layers.Activation("relu")(net)
        net = layers.MaxPooling2D(pool_size=(2, 2))(net)
        net = layers.Dropout(0.25)(net)
    net = layers.Flatten()(net)
    net = layers.Dense(512)(net)
    net = layers.Activation("relu")(net)
    net = layers.Dropout(0.5)(net)
    net = layers.Dense(10)(net)
    net = layers.Activation("softmax")(net)
    return keras.Model(inputs=inputs, outputs=net, name="Basic_CNN")


def residual_cnn():
    def block(x, name, filters, strides=1):
        y = layers.Conv2D(filters, 3, strides=strides, padding="same", use_bias=False,
                          name=f"{name}_conv1")(x)
        y = layers.BatchNormalization(name=f"{name}_bn1")(y)
        y = layers.ReLU(name=f"{name}_relu1")(y)
        y = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv2")(y)
        y = layers.BatchNormalization(name=f"{name}_bn2")(y)
        if strides > 1:
            x = layers.Conv2D(filters, 1, strides=strides, use_bias=False,
                              name=f"{name}_shortcut")(x)
            x = layers.BatchNormalization(name=f"{name}_shortcut_bn")(x)
        y = layers.Add(name=f"{name}_add")([y, x])
        return layers.ReLU(name=f"{name}_out")(y)

    inputs = keras.Input((32, 32, 3), name="image")
    x = layers.Conv2D(32, 3, padding="same", use_bias=False, name="stem_conv")(inputs)
    x = layers.BatchNormalization(name="stem_bn")(x)
    x = layers.ReLU(name="stem_relu")(x)
    x = block(x, "res1", 32)
    x = block(x, "res2", 32)
    x = block(x, "down", 64, strides=2)
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    x = layers.Dense(10, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, x, name="ResidualCNN")


def inception_module():
    def inception(x, name, f1=32, f3r=32, f3=48, f5r=8, f5=16, pool_proj=16):
        a = layers.Conv2D(f1, 1, activation="relu", name=f"{name}_1x1")(x)
        b = layers.Conv2D(f3r, 1, activation="relu", name=f"{name}_3x3_reduce")(x)
        b = layers.Conv2D(f3, 3, padding="same", activation="relu", name=f"{name}_3x3")(b)
        c = layers.Conv2D(f5r, 1, activation="relu", name=f"{name}_5x5_reduce")(x)
        c = layers.Conv2D(f5, 5, padding="same", activation="relu", name=f"{name}_5x5")(c)
        d = layers.MaxPooling2D(3, strides=1, padding="same", name=f"{name}_pool")(x)
        d = layers.Conv2D(pool_proj, 1, activation="relu", name=f"{name}_pool_proj")(d)
        return layers.Concatenate(name=f"{name}_concat")([a, b, c, d])

    inputs = keras.Input((64, 64, 3), name="image")
    x = layers.Conv2D(64, 7, strides=2, padding="same", activation="relu", name="stem_conv")(inputs)
    x = layers.MaxPooling2D(3, strides=2, padding="same", name="stem_pool")(x)
    x = inception(x, "inception3a")
    x = inception(x, "inception3b", f1=64, f3=96, f5=32, pool_proj=32)
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    x = layers.Dropout(0.4, name="dropout")(x)
    x = layers.Dense(10, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, x, name="MiniInception")


PEERS = {
    "alexnet": ("hand-written", alexnet),
    "mnist_cnn": ("seed notes", mnist_cnn),
    "residual_cnn": ("hand-written", residual_cnn),
    "inception_module": ("hand-written", inception_module),
    "vgg16": ("keras.applications", lambda: keras.applications.VGG16(weights=None)),
    "resnet50": ("keras.applications", lambda: keras.applications.ResNet50(weights=None)),
}


def exported_peer(path: Path):
    """For a spec without a hand-written peer: the script `layergraph export` writes."""
    namespace = runpy.run_path(_write_temp(lg.export_python(path)), run_name="bench")
    return namespace["build_model"]


def _write_temp(text: str) -> str:
    handle = tempfile.NamedTemporaryFile("w", suffix=".py", delete=False, encoding="utf-8")
    with handle:
        handle.write(text)
    return handle.name


# -- timing --------------------------------------------------------------------------------


# CPU time of this process (all its threads), not wall-clock time: the machine may be
# shared, and other processes' load would otherwise land on whichever side ran then.
CLOCK = time.process_time


def timed(build) -> float:
    keras.backend.clear_session()
    gc.collect()
    start = CLOCK()
    model = build()
    elapsed = CLOCK() - start
    del model
    return elapsed


def compare(ours, peer, repeat: int) -> tuple[float, float]:
    """Median build times, alternating which goes first in each round.

    Small models build in tens of milliseconds, where a 5% ratio is a few
    milliseconds of noise; they get more rounds (about 3 s of building per side).
    """
    ours_times, peer_times = [], []
    timed(ours)  # warm-up: first calls trace and cache
    estimate = timed(peer)
    repeat = min(41, max(repeat, int(3.0 / max(estimate, 1e-3))))
    for i in range(repeat):
        pair = [(ours, ours_times), (peer, peer_times)]
        for build, times in (pair if i % 2 == 0 else pair[::-1]):
            times.append(timed(build))
    return statistics.median(ours_times), statistics.median(peer_times)


def bench_compile(repeat: int) -> list[tuple]:
    rows = []
    for path in sorted((ROOT / "specs").glob("*.json")):
        label, peer = PEERS.get(path.stem, ("exported script", None))
        peer = peer or exported_peer(path)
        ours, theirs = compare(lambda: lg.to_keras(path), peer, repeat)
        rows.append((path.stem, label, ours, theirs, ours / theirs))
    return rows


def bench_import(repeat: int) -> list[tuple]:
    keras.backend.clear_session()
    model = keras.applications.ResNet50(weights=None)
    folder = Path(tempfile.mkdtemp())
    model_file = folder / "resnet50.keras"
    model.save(model_file)
    rows = []
    for label, ours, peer_label, peer in [
        ("from the live model", lambda: import_model(model), "model.get_config()",
         lambda: model.get_config()),
        ("from resnet50.keras", lambda: import_model(model_file), "keras.models.load_model",
         lambda: keras.models.load_model(model_file, safe_mode=True, compile=False)),
    ]:
        ours_times = [_seconds(ours) for _ in range(repeat)]
        peer_times = [_seconds(peer) for _ in range(repeat)]
        a, b = statistics.median(ours_times), statistics.median(peer_times)
        rows.append((f"ResNet50 import {label}", peer_label, a, b, a / b))
    return rows


def _seconds(call) -> float:
    gc.collect()
    start = CLOCK()
    call()
    return CLOCK() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    compile_rows = bench_compile(args.repeat)
    import_rows = bench_import(args.repeat)
    print(f"Keras build time: process CPU time, median of at least {args.repeat} rounds "
          "(TensorFlow import excluded)")
    print(f"{'spec':<18} {'peer':<20} {'layergraph':>11} {'peer':>9} {'ratio':>7}")
    for stem, label, ours, theirs, ratio in compile_rows:
        flag = "" if ratio <= 1.05 else "  > 1.05"
        print(f"{stem:<18} {label:<20} {ours * 1000:>9.1f}ms {theirs * 1000:>7.1f}ms "
              f"{ratio:>7.3f}{flag}")
    print()
    print(f"{'import':<38} {'peer':<24} {'layergraph':>11} {'peer':>9} {'ratio':>7}")
    for name, label, ours, theirs, ratio in import_rows:
        print(f"{name:<38} {label:<24} {ours * 1000:>9.1f}ms {theirs * 1000:>7.1f}ms {ratio:>7.3f}")
    worst = max(compile_rows, key=lambda row: row[4])
    ratio_line(f"keras: compile / hand-written Keras, worst of {len(compile_rows)} specs ({worst[0]})",
               f"{worst[4]:.3f}", "≤ 1.05", worst[4] <= 1.05)
    median = statistics.median(row[4] for row in compile_rows)
    ratio_line("keras: compile / hand-written Keras, median of the specs", f"{median:.3f}", "≤ 1.05",
               median <= 1.05)
    for name, label, _, _, ratio in import_rows:
        ratio_line(f"keras: {name} / {label}", f"{ratio:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
