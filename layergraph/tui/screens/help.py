"""The help screen: every command and its keys, from the command table."""

from __future__ import annotations

from rich.table import Table
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..commands import COMMANDS, key_text

INTRO = ("Arrow keys, PgUp/PgDn and Home/End (g/G) move through the layers; the inspector on the right edits the selected one "
         "(Tab moves between panels, Escape goes back to the table). Values are checked as you type: "
         "broken layers turn red with the reason, layers after them show —. "
         "Ctrl+P opens the command palette.")


SCOPES = (("table", "In the layer table"), ("app", "Anywhere"), ("preview", "In the diagram preview"),
          ("palette", "From the palette (Ctrl+P)"))


def help_table() -> Table:
    """Every command with its keys, grouped by where the keys work."""
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column("Key", style="bold cyan", no_wrap=True)
    table.add_column("Command", no_wrap=True)
    table.add_column("What it does")
    for scope, heading in SCOPES:
        commands = [c for c in COMMANDS if (c.scope if c.keys else "palette") == scope]
        table.add_row("", f"[b]{heading}[/b]", "")
        for command in commands:
            table.add_row(key_text(command.keys) if command.keys else "", command.title, command.help)
        table.add_row("", "", "")
    return table


class HelpScreen(ModalScreen[None]):
    """Keys and commands; any of Escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def __init__(self):
        super().__init__(classes="modal")

    def compose(self):
        with VerticalScroll(classes="dialog wide", id="help-dialog"):
            yield Static("layergraph editor — keys", classes="dialog-title")
            yield Static(INTRO, classes="dialog-detail")
            yield Static(help_table())

    def action_close(self) -> None:
        self.dismiss(None)
