"""Property-based fuzzing: no input ever ends in an uncaught exception.

Random JSON values, random spec-shaped documents and random mutations of the
bundled specs (deleted keys, wrong types, huge and negative numbers, unicode and
control characters, deep nesting, broken JSON text) must give an Analysis with
diagnostics (or a clean one), through the Python API and through the CLI, whose
exit code is then 0 or 1 (2 is for usage errors only).

Run size: the Hypothesis profile in conftest.py (``HYPOTHESIS_PROFILE=ci`` in CI,
``thorough`` for a long local run) sets max_examples and the deadline.
"""

from __future__ import annotations

import atexit
import copy
import io
import json
import math
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

import layergraph as lg
from conftest import BUNDLED_SPECS
from layergraph import summary
from layergraph.cli import app
from layergraph.diagnostics import Code, pointer_join
from layergraph.jsonsource import Source

# Small limits keep every example fast; the properties do not depend on the values.
LIMITS = lg.Limits(max_layers=2_000, max_repeat=300, max_file_bytes=1 << 20)
LIMIT_ENV = {"LAYERGRAPH_MAX_LAYERS": "2000", "LAYERGRAPH_MAX_REPEAT": "300"}
SPEC_TEXTS = {p.stem: p.read_text() for p in BUNDLED_SPECS}
SPEC_DATA = {stem: json.loads(text) for stem, text in SPEC_TEXTS.items()}
WORKDIR = Path(tempfile.mkdtemp(prefix="layergraph-fuzz-"))
atexit.register(shutil.rmtree, WORKDIR, ignore_errors=True)

CLI = settings(settings(), max_examples=max(10, settings().max_examples // 3),
               suppress_health_check=[HealthCheck.too_slow])

# -- strategies ------------------------------------------------------------------------

NASTY_STRINGS = st.sampled_from([
    "", " ", "same", "SAME", "valid", "relu", "softmax", "$x", "${x}", "$filters", "Lambda",
    "input_layer", "conv1", "block1", "\x1b[31mred", "\x1b]0;title\x07", "\u202eevil", "\x00",
    "a/b", "~0~1", "../../etc/passwd", "__import__('os').system('true')", "😀", "한글",
    "\ud800", "a" * 300, "keras.layers", "channels_first", "Dense", "Conv2D", "Add",
])
NASTY_NUMBERS = st.sampled_from([
    0, -1, 1, 2, 3, 7, 2**31, -(2**31), 2**63, 10**12, 10**30, -10**9, 0.5, -0.0, 1e-300,
    1e300, 1.5, True, False])


def nested(depth: int, leaf=1):
    value = leaf
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), NASTY_NUMBERS,
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12), NASTY_STRINGS)
JSON_VALUES = st.recursive(
    SCALARS, lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(max_size=8) | NASTY_STRINGS, children, max_size=5),
    max_leaves=30)
ODD_VALUES = st.one_of(
    SCALARS, st.lists(st.integers(-3, 64) | st.none(), max_size=4),
    st.integers(40, 200).map(nested), JSON_VALUES)


@st.composite
def spec_documents(draw):
    """Documents shaped like specs, with plausible and implausible parts mixed."""
    registry = lg.get_registry()
    types = st.sampled_from(registry.names()) | NASTY_STRINGS

    def layer():
        type_name = draw(types)
        layer_type = registry.get(type_name)
        keys = list(layer_type.Params.model_fields) if layer_type else []
        item = {"type": type_name}
        for key in draw(st.lists(st.sampled_from(keys + ["name", "inputs", "repeat", "bogus"]),
                                 max_size=4, unique=True)):
            item[key] = draw(ODD_VALUES)
        return item

    doc = {"format": draw(st.sampled_from(["layergraph/1", "layergraph/1", "x"]))}
    if draw(st.booleans()):
        doc["inputs"] = [{"name": draw(NASTY_STRINGS | st.just("x")),
                          "shape": draw(st.lists(st.integers(-2, 40) | st.none(), max_size=4))}
                         for _ in range(draw(st.integers(0, 2)))]
    doc["layers"] = [layer() for _ in range(draw(st.integers(0, 6)))]
    if draw(st.booleans()):
        doc["blocks"] = {draw(NASTY_STRINGS): {"layers": [layer()], "params": draw(ODD_VALUES)}}
        doc["layers"].append({"name": "use", "block": draw(NASTY_STRINGS),
                              "args": draw(JSON_VALUES), "repeat": draw(ODD_VALUES)})
    if draw(st.booleans()):
        doc["outputs"] = draw(st.lists(NASTY_STRINGS, max_size=2))
    return doc


def paths(value, prefix=()):
    """Every path (sequence of keys and indices) into a JSON value."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, prefix + (key,))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from paths(child, prefix + (i,))


def mutate_once(doc, draw):
    path = draw(st.sampled_from(list(paths(doc))))
    if not path:
        return draw(ODD_VALUES) if draw(st.integers(0, 9)) == 0 else doc
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    key, value = path[-1], parent[path[-1]]
    action = draw(st.sampled_from(["delete", "replace", "number", "string", "wrap", "deep",
                                   "duplicate", "rename"]))
    if action == "delete":
        del parent[key]
    elif action == "replace":
        parent[key] = draw(ODD_VALUES)
    elif action == "number":
        parent[key] = draw(NASTY_NUMBERS | st.integers())
    elif action == "string":
        text = value if isinstance(value, str) else str(value)
        cut = draw(st.integers(0, len(text)))
        parent[key] = text[:cut] + draw(st.text(max_size=3) | NASTY_STRINGS) + text[cut:]
    elif action == "wrap":
        parent[key] = [value]
    elif action == "deep":
        parent[key] = nested(draw(st.integers(1, 120)), value)
    elif action == "duplicate" and isinstance(parent, list):
        parent.insert(key, copy.deepcopy(value))
    elif action == "rename" and isinstance(parent, dict):
        parent[draw(st.text(max_size=6) | NASTY_STRINGS)] = parent.pop(key)
    return doc


@st.composite
def mutated_specs(draw):
    stem = draw(st.sampled_from(sorted(SPEC_DATA)))
    doc = copy.deepcopy(SPEC_DATA[stem])
    for _ in range(draw(st.integers(1, 4))):
        doc = mutate_once(doc, draw)
    return doc


@st.composite
def mutated_texts(draw):
    """Character-level damage to a bundled spec's text: the parser and locator see it."""
    text = SPEC_TEXTS[draw(st.sampled_from(sorted(SPEC_TEXTS)))]
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["delete", "insert", "truncate", "swap"]))
        if action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)):]
        elif action == "insert":
            text = text[:at] + draw(st.sampled_from(list('{}[],:"\\') + ["\x00", "\n", "é", "1e999",
                                                                        "-", "null", "\ud800"])
                                    | st.text(max_size=4)) + text[at:]
        elif action == "truncate":
            text = text[:at]
        else:
            text = text[:at] + text[at:at + 2][::-1] + text[at + 2:]
    return text


# -- invariants ------------------------------------------------------------------------


def check_invariants(analysis):
    """What must hold for every analysis, whatever the input."""
    assert isinstance(analysis, lg.Analysis)
    for diagnostic in analysis.diagnostics:
        assert isinstance(diagnostic.code, Code) and diagnostic.message
        assert diagnostic.code is not Code.INTERNAL_ERROR, diagnostic.format()
        assert "\x1b" not in diagnostic.format()
        json.dumps(diagnostic.to_dict())
    if not analysis.errors:
        assert all(r.output_shape is not None for r in analysis.layers.values())
    assert analysis.complete == (bool(analysis.layers) and not analysis.errors)
    json.loads(summary.to_json(analysis))
    summary.to_markdown(analysis)
    summary.print_table(analysis, Console(file=io.StringIO(), width=120))
    for result in analysis.layers.values():
        result.describe()
        if result.output_shape is not None:
            assert all(d is None or (isinstance(d, int) and d > 0) for d in result.output_shape)


def resolve(doc, pointer: str):
    """The parent object and last key of a JSON pointer into doc (KeyError if it is not there)."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    parent = doc
    for part in parts[:-1]:
        parent = parent[int(part)] if isinstance(parent, list) else parent[part]
    return parent, parts[-1] if parts else None


def check_pointers(analysis, doc):
    """Every diagnostic points into the document; unknown keys point at themselves."""
    for diagnostic in analysis.diagnostics:
        if not diagnostic.pointer:
            continue
        parent, last = resolve(doc, diagnostic.pointer)
        if diagnostic.code is Code.UNKNOWN_PARAMETER or diagnostic.message.startswith("Unknown key"):
            assert isinstance(parent, dict) and last in parent, diagnostic.format()
        elif not diagnostic.message.startswith("Missing"):
            key = int(last) if isinstance(parent, list) else last
            assert key in parent or (isinstance(parent, list) and key < len(parent)), \
                diagnostic.format()


def write(text: str, name: str = "spec.json") -> Path:
    path = WORKDIR / name
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    return path


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=True, allow_nan=False)


def run_cli(*args):
    result = CliRunner(env=LIMIT_ENV).invoke(app, [str(a) for a in args])
    assert isinstance(result.exception, SystemExit) or result.exception is None, \
        repr(result.exception)
    assert result.exit_code in (0, 1), result.output
    return result


# -- the Python API --------------------------------------------------------------------


@given(JSON_VALUES)
def test_random_json_values_give_diagnostics_not_exceptions(value):
    assume(not isinstance(value, str))  # a str is a path or JSON text; see the next test
    check_invariants(lg.analyze(value, limits=LIMITS))


@given(JSON_VALUES)
def test_random_json_files_give_diagnostics_not_exceptions(value):
    check_invariants(lg.analyze(write(dumps(value)), limits=LIMITS))


@given(spec_documents())
def test_random_spec_shaped_documents_give_diagnostics_not_exceptions(doc):
    analysis = lg.analyze(doc, limits=LIMITS)
    check_invariants(analysis)
    check_pointers(analysis, doc)


@given(mutated_specs())
def test_mutated_bundled_specs_give_diagnostics_not_exceptions(doc):
    assume(not isinstance(doc, str))
    analysis = lg.analyze(doc, limits=LIMITS)
    check_invariants(analysis)
    check_pointers(analysis, doc)
    check_invariants(lg.analyze(write(dumps(doc)), limits=LIMITS))


@given(st.text(max_size=40))
def test_any_file_name_gives_a_diagnostic_not_an_exception(name):
    path = str(WORKDIR / "missing") + name.replace("/", "_")
    diagnostic, = lg.analyze(path, limits=LIMITS).diagnostics
    assert diagnostic.code is Code.FILE_UNREADABLE


@given(mutated_texts())
def test_damaged_spec_text_gives_located_diagnostics(text):
    analysis = lg.analyze(write(text), limits=LIMITS)
    check_invariants(analysis)
    for diagnostic in analysis.diagnostics:
        if diagnostic.code is Code.MALFORMED_JSON:
            assert diagnostic.line is not None and diagnostic.column is not None


@given(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(
    ["rate", "momentum", "epsilon", "max_value", "threshold", "negative_slope", "units"]))
def test_nan_and_infinity_from_the_python_api_are_rejected_or_harmless(number, key):
    layer_type = {"rate": "Dropout", "momentum": "BatchNormalization",
                  "epsilon": "BatchNormalization", "units": "Dense"}.get(key, "ReLU")
    params = {"rate": 0.5} if layer_type == "Dropout" else {"units": 2} if layer_type == "Dense" else {}
    analysis = lg.analyze({"inputs": [{"shape": [4]}],
                           "layers": [{"type": layer_type, **params, key: number}]}, limits=LIMITS)
    check_invariants(analysis)
    if key in ("rate", "momentum", "epsilon") and math.isnan(number):
        assert analysis.errors


# -- the CLI, in process ---------------------------------------------------------------


@CLI
@given(mutated_specs())
def test_mutated_specs_through_the_cli_exit_0_or_1(doc):
    path = write(dumps(doc), "cli.json")
    checked = run_cli("check", "--format", "json", path)
    report = json.loads(checked.stdout)
    assert report["ok"] == (checked.exit_code == 0)
    summarised = run_cli("summary", "--format", "json", path)
    assert json.loads(summarised.stdout)["name"] is not None
    for fmt in ("table", "markdown"):
        assert "Traceback" not in run_cli("summary", "-f", fmt, path).output


@CLI
@given(mutated_texts())
def test_damaged_spec_text_through_the_cli_exits_0_or_1(text):
    path = write(text, "cli-text.json")
    assert "Traceback" not in run_cli("check", path).output
    run_cli("summary", path)


# -- positions -------------------------------------------------------------------------


@st.composite
def formatted_json(draw):
    """A JSON document in random layout, with the offset where each value starts."""
    spaces = st.sampled_from(["", " ", "\n", "\t", "  \n  ", "\r\n"])
    offsets: dict[str, int] = {}
    out: list[str] = []
    size = [0]

    def emit(text):
        out.append(text)
        size[0] += len(text)

    def value(v, pointer):
        emit(draw(spaces))
        offsets[pointer] = size[0]
        if isinstance(v, dict):
            emit("{")
            for i, (k, child) in enumerate(v.items()):
                emit(("," if i else "") + draw(spaces) + json.dumps(k, ensure_ascii=draw(st.booleans()))
                     + draw(spaces) + ":")
                value(child, pointer + pointer_join(k))
            emit(draw(spaces) + "}")
        elif isinstance(v, list):
            emit("[")
            for i, child in enumerate(v):
                if i:
                    emit(draw(spaces) + ",")
                value(child, pointer + f"/{i}")
            emit(draw(spaces) + "]")
        else:
            emit(json.dumps(v, ensure_ascii=draw(st.booleans())))

    doc = draw(st.sampled_from(list(SPEC_DATA.values())) | JSON_VALUES.filter(
        lambda v: isinstance(v, (dict, list))))
    value(doc, "")
    emit(draw(spaces))
    return "".join(out), offsets


@given(formatted_json())
def test_every_json_pointer_is_located_where_its_value_is_written(case):
    text, offsets = case
    json.loads(text)  # the layout is valid JSON
    source = Source(text=text)
    for pointer, offset in offsets.items():
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        assert source.position(pointer) == (line, column), pointer


def test_the_fuzz_workdir_is_used_only_for_fuzz_files():
    # Sanity check of the harness: write() really writes where analyze() reads.
    path = write('{"layers": [{"type": "Flatten"}]}', "sanity.json")
    assert lg.analyze(path).errors[0].code is Code.WRONG_ARITY
