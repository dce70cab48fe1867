"""The editor redraws only what an edit or a cursor move changed (issue 10: instant on big models).

These count work (cell renders, layouts, footer rebuilds) rather than time it: counts
do not depend on the machine's load.
"""

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets import _data_table
from textual.widgets._footer import FooterKey

from layergraph.tui.widgets.fields import FormField
from tui_support import async_test, copy_spec, editing, select


class Counter:
    """Counts the calls to a function it wraps (monkeypatched in)."""

    def __init__(self, real):
        self.real, self.calls = real, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.real(*args, **kwargs)


@async_test
async def test_an_edit_renders_again_only_the_table_cells_it_changed(tmp_path, monkeypatch):
    async with editing(copy_spec(tmp_path, "resnet50")) as (app, pilot):
        await select(app, pilot, "conv1_conv")
        rendered = Counter(_data_table.Styled)  # DataTable wraps every cell it renders in one
        monkeypatch.setattr(_data_table, "Styled", rendered)
        app.edit(app.doc.set_param, "/layers/1", "use_bias", False)  # one row's params change
        await pilot.pause()
        assert app.doc.analysis.layers["conv1_conv"].param_count == 7 * 7 * 3 * 64
        # That cell (twice: the cursor is on its row), and the header, whose rendering
        # Textual keeps per table update; not the 30 rows × 6 cells on screen.
        assert 0 < rendered.calls <= 12


@async_test
async def test_moving_the_focus_between_table_and_form_renders_only_the_cursor_row_again(tmp_path, monkeypatch):
    # Each focus change restyles the table: the cell cache was forgotten every time, so
    # Escape or e rendered all 36 rows × 6 cells through Rich again (~70 ms on ResNet50).
    async with editing(copy_spec(tmp_path, "resnet50")) as (app, pilot):
        await select(app, pilot, "conv1_conv")
        await pilot.press("e", "escape")  # both looks of the cursor row rendered once
        rendered = Counter(_data_table.Styled)
        monkeypatch.setattr(_data_table, "Styled", rendered)
        for key in ("e", "escape", "e", "escape"):
            await pilot.press(key)
        assert app.focused is app.table
        assert rendered.calls <= 4 * 6  # at most the cursor row's 6 cells per focus change


@async_test
async def test_a_new_theme_renders_every_cell_again(tmp_path, monkeypatch):
    async with editing(copy_spec(tmp_path, "alexnet")) as (app, pilot):
        await select(app, pilot, "conv1")
        rendered = Counter(_data_table.Styled)
        monkeypatch.setattr(_data_table, "Styled", rendered)
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        assert rendered.calls >= 6 * len(app.rows)  # every row on screen, in its new colours


@async_test
async def test_an_edit_that_enables_no_command_leaves_the_footer_as_it_is(tmp_path, monkeypatch):
    async with editing(copy_spec(tmp_path, "resnet50")) as (app, pilot):
        await select(app, pilot, "conv1_conv")
        app.edit(app.doc.set_param, "/layers/1", "use_bias", False)  # undo becomes possible
        await pilot.pause()
        rebuilt = Counter(Footer.recompose)
        monkeypatch.setattr(Footer, "recompose", lambda self: rebuilt(self))
        app.edit(app.doc.set_param, "/layers/1", "filters", 32)
        await pilot.pause()
        assert app.doc.item("/layers/1")["filters"] == 32
        assert rebuilt.calls == 0


def footer_keys(app) -> list[tuple[str, str]]:
    """(key, description) of each key the footer shows."""
    return [(key.key, key.description) for key in app.query(FooterKey) if key.display]


def bindings_shown(app) -> list[tuple[str, str]]:
    """What the footer should show: the first key of each action among the screen's active
    bindings marked to be shown, then the command palette's (Textual's Footer, no groups)."""
    active = app.screen.active_bindings
    first: dict[str, tuple[str, str]] = {}
    for (_, b, _, _) in active.values():
        if b.show:
            first.setdefault(b.action, (b.key, b.description))
    shown = list(first.values())
    palette = active[app.COMMAND_PALETTE_BINDING][1]
    return shown + [(palette.key, palette.description)]


@async_test
async def test_the_footer_shows_the_screens_keys_without_being_rebuilt_when_the_focus_moves(tmp_path, monkeypatch):
    async with editing(copy_spec(tmp_path, "alexnet")) as (app, pilot):
        await select(app, pilot, "conv1")
        assert footer_keys(app) == bindings_shown(app)
        rebuilt = Counter(Footer.recompose)
        monkeypatch.setattr(Footer, "recompose", lambda self: rebuilt(self))
        app.refresh_bindings()  # the screen announces new bindings; the same keys are shown
        app.table.focus()  # already focused
        await pilot.pause()
        assert rebuilt.calls == 0
        await pilot.press("e")  # into the form: the table's commands are not shown there
        assert ("a", "Add") not in footer_keys(app) and footer_keys(app) == bindings_shown(app)
        await pilot.press("escape")  # back: the same keys relabelled again, none mounted
        assert footer_keys(app) == bindings_shown(app) and ("a", "Add") in footer_keys(app)
        assert rebuilt.calls == 0


@async_test
async def test_a_layout_after_a_cursor_move_asks_for_no_second_layout_of_the_inspector(tmp_path, monkeypatch):
    # Counting layouts would depend on how a loaded machine splits the work into frames;
    # what is certain is who asks for one while a layout is being done.
    async with editing(copy_spec(tmp_path, "resnet50")) as (app, pilot):
        await select(app, pilot, "conv1_conv")  # both forms are built and kept from here on
        await select(app, pilot, "conv1_pad")
        laying_out, asked = [False], []
        real_layout, real_refresh = Screen._refresh_layout, Widget.refresh

        def layout(self, *args, **kwargs):
            laying_out[0] = True
            try:
                return real_layout(self, *args, **kwargs)
            finally:
                laying_out[0] = False

        def refresh(self, *regions, **kwargs):
            if laying_out[0] and kwargs.get("layout") and app.inspector in self.ancestors_with_self:
                asked.append(self)
            return real_refresh(self, *regions, **kwargs)
        monkeypatch.setattr(Screen, "_refresh_layout", layout)
        monkeypatch.setattr(Widget, "refresh", refresh)
        await pilot.press("down")
        assert app.selected_row.key == "conv1_conv"
        assert app.inspector.field("param:filters") is not None
        assert asked == []  # the inspector's new content size needs no second layout


@async_test
async def test_a_layer_of_a_type_not_shown_before_takes_over_the_form_without_building_fields(tmp_path, monkeypatch):
    async with editing(copy_spec(tmp_path, "resnet50")) as (app, pilot):
        await select(app, pilot, "conv1_conv")  # a convolution has more fields than the others
        built = Counter(FormField.__init__)
        monkeypatch.setattr(FormField, "__init__", lambda self, *a, **k: built(self, *a, **k))
        for key in ["conv1_bn", "conv1_relu", "pool1_pool", "avg_pool", "predictions"]:
            await select(app, pilot, key)
            assert app.inspector.field("rename").editor.value == key  # the form shows that layer
        assert app.inspector.field("param:axis") is None and app.inspector.field("param:filters") is None
        assert built.calls == 0  # a form per layer type built thirty fields for each


@async_test
async def test_the_inspector_holds_one_form_however_many_layer_types_were_shown(tmp_path):
    async with editing(copy_spec(tmp_path, "resnet50")) as (app, pilot):
        await select(app, pilot, "conv1_conv")
        widgets = len(list(app.inspector.walk_children()))
        for key in ["conv1_bn", "conv1_relu", "pool1_pad", "pool1_pool", "avg_pool", "predictions"]:
            await select(app, pilot, key)
        await select(app, pilot, "conv1_conv")
        # Kept forms, one per layer type, made every key pass (the key gate, Pilot) walk them all.
        after = len(list(app.inspector.walk_children()))
        assert after <= widgets + 16, after - widgets  # a switch or a select a slot lacked


@async_test
async def test_an_edit_draws_again_only_the_table_lines_of_the_rows_it_changed(tmp_path, monkeypatch):
    # LayerTable stores a changed cell itself and repaints its row (Textual's update_cell
    # repaints the whole table): this fails if Textual's DataTable internals moved.
    async with editing(copy_spec(tmp_path, "resnet50")) as (app, pilot):
        await select(app, pilot, "conv1_conv")
        drawn = []
        real = type(app.table).render_line
        monkeypatch.setattr(type(app.table), "render_line", lambda self, y: drawn.append(y) or real(self, y))
        app.edit(app.doc.set_param, "/layers/1", "use_bias", False)  # only this row's count changes
        await pilot.pause()
        assert str(app.table.get_cell("conv1_conv", "params")).strip() == "9,408"
        assert app.table.row_count > 20 and 0 < len(set(drawn)) <= 2  # its line (and the cursor's)


@async_test
async def test_a_layout_measures_only_the_fields_with_a_title_or_an_error(tmp_path, monkeypatch):
    async with editing(copy_spec(tmp_path, "resnet50")) as (app, pilot):
        await select(app, pilot, "conv1_conv")
        await select(app, pilot, "conv1_pad")
        measured = []
        real = FormField.get_content_height
        monkeypatch.setattr(FormField, "get_content_height",
                            lambda self, *a: measured.append(self) or real(self, *a))
        await pilot.press("down")
        shown = app.inspector.fields()
        assert app.selected_row.key == "conv1_conv" and len(shown) > 12
        # A field of one line has that height set: only the first of each section (Layer,
        # Parameters: a title above it) is measured.
        assert 0 < len(set(measured)) <= 2


@async_test
async def test_moving_the_focus_into_the_form_and_back_does_not_draw_the_whole_screen(tmp_path, monkeypatch):
    from textual._compositor import Compositor

    async with editing(copy_spec(tmp_path, "resnet50")) as (app, pilot):
        await select(app, pilot, "conv1_conv")
        full = Counter(Compositor.render_full_update)
        monkeypatch.setattr(Compositor, "render_full_update", lambda self, *a, **k: full(self, *a, **k))
        await pilot.press("e")
        assert app.focused is app.inspector.field("param:filters").editor
        await pilot.press("escape")
        assert app.focused is app.table
        assert full.calls == 0  # Textual's Screen repaints all of itself when the focus moves


@async_test
async def test_a_cursor_move_does_not_repaint_the_table_scrollbar_in_a_frame_of_its_own(tmp_path, monkeypatch):
    # Textual's ScrollView took every screen layout for a change of the table's size and
    # repainted its scrollbar, which took one more frame after the one showing the move.
    async with editing(copy_spec(tmp_path, "resnet50")) as (app, pilot):
        await select(app, pilot, "conv1_conv")
        await select(app, pilot, "conv1_pad")
        repainted, real_refresh = [], Widget.refresh

        def refresh(self, *regions, **kwargs):
            if self.parent is app.table and type(self).__name__ == "ScrollBar":
                repainted.append(self)
            return real_refresh(self, *regions, **kwargs)
        monkeypatch.setattr(Widget, "refresh", refresh)
        await pilot.press("down")
        await pilot.press("down")
        assert app.selected_row.key == "conv1_bn"
        assert repainted == []


@async_test
async def test_the_table_scrollbar_follows_rows_added_and_deleted(tmp_path):
    async with editing(copy_spec(tmp_path, "resnet50")) as (app, pilot):
        await select(app, pilot, "conv1_conv")
        scrollbar = app.table.vertical_scrollbar
        before = scrollbar.window_virtual_size
        for _ in range(3):
            app.edit(app.doc.add_layer, 2, "ReLU")
        await pilot.pause()
        assert scrollbar.window_virtual_size == before + 3 == app.table.virtual_size.height
        app.edit(app.doc.delete, "/layers/2")
        await pilot.pause()
        assert scrollbar.window_virtual_size == before + 2


@async_test
async def test_the_objects_made_before_the_first_screen_are_frozen_until_the_editor_closes(tmp_path):
    import gc

    async with editing(copy_spec(tmp_path, "resnet50")) as (app, pilot):
        await pilot.pause()
        assert app.startup_freeze.frozen and gc.get_freeze_count() > 10_000
    assert not app.startup_freeze.frozen and gc.get_freeze_count() == 0


@async_test
async def test_the_editor_leaves_a_freeze_made_by_someone_else_alone(tmp_path):
    import gc

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        async with editing(copy_spec(tmp_path, "residual_cnn")) as (app, pilot):
            await pilot.pause()
            assert not app.startup_freeze.frozen
        assert gc.get_freeze_count() > frozen // 2  # still frozen (less what refcounting freed)
    finally:
        gc.unfreeze()


@async_test
async def test_a_parameter_edit_does_not_draw_the_graph_gutter_again_but_a_new_layer_does(tmp_path, monkeypatch):
    from layergraph.tui.widgets import layer_table

    async with editing(copy_spec(tmp_path, "resnet50")) as (app, pilot):
        await select(app, pilot, "conv1_conv")
        drawn = Counter(layer_table.graph_lanes)
        monkeypatch.setattr(layer_table, "graph_lanes", drawn)
        app.edit(app.doc.set_param, "/layers/1", "filters", 32)
        await pilot.pause()
        assert drawn.calls == 0
        app.edit(app.doc.add_layer, 2, "ReLU")
        await pilot.pause()
        assert drawn.calls == 1
        assert app.table.get_row_at(3)[0].plain.startswith("●")  # the new row has its node


@async_test
async def test_a_cursor_move_does_not_repaint_the_scrollbar_of_a_long_problems_list(tmp_path, monkeypatch):
    import json

    from layergraph.tui.widgets.problems import ProblemsPanel

    path = copy_spec(tmp_path, "resnet50")
    data = json.loads(path.read_text())
    for item in data["layers"][:10]:
        item["description"] = 1  # ten problems: more than the panel's six lines
    path.write_text(json.dumps(data))
    async with editing(path) as (app, pilot):
        panel = app.query_one(ProblemsPanel)
        assert panel.option_count >= 10 and panel.show_vertical_scrollbar
        app.table.focus()
        await pilot.press("home")
        repainted, real_refresh = [], Widget.refresh

        def refresh(self, *regions, **kwargs):
            if self.parent is panel and type(self).__name__ == "ScrollBar":
                repainted.append(self)
            return real_refresh(self, *regions, **kwargs)
        monkeypatch.setattr(Widget, "refresh", refresh)
        await pilot.press("down")
        await pilot.press("down")
        assert repainted == []
