"""The analysis's quicker routes agree with the plain definitions they replace.

The nesting depth is measured a level at a time, the unused-layer check sweeps the
ordered layers backwards, and a block item without a template is not re-validated per
use: each is compared here with the straightforward version on random inputs.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import layergraph as lg
from layergraph.compiler.ordering import ancestors, ancestors_in_order
from layergraph.jsonsource import _depth

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=3)),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=3), inner, max_size=4)),
    max_leaves=40)


def _plain_depth(value) -> int:
    """A value's depth, a scalar inside a container counting as one level more."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return 1 + max((_plain_depth(v) for v in value), default=0)
    return 1


@given(json_values, st.integers(0, 8))
def test_the_nesting_depth_is_the_plain_recursive_depth_up_to_the_limit(value, limit):
    expected = _plain_depth(value)
    found = _depth(value, limit)
    if expected <= limit:
        assert found == expected
    else:
        assert found > limit


@st.composite
def ordered_graphs(draw):
    """Layers in topological order (inputs come earlier, or name no layer), and targets."""
    count = draw(st.integers(0, 12))
    names = [f"n{i}" for i in range(count)]
    inputs = {}
    for i, name in enumerate(names):
        choices = names[:i] + ["missing"]
        inputs[name] = draw(st.lists(st.sampled_from(choices), max_size=3))
    targets = draw(st.lists(st.sampled_from(names + ["missing"]), max_size=3))
    return inputs, targets


@given(ordered_graphs())
def test_the_backward_sweep_finds_the_same_ancestors_as_the_graph_walk(graph):
    inputs, targets = graph
    assert ancestors_in_order(inputs, targets) == ancestors(inputs, targets)


def test_a_layer_feeding_no_output_is_still_reported_unused_in_a_branching_graph():
    analysis = lg.analyze({"inputs": [{"shape": [4]}], "layers": [
        {"name": "a", "type": "Dense", "units": 3},
        {"name": "side", "type": "Dense", "units": 3, "inputs": ["input_layer"]},
        {"name": "b", "type": "Dense", "units": 3, "inputs": ["a"]},
        {"name": "c", "type": "Add", "inputs": ["a", "b"]}]})
    unused = [d.layer for d in analysis.warnings if d.code is lg.Code.UNUSED_LAYER]
    assert unused == ["side"]


def test_a_block_used_twice_gives_each_use_its_own_arguments_and_its_plain_layers():
    analysis = lg.analyze({
        "inputs": [{"shape": [8]}],
        "blocks": {"mlp": {"params": ["width"], "layers": [
            {"name": "fc", "type": "Dense", "units": "$width"},
            {"name": "act", "type": "Activation", "activation": "relu"}]}},
        "layers": [{"block": "mlp", "name": "one", "args": {"width": 4}},
                   {"block": "mlp", "name": "two", "args": {"width": 6}}]})
    assert analysis.ok
    shapes = {name: r.output_shape for name, r in analysis.layers.items()}
    assert shapes == {"input_layer": (8,), "one_fc": (4,), "one_act": (4,), "two_fc": (6,),
                      "two_act": (6,)}
    assert analysis.layers["two_act"].raw_params == {"activation": "relu"}
