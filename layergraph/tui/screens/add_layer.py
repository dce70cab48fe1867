"""Pick a layer type to add: type to filter the registered types, Enter to add."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...registry import get_registry


def type_choices() -> list[tuple[str, str, str]]:
    """(type name, family, one-line doc) of every type that can be added as a layer."""
    registry = get_registry()
    found = []
    for name in registry.names():
        layer_type = registry.get(name)
        if layer_type.max_inputs == 0:
            continue  # inputs are declared under `inputs`, not added as layers
        doc = (layer_type.__doc__ or "").strip().splitlines()
        found.append((name, layer_type.family, doc[0] if doc else ""))
    return found


class AddLayerScreen(ModalScreen[str | None]):
    """Choose a registered layer type; dismisses with its name or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"),
                Binding("down", "move(1)", show=False), Binding("up", "move(-1)", show=False)]

    def __init__(self, where: str):
        super().__init__(classes="modal")
        self.where = where
        self.choices = type_choices()

    def compose(self):
        with Vertical(classes="dialog", id="add-dialog"):
            yield Static(f"Add a layer {self.where}", classes="dialog-title")
            yield Input(placeholder="type to filter: conv, pool, dense, merge…", id="add-filter")
            yield OptionList(id="add-types")
            yield Static("↑↓ choose · Enter add · Escape cancel", classes="dialog-detail")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#add-filter", Input).focus()

    def _fill(self, query: str) -> None:
        options = self.query_one("#add-types", OptionList)
        options.clear_options()
        words = query.lower().split()
        text = query.strip().lower()
        # The type named exactly, then names starting with the query, then the rest:
        # "dropout" picks Dropout, not AlphaDropout.
        ranked = sorted(self.choices, key=lambda c: (c[0].lower() != text,
                                                     not c[0].lower().startswith(text)))
        for name, family, doc in ranked:
            haystack = f"{name} {family} {doc}".lower()
            if all(w in haystack for w in words):
                prompt = Text(no_wrap=True, overflow="ellipsis")
                prompt.append(name.ljust(23), style="bold")
                prompt.append(family.ljust(15), style="cyan")
                prompt.append(doc, style="dim")
                options.add_option(Option(prompt, id=name))
        if options.option_count:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#add-types", OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_move(self, delta: int) -> None:
        options = self.query_one("#add-types", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def action_cancel(self) -> None:
        self.dismiss(None)
