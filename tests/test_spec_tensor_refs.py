"""Several outputs and keyword tensors in the spec format: ``"enc:1"`` / ``"enc:state_h"``
references, a layer's ``call`` (``initial_state``), their diagnostics, and that old
specs (names containing ':' included) mean what they meant."""

from __future__ import annotations

import json

import pytest

import layergraph as lg
from conftest import FIXTURES
from layergraph.compiler.analysis import TensorRef
from test_diagnostics import position

REFS = FIXTURES / "tensor_refs"


def test_a_reference_picks_an_output_by_index_or_name_also_through_a_block_instance():
    analysis = lg.analyze(REFS / "seq2seq_refs.json")
    assert analysis.ok, [d.format() for d in analysis.diagnostics]
    dec = analysis.layers["dec"]
    assert dec.refs == [TensorRef("tgt"), TensorRef("enc_rnn", 1, "initial_state"),
                        TensorRef("enc_rnn", 2, "initial_state")]
    assert dec.inputs == ["tgt", "enc_rnn", "enc_rnn"]  # every layer it reads, for diagrams
    assert analysis.layers["enc_rnn"].output_shapes == [(4,), (4,), (4,)]
    assert analysis.output_refs == [TensorRef("a:b"), TensorRef("enc_rnn", 1)]
    assert analysis.graph.has_edge("enc_rnn", "dec")


def test_a_layer_name_containing_a_colon_is_still_a_plain_reference():
    analysis = lg.analyze(REFS / "seq2seq_refs.json")
    assert analysis.outputs == ["a:b", "enc_rnn"]
    assert analysis.layers["a:b"].refs == [TensorRef("dec")]


def test_the_spec_round_trips_byte_identically_with_call_and_output_references():
    text = (REFS / "seq2seq_refs.json").read_text()
    spec = lg.analyze(REFS / "seq2seq_refs.json").spec
    assert json.loads(json.dumps(spec.to_json_data())) == json.loads(text)
    assert "call" not in lg.analyze({"layers": [{"type": "InputLayer", "shape": [3]}]}
                                    ).spec.to_json_data()["layers"][0]


BAD = [  # (code, pointer, text it points at, message fragments, hint fragment)
    ("LG307", "/layers/2/call/initial_state/0", '"enc:3"',
     ("has no output '3'", "[0 (output), 1 (state_h), 2 (state_c)]", "Received: 'enc:3'"), None),
    ("LG307", "/layers/2/call/initial_state/1", '"enc:state_x"', ("no output 'state_x'",),
     "return_state"),
    ("LG308", "/layers/3/call/initial_states", '["plain:1"]',
     ("Unknown call argument `initial_states` for GRU layer 'dec2'",
      "expected one of initial_state, mask"), "`initial_state`"),
    ("LG307", "/layers/3/call/initial_states/0", '"plain:1"', ("has no output '1'", "[0 (output)]"),
     "return_state=True"),
    ("LG302", "/layers/4/inputs/2", '"nope:1"', ("'nope:1', which does not exist",), None),
    ("LG307", "/outputs/1", '"enc:5"', ("Output 'enc:5' names no tensor",), None),
]


def test_bad_references_and_call_arguments_get_one_placed_diagnostic_each():
    path = REFS / "bad_refs.json"
    analysis = lg.analyze(path)
    got = sorted((d for d in analysis.diagnostics if d.code.value in ("LG302", "LG307", "LG308")),
                 key=lambda d: d.pointer)
    want = sorted(BAD, key=lambda b: b[1])
    assert [(d.code.value, d.pointer) for d in got] == [(b[0], b[1]) for b in want], \
        "\n".join(d.format() for d in analysis.diagnostics)
    text = path.read_text()
    for diagnostic, (_, _, at, says, hint) in zip(got, want):
        assert (diagnostic.line, diagnostic.column) == position(text, at)
        for fragment in says:
            assert fragment in diagnostic.message
        if hint:
            assert hint in (diagnostic.hint or "")
        assert diagnostic.message.endswith(".")


def test_a_call_argument_on_a_layer_whose_call_takes_none_says_so():
    analysis = lg.analyze({"inputs": [{"name": "x", "shape": [4]}], "layers": [
        {"name": "d", "type": "Dense", "units": 2, "call": {"mask": "x"}}]})
    (error,) = analysis.errors
    assert error.code.value == "LG308" and "expected none" in error.message
    assert error.hint == "pass the tensors in `inputs`"


def test_the_summary_says_which_output_and_keyword_a_layer_reads_and_the_diagram_draws_it():
    from layergraph.render.api import to_dot
    from layergraph.summary import to_markdown

    analysis = lg.analyze(REFS / "seq2seq_refs.json")
    assert analysis.layers["dec"].input_labels() == [
        "tgt", "initial_state=enc_rnn:1", "initial_state=enc_rnn:2"]
    assert "initial_state=enc_rnn:1" in to_markdown(analysis)
    assert "enc_rnn" in to_dot(analysis).source


@pytest.mark.keras
def test_initial_state_and_output_references_compile_to_the_hand_written_keras_model():
    import keras
    import numpy as np

    src, tgt = keras.Input((None, 8), name="src"), keras.Input((None, 8), name="tgt")
    _, h, c = keras.layers.LSTM(4, return_state=True, name="enc_rnn")(src)
    dec = keras.layers.LSTM(4, return_sequences=True, name="dec")(tgt, initial_state=[h, c])
    out = keras.layers.Dense(3, name="a_b")(dec)
    truth = keras.Model([src, tgt], [out, h])
    model = lg.to_keras(REFS / "seq2seq_refs.json")
    for name in ("enc_rnn", "dec"):
        model.get_layer(name).set_weights(truth.get_layer(name).get_weights())
    model.get_layer("a:b").set_weights(truth.get_layer("a_b").get_weights())
    data = [np.random.default_rng(0).normal(size=(2, 5, 8)) for _ in range(2)]
    for mine, theirs in zip(model(data), truth(data)):
        np.testing.assert_allclose(np.asarray(mine), np.asarray(theirs), rtol=1e-5, atol=1e-6)


@pytest.mark.keras
def test_the_exported_script_builds_the_same_model_as_to_keras():
    from layergraph.emit.source import export_python

    code = export_python(REFS / "seq2seq_refs.json")
    assert "initial_state=[enc_rnn[1], enc_rnn[2]]" in code
    namespace: dict = {}
    exec(compile(code.replace('if __name__ == "__main__":', "if False:"), "spec.py", "exec"),
         namespace)
    model, compiled = namespace["model"], lg.to_keras(REFS / "seq2seq_refs.json")
    assert [(l.name, l.count_params()) for l in model.layers] == \
        [(l.name, l.count_params()) for l in compiled.layers]
    assert [tuple(t.shape) for t in model.outputs] == [tuple(t.shape) for t in compiled.outputs]
