"""`"trainable": false` freezes a layer: its weights count as non-trainable (as Keras counts
them) and the compiled and exported models freeze it too."""

import layergraph as lg
from layergraph.emit.source import export_python

SPEC = {"inputs": [{"name": "x", "shape": [10]}], "layers": [
    {"name": "base", "type": "Dense", "units": 4, "trainable": False},
    {"name": "head", "type": "Dense", "units": 2}]}


def test_a_frozen_layer_counts_its_weights_as_non_trainable():
    analysis = lg.analyze(SPEC)
    assert analysis.ok
    assert (analysis.layers["base"].trainable_params, analysis.layers["base"].non_trainable_params) \
        == (0, 44)
    assert (analysis.trainable_params, analysis.non_trainable_params) == (10, 44)


def test_trainable_round_trips_and_is_written_into_the_exported_script():
    analysis = lg.analyze(SPEC)
    assert analysis.spec.to_json_data()["layers"][0]["trainable"] is False
    assert "trainable" not in analysis.spec.to_json_data()["layers"][1]
    assert 'layers.Dense(4, trainable=False, name="base")' in export_python(SPEC)


def test_a_non_boolean_trainable_is_a_clear_error():
    analysis = lg.analyze({**SPEC, "layers": [{**SPEC["layers"][0], "trainable": "no"}]})
    assert analysis.errors and "trainable" in analysis.errors[0].pointer


def test_a_frozen_block_use_and_its_shared_call_count_the_frozen_weights_once_as_non_trainable():
    spec = {"inputs": [{"name": "a", "shape": [10]}, {"name": "b", "shape": [10]}],
            "blocks": {"base": {"inputs": ["x"], "layers": [
                {"name": "dense", "type": "Dense", "units": 4, "trainable": False}]}},
            "layers": [{"name": "left", "block": "base", "inputs": ["a"]},
                       {"name": "right", "shares": "left", "inputs": ["b"]},
                       {"name": "join", "type": "Concatenate", "inputs": ["left", "right"]},
                       {"name": "head", "type": "Dense", "units": 2}]}
    analysis = lg.analyze(spec)
    assert analysis.ok and analysis.layers["right_dense"].trainable is False
    assert (analysis.trainable_params, analysis.non_trainable_params) == (8 * 2 + 2, 44)
    from layergraph.summary import totals_lines
    text = "\n".join(totals_lines(analysis))
    assert "Trainable params: 18" in text and "Non-trainable params: 44" in text
