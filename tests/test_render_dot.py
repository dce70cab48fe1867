"""The DOT that diagrams are made of: nodes, edges, clusters and labels, read back by the DOT
reader (tests/dot_reader.py)."""

from __future__ import annotations

import json
import re

import pytest
from render_helpers import (all_edges, all_nodes, all_subgraphs, graph_attr, html_text, node_texts,
                            parse_dot)

import layergraph as lg
from layergraph.render import OptionError, to_dot
from layergraph.render.blocks_style import box_size

LAYER_NODE = re.compile(r"^n\d+$")


def layer_nodes(graph):
    return {n.get_name(): n for n in all_nodes(graph) if LAYER_NODE.match(n.get_name())}


def real_edges(graph):
    """Edges that carry tensors (not the invisible ones that stack rows)."""
    return [e for e in all_edges(graph) if e.get("style") != "invis"]


def test_graph_style_draws_one_node_per_layer_with_its_facts(spec_path):
    graph = parse_dot(to_dot(spec_path("alexnet")).source)
    texts = {text.splitlines()[0]: text for text in node_texts(graph).values()}
    analysis = lg.analyze(spec_path("alexnet"))
    assert len(layer_nodes(graph)) == len(analysis.layers) == 15
    assert "Conv2D  11×11 /4, 96, relu" in texts["conv1"]
    assert "55×55×96 · 34.94 k params" in texts["conv1"]
    assert "MaxPooling2D  3×3 /2 max" in texts["pool1"]
    assert "Dense  1000, softmax" in texts["predictions"]


def test_every_connection_is_an_edge_labelled_with_the_tensor_size(spec_path):
    analysis = lg.analyze(spec_path("inception_module"))
    graph = parse_dot(to_dot(analysis, rows=1).source)
    ids = {html_text(n.get("label")).splitlines()[0]: name
           for name, n in layer_nodes(graph).items()}
    edges = {(e.get_source(), e.get_destination()): e for e in real_edges(graph)}
    expected = {(ids[src], ids[r.name]) for r in analysis.layers.values() for src in r.inputs}
    assert set(edges) == expected
    concat_in = edges[(ids["inception3a_3x3"], ids["inception3a_concat"])]
    assert html_text(concat_in.get("label")) == "16×16×48"


def test_merges_have_all_their_inputs_drawn(spec_path):
    graph = parse_dot(to_dot(spec_path("residual_cnn"), rows=1).source)
    ids = {html_text(n.get("label")).splitlines()[0]: name
           for name, n in layer_nodes(graph).items()}
    into_add = {e.get_source() for e in real_edges(graph) if e.get_destination() == ids["res1_add"]}
    assert into_add == {ids["res1_bn2"], ids["stem_relu"]}


def test_blocks_become_labelled_clusters_holding_their_layers(spec_path):
    graph = parse_dot(to_dot(spec_path("vgg16"), rows=1).source)
    clusters = [s for s in all_subgraphs(graph) if re.match(r'"?cluster_\d+"?$', s.get_name())]
    titles = [html_text(c.get("label")) for c in clusters]
    assert titles == [f"block{i} · vgg_block(filters={f}, convs={n})" for i, (f, n) in
                      enumerate([(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)], start=1)]
    block3 = clusters[2]
    names = sorted(html_text(n.get("label")).splitlines()[0] for n in block3.get_nodes())
    assert names == ["block3_conv1", "block3_conv2", "block3_conv3", "block3_pool"]


def test_collapse_draws_each_block_as_one_summarised_node(spec_path):
    graph = parse_dot(to_dot(spec_path("vgg16"), collapse=True, rows=1).source)
    texts = [t for t in node_texts(graph).values()]
    block3 = next(t for t in texts if t.startswith("block3"))
    assert block3.splitlines() == ["block3", "3×Conv2D 256 + MaxPool", "→ 28×28×256 · 1.48 M params"]
    # input, five blocks, flatten and three dense layers
    assert len(layer_nodes(graph)) == 10


def test_collapsed_block_counts_its_parameters(spec_path):
    analysis = lg.analyze(spec_path("vgg16"))
    expected = sum(analysis.layers[n].param_count for n in analysis.blocks[2].layers)
    graph = parse_dot(to_dot(analysis, collapse=True, rows=1).source)
    block3 = next(t for t in node_texts(graph).values() if t.startswith("block3"))
    assert f"{expected / 1e6:.2f} M params" in block3


def test_identical_consecutive_blocks_collapse_into_one_times_n_node(spec_path):
    graph = parse_dot(to_dot(spec_path("residual_cnn"), collapse=True, rows=1).source)
    texts = list(node_texts(graph).values())
    assert any(t.startswith("res1 … res2  ×2") for t in texts), texts
    assert any(t.startswith("down") for t in texts)


def test_repeated_layers_collapse_only_when_the_graph_is_too_large():
    layers = [{"type": "Dense", "units": 32} for _ in range(40)]
    spec = {"inputs": [{"shape": [32]}], "layers": layers}
    small = parse_dot(to_dot(spec).source)
    assert len(layer_nodes(small)) == 41
    large = parse_dot(to_dot(spec, max_nodes=20).source)
    texts = list(node_texts(large).values())
    assert len(layer_nodes(large)) == 2
    assert any("40× Dense  32" in t for t in texts), texts


def test_no_collapse_keeps_every_layer_even_when_large():
    layers = [{"type": "Dense", "units": 32} for _ in range(40)]
    spec = {"inputs": [{"shape": [32]}], "layers": layers}
    graph = parse_dot(to_dot(spec, max_nodes=20, collapse=False).source)
    assert len(layer_nodes(graph)) == 41


def test_hide_leaves_out_the_chosen_details(spec_path):
    full = node_texts(parse_dot(to_dot(spec_path("alexnet")).source))["n1"]
    bare = node_texts(parse_dot(to_dot(spec_path("alexnet"),
                                       hide="shapes,params,hyperparams").source))["n1"]
    assert "55×55×96" in full and "params" in full and "11×11" in full
    assert bare.splitlines() == ["conv1", "Conv2D"]
    graph = parse_dot(to_dot(spec_path("alexnet"), hide="shapes").source)
    assert all(e.get("label") is None for e in real_edges(graph))


def test_blocks_style_hides_details_too(spec_path):
    full = node_texts(parse_dot(to_dot(spec_path("alexnet"), style="blocks").source))
    bare = node_texts(parse_dot(to_dot(spec_path("alexnet"), style="blocks",
                                       hide="shapes,hyperparams").source))
    conv1 = next(t for t in full.values() if t.startswith("conv1"))
    assert "55×55×96" in conv1 and "11×11" in conv1
    assert next(t for t in bare.values() if t.startswith("conv1")).split() == ["conv1", "Conv2D"]


def test_title_and_footer_show_the_name_and_the_totals(spec_path):
    analysis = lg.analyze(spec_path("alexnet"))
    graph = parse_dot(to_dot(analysis).source)
    assert html_text(graph_attr(graph, "label")) == "AlexNet"
    footer = next(s for s in all_subgraphs(graph) if s.get_name() == "cluster_footer")
    text = html_text(footer.get("label"))
    assert f"{analysis.total_params:,} params" in text
    assert "15 layers" in text and "input 227×227×3" in text and "output 1000" in text
    titled = parse_dot(to_dot(analysis, title="Figure 1").source)
    assert html_text(graph_attr(titled, "label")) == "Figure 1"


def test_rankdir_and_themes_reach_the_graph_attributes(spec_path):
    for theme, background in [("light", "white"), ("dark", "#1e1e1e"), ("print", "white")]:
        graph = parse_dot(to_dot(spec_path("mnist_cnn"), theme=theme, rankdir="TB").source)
        assert graph_attr(graph, "rankdir") == "TB"
        assert graph_attr(graph, "bgcolor") == background


def test_the_print_theme_uses_no_colour(spec_path):
    source = to_dot(spec_path("inception_module"), theme="print").source
    colours = set(re.findall(r'#([0-9a-fA-F]{6})', source))
    assert colours, "the print theme should still use grey fills"
    for colour in colours:
        r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
        assert r == g == b, f"#{colour} is not a grey"


def test_splines_are_never_orthogonal(spec_path):
    for stem in ("alexnet", "inception_module"):
        graph = parse_dot(to_dot(spec_path(stem)).source)
        assert graph_attr(graph, "splines") == "spline"


def test_long_chains_wrap_into_rows_joined_by_lettered_connectors(spec_path):
    graph = parse_dot(to_dot(spec_path("alexnet"), rows=3).source)
    rows = [s for s in all_subgraphs(graph) if s.get_name().startswith("cluster_row")]
    assert len(rows) == 3
    connectors = {n.get_name(): n.get("label") for n in all_nodes(graph)
                  if n.get_name().startswith("c") and n.get("shape") == "circle"}
    assert connectors == {"c1_out": "A", "c1_in": "A", "c2_out": "B", "c2_in": "B"}
    assert not parse_dot(to_dot(spec_path("alexnet"), rows=1).source).get_subgraph("cluster_row1")


def test_blocks_style_sizes_boxes_by_spatial_size_and_channels():
    assert box_size((227, 227, 3), "LR")[1] > box_size((55, 55, 96), "LR")[1] \
        > box_size((13, 13, 256), "LR")[1]
    assert box_size((13, 13, 384), "LR")[0] > box_size((13, 13, 96), "LR")[0]
    wide, tall = box_size((55, 55, 96), "TB"), box_size((55, 55, 96), "LR")
    assert wide == tall[::-1]


def test_blocks_style_labels_tensors_with_their_dimensions(spec_path):
    graph = parse_dot(to_dot(spec_path("alexnet"), style="blocks").source)
    texts = {t.splitlines()[0]: t for t in node_texts(graph).values()}
    assert texts["conv1"].splitlines()[:3] == ["conv1", "Conv2D 11×11 /4, 96, relu", "55×55×96"]
    assert "+ Dropout" in texts["fc1"]          # dropout is drawn inside the box it follows
    assert "dropout1" not in texts
    heights = {name: int(re.search(r'PORT="t"[^>]*HEIGHT="(\d+)"', n.get("label")).group(1))
               for name, n in ((html_text(n.get("label")).splitlines()[0], n)
                               for n in layer_nodes(graph).values())}
    assert heights["image"] > heights["conv1"] > heights["pool1"] > heights["pool3"]


def test_blocks_style_draws_element_wise_merges_as_circles(spec_path):
    spec = json.loads(spec_path("residual_cnn").read_text())
    spec["blocks"]["residual"]["layers"] = [
        layer for layer in spec["blocks"]["residual"]["layers"] if layer["name"] != "out"]
    graph = parse_dot(to_dot(spec, style="blocks").source)
    circles = [n for n in layer_nodes(graph).values() if n.get("shape") == "circle"]
    assert len(circles) == 2 and all(html_text(c.get("label")) == "+" for c in circles)


@pytest.mark.parametrize("options, message", [
    ({"style": "fancy"}, "unknown style 'fancy'"),
    ({"rankdir": "RL"}, "unknown rankdir 'RL'"),
    ({"theme": "neon"}, "unknown theme 'neon'"),
    ({"hide": "shape"}, "did you mean `shapes`"),
    ({"dpi": 0}, "dpi must be an integer"),
    ({"rows": -1}, "rows must be an integer"),
    ({"timeout": "soon"}, "timeout must be a number of seconds"),
])
def test_bad_options_raise_clear_errors(spec_path, options, message):
    with pytest.raises(OptionError, match=re.escape(message)):
        to_dot(spec_path("alexnet"), **options)


def test_unknown_option_names_are_type_errors_with_a_hint(spec_path):
    with pytest.raises(TypeError, match="did you mean `rankdir`"):
        to_dot(spec_path("alexnet"), rankdr="TB")


def test_to_dot_accepts_a_path_text_dict_spec_or_analysis(spec_path):
    path = spec_path("mnist_cnn")
    text = path.read_text()
    analysis = lg.analyze(path)
    sources = {to_dot(x).source for x in (path, str(path), text, json.loads(text), analysis.spec,
                                          analysis)}
    assert len(sources) == 1


def test_blocks_style_arcs_skip_connections_over_the_boxes_but_not_branches(spec_path):
    residual = to_dot(spec_path("residual_cnn"), style="blocks", rows=1).source
    arcs = [line.strip() for line in residual.splitlines() if re.search(r"n\d+:n -> n\d+:n", line)]
    assert len(arcs) == 2            # the two identity shortcuts; the projection is a branch
    inception = to_dot(spec_path("inception_module"), style="blocks", rows=1).source
    assert not re.search(r":n -> ", inception)


def test_blocks_style_top_to_bottom_writes_text_beside_the_boxes(spec_path):
    graph = parse_dot(to_dot(spec_path("alexnet"), style="blocks", rankdir="TB").source)
    conv1 = next(n for n in layer_nodes(graph).values()
                 if html_text(n.get("label")).startswith("conv1"))
    outer_row = re.search(r"<TABLE[^>]*><TR>(.*)</TR></TABLE>$", conv1.get("label")[1:-1]).group(1)
    assert 'PORT="t"' in outer_row and outer_row.count("<TABLE") == 2  # left text, box, right text
    assert html_text(conv1.get("label")).splitlines() == [
        "conv1", "Conv2D 11×11 /4, 96, relu", "55×55×96"]


def test_row_wrapping_never_leaves_a_layer_alone_in_a_row():
    from layergraph.render.layout import Unit, plan_rows
    from layergraph.render.options import RenderOptions

    # Ten boxes; the network passes through one tensor only after the 2nd and the 9th
    # (as in a U-Net, where skips cross everywhere else): the last row would be one box.
    units = [Unit(f"n{i}", along=1.0, across=1.0) for i in range(10)]
    allowed = [i in (1, 8) for i in range(10)]
    rows = plan_rows(units, allowed, RenderOptions(rows=3), gap=0.2)
    assert rows == [[0, 1], list(range(2, 10))]
    assert all(len(row) > 1 for row in rows)
