"""The inspector: the selected layer's shape, counts and problems, and its form.

Mounting a form's widgets is by far the slowest thing the editor does (tens of
milliseconds for a convolution's thirty fields), so forms are kept: one per set
of fields (a layer type, as it is filled in), shown again with new values when
the cursor reaches a layer of that kind. Only the first layer of a kind builds.
Invalid values are marked on their field with the checker's message.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Collapsible, Static

from ...compiler.analysis import Analysis
from ...editing.document import Document
from ...editing.rows import Row
from ...summary import human
from ..inspector_layout import Section, inspector_sections
from ..present import compact_shape
from .fields import FieldDef, FormField, Target
from .steady import SteadyStatic, SteadyVertical


class _Form(SteadyVertical):
    """The kept form for one kind of layer; ``fields`` is known before it is mounted."""

    def __init__(self, widgets: list, fields: list[FormField]):
        super().__init__(*widgets, classes="inspector-fields")
        self.fields = fields


class Inspector(VerticalScroll):
    """Details and form of the selected row."""

    MAX_FORMS = 16  # kept forms (one per kind of layer); the least recently shown goes first

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._forms: dict[tuple, _Form] = {}  # by signature, least recently shown first
        self._current: _Form | None = None
        self.row: Row | None = None

    def compose(self):
        yield SteadyStatic(id="inspector-title")
        yield SteadyStatic(id="inspector-info")
        yield SteadyStatic(id="inspector-problems")
        yield SteadyVertical(id="inspector-form")

    # The accent edge shows that the focus is in the inspector. It is set here rather than by a
    # `:focus-within` rule: with such a rule Textual restyles every widget of every kept form
    # at each focus change, 0.3 s on a convolution's form.
    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._mark_focus()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._mark_focus()

    def _mark_focus(self) -> None:
        focused = self.screen.focused
        if focused is not None and self in focused.ancestors:
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
        _show(self.query_one("#inspector-problems", Static), problems)
        self.query_one("#inspector-problems", Static).display = bool(problems)
        errors = _field_errors(doc.analysis)
        signature = tuple((s.id, tuple((f.id, f.editor) for f in s.fields)) for s in sections)
        form = self._forms.pop(signature, None)
        if form is None:
            form = self._build(sections, errors)
        else:
            self._update(form, sections, errors, force)
        self._forms[signature] = form  # now the most recently shown
        if form is not self._current:
            if self._current is not None:
                self._current.display = False
            form.display = True
            self._current = form
        self._forget_old()

    def _update(self, form: _Form, sections: list[Section], errors: dict[str, str], force: bool) -> None:
        fields = {f.definition.id: f for f in form.fields}
        for section in sections:
            for title in form.query(f".section-{_css_id(section.id)}"):
                _show(title, section.title)
            for definition in section.fields:
                widget = fields.get(definition.id)
                if widget is not None:
                    widget.update(definition, force)
                    widget.set_error(_error_for(definition, errors))

    def _build(self, sections: list[Section], errors: dict[str, str]) -> _Form:
        widgets, all_fields = [], []
        for section in sections:
            title = Static(section.title, classes=f"section-title section-{_css_id(section.id)}")
            fields = [_field(d, errors) for d in section.fields]
            all_fields += fields
            if section.collapsed:
                widgets.append(Collapsible(title, *fields, title=f"{section.title} ({len(fields)})",
                                           collapsed=True))
            else:
                widgets += [title, *fields]
        form = _Form(widgets, all_fields)
        form.display = False
        self.query_one("#inspector-form", Vertical).mount(form)
        return form

    def _forget_old(self) -> None:
        # Only forms whose widgets have all finished mounting are removed: a Select removed
        # between its mount and its mount handler fails inside Textual (seen in a burst of
        # keys on a loaded machine). A form kept now goes at a later refresh.
        for signature in list(self._forms)[:max(0, len(self._forms) - self.MAX_FORMS)]:
            form = self._forms[signature]
            if form is not self._current and _mounted(form):
                del self._forms[signature]
                form.remove()

    def field(self, field_id: str) -> FormField | None:
        """The field with this id (e.g. ``rename``, ``param:filters``), if shown."""
        for widget in self.fields():
            if widget.definition.id == field_id:
                return widget
        return None

    def fields(self) -> list[FormField]:
        """The fields of the form shown now."""
        return list(self._current.fields) if self._current is not None else []

    def take_pending(self) -> list[FormField.Committed]:
        """Values still waiting for the typing pause (to apply before undo, save, quit)."""
        return [m for form in self._forms.values() for w in form.fields
                if w.pending and (m := w.take()) is not None]


def _mounted(form: Widget) -> bool:
    """Whether the form and every widget in it have run their mount handlers."""
    return all(widget.is_mounted for widget in form.walk_children(with_self=True))


def _show(static: Static, content) -> None:
    """Update a Static only when its content changes (an update costs a layout)."""
    if getattr(static, "_shown", None) != content:
        static._shown = content
        static.update(content)


def _field(definition: FieldDef, errors: dict[str, str]) -> FormField:
    widget = FormField(definition)
    widget.initial_error = _error_for(definition, errors)
    return widget


def _css_id(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text)


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
