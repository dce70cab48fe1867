"""Shared test helpers: paths to the bundled specs and fixtures."""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import pytest

# Compiled modules are kept even where the environment says not to (PYTHONDONTWRITEBYTECODE=1
# on the development machines and in CI): otherwise every xdist worker compiled layergraph and
# rewrote the asserts of every test module again (collection 7.4 -> 2.3 s a process), and every
# `layergraph` subprocess a test starts compiled the modules it imports. Set here, it also
# reaches those subprocesses; the caches are in __pycache__/, which git ignores.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUNDLED_SPECS = sorted(SPECS.glob("*.json"))


@pytest.fixture
def spec_path():
    """Path of a bundled spec by stem: spec_path('alexnet')."""
    return lambda stem: SPECS / f"{stem}.json"


@pytest.fixture
def open_copy(tmp_path):
    """Open a private copy of a bundled spec in the editor's model: open_copy('alexnet') -> Document."""
    import shutil

    from layergraph.editing.document import Document

    def _open(stem):
        path = tmp_path / f"{stem}.json"
        shutil.copy(SPECS / f"{stem}.json", path)
        return Document.open(path)
    return _open


try:  # Hypothesis run sizes: bounded by default, deterministic in CI, long on request.
    from hypothesis import HealthCheck, settings

    settings.register_profile("default", max_examples=100, deadline=timedelta(seconds=5),
                              suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True,
                              database=None, suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("thorough", max_examples=5_000, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow])
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
except ImportError:  # pragma: no cover - hypothesis is a dev dependency
    pass
