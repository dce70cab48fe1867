"""Saving keeps the file's own layout: unchanged text is copied, new text follows the file's style."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BUNDLED_SPECS
from layergraph.editing.jsonlayout import Splicer, canonical, detect_style, scan


def splice(text, edit):
    data = json.loads(text)
    new = json.loads(text)
    edit(new)
    return Splicer(text, data).render(new), new


@pytest.mark.parametrize("path", BUNDLED_SPECS, ids=lambda p: p.stem)
def test_rendering_unchanged_data_gives_the_file_back_byte_for_byte(path):
    text = path.read_text(encoding="utf-8")
    assert Splicer(text, json.loads(text)).render(json.loads(text)) == text


@pytest.mark.parametrize("dump", [
    lambda d: json.dumps(d, indent=2) + "\n",
    lambda d: json.dumps(d, indent=4, ensure_ascii=False),
    lambda d: json.dumps(d, indent="\t"),
    lambda d: json.dumps(d, separators=(",", ":")),
    lambda d: json.dumps(d),
    lambda d: json.dumps(d, indent=2).replace("\n", "\r\n") + "\r\n",
], ids=["indent2", "indent4-utf8", "tabs", "minified", "one-line", "crlf"])
def test_an_edited_file_in_a_standard_style_is_what_json_dumps_writes_in_that_style(dump, spec_path):
    data = json.loads(spec_path("alexnet").read_text())
    text = dump(data)
    new = json.loads(text)
    new["layers"][0]["filters"] = 64
    new["layers"].insert(2, {"name": "bn", "type": "BatchNormalization", "axis": -1})
    del new["layers"][5]
    new["outputs"].append("fc2")
    assert Splicer(text, data).render(new) == dump(new)


def test_changing_one_parameter_changes_only_that_number(spec_path):
    text = spec_path("alexnet").read_text()
    out, _ = splice(text, lambda d: d["layers"][0].update(filters=64))
    assert out == text.replace('"filters": 96', '"filters": 64', 1)


def test_a_hand_made_line_break_stays_before_its_key_when_a_key_is_inserted(spec_path):
    text = spec_path("alexnet").read_text()

    def insert_padding(d):
        pool = d["layers"][1]
        d["layers"][1] = {k: pool[k] for k in ("name", "type", "pool_size", "strides")}
        d["layers"][1].update(padding="same", description=pool["description"])
    out, new = splice(text, insert_padding)
    assert '"strides": 2, "padding": "same",\n     "description": "overlapping' in out
    assert json.loads(out) == new


def test_new_layers_are_written_on_one_line_like_their_siblings(spec_path):
    text = spec_path("alexnet").read_text()
    layer = {"name": "bn", "type": "BatchNormalization"}
    out, _ = splice(text, lambda d: d["layers"].insert(3, layer))
    lines = out.splitlines()
    assert '    {"name": "bn", "type": "BatchNormalization"},' in lines
    assert len(lines) == len(text.splitlines()) + 1
    assert set(text.splitlines()) <= set(lines)


def test_removing_a_layer_removes_exactly_its_line(spec_path):
    text = spec_path("vgg16").read_text()
    out, _ = splice(text, lambda d: d["layers"].pop(6))
    removed = [line for line in text.splitlines() if line not in out.splitlines()]
    assert removed == ['    {"name": "fc1", "type": "Dense", "units": 4096, "activation": "relu"},']


def test_a_new_top_level_key_uses_the_files_indentation(spec_path):
    text = spec_path("residual_cnn").read_text()
    out, new = splice(text, lambda d: d.__setitem__("outputs", ["predictions"]))
    assert out.endswith('  ],\n  "outputs": ["predictions"]\n}\n')
    assert json.loads(out) == new


def test_non_ascii_text_stays_unescaped_and_escaped_files_stay_escaped():
    raw = {"name": "é", "layers": [{"type": "Flatten", "description": "×"}]}
    utf8 = json.dumps(raw, ensure_ascii=False, indent=2)
    escaped = json.dumps(raw, indent=2)
    for text, expected in ((utf8, "ü"), (escaped, "\\u00fc")):
        out, _ = splice(text, lambda d: d["layers"][0].update(description="ü"))
        assert expected in out


def test_type_changes_that_compare_equal_in_python_are_still_written():
    # 1 == 1.0 == True in Python; the file must still change.
    text = '{"a": 1, "b": 1, "c": 0}'
    out, _ = splice(text, lambda d: d.update(a=1.0, b=True, c=False))
    assert out == '{"a": 1.0, "b": true, "c": false}'


def test_numbers_keep_their_spelling_where_unchanged():
    text = '{"epsilon": 1.001e-5, "x": 1E3, "y": 2}'
    out, _ = splice(text, lambda d: d.update(y=3))
    assert out == '{"epsilon": 1.001e-5, "x": 1E3, "y": 3}'


def test_a_wrong_splice_falls_back_to_a_fresh_document(monkeypatch):
    text = '{\n  "a": [1, 2],\n  "b": {"c": 1}\n}\n'
    splicer = Splicer(text, json.loads(text))
    monkeypatch.setattr(Splicer, "_emit", lambda self, *a: "[broken")
    out = splicer.render({"a": [1], "b": {"c": 2}})
    assert json.loads(out) == {"a": [1], "b": {"c": 2}}
    assert out.endswith("\n")


def test_duplicate_keys_in_the_original_do_not_break_a_save():
    text = '{"a": 1, "a": 2, "b": 3}'
    out, new = splice(text, lambda d: d.update(b=4))
    assert json.loads(out) == new == {"a": 2, "b": 4}


def test_style_detection_reads_indent_separators_and_line_endings():
    text = '{\r\n\t"a":[1,2],\r\n\t"b":{"c":1}\r\n}'
    style = detect_style(text, scan(text))
    assert (style.indent, style.item_sep, style.key_sep, style.newline) == ("\t", ",", ":", "\r\n")


# -- property: whatever the layout and the edit, the saved text holds exactly the new data

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                         st.floats(allow_nan=False, allow_infinity=False, width=32),
                         st.text(max_size=8))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=4)), max_leaves=20)
layouts = st.sampled_from([
    dict(indent=2), dict(indent=4, ensure_ascii=False), dict(separators=(",", ":")), dict(indent="\t"), {}])


@st.composite
def mutated(draw):
    data = draw(st.dictionaries(st.text(max_size=5), json_values, min_size=1, max_size=5))
    new = json.loads(json.dumps(data))
    for _ in range(draw(st.integers(1, 4))):
        key = draw(st.sampled_from(sorted(new) or ["k"]))
        action = draw(st.sampled_from(["set", "delete", "append", "nested"]))
        if action == "set" or key not in new:
            new[key] = draw(json_values)
        elif action == "delete":
            del new[key]
        elif action == "append" and isinstance(new[key], list):
            new[key].insert(draw(st.integers(0, len(new[key]))), draw(json_values))
        elif isinstance(new[key], dict):
            new[key][draw(st.text(max_size=3))] = draw(json_values)
    return data, new


@settings(max_examples=300, deadline=None)
@given(mutated(), layouts)
def test_any_edit_in_any_layout_saves_exactly_the_new_data(case, layout):
    data, new = case
    text = json.dumps(data, **layout)
    splicer = Splicer(text, data)
    assert splicer.render(data) == text
    assert canonical(json.loads(splicer.render(new))) == canonical(new)
