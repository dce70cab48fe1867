"""The Keras compile job of the editor, with stand-ins for Keras (no TensorFlow needed)."""

import json
import subprocess
import sys
import types

from conftest import SPECS
from layergraph.tui.compile_job import run_job


class Model:
    name, layers = "m", [None, None]

    def __init__(self, params):
        self.params = params

    def summary(self, print_fn, line_length=None):
        print_fn("Total params: %d" % self.params)

    def count_params(self):
        return self.params


def run(to_keras, expected=10):
    events = []
    ok = run_job({"name": "m"}, expected, lambda event, **f: events.append((event, f)), to_keras,
                 load_keras=lambda: types.SimpleNamespace(__version__="3.0"))
    return ok, events


def test_a_model_with_the_same_count_is_a_success():
    ok, events = run(lambda spec: Model(10))
    assert ok and events[-1] == ("done", {"ok": True, "title": "Compiled: 10 parameters"})
    assert [e for e, _ in events].count("step") == 3
    assert ("line", {"text": "Total params: 10"}) in events


def test_a_different_count_is_a_failure_that_names_both():
    ok, events = run(lambda spec: Model(11))
    assert not ok and events[-1][1]["title"] == "Compiled: 11 parameters (layergraph: 10)"


def test_an_exception_is_logged_not_raised():
    def broken(spec):
        raise RuntimeError("no such layer")
    ok, events = run(broken)
    assert not ok and ("line", {"text": "RuntimeError: no such layer"}) in events


def test_missing_keras_says_how_to_install_it():
    events = []

    def no_keras():
        raise ModuleNotFoundError("No module named 'keras'")
    run_job({}, 0, lambda event, **f: events.append(f), lambda s: None, load_keras=no_keras)
    assert any("pip install 'layergraph[keras]'" in f.get("text", "") for f in events)


def test_without_to_keras_the_job_says_so():
    ok, events = run(None)
    assert not ok and "not available" in events[-1][1]["title"]


def test_the_job_speaks_json_lines_on_stdout():
    # No TensorFlow: the real module with layergraph.to_keras replaced in the child process.
    script = ("import sys, types, layergraph, layergraph.tui.compile_job as job; "
              "job.import_keras = lambda: types.SimpleNamespace(__version__='3'); "
              "job.run_job.__defaults__ = (None, job.import_keras); "
              "layergraph.to_keras = lambda spec: type('M', (), {'name': 'm', 'layers': [], "
              "'summary': lambda self, print_fn, line_length: None, 'count_params': lambda self: 7})(); "
              "sys.exit(job.main())")
    request = json.dumps({"spec": json.loads((SPECS / "alexnet.json").read_text()), "expected_params": 7})
    result = subprocess.run([sys.executable, "-c", script], input=request, capture_output=True,
                            text=True, timeout=120)
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0 and events[-1] == {"event": "done", "ok": True,
                                                     "title": "Compiled: 7 parameters"}
