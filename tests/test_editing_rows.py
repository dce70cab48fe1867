"""Rows of the layer table, form fields from parameter models, the graph gutter, templates."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import layergraph as lg
from conftest import BUNDLED_SPECS
from layergraph.editing import operations as ops
from layergraph.editing.document import Document
from layergraph.editing.forms import (block_arg_fields, new_layer_params, param_fields, parse_text,
                                      value_text)
from layergraph.editing.jsonlayout import canonical
from layergraph.editing.rows import ERROR, OK, UNKNOWN, build_rows, row_for
from layergraph.editing.templates import template_names, template_text
from layergraph.tui.lanes import NODE, graph_lanes


def rows_of(data):
    doc = Document(data)
    return build_rows(doc.data, doc.analysis, doc.names), doc


@pytest.mark.parametrize("path", BUNDLED_SPECS, ids=lambda p: p.stem)
def test_every_analysed_layer_has_one_row_in_topological_order(path):
    rows, doc = rows_of(json.loads(path.read_text()))
    assert [r.key for r in rows] == list(doc.analysis.layers)
    assert all(r.status == OK for r in rows)


def test_rows_inside_a_block_point_at_the_block_definition_and_the_block_use(spec_path):
    rows, _ = rows_of(json.loads(spec_path("vgg16").read_text()))
    row = next(r for r in rows if r.key == "block2_conv1")
    assert (row.pointer, row.item, row.block, row.depth, row.item_index) == (
        "/blocks/vgg_block/layers/0", "/layers/1", "block2", 1, 1)


def test_an_item_without_layers_still_gets_a_row_with_its_problems(spec_path):
    data = json.loads(spec_path("alexnet").read_text())
    data["layers"][3]["name"] = "conv1"  # duplicate name
    data["layers"].insert(5, {"name": "b", "block": "nowhere"})
    rows, _ = rows_of(data)
    duplicate = next(r for r in rows if r.item == "/layers/3")
    assert duplicate.key == "#/layers/3" and duplicate.status == ERROR
    assert [d.code.value for d in duplicate.diagnostics] == ["LG301"]
    block = next(r for r in rows if r.item == "/layers/5")
    assert [d.code.value for d in block.diagnostics] == ["LG501"]
    assert len({r.key for r in rows}) == len(rows)


def test_a_spec_with_broken_structure_shows_its_raw_items(spec_path):
    data = json.loads(spec_path("alexnet").read_text())
    data["layers"][2] = 17
    rows, doc = rows_of(data)
    assert doc.analysis.spec is None
    assert len(rows) == 1 + len(data["layers"])
    assert row_for(doc.analysis.errors[0], rows).item == "/layers/2"


def test_layers_after_an_error_are_unknown_not_wrong(spec_path):
    data = json.loads(spec_path("alexnet").read_text())
    data["layers"][3]["pool_size"] = 50  # pool2: a 'valid' window larger than its 27×27 input
    rows, doc = rows_of(data)
    status = {r.key: r.status for r in rows}
    assert status["conv2"] == OK and status["pool2"] == ERROR and status["predictions"] == UNKNOWN
    assert row_for(doc.analysis.errors[0], rows).key == "pool2"


# -- forms ------------------------------------------------------------------------

def test_conv2d_form_matches_the_keras_signature():
    fields = {f.key: f for f in param_fields(lg.get_registry().get("Conv2D"))}
    assert fields["filters"].input_type == "integer" and fields["strides"].input_type == "text"
    assert param_fields(lg.get_registry().get("Dropout"))[0].input_type == "number"
    assert fields["filters"].required and fields["kernel_size"].required
    assert fields["padding"].kind == "choice" and set(fields["padding"].choices) == {"valid", "same"}
    assert fields["use_bias"].kind == "bool" and fields["use_bias"].default is True
    assert fields["strides"].type_text == "int | (int, int)" and fields["strides"].default_text() == "1"
    assert "relu" in fields["activation"].suggestions
    assert fields["kernel_initializer"].advanced and not fields["filters"].advanced


@pytest.mark.parametrize("type_name", lg.get_registry().names())
def test_new_layers_of_every_type_have_valid_parameters(type_name):
    layer_type = lg.get_registry().get(type_name)
    layer_type.Params.model_validate(new_layer_params(layer_type))


def test_block_arguments_come_from_the_block_definition(spec_path):
    data = json.loads(spec_path("inception_module").read_text())
    fields = block_arg_fields(data["blocks"]["inception"])
    assert [f.key for f in fields][:2] == ["f1", "f3_reduce"] and fields[0].default == 32
    vgg = json.loads(spec_path("vgg16").read_text())
    assert all(f.required for f in block_arg_fields(vgg["blocks"]["vgg_block"]))


@pytest.mark.parametrize("text, value", [
    ("3", 3), ("3, 3", [3, 3]), ("[3, 3]", [3, 3]), ("relu", "relu"), ("null", None),
    ("0.5", 0.5), ('"3"', "3"), ("$filters", "$filters"), ("  same ", "same"),
    ("+3", 3), ("1_000", 1000), ("1.", 1.0), (".5", 0.5), (".", "."), ("-", "-")])
def test_typed_text_becomes_json(text, value):
    assert parse_text(text) == value and type(parse_text(text)) is type(value)


def test_empty_text_means_the_keras_default_and_bad_numbers_are_refused():
    assert parse_text("  ") is ops.UNSET
    for bad in ("1e999", "NaN", "-Infinity", "9" * 5000):
        with pytest.raises(ValueError):
            parse_text(bad)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(),
              st.floats(allow_nan=False, allow_infinity=False)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=8)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_shown_text_parses_back_to_the_same_value(value):
    parsed = parse_text(value_text(value))
    if value == "" or (isinstance(value, str) and not value.strip()):
        return  # blank strings display as quoted JSON only when they would parse differently
    assert canonical(parsed) == canonical(value)


# -- gutter ---------------------------------------------------------------------------

def test_a_chain_is_a_straight_line():
    assert graph_lanes(["a", "b", "c"], [[], ["a"], ["b"]]) == [NODE] * 3


def test_a_residual_connection_forks_and_merges():
    keys = ["x", "conv", "bn", "add"]
    lines = graph_lanes(keys, [[], ["x"], ["conv"], ["bn", "x"]])
    assert lines == ["●─╮", "● │", "● │", "●─╯"]


def test_a_concatenation_of_three_branches():
    keys = ["x", "a", "b", "c", "cat"]
    lines = graph_lanes(keys, [[], ["x"], ["x"], ["x"], ["a", "b", "c"]])
    assert lines == ["●─┬─╮", "● │ │", "│ ● │", "│ │ ●", "●─┴─╯"]


UP = set("│┼●╯┴╰┤├")
DOWN = set("│┼╮┬╭┤├")


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 25).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.lists(st.integers(0, n - 1), max_size=3), min_size=n, max_size=n))))
def test_every_lane_continues_from_one_row_to_the_next(case):
    n, sources = case
    keys = [f"l{i}" for i in range(n)]
    inputs = [[keys[s] for s in srcs if s < i] for i, srcs in enumerate(sources)]
    lines = graph_lanes(keys, inputs, max_lanes=100)
    assert len({len(line) for line in lines}) == 1
    assert all(line.count(NODE) == 1 for line in lines)
    for above, below in zip(lines, lines[1:]):
        for a, b in zip(above[::2], below[::2]):
            if a in DOWN:  # an edge leaves downwards: something below must receive it
                assert b in UP
            if b in UP - {NODE}:  # an edge arrives from above: something above must send it
                assert a in DOWN | {NODE}


def test_wide_graphs_are_cut_at_the_lane_limit():
    keys = ["x"] + [f"b{i}" for i in range(12)] + ["cat"]
    inputs = [[]] + [["x"]] * 12 + [keys[1:13]]
    lines = graph_lanes(keys, inputs, max_lanes=4)
    assert {len(line) for line in lines} == {7} and "…" in lines[0]


# -- templates -------------------------------------------------------------------------

def test_templates_include_blank_and_the_bundled_specs():
    names = template_names()
    assert names[0] == "blank" and {"alexnet", "mnist_cnn", "vgg16"} <= set(names)
    assert lg.analyze(template_text("blank")).ok
    assert json.loads(template_text("mnist_cnn"))["name"] == "Basic_CNN"
    with pytest.raises(ValueError, match="blank"):
        template_text("nonesuch")
