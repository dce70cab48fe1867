"""A layer item whose only templates are in its parameters is copied with the substituted
values; the copy must be the item that dumping, substituting and validating again gives."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from layergraph.compiler.expand import _templates_in, substitute
from layergraph.spec import LayerSpec

ARGS = {"n": 3, "act": "relu", "shape": [2, 2], "nested": {"a": [1, "$n"]}, "none": None}
TEMPLATES = st.sampled_from(["$n", "$act", "$shape", "$nested", "$none", "${act}_x", "a${n}b",
                             "$missing", "${missing}", "$", "$1", "x$y"])
SCALARS = st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False) | st.text(max_size=4)
VALUES = st.recursive(SCALARS | TEMPLATES, lambda children: st.lists(children, max_size=3)
                      | st.dictionaries(st.text(max_size=3) | TEMPLATES, children, max_size=3),
                      max_leaves=8)
PARAM_NAMES = st.sampled_from(["units", "activation", "rate", "kernel_size", "padding", "x", "$n"])
FIELDS = st.fixed_dictionaries({"type": st.sampled_from(["Dense", "Conv2D"])}, optional={
    "name": st.sampled_from(["conv", "b1"]), "inputs": st.just(["x"]),
    "repeat": st.integers(1, 3), "description": st.text(max_size=5),
    "trainable": st.booleans(), "call": st.just({"mask": "m"})})


def revalidated(item: LayerSpec, args: dict) -> LayerSpec:
    return LayerSpec.model_validate(substitute(item.model_dump(exclude_unset=True), args))


def copied(item: LayerSpec, args: dict) -> LayerSpec:
    return item.model_copy(update=substitute(item.model_extra, args))


def outcome(make, item, args):
    try:
        made = make(item, args)
    except KeyError as exc:
        return "KeyError", exc.args
    return made, made.model_fields_set, made.model_extra, list(made.model_extra)


@given(FIELDS, st.dictionaries(PARAM_NAMES, VALUES, max_size=4))
def test_a_copy_with_substituted_parameters_equals_the_item_validated_again(fields, params):
    item = LayerSpec.model_validate({**fields, **params})
    assume(_templates_in(item) == "params")  # the copy is made only then
    assert outcome(copied, item, ARGS) == outcome(revalidated, item, ARGS)


@pytest.mark.parametrize("data, where", [
    ({"type": "Dense", "units": 3}, None),
    ({"type": "Dense", "units": "$n"}, "params"),
    ({"type": "Dense", "units": ["$n"]}, "params"),
    ({"type": "Dense", "name": "${act}_d", "units": "$n"}, "fields"),
    ({"type": "Dense", "repeat": "$n", "units": 2}, "fields"),
])
def test_templates_are_found_in_the_fields_or_only_in_the_parameters(data, where):
    assert _templates_in(LayerSpec.model_validate(data)) == where
