"""The volumes style: boxes, labels, kernels, skip arcs, stacked branches, escaping, outputs."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from render_helpers import png_size
from typer.testing import CliRunner

from layergraph.cli import app
from layergraph.compiler.passes import analyze
from layergraph.render import make_options
from layergraph.render.api import picture_bytes
from layergraph.render.figure import Circle, Path as FigPath, Polygon, Text
from layergraph.render.theme import get_theme
from layergraph.render.volumes_style import volumes_figure

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted((ROOT / "specs").glob("*.json"))
FIXTURES = ROOT / "tests" / "fixtures" / "figures"
SVG = "{http://www.w3.org/2000/svg}"
needs_fontconfig = pytest.mark.skipif(shutil.which("fc-list") is None, reason="no fontconfig")


def figure_of(spec, **options):
    opts = make_options(style="volumes", **options)
    figure, _ = volumes_figure(analyze(spec), get_theme(opts.theme), opts)
    return figure


def svg_of(spec, **options) -> str:
    return picture_bytes(analyze(spec), "svg", make_options(style="volumes", **options)).decode()


def texts(svg: str, role: str | None = None) -> list[str]:
    root = ET.fromstring(svg)
    return [t.text for t in root.iter(f"{SVG}text")
            if role is None or t.get("class") == role]


def test_every_tensor_of_alexnet_is_a_box_labelled_with_its_dimensions():
    figure = figure_of(ROOT / "specs/alexnet.json")
    faces = figure.of(Polygon, "face")
    assert len(faces) % 3 == 0 and len(faces) // 3 >= 12     # front, top, side per volume
    dims = [t.text for t in figure.of(Text, "dims")]
    for expected in ("227×227×3", "55×55×96", "27×27×256", "13×13×384", "6×6×256", "4096", "1000"):
        assert expected in dims


def test_the_input_volume_is_taller_than_the_last_conv_volume_but_both_are_visible():
    figure = figure_of(ROOT / "specs/alexnet.json")
    fronts = [f for f in figure.of(Polygon, "face")][2::3]
    heights = [max(y for _, y in f.points) - min(y for _, y in f.points) for f in fronts]
    assert heights[0] > 2 * min(heights[:10]) and min(heights) >= 8


def test_each_convolution_draws_its_kernel_with_dashed_projection_lines():
    figure = figure_of(ROOT / "specs/alexnet.json")
    assert len(figure.of(Polygon, "kernel")) == 3 * 5           # five convolutions
    projections = figure.of(FigPath, "projection")
    assert len(projections) == 2 * 5 and all(p.dashed for p in projections)


def test_skip_connections_are_arcs_that_rise_above_both_ends_into_plus_nodes():
    figure = figure_of(ROOT / "specs/residual_cnn.json")
    arcs = figure.of(FigPath, "skip")
    assert len(arcs) >= 3 and all(a.curve for a in arcs)
    for arc in arcs:
        (_, y0), (_, y1) = arc.points[0], arc.points[-1]
        ys = [y for _, y in arc.points]
        # never collinear with the main path: the arc leaves it (above or below) and comes back
        assert ((min(ys) < min(y0, y1) - 10 and max(ys) <= max(y0, y1))
                or (max(ys) > max(y0, y1) + 10 and min(ys) >= min(y0, y1)))
    assert [c.symbol for c in figure.of(Circle)].count("+") == 3


def test_inception_branches_are_stacked_in_the_spec_order_into_a_concat_node():
    analysis = analyze(ROOT / "specs/inception_module.json")
    figure = figure_of(ROOT / "specs/inception_module.json")
    names = {t.text: t.at for t in figure.of(Text, "name")}
    branch = ["inception3a_1x1", "inception3a_3x3_reduce", "inception3a_5x5_reduce",
              "inception3a_pool"]
    assert all(b in analysis.layers for b in branch)
    xs = [names[b][0] for b in branch]
    ys = [names[b][1] for b in branch]
    assert max(xs) - min(xs) < 1 and ys == sorted(ys)
    assert "‖" in [c.symbol for c in figure.of(Circle)]


def test_resnet50_collapses_repeated_blocks_into_few_volumes():
    figure = figure_of(ROOT / "specs/resnet50.json", collapse=True)
    names = [t.text for t in figure.of(Text, "name")]
    assert len(names) < 40 and any("×" in n for n in names)


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_every_bundled_spec_draws_as_a_parseable_svg(spec):
    svg = svg_of(spec)
    root = ET.fromstring(svg)
    assert root.get("viewBox").startswith("0 0 ")
    assert len(list(root.iter(f"{SVG}polygon"))) > 3


def test_vectors_sequences_and_unknown_shapes_draw_without_errors():
    spec = {"format": "layergraph/1", "name": "seq",
            "inputs": [{"name": "tokens", "shape": [100, 16]}],
            "layers": [{"type": "Dense", "units": 32},
                       {"type": "Reshape", "target_shape": [2, 10, 10, 16]},
                       {"type": "Flatten"},
                       {"type": "Dense", "units": "ten"}]}
    figure = figure_of(spec)
    dims = [t.text for t in figure.of(Text, "dims")]
    assert dims[:4] == ["100×16", "100×32", "2×10×10×16", "3200"] and "?" in dims


def test_names_with_markup_characters_are_escaped_in_svg_and_tikz():
    spec = FIXTURES / "tricky_names.json"
    svg = svg_of(spec)
    assert {"a&b", 'c"d', "x<in>"} <= set(texts(svg, "name"))     # the XML parser reads them back
    assert texts(svg, "title") == ['Tricky <names> & "quotes"']
    tex = picture_bytes(analyze(spec), "tex", make_options(style="volumes")).decode()
    assert r"a\&b" in tex and r"out\_\%\$\#\_\{\}" in tex and "x\\textless{}in\\textgreater{}" in tex


def test_the_same_spec_gives_byte_identical_svg_tikz_and_png():
    spec = ROOT / "specs/residual_cnn.json"
    for fmt in ("svg", "tex", "png"):
        opts = make_options(style="volumes", dpi=40)
        assert picture_bytes(analyze(spec), fmt, opts) == picture_bytes(analyze(spec), fmt, opts)


def test_png_and_pdf_outputs_decode_with_sane_sizes(tmp_path):
    png = picture_bytes(analyze(ROOT / "specs/alexnet.json"), "png",
                        make_options(style="volumes", dpi=72))
    width, height = png_size(png)
    assert 600 < width < 4000 and 200 < height < width
    pdf = picture_bytes(analyze(ROOT / "specs/alexnet.json"), "pdf", make_options(style="volumes"))
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-64:]
    box = re.search(rb"/MediaBox \[\s*([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)", pdf)
    assert box and 400 < float(box.group(3)) < 3000


def test_a_volumes_png_has_the_size_its_svg_promises_at_the_requested_dpi():
    analysis = analyze(ROOT / "specs/alexnet.json")
    root = ET.fromstring(svg_of(ROOT / "specs/alexnet.json"))
    width_pt, height_pt = (float(root.get(k).removesuffix("pt")) for k in ("width", "height"))
    for dpi in (72, 150):
        width, height = png_size(picture_bytes(analysis, "png", make_options(style="volumes", dpi=dpi)))
        assert abs(width - width_pt * dpi / 72) <= 2 and abs(height - height_pt * dpi / 72) <= 2


def test_caption_notes_and_korean_footer_words_follow_the_options():
    spec = FIXTURES / "korean_cnn.json"
    with_all = figure_of(spec, notes=True, lang="ko")
    assert with_all.of(Text, "caption") and with_all.of(Text, "note")
    assert "매개변수" in with_all.of(Text, "footer")[0].text
    plain = figure_of(spec, caption=False)
    assert not plain.of(Text, "caption") and not plain.of(Text, "note")
    assert "params" in plain.of(Text, "footer")[0].text


def test_the_notebook_svg_sizes_itself_to_its_container():
    svg = picture_bytes(analyze(ROOT / "specs/alexnet.json"), "svg", make_options(style="volumes"))
    from layergraph.render.api import volumes_svg

    responsive = volumes_svg(analyze(ROOT / "specs/alexnet.json"), make_options(style="volumes"),
                             responsive=True)
    root = ET.fromstring(responsive)
    assert root.get("width") == "100%" and root.get("height") is None and root.get("viewBox")
    assert ET.fromstring(svg).get("width").endswith("pt")


def run(*args):
    result = CliRunner().invoke(app, ["render", *map(str, args)])
    print(result.stdout, result.stderr)
    return result


def test_the_cli_writes_a_volumes_picture(tmp_path):
    target = tmp_path / "alexnet.svg"
    result = run(ROOT / "specs/alexnet.json", "--style", "volumes", "-o", target)
    assert result.exit_code == 0 and target.read_text().startswith("<svg")


@pytest.mark.parametrize("args, message", [
    (["--style", "volumes", "-o", "x.dot"], "drawn without Graphviz"),
    (["--style", "volumes", "--lang", "fr", "-o", "x.svg"], "fr"),
])
def test_impossible_combinations_are_usage_errors(tmp_path, args, message):
    args = [a if not a.startswith("x.") else tmp_path / a for a in args]
    result = run(ROOT / "specs/alexnet.json", *args)
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.stderr


def front_centre_y(figure, name: str) -> float:
    at = {t.text: t.at for t in figure.of(Text, "name")}[name]
    dims = [t for t in figure.of(Text, "dims") if abs(t.at[0] - at[0]) < 1 and t.at[1] > at[1]]
    return min(dims, key=lambda t: t.at[1]).at[1]


def test_an_encoder_decoder_draws_as_a_u_that_fits_a_slide():
    figure = figure_of(FIXTURES / "unet_small.json")
    y = {n: front_centre_y(figure, n) for n in ("enc1", "enc2", "bottleneck", "dec2", "dec1")}
    assert y["enc1"] < y["enc2"] < y["bottleneck"]          # the encoder goes down
    assert y["bottleneck"] > y["dec2"] > y["dec1"]          # the decoder comes back up
    assert abs(y["enc2"] - y["dec2"]) < 30                  # a level's skip runs across
    assert len(figure.of(FigPath, "skip")) == 2
    # compact, a small U is about square: a slide holds it, and it is not a tower
    assert 1.0 < figure.width / figure.height <= 16 / 9 + 0.05


def test_the_bundled_unet_is_deepened_to_a_slide_shape_not_drawn_as_a_wide_strip():
    # Even compacted, the U is wider than high unless each level drops further.
    figure = figure_of(ROOT / "specs/unet.json")
    y = {n: front_centre_y(figure, n) for n in ("enc1_conv1", "bottleneck_conv1", "dec1_conv1")}
    assert y["enc1_conv1"] < y["bottleneck_conv1"] > y["dec1_conv1"]
    assert abs(y["enc1_conv1"] - y["dec1_conv1"]) < 30
    assert 1.4 < figure.width / figure.height <= 16 / 9 + 0.05


def unet_style(spec="specs/unet.json"):
    from layergraph.render.volumes_style import VolumesStyle

    style = VolumesStyle(analyze(ROOT / spec), get_theme("light"), make_options(style="volumes"))
    return style, style.figure()


def feeding(style, key):
    """The one volume whose output flows into ``key``."""
    (tail,) = [e.tail for e in style.scene.edges if e.head == key]
    return style._placed[tail]


@pytest.mark.parametrize("spec", ["specs/unet.json", "tests/fixtures/figures/unet_small.json"])
def test_each_level_of_a_u_starts_right_under_or_over_the_volume_that_feeds_it(spec):
    style, _ = unet_style(spec)
    levels = style.u_levels(style._placed)
    changes = 0
    for p in style._placed.values():
        if p.column == 0:
            continue
        q = feeding(style, p.key) if len(
            [e for e in style.scene.edges if e.head == p.key]) == 1 else None
        if q is None or levels[q.column] == levels[p.column]:
            continue
        changes += 1
        # the pooling (or upsampling) volume lies within the feeding volume's column span
        assert q.x - 1 <= p.centre_x() <= q.x + q.box.width + 1
        assert (p.y > q.y) == (levels[p.column] > levels[q.column])    # down, then back up
    assert changes == 2 * max(levels.values())


def test_the_unet_is_a_compact_u_not_its_layers_side_by_side():
    from layergraph.render.volumes_style import GAP, _column_widths

    style, figure = unet_style()
    side_by_side = sum(w + GAP for w in _column_widths(style._placed).values())
    assert figure.width < 0.8 * side_by_side
    levels = style.u_levels(style._placed)
    # each level adds about two columns to an arm, not a whole level's worth
    slots = len({round(p.centre_x()) for p in style._placed.values()})
    assert slots <= len(levels) - max(levels.values()) * 2 + 1
    # the bottleneck is the lowest level, the skips run across between the arms
    bottom = max(p.y for p in style._placed.values())
    assert any("bottleneck" in p.node.main and p.y + p.box.h >= bottom for p in style._placed.values())
    for arc in figure.of(FigPath, "skip"):
        (x0, _), (x1, _) = arc.points[0], arc.points[-1]
        assert x1 - x0 < figure.width - 2 * 60


def test_a_plain_chain_is_not_mistaken_for_a_u():
    from layergraph.render.volumes_style import VolumesStyle

    opts = make_options(style="volumes")
    style = VolumesStyle(analyze(ROOT / "specs/vgg16.json"), get_theme("light"), opts)
    assert style.u_levels(style._columns()) is None


@pytest.mark.parametrize("spec", ["vgg16", "inception_module", "resnet50"])
def test_wrapped_rows_never_end_with_a_lonely_layer(spec):
    opts = {"collapse": True} if spec == "resnet50" else {}
    from layergraph.render.volumes_style import VolumesStyle

    style = VolumesStyle(analyze(ROOT / f"specs/{spec}.json"), get_theme("light"),
                         make_options(style="volumes", **opts))
    placed = style._columns()
    rows = style._rows(placed)
    assert all(len(row) >= 2 for row in rows)
    for row in rows[1:]:   # a row starts where exactly one tensor flows in, from the row before
        first = row[0]
        into = [e for e in style.scene.edges
                if placed[e.tail].column < first <= placed[e.head].column]
        assert len(into) == 1


# -- what a lecturer checks by eye: words clear of each other, of volumes and of arrows ------

def label_boxes(figure) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each text's box (left, top, right, bottom), from its baseline and the width estimate
    the layout plans with; captions, titles and footers included."""
    from layergraph.render.textsize import text_width

    boxes = []
    for t in figure.of(Text):
        w = text_width(t.text, t.size, t.bold) * 72
        left = {"start": t.at[0], "middle": t.at[0] - w / 2, "end": t.at[0] - w}[t.anchor]
        boxes.append((t.text, (left, t.at[1] - 0.75 * t.size, left + w, t.at[1] + 0.2 * t.size)))
    return boxes


def volume_boxes(figure) -> list[tuple[float, float, float, float]]:
    """The front face of every volume (and ghost), and every merge circle's square."""
    boxes = []
    for poly in figure.of(Polygon, "face")[2::3] + figure.of(Polygon, "ghost")[2::3]:
        xs, ys = [x for x, _ in poly.points], [y for _, y in poly.points]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    for c in figure.of(Circle):
        (x, y), r = c.center, c.radius
        boxes.append((x - r, y - r, x + r, y + r))
    return boxes


def overlap(a, b, slack: float = 0.5) -> bool:
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack


def path_points(path: FigPath, step: float = 2.0) -> list[tuple[float, float]]:
    """Points along a drawn path (Bézier pieces evaluated), every couple of points."""
    p, out = path.points, []
    pieces = ([p[k - 1:k + 3] for k in range(1, len(p) - 2, 3)] if path.curve
              else [(a, a, b, b) for a, b in zip(p, p[1:])])
    for (x0, y0), (x1, y1), (x2, y2), (x3, y3) in pieces:
        n = max(int(math.dist((x0, y0), (x3, y3)) / step), 2)
        for i in range(n + 1):
            t = i / n
            u = 1 - t
            out.append((u ** 3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t ** 3 * x3,
                        u ** 3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t ** 3 * y3))
    return out


FIGURES = [("alexnet", {}), ("vgg16", {}), ("residual_cnn", {}), ("inception_module", {}),
           ("resnet50", {"collapse": True}), ("unet", {}), ("mnist_cnn", {}),
           ("unet_small", {}), ("korean_cnn", {"lang": "ko", "notes": True}), ("vit_tiny", {})]


def spec_file(stem: str) -> Path:
    return ROOT / "specs" / f"{stem}.json" if (ROOT / "specs" / f"{stem}.json").exists() \
        else FIXTURES / f"{stem}.json"


@pytest.mark.parametrize("stem, options", FIGURES, ids=[f[0] for f in FIGURES])
def test_no_label_overlaps_another_label_or_a_volume(stem, options):
    figure = figure_of(spec_file(stem), **options)
    labels = label_boxes(figure)
    clashes = [(a[0], b[0]) for i, a in enumerate(labels) for b in labels[i + 1:]
               if overlap(a[1], b[1])]
    assert not clashes
    volumes = volume_boxes(figure)
    assert not [text for text, box in labels if any(overlap(box, v) for v in volumes)]


@pytest.mark.parametrize("stem, options", FIGURES, ids=[f[0] for f in FIGURES])
def test_arrows_skip_arcs_and_level_arrows_cross_no_label_and_no_volume(stem, options):
    figure = figure_of(spec_file(stem), **options)
    boxes = [box for _, box in label_boxes(figure)] + volume_boxes(figure)
    for path in figure.of(FigPath, "skip") + figure.of(FigPath, "level") + figure.of(FigPath, "edge"):
        inner = path_points(path)[3:-3]      # its ends touch what they join
        ends = [path.points[0], path.points[-1]]
        # an arrow leaves a volume across its own side face: the volumes it joins do not count
        others = [b for b in boxes if not any(inside(b, point, -2) for point in ends)]
        hits = [b for b in others for point in inner if inside(b, point, 1)]
        assert not hits, path.points[0]


def inside(box, point, margin: float) -> bool:
    (x, y), (left, top, right, bottom) = point, box
    return left + margin < x < right - margin and top + margin < y < bottom - margin


# -- the caption: the whole description, wrapped to the figure -----------------------------

def test_a_long_description_is_shown_whole_wrapped_to_the_figure_width():
    from layergraph.render.textsize import text_width

    spec = ROOT / "specs/unet.json"
    description = analyze(spec).description
    assert len(description) > 400                      # once cut at three lines with "…"
    figure = figure_of(spec)
    lines = [t.text for t in figure.of(Text, "caption")]
    assert " ".join(lines) == " ".join(description.split()) and "…" not in " ".join(lines)
    assert all(text_width(line, 9) * 72 <= figure.width - 2 * 18 for line in lines)


def long_description_spec(words: int) -> dict:
    return {"format": "layergraph/1", "name": "wordy", "description": "lecture " * words,
            "inputs": [{"name": "x", "shape": [28, 28, 1]}],
            "layers": [{"type": "Conv2D", "filters": 8, "kernel_size": 3}, {"type": "Flatten"},
                       {"type": "Dense", "units": 10}]}


def test_a_description_too_long_for_a_generous_caption_is_cut_with_a_warning_saying_how_much():
    from layergraph.render.labels import CaptionCutWarning

    with pytest.warns(CaptionCutWarning, match=r"the last \d+ of 15999 characters"):
        figure = figure_of(long_description_spec(2000))
    lines = [t.text for t in figure.of(Text, "caption")]
    assert len(lines) == 12 and lines[-1].endswith("…")


def test_the_cli_names_a_cut_caption_on_stderr(tmp_path):
    spec = tmp_path / "wordy.json"
    spec.write_text(__import__("json").dumps(long_description_spec(2000)))
    result = run(spec, "--style", "volumes", "-o", tmp_path / "w.svg")
    assert result.exit_code == 0 and "caption cut: the last" in result.stderr


def test_a_caption_that_fits_raises_no_warning(recwarn):
    figure_of(long_description_spec(40))
    assert not [w for w in recwarn if "caption" in str(w.message)]


def test_wrapping_to_a_width_splits_text_without_spaces_and_counts_full_width_glyphs():
    from layergraph.render.labels import wrap_to_width
    from layergraph.render.textsize import text_width

    text = "합성곱신경망" * 20
    lines, cut = wrap_to_width(text, 200, 9)
    assert "".join(lines) == text and cut == 0 and len(lines) > 1
    assert all(text_width(line, 9) * 72 <= 200 for line in lines)
    assert text_width("합성곱", 9) > 1.5 * text_width("abc", 9)


def test_a_long_layer_note_is_wrapped_to_the_figure_and_shown_whole():
    from layergraph.render.textsize import text_width

    spec = long_description_spec(10)
    spec["layers"][0]["description"] = "feature extraction " * 20
    figure = figure_of(spec, notes=True)
    notes = [t.text for t in figure.of(Text, "note")]
    assert len(notes) > 1 and " ".join(notes).count("feature extraction") == 20
    assert all(18 + text_width(n, 8) * 72 <= figure.width - 18 for n in notes)


def test_a_note_too_long_for_its_generous_limit_is_cut_with_a_warning_naming_the_layer():
    from layergraph.render.labels import CaptionCutWarning

    spec = long_description_spec(10)
    spec["layers"][0].update(name="features", description="feature extraction " * 400)
    with pytest.warns(CaptionCutWarning, match=r"note on features cut: the last \d+ of"):
        figure_of(spec, notes=True)


def test_a_transformer_wraps_into_rows_with_its_residuals_coming_down_into_the_next_row():
    # Every column of a transformer is jumped over by a residual; it used to stay one strip
    # nine times wider than high.
    figure = figure_of(ROOT / "specs/vit_tiny.json")
    assert figure.width / figure.height < 2.5
    main = [p for p in figure.of(FigPath, "edge") if len(p.points) == 6]     # row to row
    down = [p for p in figure.of(FigPath, "skip") if not p.curve]
    assert main and len(down) == len(main)
    for skip in down:        # alongside the main path's turn, never on it
        segments = set(zip(skip.points, skip.points[1:]))
        assert not any(segments & set(zip(m.points, m.points[1:])) for m in main)
        assert skip.points[-1][1] > skip.points[-2][1]                       # into a merge's top
