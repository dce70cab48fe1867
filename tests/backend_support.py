"""Running code on one Keras backend in its own process, for the backend tests.

Keras picks its backend once, at import, from ``KERAS_BACKEND``; so every test that
needs a particular backend runs a child Python with it set. Whether a backend is
installed is asked without importing it (a TensorFlow import alone takes seconds).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The package that has to be importable for each backend (besides keras itself).
MODULES = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}


def installed(backend: str) -> bool:
    """Keras and the backend's package can be imported (checked without importing them)."""
    return all(importlib.util.find_spec(name) is not None for name in ("keras", MODULES[backend]))


def require(backend: str) -> None:
    """Skip the calling test, with the reason, when ``backend`` is not installed."""
    if not installed(backend):
        pytest.skip(f"the {backend} backend is not installed (pip install 'layergraph[{backend}]')")


def backend_env(backend: str, **extra: str) -> dict[str, str]:
    """The environment of a child that runs Keras on ``backend``, quietly."""
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3", **extra}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "tests"), env.get("PYTHONPATH", "")])
    return env


def run_json(backend: str, script: str, timeout: float = 300, **env: str) -> dict:
    """Run ``script`` on ``backend``; its last stdout line is JSON, returned parsed."""
    require(backend)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=timeout, env=backend_env(backend, **env), cwd=ROOT)
    assert run.returncode == 0, f"{backend} child failed:\n{run.stderr[-4000:]}"
    return json.loads(run.stdout.strip().splitlines()[-1])
