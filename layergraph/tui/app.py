"""The layergraph editor: a Textual app over a :class:`~layergraph.editing.document.Document`.

Layout: a header (graph name, totals, modified marker), the layer table with the
DAG gutter, the inspector of the selected layer, the problems panel and the
footer. Every edit goes through the document, which re-analyses the graph
(milliseconds for a ResNet50-sized graph); the view is then refreshed in place.
The actions live in two mixins: edit_actions (editing, files) and
graph_actions (render, compile, JSON), preview_actions (diagram preview, export).
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable, Iterable

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.driver import Driver
from textual.screen import Screen
from textual.widgets import DataTable

from ..editing.document import Document
from ..editing.operations import EditError, Outcome
from ..editing.rows import Row, build_rows
from . import escape_keys
from .block_actions import BlockActions
from .collector import StartupFreeze
from .commands import BY_ACTION, COMMANDS, bindings, key_text
from .edit_actions import EditActions
from .find_actions import FindActions
from .graph_actions import GraphActions
from .key_gate import KeyGate
from .preview_actions import PreviewActions
from .screens.main_screen import MainScreen
from .widgets.fields import FormField
from .widgets.footer import SteadyFooter
from .widgets.header import GraphHeader
from .widgets.inspector import Inspector
from .widgets.layer_table import LayerTable
from .widgets.preview import PreviewPane
from .widgets.problems import ProblemsPanel


class EditorApp(EditActions, BlockActions, FindActions, GraphActions, PreviewActions, App):
    """``layergraph edit``: edit a layer graph with live shape checking."""

    CSS_PATH = "app.tcss"
    TITLE = "layergraph"
    BINDINGS = [*bindings("app"), Binding("escape", "focus_table", "Back", show=False)]

    def __init__(self, document: Document, **kwargs: Any):
        super().__init__(**kwargs)
        self.doc = document
        self.rows: list[Row] = []
        self._row_index: dict[str, Row] = {}
        self.key_gate = KeyGate(self, self.post_message)
        self.startup_freeze = StartupFreeze()  # long-lived objects out of the collector's walks
        self._inspected: tuple | None = None  # (row key, document version) the inspector shows
        self._enabled: tuple | None = None  # which commands were enabled when bindings were shown

    def get_driver_class(self) -> type[Driver]:
        # Escape typed just before another key must not turn it into Alt+key (see escape_keys).
        return escape_keys.install(super().get_driver_class())

    def get_default_screen(self) -> Screen:
        return MainScreen(id="_default")  # a focus change repaints less (see main_screen)

    async def on_event(self, event: events.Event) -> None:
        # Keys and pastes pass the gate: each acts only after the last one's effects (see key_gate).
        if (isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded
                and not KeyGate.is_gated(event) and self.key_gate.hold(event)):
            return
        await super().on_event(event)

    def compose(self):
        yield GraphHeader(id="header")
        with Horizontal(id="main"):
            yield LayerTable(id="layers")
            yield Inspector(id="inspector")
            yield PreviewPane(id="preview")
        yield ProblemsPanel(id="problems")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.table.on_cursor_moved = self.cursor_moved
        self.refresh_view()
        self.table.focus()
        self.call_after_refresh(self._freeze_startup)  # once the first screen is built

    def _freeze_startup(self) -> None:
        if self.is_running:  # not once shutting down: on_unmount would not release it
            self.startup_freeze.freeze()

    def on_unmount(self) -> None:
        self.startup_freeze.release()

    # -- parts ----------------------------------------------------------------------

    @property
    def table(self) -> LayerTable:
        return self.query_one(LayerTable)

    @property
    def inspector(self) -> Inspector:
        return self.query_one(Inspector)

    @property
    def selected_row(self) -> Row | None:
        key = self.table.current_key
        return self._row_index.get(key) if key is not None else None

    def row_names(self) -> list[str]:
        """Names a layer can take as input (layers and block instances)."""
        return list(self.doc.analysis.layers) + [b.name for b in self.doc.analysis.blocks]

    # -- showing the document ----------------------------------------------------------

    def refresh_view(self, select: str | None = None, force: bool = False) -> None:
        """Redraw everything from the document; ``select`` is a row key or an item pointer.

        ``force``: the document changed under the form (undo, redo, reload), so even the
        field being typed in shows the document's value.
        """
        doc = self.doc
        before = self.selected_row
        self.rows = build_rows(doc.data, doc.analysis, doc.names)
        self._row_index = {row.key: row for row in self.rows}
        self.table.show_rows(self.rows, self._selection(select, before))
        self.show_selection()
        self.query_one(GraphHeader).show(doc)
        self.query_one(ProblemsPanel).show(doc.analysis, self.rows)
        self.show_inspector(force)
        self.preview.follow(doc.analysis)
        self.sub_title = doc.display_name
        self._refresh_enabled()

    def _refresh_enabled(self) -> None:
        """Redraw the footer's bindings only when a command became enabled or disabled: the
        footer rebuilds all its keys on every refresh (a layout and two frames after each edit)."""
        enabled = tuple(self.disabled_reason(command.action) is None for command in COMMANDS)
        if enabled != self._enabled:
            self._enabled = enabled
            self.refresh_bindings()

    def _selection(self, select: str | None, current: Row | None) -> str | None:
        """The row key to select for ``select``; ``current`` was selected before the edit."""
        if select is None or select in self._row_index:
            return select
        if current is not None and current.key in self._row_index and select in (current.item, current.pointer):
            return current.key  # an edit of the selected layer: stay on it
        matches = [row for row in self.rows if select in (row.pointer, row.item)]
        # A layer of a block definition has a row in every use: stay in the use being edited.
        same_use = [row for row in matches if current is not None and row.block == current.block]
        chosen = same_use or matches
        return chosen[0].key if chosen else None

    def cursor_moved(self) -> None:
        """The table's cursor moved: the inspector follows, and so does a selection (V)."""
        self.show_inspector()
        if self.selection_anchor is not None:
            self.show_selection()

    def show_inspector(self, force: bool = False) -> None:
        """Show the selected row in the inspector (unless it shows it already, as it is now)."""
        row = self.selected_row
        shown = (row.key if row is not None else None, self.doc.version, id(self.doc))
        if shown == self._inspected and not force:
            return
        self._inspected = shown
        self.inspector.show(row, self.doc, self.row_names(), force)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_inspector()  # usually shown already (see LayerTable.on_cursor_moved)

    def on_problems_panel_jump(self, message: ProblemsPanel.Jump) -> None:
        self.table.select_key(message.key)
        self.table.focus()

    # -- edits ----------------------------------------------------------------------------

    def edit(self, operation: Callable[..., Outcome], *args: Any, field: FormField | None = None,
             force: bool = False, **kwargs: Any) -> Outcome | None:
        """Run a document edit, then refresh; an EditError is shown, not raised.

        ``force`` refreshes even the focused field (see refresh_view)."""
        try:
            outcome = operation(*args, **kwargs)
        except EditError as exc:
            if field is not None:
                field.set_error(str(exc))
            self.notify(str(exc), title="Cannot do that", severity="error")
            return None
        if outcome.changed:
            self.refresh_view(select=outcome.select, force=force)
            if outcome.notes:
                self.notify("\n".join(outcome.notes), title=outcome.label)
        return outcome

    def flush_typing(self) -> None:
        """Apply typing now, before undo, save, open or quit: values waiting for the typing
        pause, and what was typed in the focused field (a name not yet confirmed with Enter)."""
        messages = self.inspector.take_pending()
        focused = next((f for f in self.focused.ancestors_with_self if isinstance(f, FormField)), None) \
            if self.focused is not None else None
        if focused is not None and all(m.field is not focused for m in messages):
            message = focused.take()
            messages += [message] if message is not None else []
        for message in messages:
            self.on_form_field_committed(message)

    def on_form_field_committed(self, message: FormField.Committed) -> None:
        target, value, doc = message.target, message.value, self.doc
        operations = {
            "rename": lambda: doc.rename(target.pointer, value if isinstance(value, str) else ""),
            "type": lambda: doc.set_type(target.pointer, value if isinstance(value, str) else ""),
            "inputs": lambda: doc.set_inputs(target.pointer, value),
            "field": lambda: doc.set_param(target.pointer, target.key, value, coalesce=True),
            "arg": lambda: doc.set_block_arg(target.pointer, target.key, value, coalesce=True),
        }
        # The field is marked if the edit is refused, unless its slot shows another field by now.
        field = message.field if message.field.target == target else None
        self.edit(operations[target.kind], field=field)

    def on_form_field_finished(self, message: FormField.Finished) -> None:
        if self.focused is not None and message.field in self.focused.ancestors_with_self:
            self.table.focus()  # still in the field the command opened: back to the table
            # Now, not once the blur has bubbled up to it (a frame later).
            self.inspector.mark_focus(inside=False)

    # -- commands: bindings, palette, disabled states ------------------------------------------

    def disabled_reason(self, action: str) -> str | None:
        """Why a command cannot run now, or None."""
        command = BY_ACTION.get(action)
        if command is not None and command.needs_valid and not self.doc.analysis.ok:
            count = len(self.doc.analysis.errors)
            return f"{command.title} needs a graph without errors: fix the {count} error(s) in Problems first."
        if action == "undo" and not self.doc.can_undo:
            return "Nothing to undo."
        if action == "redo" and not self.doc.can_redo:
            return "Nothing to redo."
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "explain_disabled":
            return self.disabled_reason(str(parameters[0])) is not None
        if action in BY_ACTION and self.disabled_reason(action) is not None:
            return None  # shown greyed out; the same key explains why
        return True

    def action_explain_disabled(self, action: str) -> None:
        reason = self.disabled_reason(action)
        if reason:
            self.notify(reason, title="Not available", severity="warning")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in COMMANDS:
            reason = self.disabled_reason(command.action)
            keys = f" ({key_text(command.keys)})" if command.keys else ""
            if reason:
                yield SystemCommand(command.title + keys, "Unavailable: " + reason,
                                    partial(self.action_explain_disabled, command.action))
            else:
                yield SystemCommand(command.title + keys, command.help,
                                    partial(self.run_action, command.action))
        yield from super().get_system_commands(screen)

    def action_focus_table(self) -> None:
        focused = self.focused
        if isinstance(focused, object) and focused is not None and self.inspector in focused.ancestors:
            for field in focused.ancestors:
                if isinstance(field, FormField):
                    field.revert()
                    break
        elif focused is self.table and self.selection_anchor is not None:
            self.end_row_selection()  # Escape in the table ends a selection (V)
        self.table.focus()
