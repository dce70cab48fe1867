"""Progress and log of a Keras compilation running in a background worker."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Log, ProgressBar, Static

STEPS = 3  # import TensorFlow/Keras, build the model, compare the counts


class CompileScreen(ModalScreen[None]):
    """Shows what the compile worker reports; Escape hides it (the worker goes on)."""

    BINDINGS = [Binding("escape,q", "close", "Close")]

    def __init__(self, title: str):
        super().__init__(classes="modal")
        self.title_text = title
        self.finished = False

    def compose(self):
        with Vertical(classes="dialog wide", id="compile-dialog"):
            yield Static(self.title_text, classes="dialog-title", id="compile-title")
            yield ProgressBar(total=STEPS, show_eta=False, id="compile-progress")
            yield Log(id="compile-log", auto_scroll=True)
            yield Static("Escape closes this window", classes="dialog-detail")

    def step(self, message: str) -> None:
        """Advance the progress bar by one step and log ``message``."""
        self.query_one(ProgressBar).advance(1)
        self.write(message)

    def write(self, message: str) -> None:
        self.query_one(Log).write_line(message)

    def finish(self, ok: bool, message: str) -> None:
        self.finished = True
        bar = self.query_one(ProgressBar)
        bar.update(progress=STEPS)
        self.query_one("#compile-title", Static).update(
            ("✓ " if ok else "✗ ") + message)
        self.set_class(not ok, "-failed")

    @property
    def text(self) -> str:
        return "\n".join(self.query_one(Log).lines)

    def action_close(self) -> None:
        self.dismiss(None)
