"""Every built-in layer type's shape rule and parameter count equal Keras's own.

Keras is the truth: each case builds the Keras layer from the same raw
parameters, calls it on ``keras.Input`` and reads ``output.shape`` and
``count_params()``. layergraph analyses the same case as a one-layer JSON spec.
Where Keras raises, layergraph must report an error for the layer.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field

import pytest

import layergraph as lg

pytestmark = pytest.mark.keras
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@dataclass(frozen=True)
class Case:
    id: str
    type: str
    params: dict
    shapes: tuple  # input shapes, batch axis excluded
    ok: bool = True  # does Keras (and so layergraph) accept it?
    extra: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.id


def C(id, type, shapes, ok=True, **params):  # noqa: N802 - table shorthand
    return Case(id, type, params, tuple(shapes), ok)


IMG = (32, 32, 3)
CASES = [
    # Conv2D: kernel forms, strides, padding, dilation, groups, use_bias, shapes.
    C("conv-k3-valid", "Conv2D", [IMG], filters=8, kernel_size=3),
    C("conv-k3-same", "Conv2D", [IMG], filters=8, kernel_size=3, padding="same"),
    C("conv-SAME-uppercase", "Conv2D", [IMG], filters=8, kernel_size=3, padding="SAME"),
    C("conv-pair-kernel-nonsquare", "Conv2D", [(28, 20, 3)], filters=4, kernel_size=(3, 5)),
    C("conv-pair-strides", "Conv2D", [(28, 20, 3)], filters=4, kernel_size=3, strides=(2, 1)),
    C("conv-stride2-valid-odd", "Conv2D", [(31, 31, 3)], filters=4, kernel_size=3, strides=2),
    C("conv-stride2-same-odd", "Conv2D", [(31, 31, 3)], filters=4, kernel_size=3, strides=2,
      padding="same"),
    C("conv-stride3-same", "Conv2D", [(10, 11, 2)], filters=4, kernel_size=4, strides=3,
      padding="same"),
    C("conv-alexnet-conv1", "Conv2D", [(227, 227, 3)], filters=96, kernel_size=11, strides=4),
    C("conv-dilation2-valid", "Conv2D", [(20, 20, 3)], filters=4, kernel_size=3, dilation_rate=2),
    C("conv-dilation-pair-valid", "Conv2D", [(20, 20, 3)], filters=4, kernel_size=3,
      dilation_rate=(2, 1)),
    C("conv-dilation-same", "Conv2D", [(20, 20, 3)], filters=4, kernel_size=3, dilation_rate=3,
      padding="same"),
    C("conv-dilation-exact-fit", "Conv2D", [(9, 9, 3)], filters=4, kernel_size=3, dilation_rate=4),
    C("conv-groups2", "Conv2D", [(9, 9, 4)], filters=6, kernel_size=3, groups=2),
    C("conv-groups-depthwise", "Conv2D", [(9, 9, 8)], filters=8, kernel_size=3, groups=8,
      use_bias=False),
    C("conv-no-bias", "Conv2D", [IMG], filters=16, kernel_size=(1, 1), use_bias=False),
    C("conv-kernel-equals-input", "Conv2D", [(5, 7, 3)], filters=2, kernel_size=(5, 7)),
    C("conv-unknown-spatial", "Conv2D", [(None, None, 3)], filters=4, kernel_size=3, strides=2),
    C("conv-activation", "Conv2D", [IMG], filters=4, kernel_size=3, activation="relu"),
    C("conv-kernel-too-large", "Conv2D", [(3, 3, 3)], ok=False, filters=4, kernel_size=5),
    C("conv-dilation-too-large", "Conv2D", [(9, 9, 3)], ok=False, filters=4, kernel_size=3,
      dilation_rate=5),
    C("conv-strides-with-dilation", "Conv2D", [(9, 9, 3)], ok=False, filters=4, kernel_size=3,
      strides=2, dilation_rate=2),
    C("conv-groups-not-dividing-channels", "Conv2D", [(9, 9, 4)], ok=False, filters=6,
      kernel_size=3, groups=3),
    C("conv-groups-not-dividing-filters", "Conv2D", [(9, 9, 4)], ok=False, filters=5,
      kernel_size=3, groups=2),
    C("conv-zero-filters", "Conv2D", [IMG], ok=False, filters=0, kernel_size=3),
    C("conv-zero-kernel", "Conv2D", [IMG], ok=False, filters=4, kernel_size=0),
    C("conv-rank2-input", "Conv2D", [(32, 3)], ok=False, filters=4, kernel_size=3),
    C("conv-unknown-channels", "Conv2D", [(9, 9, None)], ok=False, filters=4, kernel_size=3),
    C("conv-bad-padding", "Conv2D", [IMG], ok=False, filters=4, kernel_size=3, padding="full"),
    # Dense acts on the last axis of any rank.
    C("dense-rank1", "Dense", [(10,)], units=5),
    C("dense-rank2", "Dense", [(4, 10)], units=5),
    C("dense-rank3", "Dense", [(2, 3, 10)], units=7),
    C("dense-no-bias", "Dense", [(2, 3, 10)], units=7, use_bias=False),
    C("dense-unknown-leading-axis", "Dense", [(None, 10)], units=3, activation="softmax"),
    C("dense-unknown-last-axis", "Dense", [(4, None)], ok=False, units=3),
    C("dense-zero-units", "Dense", [(10,)], ok=False, units=0),
    C("dense-keras-object-configs", "Dense", [(10,)], units=3,
      kernel_initializer={"class_name": "GlorotNormal", "config": {"seed": 1}},
      kernel_regularizer={"class_name": "L2", "config": {"l2": 0.01}, "module": "keras.regularizers"}),
    # BatchNormalization: axis (counting the batch axis, as Keras), center, scale.
    C("bn-default", "BatchNormalization", [(8, 8, 16)]),
    C("bn-axis1", "BatchNormalization", [(4, 5, 3)], axis=1),
    C("bn-axis2", "BatchNormalization", [(4, 5, 3)], axis=2),
    C("bn-axis3", "BatchNormalization", [(4, 5, 3)], axis=3),
    C("bn-axis-minus2", "BatchNormalization", [(4, 5, 3)], axis=-2),
    C("bn-no-center", "BatchNormalization", [(4, 4, 3)], center=False),
    C("bn-no-scale", "BatchNormalization", [(4, 4, 3)], scale=False),
    C("bn-no-center-no-scale", "BatchNormalization", [(4, 4, 3)], center=False, scale=False),
    C("bn-rank1", "BatchNormalization", [(10,)]),
    C("bn-batch-axis", "BatchNormalization", [(4, 5, 3)], ok=False, axis=0),
    C("bn-batch-axis-negative", "BatchNormalization", [(4, 5, 3)], ok=False, axis=-4),
    C("bn-axis-out-of-range", "BatchNormalization", [(4, 5, 3)], ok=False, axis=4),
    # Concatenate along different axes.
    C("concat-last", "Concatenate", [(4, 4, 3), (4, 4, 5)]),
    C("concat-axis1", "Concatenate", [(4, 6, 3), (2, 6, 3)], axis=1),
    C("concat-axis2", "Concatenate", [(4, 6, 3), (4, 1, 3)], axis=2),
    C("concat-axis-minus2", "Concatenate", [(4, 6, 3), (4, 1, 3)], axis=-2),
    C("concat-three", "Concatenate", [(4, 4, 3), (4, 4, 3), (4, 4, 5)]),
    C("concat-unknown-size", "Concatenate", [(None, 4, 3), (4, 4, 3)], axis=1),
    C("concat-rank1", "Concatenate", [(3,), (5,)]),
    C("concat-mismatch", "Concatenate", [(4, 4, 3), (4, 5, 3)], ok=False),
    C("concat-mismatch-on-other-axis", "Concatenate", [(4, 4, 3), (4, 4, 5)], ok=False, axis=2),
    C("concat-rank-mismatch", "Concatenate", [(4, 4, 3), (4, 3)], ok=False),
    C("concat-axis-out-of-range", "Concatenate", [(4, 4, 3), (4, 4, 3)], ok=False, axis=4),
    # Element-wise merges, with broadcasting of size-1 axes.
    C("add-equal", "Add", [(4, 4, 3), (4, 4, 3)]),
    C("add-broadcast-ones", "Add", [(4, 4, 3), (1, 1, 3)]),
    C("add-broadcast-channel", "Add", [(4, 4, 1), (4, 4, 3)]),
    C("add-three", "Add", [(4, 4, 3), (4, 1, 3), (1, 4, 3)]),
    C("add-unknown", "Add", [(None, 4, 3), (4, 4, 3)]),
    C("add-lower-rank", "Add", [(4, 4, 3), (3,)]),
    C("add-lower-rank-first", "Add", [(4, 3), (5, 4, 3)]),
    C("add-mismatch", "Add", [(4, 4, 3), (4, 4, 5)], ok=False),
    C("add-lower-rank-mismatch", "Add", [(4, 4, 3), (4,)], ok=False),
    C("multiply", "Multiply", [(8,), (8,)]),
    C("subtract", "Subtract", [(2, 8), (1, 8)]),
    C("subtract-three-inputs", "Subtract", [(8,), (8,), (8,)], ok=False),
    C("average", "Average", [(None, 3), (5, 3)]),
    C("maximum", "Maximum", [(2, 3), (2, 1)]),
    C("minimum-mismatch", "Minimum", [(2, 3), (3, 2)], ok=False),
    # Reshaping.
    C("flatten", "Flatten", [(4, 4, 3)]),
    C("flatten-rank1", "Flatten", [(10,)]),
    C("flatten-unknown", "Flatten", [(None, 4)]),
    C("reshape", "Reshape", [(4, 4, 3)], target_shape=(48,)),
    C("reshape-minus1", "Reshape", [(4, 4, 3)], target_shape=(-1,)),
    C("reshape-minus1-middle", "Reshape", [(4, 4, 3)], target_shape=(2, -1, 3)),
    C("reshape-unknown-input", "Reshape", [(None, 4)], target_shape=(2, -1)),
    C("reshape-size-mismatch", "Reshape", [(4, 4, 3)], ok=False, target_shape=(7, 7)),
    C("reshape-minus1-not-dividing", "Reshape", [(4, 4, 3)], ok=False, target_shape=(5, -1)),
    C("reshape-two-minus1", "Reshape", [(4, 4, 3)], ok=False, target_shape=(-1, -1)),
    C("zeropad-default", "ZeroPadding2D", [(5, 7, 3)]),
    C("zeropad-int", "ZeroPadding2D", [(5, 7, 3)], padding=2),
    C("zeropad-pair", "ZeroPadding2D", [(5, 7, 3)], padding=(1, 2)),
    C("zeropad-pairs", "ZeroPadding2D", [(5, 7, 3)], padding=((1, 2), (3, 4))),
    C("zeropad-zero", "ZeroPadding2D", [(5, 7, 3)], padding=0),
    C("zeropad-unknown", "ZeroPadding2D", [(None, 7, 3)], padding=1),
    C("zeropad-rank2", "ZeroPadding2D", [(5, 7)], ok=False),
    # Pooling.
    C("maxpool-default", "MaxPooling2D", [IMG]),
    C("maxpool-alexnet", "MaxPooling2D", [(55, 55, 96)], pool_size=3, strides=2),
    C("maxpool-pair", "MaxPooling2D", [(9, 10, 3)], pool_size=(2, 3), strides=(1, 2)),
    C("maxpool-same-odd", "MaxPooling2D", [(9, 9, 3)], pool_size=2, padding="same"),
    C("maxpool-same-larger-than-input", "MaxPooling2D", [(3, 3, 3)], pool_size=5, padding="same"),
    C("maxpool-strides-larger-than-pool", "MaxPooling2D", [(8, 8, 3)], pool_size=2, strides=3),
    C("maxpool-unknown", "MaxPooling2D", [(None, 8, 3)]),
    C("maxpool-too-large", "MaxPooling2D", [(3, 3, 3)], ok=False, pool_size=5),
    C("maxpool-zero", "MaxPooling2D", [IMG], ok=False, pool_size=0),
    C("avgpool-2", "AveragePooling2D", [(7, 7, 3)], pool_size=2),
    C("avgpool-no-pool-size", "AveragePooling2D", [(7, 7, 3)], ok=False),
    C("avgpool-stride1-same", "AveragePooling2D", [(7, 7, 3)], pool_size=3, strides=1,
      padding="same"),
    C("avgpool-pair", "AveragePooling2D", [(7, 9, 3)], pool_size=(3, 2), strides=(2, 3)),
    C("avgpool-rank2", "AveragePooling2D", [(7, 3)], ok=False),
    C("gap", "GlobalAveragePooling2D", [(7, 7, 64)]),
    C("gap-keepdims", "GlobalAveragePooling2D", [(7, 7, 64)], keepdims=True),
    C("gmp", "GlobalMaxPooling2D", [(5, 3, 8)]),
    C("gmp-keepdims", "GlobalMaxPooling2D", [(5, 3, 8)], keepdims=True),
    C("gap-rank2", "GlobalAveragePooling2D", [(3, 3)], ok=False),
    # Layers that keep the shape.
    C("dropout", "Dropout", [(10,)], rate=0.5),
    C("dropout-rate1", "Dropout", [(4, 10)], rate=1.0),
    C("dropout-rate-too-large", "Dropout", [(10,)], ok=False, rate=1.5),
    C("activation", "Activation", [(4, 4, 3)], activation="softmax"),
    C("relu", "ReLU", [(4, 3)]),
    C("relu6", "ReLU", [(4, 3)], max_value=6.0),
    C("relu-leaky", "ReLU", [(4, 3)], negative_slope=0.1, threshold=0.5),
    C("relu-negative-max", "ReLU", [(4, 3)], ok=False, max_value=-1.0),
]


# layergraph is deliberately stricter than Keras here; the test shows Keras accepts.
STRICTER = [
    # Keras concatenates along the batch axis symbolically; the model then returns a
    # different batch size than it was given, which no training loop accepts.
    C("concat-batch-axis", "Concatenate", [(4, 4, 3), (4, 4, 3)], axis=0),
]


def as_json(value):
    """What the value looks like after a trip through a JSON file (tuples become lists)."""
    return json.loads(json.dumps(value))


def spec_for(case: Case) -> dict:
    inputs = [{"name": f"in{i}", "shape": list(s)} for i, s in enumerate(case.shapes)]
    layer = {"name": "layer", "type": case.type, "inputs": [i["name"] for i in inputs],
             **case.params}
    return as_json({"format": "layergraph/1", "inputs": inputs, "layers": [layer]})


def analyse(case: Case):
    analysis = lg.analyze(spec_for(case))
    return analysis, analysis.layers.get("layer")


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


def keras_build(keras, case: Case, layer=None):
    """(output shape without batch, total params, trainable params, layer), or the exception."""
    try:
        if layer is None:
            layer = getattr(keras.layers, case.type)(**case.params)
        tensors = [keras.Input(shape=s) for s in case.shapes]
        out = layer(tensors if len(tensors) > 1 else tensors[0])
    except Exception as exc:  # Keras raises ValueError, TypeError or IndexError
        return exc
    trainable = sum(math.prod(w.shape) for w in layer.trainable_weights)
    return tuple(out.shape[1:]), layer.count_params(), trainable, layer


def layer_errors(analysis, result):
    return [d for d in analysis.errors if d.layer == "layer"]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_shape_and_param_rules_agree_with_keras(keras, case):
    truth = keras_build(keras, case)
    analysis, result = analyse(case)
    if not case.ok:
        assert isinstance(truth, Exception), f"Keras accepted the case: {truth[:3]}"
        assert layer_errors(analysis, result), "layergraph accepted what Keras refuses"
        assert result.output_shape is None
        return
    assert not isinstance(truth, Exception), f"Keras refused the case: {truth}"
    shape, params, trainable, _ = truth
    assert analysis.diagnostics == [], [d.format() for d in analysis.diagnostics]
    assert result.output_shape == shape
    assert result.param_count == params
    assert result.trainable_params == trainable
    assert result.non_trainable_params == params - trainable


@pytest.mark.parametrize("case", [c for c in CASES if c.ok], ids=str)
def test_to_keras_builds_the_same_layer(keras, case):
    _, result = analyse(case)
    built = result.layer_type.to_keras(result.params, "layer")
    truth = keras_build(keras, case)
    mine = keras_build(keras, case, layer=built)
    assert not isinstance(mine, Exception), mine
    assert mine[:3] == truth[:3]


@pytest.mark.parametrize("case", [c for c in CASES if c.ok and c.type in ("Conv2D", "Dense")],
                         ids=str)
def test_macs_equal_output_positions_times_kernel_volume(keras, case):
    # Independent of layergraph's rules: Keras's own output shape and kernel shape.
    # A conv kernel is (kh, kw, in/groups, filters); a dense kernel is (in, units).
    shape, _, _, layer = keras_build(keras, case)
    _, result = analyse(case)
    if None in shape[:-1]:
        assert result.macs is None, "a MAC count that depends on an unknown size is unknown"
        return
    positions = math.prod(shape[:-1])  # every output position but the channel/units axis
    kernel = math.prod(layer.kernel.shape)
    assert result.macs == positions * kernel


@pytest.mark.parametrize("case", STRICTER, ids=str)
def test_layergraph_is_stricter_than_keras_where_keras_allows_nonsense(keras, case):
    truth = keras_build(keras, case)
    assert not isinstance(truth, Exception)
    analysis, result = analyse(case)
    assert layer_errors(analysis, result)


def test_uppercase_pooling_padding_is_normalised_so_the_keras_layer_builds(keras):
    # keras.layers.MaxPooling2D(padding="SAME") fails when called; layergraph lowercases it
    # (as Keras's Conv2D does), so the compiled layer works.
    case = C("maxpool-SAME", "MaxPooling2D", [(9, 9, 3)], pool_size=3, padding="SAME")
    assert isinstance(keras_build(keras, case), Exception)
    analysis, result = analyse(case)
    assert analysis.ok
    built = keras_build(keras, case, layer=result.layer_type.to_keras(result.params, "layer"))
    assert built[0] == result.output_shape == (3, 3, 3)


def test_input_layer_declares_the_shape_keras_input_gets(keras):
    analysis = lg.analyze({"layers": [{"type": "InputLayer", "name": "image", "shape": [28, None, 1]}]})
    result = analysis.layers["image"]
    tensor = result.layer_type.to_keras(result.params, "image")
    assert tuple(tensor.shape[1:]) == result.output_shape == (28, None, 1)
    assert result.param_count == 0


def test_the_table_covers_every_built_in_layer_type():
    from layergraph.registry import builtin_types

    from test_layer_types_keras import CASES as KERAS_APPLICATIONS_CASES
    from test_rules_sequences_vs_keras import CASES as SEQUENCE_CASES
    from test_ops_vs_keras import CASES as OPS_CASES

    covered = ({c.type for c in CASES} | {c[0] for c in KERAS_APPLICATIONS_CASES} | {"InputLayer"}
               | {c.type for c in SEQUENCE_CASES} | {c.type for c in OPS_CASES})
    assert covered >= {t.type_name for t in builtin_types()}


def _normalise_default(value):
    """Keras writes (2, 2) or (2, 2, 2) where layergraph writes 2; both mean the same."""
    if isinstance(value, (tuple, list)) and len(set(value)) == 1 and value and isinstance(value[0], int):
        return value[0]
    return list(value) if isinstance(value, tuple) else value


def _builtin_types_but_input():
    from layergraph.registry import builtin_types

    return [t for t in builtin_types() if t.type_name != "InputLayer"]


@pytest.mark.parametrize("layer_type", _builtin_types_but_input(), ids=lambda t: t.type_name)
def test_parameters_and_defaults_are_the_keras_constructors(keras, layer_type):
    # A parameter layergraph defaults but Keras requires would be left out of the Keras
    # call (keras_kwargs drops defaults), so the compiled model would fail to build.
    import importlib
    import inspect

    from pydantic_core import PydanticUndefined

    if layer_type.op:
        pytest.skip(f"{layer_type.type_name} is a keras.ops operation, not a layer class")
    module = importlib.import_module(layer_type.keras_module or "keras.layers")
    signature = inspect.signature(getattr(module, layer_type.type_name).__init__)
    for name, info in layer_type.Params.model_fields.items():
        if name in layer_type.call_options:
            continue  # passed to the layer's call, not its constructor
        assert name in signature.parameters, f"Keras's {layer_type.type_name} has no `{name}`"
        keras_default = signature.parameters[name].default
        if keras_default is inspect.Parameter.empty:
            assert info.default is PydanticUndefined, f"`{name}` is required in Keras"
        else:
            assert _normalise_default(info.default) == _normalise_default(keras_default), name
