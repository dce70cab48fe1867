"""Variable input sizes (null in a shape): shapes stay unknown, counts that depend on them too."""

import layergraph as lg
from layergraph import summary

SPEC = {"inputs": [{"shape": [None, None, 3]}], "layers": [
    {"type": "Conv2D", "filters": 4, "kernel_size": 3},
    {"type": "GlobalAveragePooling2D"},
    {"type": "Dense", "units": 2}]}


def test_parameters_are_known_but_convolution_macs_are_not():
    analysis = lg.analyze(SPEC)
    assert analysis.ok and analysis.complete
    conv = analysis.layers["conv2d"]
    assert conv.output_shape == (None, None, 4)
    assert conv.param_count == 3 * 3 * 3 * 4 + 4
    assert conv.macs is None
    assert analysis.layers["dense"].macs == 4 * 2


def test_the_total_says_it_leaves_out_unknown_macs():
    lines = summary.totals_lines(lg.analyze(SPEC))
    assert "excludes layers whose size is unknown" in next(l for l in lines if l.startswith("Total MACs"))
    clean = summary.totals_lines(lg.analyze({"inputs": [{"shape": [4]}], "layers": [{"type": "Dense", "units": 2}]}))
    assert not any("excludes" in line for line in clean)
