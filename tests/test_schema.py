"""The published JSON Schema: in sync with the code, and it accepts exactly what editors should."""

import json

import jsonschema
import pytest

from conftest import BUNDLED_SPECS, ROOT
from layergraph.schema import json_schema

SCHEMA_FILE = ROOT / "schema" / "layergraph.schema.json"


@pytest.fixture(scope="module")
def validator():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schema_file_matches_the_code():
    assert json.loads(SCHEMA_FILE.read_text()) == json_schema(), "run `make schema`"


@pytest.mark.parametrize("path", BUNDLED_SPECS, ids=lambda p: p.stem)
def test_bundled_specs_validate_against_the_schema_they_reference(path, validator):
    data = json.loads(path.read_text())
    assert (path.parent / data["$schema"]).resolve() == SCHEMA_FILE
    validator.validate(data)


@pytest.mark.parametrize("layer", [
    {"type": "Conv2D", "filters": 8, "kernal_size": 3},     # unknown parameter
    {"type": "Conv2D", "filters": "eight", "kernel_size": 3},  # wrong type
    {"type": "Dense"},                                        # missing units
    {"type": "NoSuchLayer"},                                  # unknown type
])
def test_schema_rejects_what_check_rejects(layer, validator):
    spec = {"inputs": [{"shape": [8, 8, 3]}], "layers": [layer]}
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(spec)


def test_schema_allows_block_templates(validator):
    spec = {"blocks": {"b": {"params": ["f"], "layers": [
        {"type": "Conv2D", "filters": "$f", "kernel_size": 3}]}},
        "inputs": [{"shape": [8, 8, 3]}], "layers": [{"name": "b1", "block": "b", "args": {"f": 4}}]}
    validator.validate(spec)


def test_schema_accepts_a_shared_call_and_rejects_one_with_parameters_of_its_own(validator):
    spec = {"inputs": [{"name": "a", "shape": [8]}, {"name": "b", "shape": [8]}], "layers": [
        {"name": "tower_a", "type": "Dense", "units": 4, "inputs": ["a"]},
        {"name": "tower_b", "shares": "tower_a", "type": "Dense", "inputs": ["b"]}]}
    validator.validate(spec)
    spec["layers"][1]["units"] = 4
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(spec)
