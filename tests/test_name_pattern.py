"""Layer, block and input names are checked by a pattern pydantic-core applies itself.

The check used to be a Python validator per name; the pattern must refuse exactly the
names it refused ('/', control characters, bidirectional overrides) and the diagnostic
must read as it did, naming the first offending character.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import layergraph as lg
from layergraph.spec import InputSpec, LayerSpec, name_problem

# The characters the old validator refused, written out here on purpose (not imported).
_REFUSED = re.compile("[/\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Near the edges of each refused range, plus ordinary letters and other scripts.
_EDGES = "/\x00\x1f \x7e\x7f\x9f\xa0\u2029\u202a\u202e\u202f\u2065\u2066\u2069\u206a\n\t.:-_aZé日\U0001f600"
names = st.text(st.one_of(st.sampled_from(_EDGES), st.characters(max_codepoint=0x2100)),
                min_size=1, max_size=12)


def _accepted(name: str) -> bool:
    try:
        LayerSpec.model_validate({"type": "Dense", "name": name})
    except ValidationError:
        return False
    return True


@given(names)
def test_a_name_is_accepted_exactly_when_it_holds_no_slash_or_control_character(name):
    assert _accepted(name) == (_REFUSED.search(name) is None)


@given(names)
def test_the_reason_a_name_is_refused_names_its_first_bad_character(name):
    bad = _REFUSED.search(name)
    expected = None if bad is None else (
        f"names may not contain '/' or control characters; found {bad.group()!r}")
    assert name_problem(name) == expected


def test_a_bad_layer_name_is_reported_with_its_character_and_pointer():
    analysis = lg.analyze({"inputs": [{"shape": [4]}],
                           "layers": [{"type": "Dense", "units": 2, "name": "a/b"}]})
    (diagnostic,) = analysis.errors
    assert diagnostic.pointer == "/layers/0/name"
    assert diagnostic.message == ("Invalid value for `name`: names may not contain '/' or "
                                  "control characters; found '/'. Received: name='a/b'.")


def test_a_bad_name_in_a_call_argument_list_is_reported_at_its_item():
    analysis = lg.analyze({"inputs": [{"shape": [4]}], "layers": [
        {"type": "Dense", "units": 2, "call": {"mask": ["ok", "b\x1bad"]}}]})
    messages = {d.pointer: d.message for d in analysis.errors}
    assert "found '\\x1b'" in messages["/layers/0/call/mask"]


def test_an_input_name_that_is_too_long_is_refused_for_its_length_not_its_characters():
    try:
        InputSpec.model_validate({"name": "/" * 300, "shape": [1]})
    except ValidationError as exc:
        assert [e["type"] for e in exc.errors()] == ["string_too_long"]
    else:
        raise AssertionError("a 300-character name was accepted")
