"""The JSON a save would write, highlighted, read-only."""

from __future__ import annotations

from rich.syntax import Syntax
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class JsonScreen(ModalScreen[None]):
    """Shows ``text`` as JSON; Escape closes, c copies it to the clipboard."""

    BINDINGS = [Binding("escape,q,v", "close", "Close"), Binding("c", "copy", "Copy")]

    def __init__(self, title: str, text: str):
        super().__init__(classes="modal")
        self.title_text, self.text = title, text

    def compose(self):
        with VerticalScroll(classes="dialog wide", id="json-dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(Syntax(self.text, "json", theme="ansi_dark", word_wrap=True), id="json-text")

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify("JSON copied to the clipboard")

    def action_close(self) -> None:
        self.dismiss(None)
