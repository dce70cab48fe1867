"""Shared test helpers: paths to the bundled specs and fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUNDLED_SPECS = sorted(SPECS.glob("*.json"))


@pytest.fixture
def spec_path():
    """Path of a bundled spec by stem: spec_path('alexnet')."""
    return lambda stem: SPECS / f"{stem}.json"
