"""The same spec gives the same outputs on TensorFlow, JAX and PyTorch.

One worker process per backend (tests/backend_worker.py) builds every case with
weights drawn from each layer's name, runs the same input, and saves a fixed sample
of every layer's output; the tests compare JAX and PyTorch with TensorFlow. Run with
``-s`` to see the parity matrix (case × backend, max abs difference of the outputs).
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from backend_cases import GAP_CASES, KERAS_CASES, PROBE_SPECS, REFERENCE_CANNOT_RUN, REFUSED
from backend_support import ROOT, backend_env, installed
from conftest import BUNDLED_SPECS

pytestmark = pytest.mark.keras

REFERENCE = "tensorflow"
OTHERS = ("jax", "torch")
CASES = ([f"spec:{p.stem}" for p in BUNDLED_SPECS] + [f"probe:{n}" for n in PROBE_SPECS]
         + [f"keras:{n}" for n in KERAS_CASES])
FINAL_TOLERANCE = 1e-4  # absolute, on the model's outputs
LAYER_TOLERANCE = 1e-4  # on every layer's output, relative to its largest value (at least 1)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every backend's worker, run once for the module and in parallel: {backend: report}."""
    if not installed(REFERENCE):
        pytest.skip("TensorFlow (the reference backend) is not installed")
    base = tmp_path_factory.mktemp("backends")
    workers = {backend: subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "backend_worker.py"), str(base / backend), *CASES],
        env=backend_env(backend), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for backend in (REFERENCE, *OTHERS) if installed(backend)}
    reports = {}
    for backend, worker in workers.items():
        _, err = worker.communicate(timeout=900)
        assert worker.returncode == 0, f"the {backend} worker crashed:\n{err[-4000:]}"
        reports[backend] = json.loads((base / backend / "report.json").read_text())
        reports[backend]["dir"] = base / backend
    return reports


def _outputs(report: dict, case: str) -> dict[str, np.ndarray]:
    with np.load(report["dir"] / f"{case.replace(':', '-')}.npz") as data:
        return {name: data[name] for name in data.files}


def reference_failed(runs: dict, case: str) -> bool:
    """True for a case TensorFlow is known not to run on this CPU, and did not."""
    return case in REFERENCE_CANNOT_RUN and not runs[REFERENCE]["cases"][case]["ok"]


def reference_for(runs: dict, case: str, backend: str) -> str:
    """TensorFlow, or for a case TensorFlow can't run on this CPU, the other backend."""
    if reference_failed(runs, case):
        return next(other for other in OTHERS if other != backend)
    return REFERENCE


def differences(runs: dict, backend: str, case: str) -> tuple[float, float, str]:
    """(max abs difference of the final output, worst scaled layer difference, its layer)."""
    reference = _outputs(runs[reference_for(runs, case, backend)], case)
    other = _outputs(runs[backend], case)
    assert list(reference) == list(other), f"{case}: the layers differ between backends"
    scaled = {name: float(np.max(np.abs(reference[name] - other[name])))
              / max(1.0, float(np.max(np.abs(reference[name])))) for name in reference}
    worst = max(scaled, key=scaled.get)
    last = list(reference)[-1]
    return float(np.max(np.abs(reference[last] - other[last]))), scaled[worst], worst


def _backend(runs, backend: str) -> dict:
    if backend not in runs:
        pytest.skip(f"the {backend} backend is not installed (pip install 'layergraph[{backend}]')")
    return runs[backend]


@pytest.mark.parametrize("backend", (REFERENCE, *OTHERS))
def test_every_case_builds_on_every_backend_except_the_known_gaps(runs, backend):
    report = _backend(runs, backend)
    gaps = {f"keras:{case}" for (_, gap_backend), case in GAP_CASES.items() if gap_backend == backend}
    failed = {case: result["error"] for case, result in report["cases"].items()
              if not result["ok"] and (case, backend) not in REFUSED and case not in gaps
              and not (backend == REFERENCE and case in REFERENCE_CANNOT_RUN)}
    assert failed == {}


def test_the_cases_tensorflow_cannot_run_on_the_cpu_fail_for_that_reason_only(runs):
    """A channels_first 2-D convolution failed on TensorFlow's CPU kernels (NHWC only) with the
    Keras releases this was written against; Keras 3.15.1 runs it, and then it is compared
    with TensorFlow like every other case."""
    report = _backend(runs, REFERENCE)
    for case, word in REFERENCE_CANNOT_RUN.items():
        result = report["cases"][case]
        assert result["ok"] or word in result["error"], result


@pytest.mark.parametrize("backend", OTHERS)
def test_every_layer_output_matches_tensorflow_with_the_same_weights(runs, backend):
    report = _backend(runs, backend)
    mismatches = {}
    for case in CASES:
        if not report["cases"][case]["ok"] or case.removeprefix("keras:") in GAP_CASES.values():
            continue
        final, layer, where = differences(runs, backend, case)
        if final > FINAL_TOLERANCE or layer > LAYER_TOLERANCE:
            mismatches[case] = f"final {final:.2e}, worst layer {where} {layer:.2e}"
    assert mismatches == {}


@pytest.mark.parametrize(("case", "backend"), list(REFUSED))
def test_a_known_gap_is_refused_before_building_naming_layer_and_backend(runs, case, backend):
    error = _backend(runs, backend)["cases"][case]["error"]
    assert error.startswith("SpecError") and "LG702" in error
    assert f"'{REFUSED[case, backend]}'" in error and f"the {backend} backend" in error


def test_every_known_gap_has_a_case_that_shows_it():
    from layergraph.backends import KNOWN_GAPS

    assert {(gap.layer_type, gap.backend) for gap in KNOWN_GAPS} == set(GAP_CASES)


@pytest.mark.parametrize(("gap", "case"), list(GAP_CASES.items()), ids=str)
def test_each_known_gap_really_differs_on_its_backend_only(runs, gap, case):
    """If a Keras release fixes the gap, this fails: drop the entry from KNOWN_GAPS."""
    _, backend = gap
    _backend(runs, backend)
    for other in OTHERS:
        if other not in runs:
            continue
        if not runs[other]["cases"][f"keras:{case}"]["ok"]:  # a gap may be a failure to run
            assert other == backend, runs[other]["cases"][f"keras:{case}"]["error"]
            continue
        final, _, _ = differences(runs, other, f"keras:{case}")
        assert (final > 1e-2) if other == backend else (final <= FINAL_TOLERANCE), other


def test_the_parity_matrix_is_printed(runs, capsys):
    """The table quoted in the docs: max abs difference of each case's output from TensorFlow."""
    others = [b for b in OTHERS if b in runs]
    lines = [f"{'case':40} " + " ".join(f"{b:>10}" for b in others)]
    for case in CASES:
        cells = []
        for backend in others:
            result = runs[backend]["cases"][case]
            cells.append(f"{differences(runs, backend, case)[0]:10.1e}" if result["ok"]
                         else f"{'refused' if (case, backend) in REFUSED else 'fails':>10}")
        lines.append(f"{case:40} " + " ".join(cells))
    with capsys.disabled():
        print("\nparity vs tensorflow (max abs difference of the outputs)\n" + "\n".join(lines))
        for case in (c for c in REFERENCE_CANNOT_RUN if reference_failed(runs, c)):
            print(f"{case}: JAX and PyTorch compared with each other (TensorFlow's CPU "
                  "kernels have no channels_first 2-D convolution)")
    assert len(lines) == len(CASES) + 1
