"""The diagram preview: a text drawing of the DAG that follows every edit, never blocks typing,
and never shows an older graph over a newer one. Keys go out in bursts; waits are on conditions."""

import threading

import pytest

from layergraph.compiler.passes import analyze
from layergraph.render.options import make_options
from layergraph.tui.lanes import graph_lanes, lane_continuation
from layergraph.tui.preview_text import diagram_text
from layergraph.tui.widgets import preview as preview_module
from tui_support import async_test, burst, copy_spec, editing, idle, send_keys, slow_analysis, until


async def drawn(app, pilot) -> str:
    """Wait until the preview shows the newest drawing; its text."""
    pane = app.preview
    await until(pilot, lambda: not pane.busy and pane.shown == pane.requested, "the preview to draw")
    await idle(app, pilot)
    return pane.text


def break_pool3(app):
    app.edit(app.doc.set_param, "/layers/7", "pool_size", 15)  # pool3 larger than its input


@pytest.fixture
def gated_drawing(monkeypatch):
    """Drawings wait until the test releases them (a slow Graphviz, a huge graph); records numbers."""
    release, numbers = threading.Event(), []
    real = preview_module.draw

    def held(number, *args):
        numbers.append(number)
        release.wait(timeout=30)
        return real(number, *args)
    monkeypatch.setattr(preview_module, "draw", held)
    return release, numbers


# -- the text drawing -------------------------------------------------------------------------

def test_lanes_continue_below_a_row_where_edges_go_on():
    keys, inputs = ["a", "b", "c", "d"], [[], ["a"], ["a"], ["b", "c"]]
    lines = graph_lanes(keys, inputs)
    assert lines[0].startswith("●─╮")
    assert lane_continuation(lines[0], True) == "│ │"
    assert lane_continuation(lines[3], False).strip() == ""  # the merge ends both lanes


def test_the_text_drawing_shows_names_types_shapes_and_the_residual_branch(spec_path):
    text = diagram_text(analyze(spec_path("residual_cnn")), make_options()).plain
    assert "stem_conv  Conv2D" in text and "32×32×32" in text
    assert "●─╮ stem_relu" in text  # the shortcut forks off
    assert "●─╯ res1_add" in text  # and merges back


def test_the_blocks_style_folds_batch_norm_and_relu_into_the_convolution(spec_path):
    text = diagram_text(analyze(spec_path("residual_cnn")), make_options(style="blocks")).plain
    assert "+ BN + ReLU" in text
    assert "stem_bn" not in text


# -- the pane -------------------------------------------------------------------------------

@async_test
async def test_ctrl_g_shows_the_diagram_as_text_beside_the_table(tmp_path):
    path = copy_spec(tmp_path, "inception_module")
    async with editing(path) as (app, pilot):
        await burst(app, pilot, "ctrl+g")
        text = await drawn(app, pilot)
        assert app.preview.display and app.focused is app.preview
        assert "inception3a_concat" in text and "16×16×112" in text
        assert "●─┬─┬─╮ stem_pool" in text  # four branches leave the stem


@async_test
async def test_the_preview_follows_a_rename_typed_in_one_burst(tmp_path, monkeypatch):
    slow_analysis(monkeypatch)
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await burst(app, pilot, "ctrl+g", "escape", "home", "down", "r", "f", "i", "r", "s", "t", "enter")
        text = await drawn(app, pilot)
        assert app.doc.data["layers"][0]["name"] == "first"
        assert "● first  Conv2D" in text and "conv1" not in text


@async_test
async def test_a_broken_graph_is_drawn_with_its_error_marked(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await burst(app, pilot, "ctrl+g")
        await drawn(app, pilot)
        break_pool3(app)
        text = await drawn(app, pilot)
        assert "✗ pool3" in text and "LG402" in text
        assert "shape unknown" in text  # the layers after it
        assert "1 error(s) marked" in str(app.preview.query_one("#preview-title").content)


@async_test
async def test_s_and_t_in_the_preview_switch_its_style_and_theme(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        await burst(app, pilot, "ctrl+g", "s")
        assert app.preview.options.style == "blocks"
        assert "+ BN + ReLU" in await drawn(app, pilot)
        await burst(app, pilot, "s", "t")
        assert "█" in await drawn(app, pilot)  # volumes: a bar per tensor
        assert (app.preview.options.style, app.preview.options.theme) == ("volumes", "dark")


@async_test
async def test_typing_goes_on_while_a_drawing_is_still_running(tmp_path, gated_drawing):
    release, numbers = gated_drawing
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await burst(app, pilot, "ctrl+g")
        await until(pilot, lambda: numbers == [1], "the first drawing to start")
        # Not `burst`: it waits for every worker, the held drawing included.
        send_keys(app, "escape", "home", "down", "r", "x", "enter")
        await until(pilot, lambda: app.doc.data["layers"][0]["name"] == "x" and not app.key_gate.busy,
                    "the rename, while the first drawing is still held")
        assert app.preview.shown == 0 and numbers == [1]
        release.set()
        text = await drawn(app, pilot)
        assert "● x  Conv2D" in text


@async_test
async def test_an_old_drawing_that_finishes_late_never_replaces_the_newer_graph(tmp_path, gated_drawing):
    release, numbers = gated_drawing
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await burst(app, pilot, "ctrl+g")
        await until(pilot, lambda: numbers == [1], "the first drawing to start")
        for name in ("one", "two", "three"):
            app.edit(app.doc.rename, "/layers/0", name)
        release.set()
        text = await drawn(app, pilot)
        assert "● three  Conv2D" in text and "conv1" not in text
        assert numbers == [1, 4]  # the drawings in between were skipped, not queued


@async_test
async def test_ctrl_g_again_hides_the_preview_and_gives_the_inspector_back(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await burst(app, pilot, "ctrl+g")
        assert not app.inspector.display  # 110 columns: the preview takes its place
        await burst(app, pilot, "ctrl+g")
        assert not app.preview.display and app.inspector.display
        assert app.focused is app.table


@async_test
async def test_a_hidden_preview_draws_nothing(tmp_path, gated_drawing):
    _, numbers = gated_drawing
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        app.edit(app.doc.rename, "/layers/0", "first")
        await idle(app, pilot)
        assert numbers == []


# -- inline images ----------------------------------------------------------------------------

def test_the_terminal_is_asked_about_images_only_where_they_can_show():
    from layergraph.tui.inline_images import suggests_images

    assert suggests_images({"TERM": "xterm-kitty"})
    assert suggests_images({"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"})
    assert not suggests_images({"TERM": "xterm-kitty", "TMUX": "/tmp/tmux-0/default,1,0"})
    assert not suggests_images({"TERM": "xterm-256color"})


def test_no_terminal_no_images(monkeypatch):
    from layergraph.tui.inline_images import image_widget_class

    monkeypatch.setenv("LAYERGRAPH_INLINE_IMAGES", "1")
    assert image_widget_class() is None  # pytest's output is not a terminal


@async_test
async def test_where_the_terminal_shows_images_the_preview_shows_the_rendered_png(tmp_path):
    from textual.widget import Widget

    class FakeImage(Widget):
        """Stands in for textual-image's widget (which needs a real Kitty or Sixel terminal)."""

        def __init__(self, image, id=None):
            super().__init__(id=id)
            self.image = image

    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        app.image_widget_class = FakeImage
        await burst(app, pilot, "ctrl+g")
        await drawn(app, pilot)
        image = app.preview.query_one("#preview-image", FakeImage).image
        assert image.format == "PNG" and image.width > image.height  # left to right
        assert not app.preview.query_one("#preview-body").display
