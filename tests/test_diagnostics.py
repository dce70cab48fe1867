"""Every kind of diagnostic, one fixture file each, checked for code, place and wording.

The expected line:column comes from the fixture text itself (where the offending
value is written), not from layergraph's position scanner.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

import layergraph as lg
from conftest import FIXTURES
from layergraph.limits import Limits

INVALID = FIXTURES / "invalid"


@dataclass(frozen=True)
class Expect:
    code: str
    pointer: str
    at: str | None  # text where the diagnostic points (its first character), None: no position
    says: tuple[str, ...] = ()  # fragments of the message
    layer: str | None = None
    hint: str | None = None  # a fragment of the hint
    severity: str = "error"
    nth: int = 1  # which occurrence of `at`


def position(text: str, snippet: str, nth: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of snippet."""
    offset = -1
    for _ in range(nth):
        offset = text.index(snippet, offset + 1)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


EXPECTED: dict[str, list[Expect]] = {
    "malformed_json": [Expect(
        "LG003", "", "]\n}", ("Malformed JSON: Expecting value", "Received: ']'"),
        hint="trailing comma")],
    "top_level_array": [Expect(
        "LG101", "", "[", ("must be a JSON object", "Received: a JSON array"), hint="layergraph/1")],
    "top_level_keys": [
        Expect("LG101", "/layers", "{", ("Missing required key `layers`", "Received: nothing")),
        Expect("LG101", "/layer", '[\n    {"type": "Flatten"}',
               ("Unknown key `layer`", "expected one of", "Received: layer="),
               hint="did you mean `layers`?")],
    "unknown_type": [Expect(
        "LG201", "/layers/0/type", '"Conv2d"',
        ("Unknown layer type 'Conv2d'", "Received: type='Conv2d'"), "conv", "did you mean `Conv2D`?")],
    "unknown_parameter": [  # the missing `kernel_size` is the same mistake: not repeated
        Expect("LG202", "/layers/0/kernal_size", '3},',
               ("Unknown parameter `kernal_size` of layer 'conv' (Conv2D)", "expected one of",
                "Received: kernal_size=3"), "conv", "did you mean `kernel_size`")],
    "parameter_type": [Expect(
        "LG203", "/layers/0/filters", '"8"',
        ("Invalid value for `filters` of layer 'conv'", "expected an integer",
         "Received: filters='8'"), "conv")],
    "parameter_range": [Expect(
        "LG203", "/layers/2/rate", "1.5",
        ("Invalid value for `rate`", "less than or equal to 1", "Received: rate=1.5"), "dropout")],
    "duplicate_name": [Expect(
        "LG301", "/layers/1/name", '"conv"',
        ("Duplicate layer name 'conv'", "Received: a second layer named 'conv'"), "conv",
        "rename", nth=2)],
    "dangling_input": [
        Expect("LG302", "/layers/2/inputs/1", '"conv_c"',
               ("takes input from 'conv_c', which does not exist", "Received: 'conv_c'"), "sum",
               "`conv_a`")],
    "cycle": [Expect(
        "LG303", "/layers/1/inputs", '["c"]', ("has a cycle", "Received: b → c → b"), "b",
        "`inputs`")],
    "wrong_arity": [Expect(
        "LG304", "/layers/1/inputs", '["a"]',
        ("Wrong number of inputs for Add layer 'sum'", "expected at least 2", "Received: 1 (a)"),
        "sum", "list the branches")],
    "add_mismatch": [Expect(
        "LG401", "/layers/1", '{"name": "shortcut"',
        ("Inputs of Add have incompatible shapes", "Received shapes (16, 16, 16), (32, 32, 3)"),
        "shortcut", "1×1 Conv2D")],
    "concatenate_mismatch": [Expect(
        "LG401", "/layers/2", '{"name": "merge"',
        ("Inputs of Concatenate have incompatible shapes", "except the concatenation axis",
         "Received shapes (32, 32, 16), (30, 30, 16)"), "merge")],
    "non_positive_size": [Expect(
        "LG402", "/layers/1", '{"name": "conv2"',
        ("would be zero or negative", "Received: input size 4×4, window 5×5"), "conv2",
        "padding='same'")],
    "recursive_block": [Expect(
        "LG502", "/blocks/inner/layers/0/block", '"outer"}]}',
        ("Block 'outer' uses itself", "Received: outer → inner → outer"))],
    "unknown_block": [Expect(
        "LG501", "/layers/0/block", '"conv_blok"',
        ("Unknown block 'conv_blok'", "Received: block='conv_blok'"), hint="did you mean `conv_block`?")],
    "bad_block_args": [
        Expect("LG503", "/layers/0/args/filter", "8}}",
               ("Unknown argument `filter` for block 'conv_block'", "Received: filter=8"),
               hint="did you mean `filters`?"),
        Expect("LG503", "/layers/0/args", '{"filter": 8}',
               ("Missing argument `filters` for block 'conv_block'", "Received: no value"))],
    "block_output": [Expect(
        "LG305", "/blocks/stem/output", '"pol"',
        ("Output 'pol' of block 'stem' is not one of its layers", "Received: output='pol'"),
        hint="did you mean `pool`?")],
    "block_inputs": [Expect(
        "LG304", "/layers/1/inputs", '["hidden"]',
        ("Wrong number of inputs for block 'merge' (used as 'join')", "expected 2 (a, b)",
         "Received: 1 (hidden)"))],
    "huge_repeat": [Expect(
        "LG601", "/layers/0/repeat", "1000000000",
        ("`repeat` is too large: at most 10,000", "Received: repeat=1,000,000,000"),
        hint="LAYERGRAPH_MAX_REPEAT")],
    "block_bomb": [Expect(
        "LG601", "/layers/0", '{"name": "bomb"',
        ("The graph is too large: at most 200,000 layers",
         "Received: 1,000,000,000,001 layers after expanding blocks and repeats"),
        hint="LAYERGRAPH_MAX_LAYERS")],
    "huge_dimension": [Expect(
        "LG601", "/layers/0", '{"name": "wide"',
        ("Output of layer 'wide' is too large", "Received: output shape (1000000000000,)"), "wide",
        "LAYERGRAPH_MAX_DIMENSION")],
    "too_many_params": [Expect(
        "LG601", "/layers/0", '{"name": "wide"',
        ("at most 10,000,000,000 parameters", "Received: 1,000,011,000,010 parameters",
         "1,000,001,000,000 of them in layer 'wide' (Dense)"), "wide",
        "LAYERGRAPH_MAX_TOTAL_PARAMS")],
    "unsupported_format": [Expect(
        "LG102", "/format", '"layergraph/2"',
        ("Unsupported spec format", "Received: format='layergraph/2'"), hint='"layergraph/1"')],
    "unknown_output": [Expect(
        "LG305", "/outputs/0", '"logit"', ("Output 'logit' is not a layer", "Received: 'logit'"),
        hint="did you mean `logits`?")],
    "unused_layer": [Expect(
        "LG306", "/layers/1", '{"name": "probe"',
        ("Layer 'probe' does not contribute to any output", "Received: outputs ['logits']"),
        "probe", severity="warning")],
    "control_character_name": [Expect(
        "LG101", "/layers/0/name", '"hid',
        ("names may not contain '/' or control characters", "Received: name='hid\\x1b[31mden'"))],
    "control_characters": [Expect(
        "LG202", "/layers/1/\x1b[31mkey", "1}",
        ("Unknown parameter `\x1b[31mkey`", "Received: \x1b[31mkey=1"), "logits")],
    "lambda_layer": [
        Expect("LG201", "/layers/0/type", '"Lambda"', ("Unknown layer type 'Lambda'",), "evil"),
        Expect("LG203", "/layers/1/kernel_initializer", '{"module": "os"',
               ("`module` must be a Keras module", "Received: kernel_initializer="), "logits")],
    "many_errors": [
        Expect("LG201", "/layers/1/type", '"Conv2d"', ("Unknown layer type",), "conv2", "`Conv2D`"),
        Expect("LG203", "/layers/3/strides", "0, ", ("`strides`", "Received: strides=0"), "side"),
        Expect("LG302", "/layers/10/inputs/0", '"gapp"', ("'gapp'",), "aux", "`gap`"),
        Expect("LG305", "/outputs/3", '"auxx"', ("Output 'auxx'",), hint="`aux`"),
        Expect("LG401", "/layers/8", '{"name": "skip"', ("Received shapes (16,), (64,)",), "skip")],
    "nesting_too_deep": [Expect(
        "LG004", "", None, ("nested too deeply: at most 64 levels",),
        hint="LAYERGRAPH_MAX_NESTING_DEPTH")],
    "not_utf8": [Expect(
        "LG001", "", None, ("not valid UTF-8", "Received: byte 0xe9 at offset 16"), hint="UTF-8")],
}


def fixture_ids():
    return sorted(EXPECTED)


def test_every_fixture_file_has_expectations_and_every_expectation_a_file():
    assert {p.stem for p in INVALID.glob("*.json")} == set(EXPECTED)


@pytest.mark.parametrize("stem", fixture_ids())
def test_fixture_gives_exactly_the_expected_diagnostics(stem):
    path = INVALID / f"{stem}.json"
    analysis = lg.analyze(path)
    got = sorted(analysis.diagnostics, key=lambda d: (d.code.value, d.pointer))
    want = sorted(EXPECTED[stem], key=lambda e: (e.code, e.pointer))
    assert [(d.code.value, d.pointer) for d in got] == [(e.code, e.pointer) for e in want], \
        "\n".join(d.format() for d in got)
    text = path.read_bytes().decode("utf-8", errors="replace")
    for diagnostic, expect in zip(got, want):
        assert diagnostic.severity.value == expect.severity
        assert diagnostic.layer == expect.layer
        assert diagnostic.file == str(path)
        if expect.at is not None:
            assert (diagnostic.line, diagnostic.column) == position(text, expect.at, expect.nth)
        for fragment in expect.says:
            assert fragment in diagnostic.message
        if expect.hint:
            assert expect.hint in (diagnostic.hint or "")
        assert "Received" in diagnostic.message and diagnostic.message.endswith(".")
        assert diagnostic.format().startswith(f"{path}:{diagnostic.line}:{diagnostic.column}: "
                                              f"{expect.severity} {expect.code}") \
            or diagnostic.line is None


def test_malformed_json_points_at_the_character_after_the_trailing_comma():
    diagnostic, = lg.analyze(INVALID / "malformed_json.json").diagnostics
    assert (diagnostic.line, diagnostic.column) == (7, 3)


def test_not_utf8_is_located_by_line_and_character_column():
    path = INVALID / "not_utf8.json"
    raw = path.read_bytes()
    offset = raw.index(b"\xe9")
    line_start = raw.rfind(b"\n", 0, offset) + 1
    diagnostic, = lg.analyze(path).diagnostics
    assert (diagnostic.line, diagnostic.column) == (raw.count(b"\n", 0, offset) + 1,
                                                    offset - line_start + 1)


def test_nesting_too_deep_points_at_the_first_bracket_past_the_limit():
    path = INVALID / "nesting_too_deep.json"
    text = path.read_text()
    # root {, layers [, layer {, kernel_initializer {, config {: the value's first [ is level 6.
    value = text.index('"value": ') + len('"value": ')
    first_too_deep = value + (Limits().max_nesting_depth + 1 - 6)
    assert text[value:first_too_deep + 1] == "[" * (first_too_deep - value + 1)
    diagnostic, = lg.analyze(path).diagnostics
    assert (diagnostic.line, diagnostic.column) == position(text[:first_too_deep] + "\x00", "\x00")


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "big.json"
    path.write_text('{"layers": [' + " " * 2000 + "]}")
    diagnostic, = lg.analyze(path, limits=Limits(max_file_bytes=1000)).diagnostics
    assert diagnostic.code is lg.Code.FILE_TOO_LARGE
    assert "at most 1,000 bytes" in diagnostic.message
    assert f"Received: a file of {path.stat().st_size:,} bytes" in diagnostic.message
    assert diagnostic.file == str(path) and diagnostic.line is None


def test_a_missing_file_is_one_clear_diagnostic(tmp_path):
    diagnostic, = lg.analyze(tmp_path / "nope.json").diagnostics
    assert diagnostic.code is lg.Code.FILE_UNREADABLE
    assert "No such file" in diagnostic.message


# -- propagation goes on past errors ---------------------------------------------------


def test_all_independent_errors_are_reported_in_one_run_and_downstream_is_unknown():
    analysis = lg.analyze(INVALID / "many_errors.json")
    assert len(analysis.errors) == 5
    shapes = {name: r.output_shape for name, r in analysis.layers.items()}
    # Layers with no broken ancestor are analysed...
    assert shapes["conv1"] == (32, 32, 16) and shapes["gap"] == (16,) and shapes["head"] == (64,)
    # ...those downstream of an error are unknown, not wrong.
    for name in ("pool2", "side_pool", "merge", "logits"):
        assert shapes[name] is None
        assert analysis.layers[name].diagnostics == []
    assert not analysis.complete
    assert analysis.total_params == (3 * 3 * 3 * 16 + 16) + (16 * 64 + 64)


@pytest.mark.parametrize("stem, downstream", [
    ("add_mismatch", ["pool", "logits"]), ("concatenate_mismatch", ["pool", "logits"]),
    ("non_positive_size", ["flatten", "logits"]), ("unknown_type", ["flatten", "logits"]),
    ("huge_dimension", ["logits"]), ("cycle", ["logits"]), ("wrong_arity", ["logits"]),
])
def test_layers_after_an_error_are_unknown_and_totals_incomplete(stem, downstream):
    analysis = lg.analyze(INVALID / f"{stem}.json")
    for name in downstream:
        assert analysis.layers[name].output_shape is None
        assert analysis.layers[name].param_count is None
    assert not analysis.complete


@pytest.mark.parametrize("stem", ["huge_repeat", "bad_block_args", "duplicate_name", "block_inputs"])
def test_skipped_items_make_the_totals_incomplete(stem):
    # The expansion leaves such items out of `layers`; the totals must not look exact.
    analysis = lg.analyze(INVALID / f"{stem}.json")
    assert not analysis.complete


def test_a_warning_alone_leaves_the_analysis_ok_and_complete():
    analysis = lg.analyze(INVALID / "unused_layer.json")
    assert analysis.ok and analysis.complete and analysis.warnings
