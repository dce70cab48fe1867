"""Progress and log of a Keras compilation running in a background worker."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Log, ProgressBar, Static

STEPS = 3  # import TensorFlow/Keras, build the model, compare the counts


class CompileScreen(ModalScreen[None]):
    """Shows what the compile job reports; Escape closes it and stops a job still running.

    The worker may report before the screen is mounted, so the screen keeps its
    state (lines, progress, outcome) and draws it whenever it can.
    """

    BINDINGS = [Binding("escape,q", "close", "Close")]

    def __init__(self, title: str):
        super().__init__(classes="modal")
        self.title_text = title
        self.lines: list[str] = []
        self.progress = 0
        self.finished = False
        self.ok: bool | None = None
        self.process = None  # the compile job (a subprocess.Popen), set by the worker
        self.stopped = False

    def compose(self):
        with Vertical(classes="dialog wide", id="compile-dialog"):
            yield Static(self.title_text, classes="dialog-title", id="compile-title")
            yield ProgressBar(total=STEPS, show_eta=False, id="compile-progress")
            yield Log(id="compile-log", auto_scroll=True)
            yield Static("Escape closes this window (and stops the compilation if it still runs)",
                         classes="dialog-detail")

    def on_mount(self) -> None:
        self.query_one(Log).write_lines(self.lines)
        self._draw()

    def step(self, message: str) -> None:
        """Advance the progress bar by one step and log ``message``."""
        self.progress = min(STEPS, self.progress + 1)
        self.write(message)

    def write(self, message: str) -> None:
        self.lines.append(message)
        if self.is_mounted:
            self.query_one(Log).write_line(message)
            self._draw()

    def finish(self, ok: bool, message: str) -> None:
        self.finished, self.ok, self.progress = True, ok, STEPS
        self.title_text = ("✓ " if ok else "✗ ") + message
        if self.is_mounted:
            self._draw()

    def _draw(self) -> None:
        self.query_one(ProgressBar).update(progress=self.progress)
        self.query_one("#compile-title", Static).update(self.title_text)
        self.set_class(self.ok is False, "-failed")

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def stop(self) -> None:
        """Stop the compile job if it still runs."""
        if self.process is not None and self.process.poll() is None:
            self.stopped = True
            self.process.kill()

    def on_unmount(self) -> None:
        self.stop()

    def action_close(self) -> None:
        self.stop()
        self.dismiss(None)
