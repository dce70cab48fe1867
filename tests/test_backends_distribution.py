"""Distributed training of a compiled spec on JAX, over two forced host CPU devices.

XLA's ``--xla_force_host_platform_device_count=2`` makes one CPU look like two
devices; it must be set before JAX starts, so each test runs in a child process. The initial
weights are drawn with NumPy (backend_worker's ``skip_random_initial_values`` and
``seed_every_weight``): Keras's random initializers compile one XLA program per weight shape,
5 of residual_cnn's 6 s build, and what these tests check is the training and the layouts.
"""

from __future__ import annotations

import pytest

from backend_support import run_json

pytestmark = pytest.mark.keras

TWO_DEVICES = {"XLA_FLAGS": "--xla_force_host_platform_device_count=2"}

DATA_PARALLEL = r'''
import json, numpy as np, keras, layergraph as lg
from backend_worker import seed_every_weight, skip_random_initial_values
skip_random_initial_values()  # see the module's docstring
devices = keras.distribution.list_devices("cpu")
keras.distribution.set_distribution(keras.distribution.DataParallel(devices=devices))
model = lg.to_keras("specs/residual_cnn.json")
seed_every_weight(model)
rng = np.random.default_rng(0)
x, y = rng.standard_normal((32, 32, 32, 3)).astype("float32"), rng.integers(0, 10, 32)
before = [np.array(w) for w in model.trainable_weights]
model.compile(optimizer=keras.optimizers.SGD(0.01), loss="sparse_categorical_crossentropy")
history = model.fit(x, y, batch_size=8, epochs=1, verbose=0)
kernel = model.get_layer("stem_conv").kernel.value
print(json.dumps({
    "devices": len(devices), "steps": int(model.optimizer.iterations.numpy()),
    "loss": history.history["loss"], "replicated_on": len(kernel.sharding.device_set),
    "fully_replicated": bool(kernel.sharding.is_fully_replicated),
    "changed": sum(not np.array_equal(a, np.array(w)) for a, w in zip(before, model.trainable_weights)),
    "trainable": len(before)}))
'''

MODEL_PARALLEL = r'''
import json, numpy as np, keras, layergraph as lg
from backend_worker import seed_every_weight, skip_random_initial_values
skip_random_initial_values()  # see the module's docstring
mesh = keras.distribution.DeviceMesh((1, 2), ["batch", "model"], keras.distribution.list_devices("cpu"))
layout = keras.distribution.LayoutMap(mesh)
layout["predictions/kernel"] = (None, "model")  # the spec's layer name is the variable's path
layout[".*_conv\d?/kernel"] = (None, None, None, "model")
keras.distribution.set_distribution(keras.distribution.ModelParallel(layout_map=layout,
                                                                     batch_dim_name="batch"))
model = lg.to_keras("specs/residual_cnn.json")
seed_every_weight(model)
model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
rng = np.random.default_rng(0)
model.fit(rng.standard_normal((8, 32, 32, 3)).astype("float32"), rng.integers(0, 10, 8),
          batch_size=4, verbose=0)
def shards(layer):
    value = model.get_layer(layer).kernel.value
    return [list(s.data.shape) for s in value.addressable_shards]
print(json.dumps({"predictions": shards("predictions"), "stem": shards("stem_conv"),
                  "steps": int(model.optimizer.iterations.numpy())}))
'''


def test_data_parallel_on_two_jax_devices_trains_a_compiled_spec_a_few_steps():
    report = run_json("jax", DATA_PARALLEL, **TWO_DEVICES)
    assert report["devices"] == 2
    assert report["steps"] == 4 and report["loss"][0] > 0
    assert report["replicated_on"] == 2 and report["fully_replicated"]
    assert report["changed"] == report["trainable"]


def test_a_layout_map_keyed_by_spec_layer_names_shards_those_kernels_across_devices():
    report = run_json("jax", MODEL_PARALLEL, **TWO_DEVICES)
    assert report["steps"] == 2
    assert report["predictions"] == [[64, 5], [64, 5]]  # Dense(10) kernel split on its units
    assert report["stem"] == [[3, 3, 3, 16], [3, 3, 3, 16]]  # Conv2D(32) split on its filters
