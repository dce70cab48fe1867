"""Ask for one line of text (a file name, a graph name); Escape cancels."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static


class PathSuggester(Suggester):
    """Completes file and directory names (JSON files and folders first)."""

    def __init__(self):
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        folder, _, stem = value.rpartition(os.sep)
        base = Path(folder or ".")
        try:
            names = sorted(p.name + (os.sep if p.is_dir() else "") for p in base.iterdir()
                           if p.name.startswith(stem) and not p.name.startswith("."))
        except OSError:
            return None
        names.sort(key=lambda n: not (n.endswith(".json") or n.endswith(os.sep)))
        for name in names:
            if name != stem:
                return (folder + os.sep if folder else "") + name
        return None


class PromptScreen(ModalScreen[str | None]):
    """Ask ``question``; dismisses with the text, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, value: str = "", *, paths: bool = False,
                 check: Callable[[str], str | None] | None = None):
        """``check`` returns an error message for text that cannot be accepted."""
        super().__init__(classes="modal")
        self.question, self.value, self.paths, self.check = question, value, paths, check

    def compose(self):
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-title")
            yield Input(self.value, suggester=PathSuggester() if self.paths else None, id="prompt-input")
            yield Static("Enter to accept · Escape to cancel", classes="dialog-detail", id="prompt-note")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        problem = "nothing entered" if not text else (self.check(text) if self.check else None)
        if problem:
            self.query_one("#prompt-note", Static).update(f"[red]{problem}[/]")
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
