"""Choose what to export and where: a list of formats and the file name (a default beside the spec)."""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..exports import BY_KEY, FORMATS, ExportFormat, default_path, format_of
from .prompt import PathSuggester


class ExportScreen(ModalScreen[tuple[ExportFormat, Path] | None]):
    """Dismisses with (format, path), or None when cancelled.

    Moving through the formats changes the file name's extension; typing a name with a
    known extension picks that format. Enter in either accepts.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, spec: Path | None, first: str = "png"):
        super().__init__(classes="modal")
        self.spec, self.first = spec, BY_KEY[first]

    def compose(self):
        with Vertical(classes="dialog", id="export-dialog"):
            yield Static("Export", classes="dialog-title")
            yield OptionList(*(Option(f.title, id=f.key) for f in FORMATS), id="export-formats")
            yield Input(str(default_path(self.spec, self.first)), suggester=PathSuggester(),
                        id="export-path")
            yield Static("↑↓ format · Tab to the file name · Enter to export · Escape to cancel",
                         classes="dialog-detail", id="export-note")

    def on_mount(self) -> None:
        formats = self.query_one(OptionList)
        formats.highlighted = FORMATS.index(self.first)
        formats.focus()

    @property
    def chosen(self) -> ExportFormat:
        """The highlighted format."""
        index = self.query_one(OptionList).highlighted
        return FORMATS[index if index is not None else 0]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        path = self.query_one(Input)
        path.value = str(Path(path.value or "untitled").with_suffix(BY_KEY[event.option.id].suffix))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._accept()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._accept()

    def _accept(self) -> None:
        text = self.query_one(Input).value.strip()
        if not text:
            self.query_one("#export-note", Static).update("[red]nothing entered[/]")
            return
        path = Path(text).expanduser()
        self.dismiss((format_of(path) or self.chosen, path))

    def action_cancel(self) -> None:
        self.dismiss(None)
