"""Whole-process benchmark: a `layergraph` command against a Python process doing it with Keras.

What a user waits for is the process: interpreter start, imports, work, exit.
`layergraph check|summary specs/vgg16.json` is timed against a process that builds
VGG16 in Keras and prints its shapes and parameters (benchmarks/peers/keras_vgg16.py),
and `layergraph render` of ResNet50 to SVG against `keras.utils.plot_model` of
`keras.applications.ResNet50` (benchmarks/peers/keras_plot_resnet50.py). Wall time,
medians of several runs, the two sides interleaved so the machine's load hits both.
Run: `make bench` (or `.venv/bin/python benchmarks/bench_process.py [--repeat N]`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from common import fmt_seconds, print_table, progress, ratio_line  # noqa: E402

PY = sys.executable
LG = [PY, "-m", "layergraph"]


def process_env() -> dict[str, str]:
    """The environment of every timed process: as a user's shell has it.

    PYTHONDONTWRITEBYTECODE (set on some CI machines) is dropped: without cached bytecode
    every start of layergraph's editable install recompiles its sources (~0.15 s), which
    no installed copy does; the warm-up run writes the cache. Keras's side is installed
    with its bytecode either way.
    """
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=process_env())
    return time.perf_counter() - start


def interleaved(commands: dict[str, list[str]], repeat: dict[str, int]) -> dict[str, float]:
    """Median wall time of each command; one warm-up run each, then rounds in turn."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for name, command in commands.items():
        wall(command)
    for i in range(max(repeat.values())):
        for name, command in commands.items():
            if i < repeat[name]:
                progress(f"{name}: run {i + 1}/{repeat[name]}")
                times[name].append(wall(command))
    progress("")
    return {name: statistics.median(t) for name, t in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs of each layergraph command")
    args = parser.parse_args()
    vgg16, resnet50 = str(ROOT / "specs" / "vgg16.json"), str(ROOT / "specs" / "resnet50.json")
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "layergraph check vgg16": [*LG, "check", vgg16],
            "layergraph summary vgg16": [*LG, "summary", vgg16],
            "Keras: build VGG16, print shapes": [PY, str(HERE / "peers" / "keras_vgg16.py")],
            "layergraph render resnet50 → SVG": [*LG, "render", resnet50, "-o", f"{tmp}/lg.svg"],
            "Keras: ResNet50 + plot_model → SVG": [PY, str(HERE / "peers" / "keras_plot_resnet50.py"),
                                                   f"{tmp}/keras.svg"],
        }
        peers = max(3, args.repeat // 2)
        repeat = {name: (peers if name.startswith("Keras") else args.repeat) for name in commands}
        medians = interleaved(commands, repeat)
    print(f"Whole processes, wall time, median (layergraph {args.repeat} runs, Keras {peers}); "
          f"load average {os.getloadavg()[0]:.1f}")
    print_table(["process", "median"], [[n, fmt_seconds(t)] for n, t in medians.items()])
    keras_vgg = medians["Keras: build VGG16, print shapes"]
    for name in ("layergraph check vgg16", "layergraph summary vgg16"):
        ratio = keras_vgg / medians[name]
        ratio_line(f"process: {name.removeprefix('layergraph ')} vs Keras building VGG16",
                   f"{ratio:.1f}× faster", "≥ 30×", ratio >= 30)
    plot = medians["Keras: ResNet50 + plot_model → SVG"] / medians["layergraph render resnet50 → SVG"]
    ratio_line("process: render ResNet50 SVG vs plot_model", f"{plot:.1f}× faster", "≥ 10×",
               plot >= 10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
