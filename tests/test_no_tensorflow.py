"""Checking and summarising never import TensorFlow or Keras (a fresh process proves it)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import BUNDLED_SPECS, FIXTURES

SCRIPT = r'''
import json, sys
BLOCK = {block}

class Blocker:
    """Makes the heavy frameworks unimportable, as on a machine without them."""
    def find_spec(self, name, path=None, target=None):
        if BLOCK and name.split(".")[0] in ("tensorflow", "keras", "jax", "torch"):
            raise ImportError(f"{{name}} is blocked in this test")
        return None

sys.meta_path.insert(0, Blocker())
import layergraph
from typer.testing import CliRunner
from layergraph.cli import app

specs = {specs}
runs = [["check", *specs], ["check", "--format", "json", *specs], ["summary", specs[0]],
        ["summary", specs[0], "-f", "json"], ["summary", specs[0], "-f", "markdown"],
        ["check", {broken!r}], ["layers"], ["layers", "Conv2D"], ["schema"]]
codes = [CliRunner().invoke(app, args).exit_code for args in runs]
analysis = layergraph.analyze(specs[0])
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras", "jax", "torch"))
print(json.dumps({{"codes": codes, "params": analysis.total_params, "loaded": loaded}}))
'''


@pytest.mark.parametrize("block", [False, True], ids=["installed", "unimportable"])
def test_check_and_summary_never_import_keras_or_any_backend(block):
    specs = [str(p) for p in BUNDLED_SPECS]
    script = SCRIPT.format(block=block, specs=specs, broken=str(FIXTURES / "invalid" / "many_errors.json"))
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["loaded"] == []
    assert report["codes"] == [0, 0, 0, 0, 0, 1, 0, 0, 0]
    assert report["params"] > 0
