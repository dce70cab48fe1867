"""Benchmark: compile time of every bundled spec on each Keras backend.

Keras fixes its backend at import, so each backend runs in its own child process
(this script with ``--child BACKEND``). A child times ``import keras`` once (wall
time), then ``layergraph.to_keras(path)`` (read + check + build) per spec: the median
over the repeats, in process CPU time so that other load on a shared machine does not
land on one backend, with Keras's session cleared between runs (outside the timing).
A backend that is not installed is reported as such.

Run: .venv/bin/python benchmarks/bench_backends.py [--repeat N]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ("tensorflow", "jax", "torch")
SPECS = sorted((ROOT / "specs").glob("*.json"))


def child(repeat: int) -> dict:
    """Runs inside one backend's process: import time, then per-spec compile times."""
    started = time.perf_counter()
    import keras

    imported = time.perf_counter() - started
    sys.path.insert(0, str(ROOT))
    import layergraph as lg

    times = {}
    for spec in SPECS:
        runs = []
        for _ in range(repeat + 1):  # the first run warms caches; it is dropped
            keras.backend.clear_session()
            start = time.process_time()
            lg.to_keras(spec)
            runs.append(time.process_time() - start)
        times[spec.stem] = statistics.median(runs[1:])
    return {"backend": keras.backend.backend(), "import": imported, "compile": times}


def run_backend(backend: str, repeat: int) -> dict | None:
    if importlib.util.find_spec(backend) is None:  # each backend's package has its name
        return None
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
    out = subprocess.run([sys.executable, __file__, "--child", "--repeat", str(repeat)],
                         env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.repeat)))
        return
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from common import fmt_seconds, print_table

    results = {backend: run_backend(backend, args.repeat) for backend in BACKENDS}
    headers = ["spec", *(f"{b} (CPU)" for b in BACKENDS)]
    rows = [["import keras (wall)", *(fmt_seconds(r["import"]) if r else "not installed"
                                     for r in results.values())]]
    for spec in SPECS:
        rows.append([spec.stem, *(fmt_seconds(r["compile"][spec.stem]) if r else "—"
                                  for r in results.values())])
    print(f"lg.to_keras(spec) per backend, median of {args.repeat} (process CPU time)")
    print_table(headers, rows)


if __name__ == "__main__":
    main()
