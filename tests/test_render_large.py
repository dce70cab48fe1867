"""Deep networks stay legible: no side over 32,000 px, text at least 9 px high, repeats collapsed.

"Readable" is measured, not eyeballed: the smallest font in the SVG, times the
scale Graphviz applied to fit its size limit, times the PNG resolution, in pixels.
"""

from __future__ import annotations

import importlib.util
import shutil

import pytest
import synthetic_specs as synthetic
from render_helpers import all_nodes, min_font_px, node_texts, parse_dot, png_size

import layergraph as lg
from layergraph.render import MAX_SIDE_PX, render, to_dot

MIN_FONT_PX = 9.0

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")

LARGE = {
    "chain1000": lambda: synthetic.chain(1000),
    "resnet50": synthetic.resnet50,
    "densenet201": lambda: synthetic.densenet(201),
    "efficientnet_b7_like": synthetic.efficientnet_like,
}


def drawn(tmp_path, spec, dpi, **options) -> tuple[tuple[int, int], float]:
    """(PNG size, smallest font in px) of one rendering."""
    analysis = spec if isinstance(spec, lg.Analysis) else lg.analyze(spec)
    svg = render(analysis, tmp_path / "g.svg", dpi=dpi, **options).read_text(encoding="utf-8")
    png = render(analysis, tmp_path / "g.png", dpi=dpi, **options).read_bytes()
    return png_size(png), min_font_px(svg, dpi)


def test_synthetic_networks_match_keras_parameter_counts():
    # Totals published by keras.applications (ResNet50, DenseNet121/201).
    assert lg.analyze(synthetic.resnet50()).total_params == 25_636_712
    assert lg.analyze(synthetic.densenet(121)).total_params == 8_062_504
    assert lg.analyze(synthetic.densenet(201)).total_params == 20_242_984
    assert len(lg.analyze(synthetic.resnet50()).layers) == 177
    efficient = lg.analyze(synthetic.efficientnet_like())
    assert efficient.ok and len(efficient.layers) > 800


@needs_dot
@pytest.mark.parametrize("name", sorted(LARGE))
@pytest.mark.parametrize("style", ["graph", "blocks"])
def test_deep_networks_fit_the_pixel_limit_and_stay_readable(tmp_path, name, style):
    (width, height), font_px = drawn(tmp_path, LARGE[name](), dpi=96, style=style)
    assert max(width, height) <= MAX_SIDE_PX
    assert font_px >= MIN_FONT_PX, f"{name}: smallest text {font_px:.1f} px"
    assert 1 / 3 <= width / height <= 4, f"{name}: {width}×{height}"


@needs_dot
def test_a_thousand_layers_at_print_resolution_stay_under_the_limit(tmp_path):
    (width, height), font_px = drawn(tmp_path, synthetic.chain(1000), dpi=150)
    assert max(width, height) <= MAX_SIDE_PX and font_px >= MIN_FONT_PX


@needs_dot
def test_the_size_limit_holds_even_when_wrapping_is_refused(tmp_path):
    (width, height), _ = drawn(tmp_path, synthetic.chain(300), dpi=96, rows=1)
    assert width <= MAX_SIDE_PX and height <= MAX_SIDE_PX


@needs_dot
def test_top_to_bottom_wraps_into_columns(tmp_path):
    (width, height), font_px = drawn(tmp_path, synthetic.chain(400), dpi=96, rankdir="TB")
    assert height <= MAX_SIDE_PX and font_px >= MIN_FONT_PX
    assert 1 / 3 <= width / height <= 3


def test_a_thousand_distinct_layers_are_all_drawn():
    graph = parse_dot(to_dot(synthetic.chain(1000)).source)
    layers = [n for n in all_nodes(graph) if n.get_name().startswith("n")]
    assert len(layers) == 1000


def test_densenet_dense_blocks_collapse_into_times_n_nodes():
    graph = parse_dot(to_dot(synthetic.densenet(201)).source)
    texts = list(node_texts(graph).values())
    for stage, count in [(2, 6), (3, 12), (4, 48), (5, 32)]:
        title = f"conv{stage}_block1 … conv{stage}_block{count}  ×{count}"
        assert any(t.startswith(title) for t in texts), title
    assert len(texts) < 60


def test_efficientnet_repeats_collapse_and_first_blocks_stay_open():
    texts = list(node_texts(parse_dot(to_dot(synthetic.efficientnet_like()).source)).values())
    assert any(t.startswith("block2b … block2g  ×6") for t in texts)
    assert any(t.startswith("block2a_dwconv") for t in texts)  # the first block of a stage
    assert len(texts) <= 200


def test_resnet50_is_drawn_in_full_with_its_blocks_as_clusters():
    source = to_dot(synthetic.resnet50()).source
    graph = parse_dot(source)
    assert len([n for n in all_nodes(graph) if n.get_name().startswith("n")]) == 177
    assert "conv4_block6" in source and "(continued)" in source


def test_collapse_all_draws_resnet50_stages_as_few_nodes():
    texts = list(node_texts(parse_dot(to_dot(synthetic.resnet50(), collapse=True).source)).values())
    stage3 = next(t for t in texts if t.startswith("conv3"))
    assert "→ 28×28×512" in stage3
    assert len(texts) < 20


# -- networks imported from Keras (needs the importer from the keras branch) ------------------

def _importer():
    if importlib.util.find_spec("layergraph.importers") is None or \
            importlib.util.find_spec("layergraph.importers.keras") is None:
        pytest.skip("layergraph.importers.keras is not on this branch yet; the synthetic "
                    "DenseNet201 and EfficientNetB7-like tests above cover the same sizes")
    import layergraph

    if not hasattr(layergraph, "from_keras"):
        pytest.fail("layergraph.importers.keras exists but layergraph.from_keras does not")
    return layergraph.from_keras


@pytest.mark.keras
@pytest.mark.slow
@needs_dot
@pytest.mark.parametrize("application", ["DenseNet201", "EfficientNetB7", "ResNet50"])
def test_imported_keras_applications_stay_readable(tmp_path, application):
    from_keras = _importer()
    import keras

    model = getattr(keras.applications, application)(weights=None)
    spec = from_keras(model)
    analysis = lg.analyze(spec)
    assert len(analysis.layers) == len(model.layers)
    for style in ("graph", "blocks"):
        (width, height), font_px = drawn(tmp_path, analysis, dpi=96, style=style)
        assert max(width, height) <= MAX_SIDE_PX
        assert font_px >= MIN_FONT_PX, f"{application} {style}: {font_px:.1f} px"
