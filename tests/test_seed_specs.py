"""The seed networks analyse to the parameter counts given by their Keras code."""

import pytest

import layergraph as lg
from conftest import BUNDLED_SPECS, SPECS


@pytest.mark.parametrize("path", BUNDLED_SPECS, ids=lambda p: p.stem)
def test_every_bundled_spec_is_clean_and_described(path):
    analysis = lg.analyze(path)
    # Info notes (e.g. receptive fields not aligned) are facts about a valid model.
    assert [d for d in analysis.diagnostics if d.severity is not lg.Severity.INFO] == []
    assert analysis.complete
    assert analysis.description


@pytest.mark.parametrize("stem, params", [
    ("alexnet", 62_378_344), ("vgg16", 138_357_544), ("mnist_cnn", 1_676_266)])
def test_seed_networks_have_the_seed_parameter_counts(stem, params):
    assert lg.analyze(SPECS / f"{stem}.json").total_params == params


def test_vgg16_expands_to_the_layer_names_of_keras_applications():
    names = list(lg.analyze(SPECS / "vgg16.json").layers)
    expected = ["input_layer"]
    for block, convs in enumerate([2, 2, 3, 3, 3], start=1):
        expected += [f"block{block}_conv{i}" for i in range(1, convs + 1)] + [f"block{block}_pool"]
    expected += ["flatten", "fc1", "fc2", "predictions"]
    assert names == expected


def test_macs_follow_the_usual_convention():
    # Hand-computed: sum over conv/dense of output positions × kernel volume × filters.
    alexnet = lg.analyze(SPECS / "alexnet.json")
    conv1 = 55 * 55 * 11 * 11 * 3 * 96
    assert alexnet.layers["conv1"].macs == conv1
    assert alexnet.total_macs == pytest.approx(1.135e9, rel=1e-3)
    assert lg.analyze(SPECS / "vgg16.json").total_macs == pytest.approx(15.47e9, rel=1e-3)
