"""Blocks and the graph's inputs and outputs in the editor (a mixin of EditorApp).

A row of a block use stands for a layer of the block definition: deleting,
duplicating or moving it edits the definition, so every use, and the editor says
how many uses that changes. ``V`` starts selecting a run of top-level layers that
``b`` makes into a block; ``I`` inlines a block use; ``o``/``O`` choose the graph's
outputs; the palette adds model inputs and sets their shapes.
"""

from __future__ import annotations

from ..editing import blocks, operations as ops
from ..editing.forms import parse_shape
from ..editing.names import all_names
from ..editing.rows import Row
from ..fmt import fmt_shape
from .screens.confirm import ConfirmScreen
from .screens.prompt import PromptScreen


class BlockActions:
    """See the module docs."""

    selection_anchor: str | None = None  # the row key where V started a selection

    # -- rows of a block use: their layer of the block definition --------------------------

    @staticmethod
    def in_block(row: Row | None) -> bool:
        """True for a row made by a layer of a block definition (through a block use)."""
        return row is not None and ops.block_position(row.pointer) is not None

    def uses_of(self, pointer: str) -> str:
        """``changes 2 uses``: how far an edit of the block layer at ``pointer`` reaches."""
        block = ops.block_position(pointer)[0]
        return ops.uses_text(ops.count_uses(self.doc.analysis, self.doc.data, block))

    def delete_in_block(self, row: Row) -> None:
        """Ask, then delete the row's layer from the block definition, or the whole use."""
        try:
            outcome = self.doc.preview(blocks.delete_block_layer, row.pointer)
        except ops.EditError as exc:
            self.notify(f"{exc}.", title="Cannot delete from the block", severity="warning")
            outcome = None
        use = self.doc.item(row.item).get("name", row.block)
        answers = [("use", "Whole use", "warning"), ("cancel", "Cancel", "default")]
        if outcome is not None:
            answers.insert(0, ("block", "Delete from block", "error"))
        question = (f"{outcome.label}? This {self.uses_of(row.pointer)}." if outcome is not None
                    else f"Delete block use '{use}'?")
        # The first note is the every-use one, which the question says already.
        detail = "\n".join(outcome.notes[1:] if outcome is not None else [])
        detail += f"\nWhole use deletes block use '{use}' instead (Ctrl+Z undoes either)."

        def answered(answer: str) -> None:
            if answer == "block":
                self.edit(self.doc.delete_block_layer, row.pointer)
            elif answer == "use":
                self.edit(self.doc.delete, row.item)
        self.push_screen(ConfirmScreen(question, answers, detail.strip()), answered)

    # -- selecting a run of layers, making a block of it -------------------------------------

    def action_select_rows(self) -> None:
        if self.selection_anchor is not None:
            self.end_row_selection()
            return
        row = self.selected_row
        if row is None or row.item_index is None:
            self.notify("Model inputs cannot go into a block: start on a layer.", severity="warning")
            return
        self.selection_anchor = row.key
        self.show_selection()
        self.notify("Move with ↑/↓ to select layers; b makes a block of them, V or Escape stops.",
                    title="Selecting layers", timeout=4)

    def end_row_selection(self) -> None:
        self.selection_anchor = None
        self.show_selection()

    def selected_items(self) -> tuple[int, int] | None:
        """The first and last top-level item of the selection (without one: the current row's)."""
        current = self.selected_row
        anchor = self._row_index.get(self.selection_anchor) if self.selection_anchor else None
        indices = [r.item_index for r in (current, anchor or current) if r is not None]
        if not indices or None in indices:
            return None
        return min(indices), max(indices)

    def show_selection(self) -> None:
        """Mark the selected rows in the table (every row of the items selected)."""
        span = self.selected_items() if self.selection_anchor is not None else None
        if span is None and self.selection_anchor is not None and self.selection_anchor not in self._row_index:
            self.selection_anchor = None  # its layer went away (an edit, undo)
        keys = {r.key for r in self.rows if span and r.item_index is not None
                and span[0] <= r.item_index <= span[1]}
        self.table.mark_rows(keys)

    def action_make_block(self) -> None:
        span = self.selected_items()
        if span is None:
            self.notify("Select layers first (V, then ↑/↓): model inputs cannot go into a block.",
                        title="Make block", severity="warning")
            return
        start, end = span
        layers = self.doc.data["layers"]
        names = [i.get("name", "?") if isinstance(i, dict) else "?" for i in layers[start:end + 1]]
        taken = set(self.doc.data.get("blocks") or {})
        default = ops.unique_name(blocks.shared_prefix(names) or "block", taken)
        try:  # a run that cannot be a block is refused before its name is asked
            self.doc.preview(blocks.make_block, start, end, default)
        except ops.EditError as exc:
            self.notify(f"{exc}.", title="Cannot make a block", severity="error")
            return

        def problem(name: str) -> str | None:
            try:
                self.doc.preview(blocks.make_block, start, end, name)
            except ops.EditError as exc:
                return str(exc)
            return None

        def chosen(name: str | None) -> None:
            if name and self.edit(self.doc.make_block, start, end, name) is not None:
                self.end_row_selection()
        span_text = names[0] if start == end else f"{names[0]} … {names[-1]}"
        self.push_screen(PromptScreen(f"Make a block of {end - start + 1} layer(s), {span_text}: "
                                      "name of the block", default, check=problem), chosen)

    def action_inline_block(self) -> None:
        row = self.selected_row
        item = self.doc.item(row.item) if row is not None else None
        if row is None or row.item_index is None or not isinstance(item, dict) or "block" not in item:
            self.notify("Select a row of a block use to inline it.", title="Inline block use",
                        severity="warning")
            return
        self.edit(self.doc.inline_block, row.item_index)

    # -- the graph's outputs and inputs -----------------------------------------------------

    def action_toggle_output(self) -> None:
        row = self.selected_row
        if row is not None:
            self.edit(self.doc.toggle_output, row.name)

    def action_set_outputs(self) -> None:
        def problem(text: str) -> str | None:
            try:
                self.doc.preview(ops.set_outputs, _output_list(text))
            except ops.EditError as exc:
                return str(exc)
            return None

        def chosen(text: str | None) -> None:
            if text:
                self.edit(self.doc.set_outputs, _output_list(text))
        current = ", ".join(self.doc.analysis.outputs)
        self.push_screen(PromptScreen("Outputs of the graph, comma-separated (last: its last layer)",
                                      current, check=problem), chosen)

    def action_add_input(self) -> None:
        taken = all_names(self.doc.names)

        def name_problem(name: str) -> str | None:
            try:
                ops.check_name(name)
            except ops.EditError as exc:
                return str(exc)
            return f"a layer named '{name}' exists already" if name in taken else None

        def named(name: str | None) -> None:
            def shaped(text: str | None) -> None:
                if text:
                    self.edit(self.doc.add_input, name, parse_shape(text))
            if name:
                self.push_screen(PromptScreen(f"Shape of input '{name}' (one sample, e.g. 28, 28, 1)",
                                              "", check=_shape_problem), shaped)
        self.push_screen(PromptScreen("Name of the new model input", ops.unique_name("input", taken),
                                      check=name_problem), named)

    def action_set_input_shape(self) -> None:
        row = self.selected_row
        if row is None or not row.item.startswith("/inputs/"):
            self.notify("Select a model input (the first rows of the table).", title="Set input shape",
                        severity="warning")
            return
        shape = self.doc.item(row.item).get("shape")

        def chosen(text: str | None) -> None:
            if text:
                self.edit(self.doc.set_param, row.item, "shape", parse_shape(text))
        self.push_screen(PromptScreen(f"Shape of input '{row.name}' (one sample, e.g. 28, 28, 1)",
                                      fmt_shape(shape).strip("(,)") if isinstance(shape, list) else "",
                                      check=_shape_problem), chosen)


def _shape_problem(text: str) -> str | None:
    try:
        parse_shape(text)
    except ops.EditError as exc:
        return str(exc)
    return None


def _output_list(text: str) -> list[str] | None:
    """What the outputs prompt means: names, or None for ``last`` (the last layer)."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    return None if names in ([], ["last"]) else names
