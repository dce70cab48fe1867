"""keras.ops operations as spec nodes agree with keras.ops: the output shape (where
keras.ops refuses, layergraph reports an error) and the values of the compiled op, which
Keras records under the spec's name and class, so an import compiles back to itself."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
import pytest

import layergraph as lg

pytestmark = pytest.mark.keras
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@dataclass(frozen=True)
class Case:
    id: str
    type: str
    shapes: tuple
    call: object  # keras.ops call on the input tensors (the truth)
    params: dict = field(default_factory=dict)
    ok: bool = True

    def __str__(self) -> str:
        return self.id


def C(id, type, shapes, call, ok=True, **params):  # noqa: N802
    return Case(id, type, tuple(shapes), call, params, ok)


IMG = (4, 4, 3)
CASES = [
    C("add-constant", "ops.add", [IMG], lambda o, x: o.add(x, 3.0), right=3.0),
    C("add-tensors-broadcast", "ops.add", [IMG, (4, 4, 1)], lambda o, x, y: o.add(x, y)),
    C("add-tensors-mismatch", "ops.add", [IMG, (4, 2, 3)], lambda o, x, y: o.add(x, y), ok=False),
    C("add-nothing-to-add", "ops.add", [IMG], None, ok=False),
    C("subtract-from-constant", "ops.subtract", [IMG], lambda o, x: o.subtract(2.0, x), left=2.0),
    C("multiply-constant", "ops.multiply", [IMG], lambda o, x: o.multiply(x, 1 / 6), right=1 / 6),
    C("multiply-tensors", "ops.multiply", [IMG, (1, 1, 3)], lambda o, x, y: o.multiply(x, y)),
    C("divide-constant", "ops.divide", [IMG], lambda o, x: o.true_divide(x, 6.0), right=6.0),
    C("relu", "ops.relu", [IMG], lambda o, x: o.relu(x)),
    C("mean-spatial-keepdims", "ops.mean", [IMG], lambda o, x: o.mean(x, axis=[1, 2], keepdims=True),
      axis=[1, 2], keepdims=True),
    C("mean-last", "ops.mean", [IMG], lambda o, x: o.mean(x, axis=-1), axis=-1),
    C("mean-all", "ops.mean", [(5, 2)], lambda o, x: o.mean(x, axis=[1, 2]), axis=[1, 2]),
    C("mean-axis-out-of-range", "ops.mean", [IMG], lambda o, x: o.mean(x, axis=5), ok=False, axis=5),
    C("expand-dims-last", "ops.expand_dims", [(4, 4)], lambda o, x: o.expand_dims(x, -1), axis=-1),
    C("expand-dims-first-sample-axis", "ops.expand_dims", [(4, 3)],
      lambda o, x: o.expand_dims(x, 1), axis=1),
    C("not-equal-zero", "ops.not_equal", [(6,)], lambda o, x: o.not_equal(x, 0), value=0),
]


def spec_for(case: Case) -> dict:
    inputs = [{"name": f"in{i}", "shape": list(s)} for i, s in enumerate(case.shapes)]
    return {"format": "layergraph/1", "inputs": inputs, "layers": [
        {"name": "op", "type": case.type, "inputs": [i["name"] for i in inputs], **case.params}]}


def keras_shape(case: Case):
    import keras

    if case.call is None:
        return ValueError("no keras.ops call")
    try:
        out = case.call(keras.ops, *[keras.Input(s) for s in case.shapes])
    except Exception as exc:
        return exc
    return tuple(out.shape[1:])


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_output_shape_is_the_one_keras_ops_computes(case):
    truth = keras_shape(case)
    analysis = lg.analyze(spec_for(case))
    if not case.ok:
        assert isinstance(truth, Exception), f"keras.ops accepted it: {truth}"
        assert [d for d in analysis.errors if d.layer == "op"]
        return
    assert analysis.errors == [], [d.format() for d in analysis.errors]
    assert analysis.layers["op"].output_shape == truth
    assert analysis.total_params == 0


@pytest.mark.parametrize("case", [c for c in CASES if c.ok], ids=str)
def test_the_compiled_op_computes_what_keras_ops_computes_under_the_spec_name(case):
    import keras

    model = lg.to_keras(spec_for(case))
    rng = np.random.default_rng(0)
    data = [rng.integers(-2, 3, (2,) + s).astype("float32") for s in case.shapes]
    expected = case.call(keras.ops, *[keras.ops.convert_to_tensor(d) for d in data])
    np.testing.assert_allclose(np.asarray(model(data)), np.asarray(expected), rtol=1e-6)
    assert [op.name for op in model.operations][-1] == "op"
