"""Editing and file actions of the editor (a mixin of EditorApp).

Structural edits work on the item that holds the selected row: a layer, a
block use (all its layers) or a model input. Every change goes through the
document, so it is undoable and references follow.
"""

from __future__ import annotations

from pathlib import Path

from ..editing import operations as ops
from ..editing.document import Document, DocumentError, FileChangedError, ReadOnlyError
from ..editing.forms import new_layer_params
from ..editing.names import references_to
from ..fileio import OutputError, OutputExistsError
from ..registry import get_registry
from .screens.add_layer import AddLayerScreen
from .screens.confirm import ConfirmScreen
from .screens.help import HelpScreen
from .screens.prompt import PromptScreen


class EditActions:
    """Add, delete, duplicate, move, rename, rewire, undo/redo, open, save, quit."""

    # -- structure -------------------------------------------------------------------

    def _insert_index(self, after: bool) -> int:
        row = self.selected_row
        if row is None or row.item_index is None:
            return 0  # on a model input (or nothing): the first layer
        return row.item_index + (1 if after else 0)

    def action_add_after(self) -> None:
        self._add(after=True)

    def action_add_before(self) -> None:
        self._add(after=False)

    def _add(self, after: bool) -> None:
        row = self.selected_row
        where = f"{'after' if after else 'before'} {row.name}" if row else "at the start"
        block = ops.block_position(row.pointer) if row is not None else None
        index = self._insert_index(after)

        def chosen(type_name: str | None) -> None:
            if not type_name:
                return
            params = new_layer_params(get_registry().get(type_name))
            if block is None:
                self.edit(self.doc.add_layer, index, type_name, params)
                return
            # A row of a block use: the layer goes into the block definition, next to that row.
            name, local = block
            outcome = self.edit(self.doc.add_block_layer, name, local + (1 if after else 0), type_name, params)
            if outcome is not None:
                self.select_in_use(outcome.select, row.block)
        self.push_screen(AddLayerScreen(where), chosen)

    def select_in_use(self, pointer: str | None, use: str | None) -> None:
        """Select the row made by block-definition item ``pointer`` within block use ``use``."""
        for candidate in self.rows:
            if candidate.pointer == pointer and candidate.block == use:
                self.table.select_key(candidate.key)
                self.show_inspector()
                return

    def action_delete(self) -> None:
        row = self.selected_row
        if row is None:
            return
        if self.in_block(row):
            self.delete_in_block(row)
            return
        outcome = self.doc.preview(ops.delete_item, row.item)
        names = set(self.doc.names.get(_item_key(row.item), []))
        users = [owner for owner, _ in references_to(self.doc.data, names)]
        consumers = {c for n in names for c in self.doc.analysis.consumers(n)} - names
        if not consumers and not users and len(names) <= 1:
            self.edit(self.doc.delete, row.item)
            return
        detail = "\n".join(outcome.notes) or "Layers that used it will take its input instead."
        if consumers:
            detail = f"Used by {', '.join(sorted(consumers))}.\n" + detail + "\n(Ctrl+Z undoes it.)"

        def answered(answer: str) -> None:
            if answer == "delete":
                self.edit(self.doc.delete, row.item)
        self.push_screen(ConfirmScreen(f"{outcome.label}?", [("delete", "Delete", "error"),
                                                             ("cancel", "Cancel", "default")], detail),
                         answered)

    def action_duplicate(self) -> None:
        row = self.selected_row
        if self.in_block(row):  # a row of a block use: its layer of the definition
            self.edit(self.doc.duplicate_block_layer, row.pointer)
        elif row is not None and row.item_index is not None:
            self.edit(self.doc.duplicate, row.item_index)
        elif row is not None:
            self.notify("Model inputs cannot be duplicated here.", severity="warning")

    def action_move_up(self) -> None:
        self._move(-1)

    def action_move_down(self) -> None:
        self._move(1)

    def _move(self, delta: int) -> None:
        row = self.selected_row
        if self.in_block(row):  # moves stay inside the block definition
            self.edit(self.doc.move_block_layer, row.pointer, delta)
        elif row is not None and row.item_index is not None:
            self.edit(self.doc.move, row.item_index, delta)

    def action_rename(self) -> None:
        self._focus_field("def:rename", "rename", "use:rename")  # a block row: its layer first

    def action_edit_inputs(self) -> None:
        self._focus_field("def:inputs", "inputs", "use:inputs")

    def action_edit_params(self) -> None:
        self.inspector.display = True
        fields = self.inspector.fields()
        values = [f for f in fields if f.definition.id.startswith("def:param:")] if self.in_block(
            self.selected_row) else []
        values = values or [f for f in fields if "param:" in f.definition.id or "arg:" in f.definition.id]
        target = (values or fields or [None])[0]
        if target is not None:
            target.focus_editor()  # the form is where this goes: Enter applies and stays there

    def action_toggle_inspector(self) -> None:
        self.inspector.display = not self.inspector.display

    def _focus_field(self, *ids: str) -> None:
        self.inspector.display = True
        for field_id in ids:
            field = self.inspector.field(field_id)
            if field is not None:
                field.focus_editor(from_table=True)
                return
        self.notify("This row has no such field.", severity="warning")

    def action_undo(self) -> None:
        self.flush_typing()
        self.edit(self._history, self.doc.undo, force=True)

    def action_redo(self) -> None:
        self.edit(self._history, self.doc.redo, force=True)

    def _history(self, step):
        undoing = step == self.doc.undo
        label = self.doc.undo_label if undoing else self.doc.redo_label
        select = step()
        return ops.Outcome(("Undo: " if undoing else "Redo: ") + (label or ""), select=select)

    def action_rename_graph(self) -> None:
        def chosen(name: str | None) -> None:
            if name:
                self.edit(self.doc.set_graph_name, name)
        self.push_screen(PromptScreen("Name of the graph", self.doc.analysis.name), chosen)

    def action_describe_graph(self) -> None:
        def chosen(text: str | None) -> None:
            if text is not None:
                self.edit(self.doc.set_description, "", text)
        self.push_screen(PromptScreen("Description of the graph", self.doc.analysis.description or ""),
                         chosen)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_focus_problems(self) -> None:
        self.query_one("#problems").focus()

    # -- files ------------------------------------------------------------------------------

    def action_save(self) -> None:
        self.flush_typing()
        if self.doc.path is None:
            self.action_save_as()
            return
        self.save_to(None)

    def save_to(self, path: Path | None, overwrite: bool = False, then=None) -> None:
        """Save (asking before overwriting a changed or existing file); ``then()`` runs on success."""
        try:
            written = self.doc.save(path, overwrite=overwrite)
        except FileChangedError:
            self._ask_overwrite_changed(then)
            return
        except OutputExistsError:
            def answered(answer: str) -> None:
                if answer == "overwrite":
                    self.save_to(path, overwrite=True, then=then)
            self.push_screen(ConfirmScreen(f"{path} exists. Replace it?",
                                           [("overwrite", "Replace", "error"), ("cancel", "Cancel", "default")]),
                             answered)
            return
        except ReadOnlyError as exc:
            self.notify(str(exc), title="Not saved", severity="error")
            self.action_save_as()  # offer another name at once
            return
        except (DocumentError, OutputError) as exc:
            self.notify(str(exc), title="Not saved", severity="error")
            return
        self.notify(f"Saved {written}")
        self.refresh_view()
        if then is not None:
            then()

    def _ask_overwrite_changed(self, then) -> None:
        def answered(answer: str) -> None:
            if answer == "overwrite":
                self.save_to(None, overwrite=True, then=then)
            elif answer == "reload":
                self.doc.reload()
                self.refresh_view(force=True)
                self.notify(f"Reloaded {self.doc.display_name}; your edits were discarded.")
        self.push_screen(ConfirmScreen(
            f"{self.doc.display_name} changed on disk since you opened it.",
            [("overwrite", "Overwrite", "error"), ("reload", "Reload theirs", "warning"),
             ("cancel", "Cancel", "default")],
            "Overwrite replaces their changes with yours; Reload discards your edits."), answered)

    def action_save_as(self) -> None:
        self.flush_typing()

        def chosen(text: str | None) -> None:
            if text:
                path = Path(text).expanduser()
                self.save_to(path, overwrite=self.doc.path is not None and path.resolve() == self.doc.path.resolve())
        default = str(self.doc.path) if self.doc.path else "untitled.json"
        self.push_screen(PromptScreen("Save as", default, paths=True), chosen)

    def action_open(self) -> None:
        self._unless_unsaved("Open another file", self._ask_open)

    def _ask_open(self) -> None:
        def chosen(text: str | None) -> None:
            if not text:
                return
            try:
                document = Document.open(Path(text).expanduser())
            except DocumentError as exc:
                self.notify(str(exc), title="Cannot open", severity="error")
                return
            self.doc = document
            self.refresh_view(force=True)
            self.table.move_cursor(row=0)
            self.notify(f"Opened {document.path}")
        folder = str(self.doc.path.parent) + "/" if self.doc.path else ""
        self.push_screen(PromptScreen("Open spec", folder, paths=True), chosen)

    async def action_quit(self) -> None:
        self._unless_unsaved("Quit", self.exit)

    def _unless_unsaved(self, title: str, proceed) -> None:
        """Run ``proceed()`` now, or after asking to save unsaved changes."""
        self.flush_typing()
        if not self.doc.modified:
            proceed()
            return

        def answered(answer: str) -> None:
            if answer == "save":
                if self.doc.path is None:
                    self.action_save_as()
                else:
                    self.save_to(None, then=proceed)
            elif answer == "discard":
                proceed()
        self.push_screen(ConfirmScreen(
            f"{self.doc.display_name} has unsaved changes. Save them first?",
            [("save", "Save", "primary"), ("discard", "Discard", "error"), ("cancel", "Cancel", "default")],
            f"{title}: Save writes the file first, Discard drops the edits."), answered)


def _item_key(pointer: str):
    section, index = pointer.split("/")[1:3]
    return section, int(index)

