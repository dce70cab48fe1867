"""Escape typed just before another key arrives as Escape and then that key (see escape_keys).

The bytes are what tmux sends for a fast typist; the parser is the one the editor's
terminal driver uses.
"""

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.drivers import linux_driver

from layergraph.editing.document import Document
from layergraph.tui.app import EditorApp
from layergraph.tui.escape_keys import EscapeFirstParser
from tui_support import async_test, copy_spec, editing, idle, on_disk, select


def parse(data: str, parser_class=EscapeFirstParser) -> list:
    """The messages a parser makes of ``data`` followed by the end of input."""
    parser = parser_class()
    return [*parser.feed(data), *parser.feed("")]


def keys(data: str, parser_class=EscapeFirstParser) -> list[str]:
    return [event.key for event in parse(data, parser_class) if isinstance(event, events.Key)]


def test_textual_alone_drops_an_escape_typed_just_before_ctrl_s():
    assert keys("\x1b\x13", XTermParser) == ["ctrl+s"]  # why the editor has its own parser


@pytest.mark.parametrize("data, expected", [
    ("\x1b\x13", ["escape", "ctrl+s"]),
    ("\x1brabc", ["escape", "r", "a", "b", "c"]),
    ("\x1b\t", ["escape", "tab"]),
    ("\x1bf", ["escape", "f"]),
    ("\x1bb", ["escape", "b"]),
    ("\x1b1", ["escape", "1"]),
    ("\x1b\x7f", ["escape", "backspace"]),
    ("\x1bR", ["escape", "R"]),
    ("\x1b", ["escape"]),
    ("\x1b\x1b", ["escape", "escape"]),
])
def test_escape_then_a_key_is_two_keys_escape_first(data, expected):
    assert keys(data) == expected


@pytest.mark.parametrize("data, expected", [
    ("\x1b[A", ["up"]),
    ("\x1bOB", ["down"]),
    ("\x1b\x1b[A", ["escape", "up"]),
    ("\x1b[27u", ["escape"]),  # kitty keyboard protocol
    ("\x1b[115;5u", ["ctrl+s"]),
])
def test_control_sequences_are_still_read_as_one_key(data, expected):
    assert keys(data) == expected


def test_mouse_and_focus_reports_are_still_read():
    messages = parse("\x1b[<0;10;5M\x1b[I")
    assert isinstance(messages[0], events.MouseDown) and (messages[0].x, messages[0].y) == (9, 4)
    assert isinstance(messages[1], events.AppFocus)


def test_the_editor_makes_the_terminal_driver_use_the_parser(tmp_path):
    app = EditorApp(Document.open(copy_spec(tmp_path, "residual_cnn")))
    assert app.driver_class is linux_driver.LinuxDriver
    assert linux_driver.XTermParser is EscapeFirstParser


@async_test
async def test_escape_then_ctrl_s_typed_fast_leaves_the_field_and_saves(tmp_path):
    path = copy_spec(tmp_path, "residual_cnn")
    async with editing(path) as (app, pilot):
        await select(app, pilot, "image")
        for message in parse("\x1b[B\r64\r\x1b\x13"):  # ↓ Enter 6 4 Enter, Escape, Ctrl+S
            app._driver.send_message(message)
        await idle(app, pilot)
        assert app.focused is app.table  # the Escape was not lost
        assert not app.doc.modified
    assert next(item for item in on_disk(path)["layers"] if item["name"] == "stem_conv")["filters"] == 64
