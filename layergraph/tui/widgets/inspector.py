"""The inspector: the selected layer's shape, counts and problems, and its form.

Mounting widgets is by far the slowest thing the editor does (tens of milliseconds
for a convolution's thirty fields), and ResNet- or DenseNet-like graphs change layer
type at nearly every row. So the form is one pool of field slots, shared by every
layer: a cursor move gives the slots the new layer's fields (labels, editors, values)
and hides the slots it does not need; slots are only mounted when a layer needs more
than any before it. Invalid values are marked on their field with the checker's message.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.containers import VerticalScroll
from textual.widgets import Collapsible, Static

from ...compiler.analysis import Analysis
from ...editing.document import Document
from ...editing.forms import FieldSpec
from ...editing.rows import Row
from ...summary import human
from ..inspector_layout import Section, inspector_sections
from ..present import compact_shape
from .fields import FieldDef, FormField, Target
from .steady import SteadyStatic, SteadyVertical


class _Slots:
    """The field slots of one part of the form (shown in order; the unused ones hidden)."""

    def __init__(self, mount):
        self._mount = mount  # mounts new slots after the others
        self.slots: list[FormField] = []
        self.used = 0

    def show(self, items: list[tuple[str | None, FieldDef | None]], errors: dict[str, str],
             force: bool) -> list[FormField.Committed]:
        """Show ``items`` (a section title or None, a field or None: a title alone)."""
        left, new = [], []
        for index, (title, definition) in enumerate(items):
            if index == len(self.slots):
                slot = FormField(definition or _NO_FIELD)
                self.slots.append(slot)
                new.append(slot)
            else:
                slot = self.slots[index]
                if definition is not None:
                    commit = slot.show(definition, force)
                    if commit is not None:
                        left.append(commit)
            slot.set_title(title)
            slot.show_row(definition is not None)
            slot.set_error(_error_for(definition, errors) if definition is not None else None)
            if not slot.display:
                slot.display = True
        for slot in self.slots[len(items):self.used]:
            slot.display = False
        self.used = len(items)
        if new:
            self._mount(new)
        return left

    def fields(self) -> list[FormField]:
        return [slot for slot in self.slots[:self.used] if slot.has_field]


# What a slot shows before it has a field: a section without fields shows its title alone.
_NO_FIELD = FieldDef("", Target("field", ""), FieldSpec(""), "text")


def _items(sections: list[Section]) -> list[tuple[str | None, FieldDef | None]]:
    """A section's title goes above its first field (or alone, for a section without fields)."""
    items: list[tuple[str | None, FieldDef | None]] = []
    for section in sections:
        fields = section.fields or [None]
        items += [(section.title if i == 0 else None, d) for i, d in enumerate(fields)]
    return items


class Inspector(VerticalScroll):
    """Details and form of the selected row."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._marked = False  # the accent edge is shown (mark_focus)
        self._main = _Slots(lambda slots: self.query_one("#inspector-form").mount_all(
            slots, before=self.query_one("#inspector-more")))
        self._more = _Slots(lambda slots: self.query_one("#inspector-more").query_one(
            Collapsible.Contents).mount_all(slots))
        self.row: Row | None = None

    def compose(self):
        yield SteadyStatic(id="inspector-title")
        yield SteadyStatic(id="inspector-info")
        yield SteadyStatic(id="inspector-problems")
        with SteadyVertical(id="inspector-form"):
            more = Collapsible(title="More parameters", collapsed=True, id="inspector-more")
            more.display = False
            yield more

    # The accent edge shows that the focus is in the inspector. It is set here rather than by a
    # `:focus-within` rule: with such a rule Textual restyles every widget of the form at each
    # focus change, 0.3 s on a convolution's form.
    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.mark_focus()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.mark_focus()

    def mark_focus(self, inside: bool | None = None) -> None:
        """Show whether the focus is in the inspector (``inside``; None: as it is now)."""
        if inside is None:
            focused = self.screen.focused
            inside = focused is not None and self in focused.ancestors
        if inside == self._marked:
            return  # already shown (the blur of a field arrives after the app marked it)
        self._marked = inside
        if inside:
            self.styles.border_left = ("vkey", self.app.get_css_variables()["accent"])
        else:
            self.styles.clear_rule("border_left")
        self.refresh()

    def show(self, row: Row | None, doc: Document, names: list[str], force: bool = False) -> None:
        """Show ``row`` (None: nothing selected) as it is in ``doc`` now.

        ``force``: also replace the text of the field being typed in (after undo or redo).
        """
        self.row = row
        sections = inspector_sections(row, doc, names) if row is not None else []
        _show(self.query_one("#inspector-title", Static), _title(row))
        _show(self.query_one("#inspector-info", Static), _info(row, doc.analysis))
        problems = _problems(row)
        problems_widget = self.query_one("#inspector-problems", Static)
        _show(problems_widget, problems)
        if problems_widget.display != bool(problems):
            problems_widget.display = bool(problems)
        errors = _field_errors(doc.analysis)
        # The collapsed sections (initializers and the like) are folded away at the end.
        shown = [s for s in sections if not s.collapsed]
        folded = [s for s in sections if s.collapsed]
        left = self._main.show(_items(shown), errors, force)
        more_items = _items(folded)
        left += self._more.show([(None if i == 0 else title, d) for i, (title, d) in enumerate(more_items)],
                                errors, force)
        more = self.query_one("#inspector-more", Collapsible)
        if folded:
            title = f"{folded[0].title} ({sum(len(s.fields) for s in folded)})"
            if more.title != title:
                more.title = title
        if more.display != bool(folded):
            more.display = bool(folded)
        for message in left:  # typed in a field now showing another one: applied as on leaving it
            message.field.post_message(message)

    def field(self, field_id: str) -> FormField | None:
        """The field with this id (e.g. ``rename``, ``param:filters``), if shown."""
        for widget in self.fields():
            if widget.definition.id == field_id:
                return widget
        return None

    def fields(self) -> list[FormField]:
        """The fields of the form shown now."""
        return self._main.fields() + self._more.fields()

    def take_pending(self) -> list[FormField.Committed]:
        """Values still waiting for the typing pause (to apply before undo, save, quit)."""
        return [m for w in self._main.slots + self._more.slots
                if w.pending and (m := w.take()) is not None]


def _show(static: Static, content) -> None:
    """Update a Static only when its content changes (an update costs a layout)."""
    if getattr(static, "_shown", None) != content:
        static._shown = content
        static.update(content)


def _error_for(definition: FieldDef, errors: dict[str, str]) -> str | None:
    target: Target = definition.target
    candidates = {
        "rename": [target.pointer + "/name"],
        "type": [target.pointer + "/type"],
        "inputs": [target.pointer + "/inputs"] + [f"{target.pointer}/inputs/{i}" for i in range(16)],
        "field": [f"{target.pointer}/{target.key}"],
        "arg": [f"{target.pointer}/args/{target.key}"],
    }[target.kind]
    for pointer in candidates:
        if pointer in errors:
            return errors[pointer]
    return None


def _field_errors(analysis: Analysis) -> dict[str, str]:
    """The first message at each JSON pointer (so fields can show their own problem)."""
    errors: dict[str, str] = {}
    for d in analysis.diagnostics:
        if d.pointer:
            errors.setdefault(d.pointer, d.message + (f" — {d.hint}" if d.hint else ""))
    return errors


def _title(row: Row | None) -> Text:
    if row is None:
        return Text("No layer selected", style="dim")
    text = Text(row.name, style="bold")
    text.append(f" · {row.type}", style="")
    if row.block:
        text.append(f"\nin block use {row.block}", style="dim")
    return text


def _info(row: Row | None, analysis: Analysis) -> Text:
    if row is None or row.result is None:
        return Text("")
    result = row.result
    text = Text()
    if result.output_shape is not None:
        text.append(compact_shape(result.output_shape), style="bold")
        text.append(f"\n{result.param_count:,} params · {human(result.macs or 0, 'MAC')}", style="dim")
    else:
        text.append("shape unknown", style="dim")
    if result.inputs:
        text.append("\n← " + ", ".join(result.inputs), style="dim")
    consumers = analysis.consumers(result.name)
    if consumers:
        text.append("\n→ " + ", ".join(consumers), style="dim")
    return text


def _problems(row: Row | None) -> Text:
    text = Text()
    for d in row.diagnostics if row is not None else []:
        if text:
            text.append("\n")
        text.append(("✗ " if d.is_error else "! ") + d.message, style="red" if d.is_error else "yellow")
        if d.hint:
            text.append(f"\nhint: {d.hint}", style="italic")
    return text
