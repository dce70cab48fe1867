"""A compiled spec trains natively on each backend, and `compile --backend` builds on it.

Each test runs a child process with its backend chosen before Keras is imported. On JAX the
initial weights are drawn with NumPy (backend_worker's ``skip_random_initial_values`` and
``seed_every_weight``): Keras's random initializers compile one XLA program per weight shape,
5 of residual_cnn's 6 s build, and what these tests check is the training.
"""

from __future__ import annotations

import pytest

from backend_support import require, run_json

pytestmark = pytest.mark.keras

TORCH_STEP = r'''
import json, torch, keras, layergraph as lg
model = lg.to_keras("specs/residual_cnn.json")
torch.manual_seed(0)
x, y = torch.randn(8, 32, 32, 3), torch.randint(0, 10, (8,))
params = [p for p in model.parameters() if p.requires_grad]  # BN statistics are not
before = [p.detach().clone() for p in params]
optimizer = torch.optim.SGD(params, lr=0.01)

def loss():  # training mode: batch statistics, so both losses are of the same function
    return torch.nn.functional.nll_loss(torch.log(model(x, training=True) + 1e-7), y)

first = loss()
optimizer.zero_grad()
first.backward()
optimizer.step()
with torch.no_grad():
    second = loss()
print(json.dumps({
    "module": isinstance(model, torch.nn.Module), "backend": keras.backend.backend(),
    "parameters": len(params), "trainable": len(model.trainable_weights),
    "changed": sum(not torch.equal(a, p.detach()) for a, p in zip(before, params)),
    "first": first.item(), "second": second.item()}))
'''

JAX_FIT = r'''
import json, numpy as np, keras, layergraph as lg
from backend_worker import seed_every_weight, skip_random_initial_values
skip_random_initial_values()  # see the module's docstring
model = lg.to_keras("specs/residual_cnn.json")
seed_every_weight(model)
rng = np.random.default_rng(0)
x, y = rng.standard_normal((8, 32, 32, 3)).astype("float32"), rng.integers(0, 10, 8)
before = [np.array(w) for w in model.trainable_weights]
model.compile(optimizer=keras.optimizers.SGD(0.01), loss="sparse_categorical_crossentropy")
history = model.fit(x, y, batch_size=8, epochs=1, verbose=0)
after = [np.array(w) for w in model.trainable_weights]
print(json.dumps({
    "backend": keras.backend.backend(), "steps": int(model.optimizer.iterations.numpy()),
    "array": type(model.trainable_weights[0].value).__module__,
    "changed": sum(not np.array_equal(a, b) for a, b in zip(before, after)),
    "trainable": len(after), "loss": history.history["loss"]}))
'''


def test_under_torch_the_model_is_a_torch_module_that_a_torch_optimizer_trains_one_step():
    report = run_json("torch", TORCH_STEP)
    assert report["module"] and report["backend"] == "torch"
    assert report["parameters"] == report["trainable"] > 0  # Keras weights are torch Parameters
    assert report["changed"] == report["parameters"]
    assert report["second"] < report["first"]


def test_under_jax_model_fit_trains_one_step_on_jax_arrays():
    report = run_json("jax", JAX_FIT)
    assert report["backend"] == "jax" and report["array"].startswith("jax")
    assert report["steps"] == 1 and len(report["loss"]) == 1 and report["loss"][0] > 0
    assert report["changed"] == report["trainable"] > 0


RECOMPILE = r'''
import json, sys, keras  # this process runs TensorFlow, so --backend jax needs a new process
from typer.testing import CliRunner
from layergraph.cli import app
out = sys.argv[1]
result = CliRunner().invoke(app, ["compile", "specs/mnist_cnn.json", "-o", out, "--backend", "jax"])
report = {"code": result.exit_code, "output": result.output, "running": keras.backend.backend()}
if result.exit_code == 0:  # the model built on JAX, read back here on TensorFlow
    model = keras.saving.load_model(out)
    report.update(params=model.count_params(), layers=[l.name for l in model.layers][:3])
print(json.dumps(report))
'''


def test_compile_backend_builds_in_a_fresh_process_when_keras_already_runs_another(tmp_path):
    require("jax")
    out = tmp_path / "mnist.keras"
    report = run_json("tensorflow", RECOMPILE.replace("sys.argv[1]", repr(str(out))))
    assert report["running"] == "tensorflow"
    assert report["code"] == 0, report["output"]
    assert "(jax backend)" in report["output"]
    assert report["params"] == 1_676_266  # the spec's count, read back on another backend
    assert report["layers"][0] == "input_layer"
