"""Saving, opening and quitting in the editor: nothing is lost, nothing is half-written."""

import os

from layergraph.editing.document import Document
from layergraph.tui.app import EditorApp
from layergraph.tui.screens.confirm import ConfirmScreen
from layergraph.tui.screens.prompt import PromptScreen
from tui_support import SIZE, async_test, copy_spec, editing, notifications, on_disk, select, type_text


@async_test
async def test_save_without_edits_leaves_the_file_byte_identical(tmp_path):
    path = copy_spec(tmp_path, "inception_module")
    before = path.read_bytes()
    async with editing(path) as (app, pilot):
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert path.read_bytes() == before


@async_test
async def test_save_writes_only_the_changed_value_and_clears_the_marker(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    before = path.read_text()
    async with editing(path) as (app, pilot):
        await select(app, pilot, "fc1")
        await pilot.press("e")
        await type_text(pilot, "2048")
        await pilot.press("enter")
        assert "modified" in str(app.query_one("#header-left").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.doc.modified
        assert "modified" not in str(app.query_one("#header-left").render())
    assert path.read_text() == before.replace('"fc1", "type": "Dense", "units": 4096',
                                              '"fc1", "type": "Dense", "units": 2048')


@async_test
async def test_quit_with_unsaved_changes_asks_and_cancel_keeps_editing(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        app.edit(app.doc.set_param, "/layers/0", "filters", 64)
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        assert app.is_running and app.doc.modified


@async_test
async def test_quit_and_save_writes_the_file_then_exits(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        app.edit(app.doc.set_param, "/layers/0", "filters", 64)
        await pilot.press("ctrl+q")
        await pilot.click("#answer-save")
        await pilot.pause()
        assert not app.is_running
    assert on_disk(path)["layers"][0]["filters"] == 64


@async_test
async def test_quit_and_discard_leaves_the_file_alone(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    before = path.read_bytes()
    async with editing(path) as (app, pilot):
        app.edit(app.doc.set_param, "/layers/0", "filters", 64)
        await pilot.press("ctrl+q")
        await pilot.click("#answer-discard")
        await pilot.pause()
        assert not app.is_running
    assert path.read_bytes() == before


@async_test
async def test_quit_without_changes_does_not_ask(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


@async_test
async def test_typing_not_yet_applied_is_saved_too(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "conv1")
        await pilot.press("e")
        await type_text(pilot, "48")
        await pilot.press("ctrl+s")  # before the typing pause has applied it
        await pilot.pause()
    assert on_disk(path)["layers"][0]["filters"] == 48


@async_test
async def test_a_file_changed_on_disk_is_noticed_before_overwriting(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        app.edit(app.doc.set_param, "/layers/0", "filters", 64)
        theirs = path.read_text().replace('"AlexNet"', '"Theirs"')
        path.write_text(theirs)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        assert path.read_text() == theirs
        await pilot.press("ctrl+s")
        await pilot.click("#answer-reload")
        await pilot.pause()
        assert app.doc.analysis.name == "Theirs" and not app.doc.modified
        assert app.doc.data["layers"][0]["filters"] == 96


@async_test
async def test_overwriting_a_changed_file_when_told_to(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        app.edit(app.doc.set_param, "/layers/0", "filters", 64)
        path.write_text(path.read_text().replace('"AlexNet"', '"Theirs"'))
        await pilot.press("ctrl+s")
        await pilot.click("#answer-overwrite")
        await pilot.pause()
    saved = on_disk(path)
    assert saved["name"] == "AlexNet" and saved["layers"][0]["filters"] == 64


@async_test
async def test_a_failing_save_keeps_the_old_file_and_says_why(tmp_path, monkeypatch):
    path = copy_spec(tmp_path, "alexnet")
    before = path.read_bytes()
    async with editing(path) as (app, pilot):
        app.edit(app.doc.set_param, "/layers/0", "filters", 64)

        def full_disk(fd):
            raise OSError(28, "No space left on device")
        monkeypatch.setattr(os, "fsync", full_disk)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any("No space left" in n for n in notifications(app))
        assert app.doc.modified
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alexnet.json"]


@async_test
async def test_save_as_writes_a_new_file_and_asks_before_replacing_one(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    other = tmp_path / "copy.json"
    async with editing(path) as (app, pilot):
        await select(app, pilot, "conv1")
        await pilot.press("S")
        assert isinstance(app.screen, PromptScreen)
        app.screen.query_one("#prompt-input").value = str(other)
        await pilot.press("enter")
        await pilot.pause()
        assert app.doc.path == other and other.read_bytes() == path.read_bytes()
        app.edit(app.doc.set_param, "/layers/0", "filters", 64)
        await pilot.press("S")
        app.screen.query_one("#prompt-input").value = str(path)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # alexnet.json exists
        await pilot.click("#answer-overwrite")
        await pilot.pause()
    assert on_disk(path)["layers"][0]["filters"] == 64
    assert on_disk(other)["layers"][0]["filters"] == 96


@async_test
async def test_open_another_file_after_asking_about_unsaved_changes(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    other = copy_spec(tmp_path, "vgg16")
    async with editing(path) as (app, pilot):
        app.edit(app.doc.set_param, "/layers/0", "filters", 64)
        await pilot.press("ctrl+o")
        await pilot.click("#answer-discard")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = str(other)
        await pilot.press("enter")
        await pilot.pause()
        assert app.doc.path == other and app.doc.analysis.name == "VGG16"
        assert app.table.row_count == len(app.doc.analysis.layers)


@async_test
async def test_opening_a_malformed_file_shows_the_error_and_keeps_the_document(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    bad = tmp_path / "bad.json"
    bad.write_text('{"layers": [}')
    async with editing(path) as (app, pilot):
        await pilot.press("ctrl+o")
        app.screen.query_one("#prompt-input").value = str(bad)
        await pilot.press("enter")
        await pilot.pause()
        assert app.doc.path == path
        assert any("Malformed JSON" in n for n in notifications(app))


@async_test
async def test_a_new_file_is_created_on_the_first_save(tmp_path):
    from layergraph.editing.templates import template_text
    path = tmp_path / "mine.json"
    app = EditorApp(Document.from_text(template_text("blank", "mine"), path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.doc.modified and not path.exists()
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert on_disk(path)["name"] == "mine"


@async_test
async def test_save_as_into_a_missing_folder_says_why_and_keeps_the_document(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        app.edit(app.doc.set_param, "/layers/0", "filters", 64)
        await pilot.press("S")
        app.screen.query_one("#prompt-input").value = str(tmp_path / "missing" / "x.json")
        await pilot.press("enter")
        await pilot.pause()
        assert any("cannot write" in n and "missing" in n for n in notifications(app))
        assert app.doc.path == path and app.doc.modified


@async_test
async def test_saving_through_a_symbolic_link_writes_the_target_and_keeps_the_link(tmp_path):
    real = copy_spec(tmp_path, "alexnet")
    link = tmp_path / "link.json"
    link.symlink_to(real.name)
    async with editing(link) as (app, pilot):
        app.edit(app.doc.set_param, "/layers/0", "filters", 64)
        await pilot.press("ctrl+s")
        assert not app.doc.modified
    assert link.is_symlink() and os.readlink(link) == real.name
    assert on_disk(real)["layers"][0]["filters"] == 64


@async_test
async def test_a_read_only_file_is_not_replaced_and_save_as_is_offered(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    before = path.read_bytes()
    path.chmod(0o444)
    async with editing(path) as (app, pilot):
        app.edit(app.doc.set_param, "/layers/0", "filters", 64)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, PromptScreen)  # save as, offered at once
        assert any("read-only" in n for n in notifications(app))
        assert app.doc.modified
    assert path.read_bytes() == before


@async_test
async def test_a_destructive_confirmation_has_the_safe_answer_focused(tmp_path):
    path = copy_spec(tmp_path, "alexnet")
    async with editing(path) as (app, pilot):
        app.edit(app.doc.set_param, "/layers/0", "filters", 64)
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.focused.id == "answer-cancel"
        await pilot.press("enter")  # Enter at once keeps everything
        assert app.is_running and app.doc.modified
    assert on_disk(path)["layers"][0]["filters"] == 96
