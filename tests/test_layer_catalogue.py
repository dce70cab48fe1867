"""Facts about layer types live on their classes and are checked; real Keras types that
layergraph lacks are named as such ("not supported yet"), not mistaken for typos."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import layergraph as lg
from layergraph.importers.keras import import_model
from layergraph.keras_support import ModelImportError
from layergraph.layers.keras_catalogue import KERAS_ALIASES, KERAS_LAYER_CLASSES
from layergraph.layers.meanings import STANDARD_MEANINGS, parameter_meaning
from layergraph.schema import json_schema
from layergraph.registry import FAMILIES, LayerType, builtin_types, check_facts


def one_layer_spec(type_name: str) -> dict:
    return {"inputs": [{"name": "x", "shape": [8, 8, 3]}], "layers": [{"name": "l", "type": type_name}]}


def unknown_type_hint(type_name: str) -> str:
    (diagnostic,) = [d for d in lg.analyze(one_layer_spec(type_name)).errors if d.layer == "l"]
    return diagnostic.hint or ""


def test_a_real_keras_type_without_a_layergraph_type_is_not_supported_yet_not_a_typo():
    hint = unknown_type_hint("MelSpectrogram")
    assert "keras.layers.MelSpectrogram is not supported yet" in hint and "Plugins" in hint


def test_a_keras_alias_points_at_the_class_name_keras_serializes():
    assert "'MaxPooling2D'" in unknown_type_hint("MaxPool2D")


def test_a_typo_still_gets_a_did_you_mean():
    assert "Conv2D" in unknown_type_hint("Conv2d")


def test_importing_a_real_keras_type_layergraph_lacks_says_not_supported_yet():
    config = {"class_name": "Sequential", "config": {"name": "s", "layers": [
        {"class_name": "InputLayer", "config": {"name": "x", "batch_shape": [None, 8, 8, 3]}},
        {"class_name": "RandomHue", "config": {"name": "hue", "factor": 0.1}}]}}
    with pytest.raises(ModelImportError, match=r"not supported yet \(see Plugins\): 'hue' \(RandomHue\)"):
        import_model(config)


@pytest.mark.parametrize("layer_type", builtin_types(), ids=lambda t: t.type_name)
def test_every_built_in_type_has_valid_facts_and_documented_parameters(layer_type):
    check_facts(layer_type)
    assert layer_type.family in FAMILIES
    assert layer_type.__doc__, "the one-line doc is what `layergraph layers` and the editor show"
    undocumented = [name for name, info in layer_type.Params.model_fields.items()
                    if not parameter_meaning(name, info)]
    assert not undocumented, "say what they mean: a Field(description=...) on the class"


def test_a_standard_keras_argument_name_gets_its_meaning_where_the_class_gives_none():
    from layergraph.layers.recurrent import LSTM

    info = LSTM.Params.model_fields["return_sequences"]
    assert not info.description
    assert parameter_meaning("return_sequences", info) == STANDARD_MEANINGS["return_sequences"]
    # A class's own description wins over the standard one.
    from layergraph.layers.conv_recurrent import ConvLSTM2D

    own = ConvLSTM2D.Params.model_fields["return_sequences"]
    assert parameter_meaning("return_sequences", own) == own.description


def test_a_plugin_with_a_family_outside_the_vocabulary_is_refused():
    class Odd(LayerType):
        type_name = "Odd"
        family = "convolution"  # not a family name

    with pytest.raises(ValueError, match="family 'convolution'"):
        check_facts(Odd)


def test_a_plugin_naming_a_missing_positional_argument_is_refused():
    class Odd(LayerType):
        type_name = "Odd"
        export_positional = ("units",)

    with pytest.raises(ValueError, match="export_positional"):
        check_facts(Odd)


def test_parameter_descriptions_reach_the_json_schema():
    schema = json_schema()
    conv = schema["$defs"]["layer_Conv1D"]["properties"]
    assert "causal" in conv["padding"]["description"]
    assert conv["filters"]["description"] == "number of output channels"
    attention = schema["$defs"]["layer_MultiHeadAttention"]["properties"]
    assert attention["num_heads"]["description"] == "number of attention heads"


@pytest.mark.keras
def test_the_catalogue_lists_exactly_the_installed_keras_layer_classes():
    import inspect

    keras = pytest.importorskip("keras")
    exported = {n: getattr(keras.layers, n) for n in dir(keras.layers)}
    classes = {n: c for n, c in exported.items()
               if inspect.isclass(c) and issubclass(c, keras.layers.Layer)}
    canonical = {n for n, c in classes.items() if c.__name__ == n} - {"Layer", "Wrapper"}
    assert KERAS_LAYER_CLASSES == canonical
    assert KERAS_ALIASES == {n: c.__name__ for n, c in classes.items() if c.__name__ != n}
    # keras.ops nodes and the applications' own classes (keras_module) are not keras.layers.
    in_keras_layers = {t.type_name for t in builtin_types()
                       if not t.type_name.startswith("ops.") and not t.keras_module}
    assert in_keras_layers <= canonical


def test_layers_listing_prints_accepted_values_and_meanings_not_typing_names():
    from layergraph.cli.layers_listing import param_rows
    from layergraph.layers.convolutional import Conv3D

    rows = {name: (accepts, default, meaning) for name, accepts, default, meaning in param_rows(Conv3D)}
    assert rows["padding"][0] == "'valid' | 'same'"
    assert rows["kernel_size"][0] == "int ≥1 or (int ≥1, int ≥1, int ≥1)"
    assert rows["filters"] == ("int ≥1", "required", "number of output channels")
    assert "Keras name or config" in rows["kernel_initializer"][2]
    assert not any("Union" in a or "Literal" in a or "Optional" in a for a, _, _ in rows.values())


def test_the_readme_table_lists_every_built_in_type_and_their_number():
    import re

    from conftest import ROOT

    text = (ROOT / "README.md").read_text()
    section = text[text.index("<!-- section:layer-types -->"):text.index("<!-- section:plugins -->")]
    listed = set(re.findall(r"\w+", section)) | set(re.findall(r"ops\.\w+", section))
    for prefix, ranks, suffix in re.findall(r"(\w*?)(\dD(?:/\dD)+)(\w*)", section):
        listed |= {f"{prefix}{rank}{suffix}" for rank in ranks.split("/")}
    names = {t.type_name for t in builtin_types()}
    assert names <= listed, sorted(names - listed)
    assert f"{len(names)} Keras layer classes" in section


def test_parameter_descriptions_reach_the_editor_form():
    from layergraph.editing.forms import param_fields
    from layergraph.layers.convolutional import Conv2DTranspose

    fields = {f.key: f for f in param_fields(Conv2DTranspose)}
    assert "less than the stride" in fields["output_padding"].description
    from layergraph.layers.recurrent import GRU

    assert "reverse" in {f.key: f for f in param_fields(GRU)}["go_backwards"].description


def test_the_module_index_lists_every_built_in_type_where_it_is_defined():
    from layergraph.layers import index

    expected = index.generated_table()
    assert expected in Path(index.__file__).read_text(), (
        "layergraph/layers/index.py is out of date: replace MODULE_TYPES' entries with the output "
        "of `python -m layergraph.layers.index`")


def test_a_fresh_registry_imports_only_the_modules_of_the_types_asked_for():
    from layergraph.layers import index

    code = ("import sys; from layergraph.registry import get_registry; r = get_registry(); "
            "r.get('Conv2D'); r.get('Dense'); print(' '.join(sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          timeout=120)
    type_modules = {f"{index.PACKAGE}.{module}" for module in index.MODULE_TYPES}
    imported = set(done.stdout.split()) & type_modules
    assert imported == {"layergraph.layers.convolutional", "layergraph.layers.core"}


def test_threads_asking_a_fresh_registry_for_types_at_once_each_get_them():
    import threading

    from layergraph.registry import Registry

    registry = Registry(builtins_pending=True)
    names = ["Conv2D", "Dense", "LSTM", "MaxPooling2D", "Add", "Embedding"] * 4
    found, start = {}, threading.Barrier(len(names))

    def ask(i, name):
        start.wait()
        found[i] = registry.get(name)

    threads = [threading.Thread(target=ask, args=(i, n)) for i, n in enumerate(names)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [found[i].type_name for i in range(len(names))] == names
    assert len(registry.types) == len(builtin_types())
