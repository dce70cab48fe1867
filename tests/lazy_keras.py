"""`keras` and `keras.layers` for test modules, imported on first use.

Importing TensorFlow takes seconds; with these, `pytest -m "not keras"` collects the
Keras test modules without importing it, and a missing Keras skips the test using it.
"""

from __future__ import annotations

import pytest


class LazyModule:
    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute: str):
        if attribute.startswith("_") or attribute.startswith("pytest"):
            raise AttributeError(attribute)  # pytest probes module globals while collecting
        return getattr(pytest.importorskip(self._name), attribute)


keras = LazyModule("keras")
layers = LazyModule("keras.layers")
