"""Snapshots of the editor (pytest-textual-snapshot 1.1.0, Textual pinned to 8.2.8).

Regenerate after an intended change with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the SVGs (tests/__snapshots__/) before committing them.
"""

from conftest import SPECS
from layergraph.editing.document import Document
from layergraph.tui.app import EditorApp


def editor(stem: str) -> EditorApp:
    return EditorApp(Document.open(SPECS / f"{stem}.json"))


def test_main_screen_with_alexnet(snap_compare):
    async def select_conv1(pilot):
        await pilot.press("down")
    assert snap_compare(editor("alexnet"), terminal_size=(110, 32), run_before=select_conv1)


def test_error_state_marks_the_broken_layer_and_its_consequences(snap_compare):
    async def break_pool3(pilot):
        app = pilot.app
        app.edit(app.doc.set_param, "/layers/7", "pool_size", 15)  # larger than its 13×13 input
        app.table.select_key("pool3")
        await pilot.pause()
    assert snap_compare(editor("alexnet"), terminal_size=(110, 32), run_before=break_pool3)


def test_add_layer_modal_filters_the_registered_types(snap_compare):
    assert snap_compare(editor("alexnet"), terminal_size=(110, 32), press=["down", "a", "p", "o", "o", "l"])


def test_80_by_24_layout_with_blocks(snap_compare):
    async def into_a_block(pilot):
        await pilot.press("down", "down", "down")
    assert snap_compare(editor("vgg16"), terminal_size=(80, 24), run_before=into_a_block)


def test_graph_gutter_of_an_inception_network(snap_compare):
    async def to_the_concat(pilot):
        pilot.app.table.select_key("inception3a_concat")
        await pilot.pause()
    assert snap_compare(editor("inception_module"), terminal_size=(110, 32), run_before=to_the_concat)
