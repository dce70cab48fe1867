"""One labelled form field: a text input, a switch or a select, with its error line.

A field knows the document value it shows and posts :class:`FormField.Committed`
only when the user changed it: typed values after a short pause (so the graph
is re-checked while typing without blocking it), names and inputs on Enter or
when focus leaves. Setting a value from the document never posts anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from textual import on
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.suggester import Suggester
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, Switch

from ...editing.forms import FieldSpec, parse_text, value_text
from ...editing.jsonlayout import canonical
from ...editing.operations import UNSET

TYPING_PAUSE = 0.4  # seconds of no typing before a value is applied


@dataclass(frozen=True)
class Target:
    """Where a field's value goes: kind is rename, type, inputs, field (a key of the item) or arg."""

    kind: str
    pointer: str
    key: str = ""


@dataclass
class FieldDef:
    """A field to show (see inspector_layout)."""

    id: str
    target: Target
    spec: FieldSpec
    editor: str  # "json", "text", "list", "bool" or "choice"
    value: Any = UNSET
    placeholder: str = ""
    suggestions: Sequence[str] = ()
    input_type: str = "text"  # Textual's Input type: "integer" and "number" refuse letters


class NameSuggester(Suggester):
    """Completes the last comma-separated name (for inputs) or the whole text."""

    def __init__(self, names: Sequence[str] = (), last_token: bool = False):
        super().__init__(use_cache=False, case_sensitive=True)
        self.names = list(names)
        self.last_token = last_token

    async def get_suggestion(self, value: str) -> str | None:
        head, _, token = value.rpartition(",") if self.last_token else ("", "", value)
        token = token.lstrip()
        if not token:
            return None
        for name in self.names:
            if name.startswith(token) and name != token:
                return value + name[len(token):]
        return None


def editor_kind(definition: FieldDef) -> str:
    """Which editor widget shows ``definition``: a switch, a select, or an input of a type."""
    if definition.editor == "bool":
        return "switch"
    if definition.editor == "choice":
        return "select"
    return "input:" + definition.input_type


class FormField(Vertical):
    """A slot of the inspector's form: a section title, a label and an editor, and an error line.

    A slot shows one field at a time and is given another one (of any layer type) with
    :meth:`show`: mounting widgets is the slowest thing the editor does, so the inspector
    keeps one pool of slots for every layer instead of a form per kind of layer. A slot
    keeps the editors it has needed (an input per input type, a switch, a select) and
    displays the one the field needs.
    """

    class Committed(Message):
        def __init__(self, field: "FormField", target: Target, value: Any):
            super().__init__()
            self.field, self.target, self.value = field, target, value

    class Finished(Message):
        """Enter in a field that a one-field table command opened (``r``, ``i``): the edit
        is done and the keys that follow are table commands again."""

        def __init__(self, field: "FormField"):
            super().__init__()
            self.field = field

    def __init__(self, definition: FieldDef):
        super().__init__(classes="form-field")
        self.definition = definition
        self.current = definition.value
        self._timer: Timer | None = None
        self._opened_from_table = False  # Enter then hands the keys back to the table
        self._choices_shown: tuple | None = None  # (choices, prompt) of the select, once made
        # Built now, not in compose: a refresh may update a field before it is mounted.
        self._title = Static("", classes="section-title")
        self._title.display = False
        self._title_text = ""
        self._label = Label(self._label_text(definition), classes="field-label")
        self._editors: dict[str, Widget] = {}
        self._kind = editor_kind(definition)
        self._editors[self._kind] = self._make_editor()
        self._row = Horizontal(self._label, self._editors[self._kind], classes="field-row")
        self._error = Static("", classes="field-error")
        self._error_text = ""
        self.has_field = True  # False: the slot shows a section title alone
        self._height: int | str = "auto"  # as .form-field in app.tcss

    @property
    def target(self) -> Target:
        return self.definition.target

    def compose(self):
        yield self._title
        yield self._row
        yield self._error

    @staticmethod
    def _label_text(definition: FieldDef) -> str:
        return definition.spec.key if definition.editor != "list" else "inputs"

    def _make_editor(self):
        d = self.definition
        if d.editor == "bool":
            value = self.current if isinstance(self.current, bool) else bool(d.spec.default)
            editor = Switch(value=value, classes="field-editor")
        elif d.editor == "choice":
            editor = Select(self._options_for(d), prompt=self._prompt_for(d), allow_blank=True,
                            value=self._choice_for(d), compact=True, classes="field-editor")
            self._choices_shown = (d.spec.choices, self._prompt_for(d))
        else:
            # Empty means the default, which is valid: without valid_empty an empty number field
            # is tinted as an error, and a slot going from a number to empty restyles its input.
            editor = Input(self._text(self.current), placeholder=d.placeholder, compact=True,
                           suggester=self._suggester_for(d), classes="field-editor", type=d.input_type,
                           valid_empty=True)
        editor.tooltip = self._tooltip_for(d)
        return editor

    @staticmethod
    def _tooltip_for(d: FieldDef) -> str | None:
        tooltip = d.spec.type_text and f"{d.spec.type_text} · default {d.spec.default_text()}"
        if d.spec.description:
            tooltip = f"{d.spec.description}\n{tooltip}" if tooltip else d.spec.description
        return tooltip or None

    @staticmethod
    def _suggester_for(d: FieldDef) -> "NameSuggester | None":
        return NameSuggester(d.suggestions, last_token=d.editor == "list") if d.suggestions else None

    @staticmethod
    def _options_for(d: FieldDef) -> list[tuple[str, str]]:
        return [(value_text(c), value_text(c)) for c in d.spec.choices]

    @staticmethod
    def _prompt_for(d: FieldDef) -> str:
        return f"{d.spec.default_text()} (default)"

    @staticmethod
    def _choice_for(d: FieldDef):
        return value_text(d.value) if d.value is not UNSET else Select.NULL

    @property
    def editor(self):
        return self._editors[self._kind]

    # -- which field the slot shows ---------------------------------------------------

    def show(self, definition: FieldDef, force: bool = False) -> "FormField.Committed | None":
        """Show ``definition``, which may be another field than the one shown until now.

        For another field the slot is set up again (label, editor, hints) and shows its
        value even if focused. What was typed in the previous one and not yet applied is
        returned as its commit (as if the focus had left it), for the caller to post.
        """
        same_field = definition.id == self.definition.id
        if same_field and (editor_kind(definition) == self._kind or self.has_focus_within):
            # The editor being typed in stays even if the new value wants another one (a number
            # field now holding text, "-" applied at a typing pause): swapping editors would
            # send the next keys to a hidden widget.
            self.update(definition, force)
            return None
        left = self.take() if self.pending or self.has_focus_within else None
        self.definition = definition
        self.current = definition.value
        self._set_up(definition)
        self.update(definition, force=True)
        return left

    def _set_up(self, d: FieldDef) -> None:
        """Label, editor and hints for field ``d`` (each changed only if it differs: a change
        costs a layout, a restyle or both)."""
        label = self._label_text(d)
        if str(self._label.content) != label:
            self._label.update(label)
        kind = editor_kind(d)
        if kind != self._kind:
            old = self.editor
            if kind not in self._editors:
                self._editors[kind] = self._make_editor()
                self._row.mount(self._editors[kind])
            else:
                self._editors[kind].display = True
            old.display = False
            self._kind = kind
            if old.has_focus:  # the structure changed under the user: the keys follow the field
                self._editors[kind].focus()
        editor = self.editor
        tooltip = self._tooltip_for(d)
        if editor.tooltip != tooltip:
            editor.tooltip = tooltip
        if isinstance(editor, Input):
            suggester = editor.suggester
            if not d.suggestions or suggester is None or suggester.last_token != (d.editor == "list"):
                editor.suggester = self._suggester_for(d)  # update() gives an existing one its names
        elif isinstance(editor, Select) and self._choices_shown != (d.spec.choices, self._prompt_for(d)):
            self._choices_shown = (d.spec.choices, self._prompt_for(d))
            editor.prompt = self._prompt_for(d)
            with editor.prevent(Select.Changed):
                editor.set_options(self._options_for(d))

    def set_title(self, title: str | None) -> None:
        """Show ``title`` (a section's) above the field, or no title."""
        if (title or "") != self._title_text:
            self._title_text = title or ""
            self._title.update(self._title_text)
        if self._title.display != bool(title):
            self._title.display = bool(title)
        self._fit_height()

    def show_row(self, shown: bool) -> None:
        """Show the label and editor, or only the title (a section without fields)."""
        self.has_field = shown
        if self._row.display != shown:
            self._row.display = shown
        self._fit_height()

    def _fit_height(self) -> None:
        """One line for a field without title or error (most of them), else as high as its
        content: an auto height makes every layout measure the field's children."""
        height = 1 if self.has_field and not self._title_text and not self._error_text else "auto"
        if self._height != height:
            self._height = height
            self.styles.height = height

    # -- values ------------------------------------------------------------------

    def _text(self, value: Any) -> str:
        editor = self.definition.editor
        if value is UNSET or value is None and editor in ("text", "list"):
            return ""
        if editor == "list":
            return ", ".join(map(str, value)) if isinstance(value, list) else value_text(value)
        if editor == "text" and isinstance(value, str):
            return value
        return value_text(value)

    def _parse(self, text: str) -> Any:
        editor = self.definition.editor
        if editor == "list":
            names = [t.strip() for t in text.split(",") if t.strip()]
            return names or None
        if editor == "text":
            return text if text.strip() else UNSET
        return parse_text(text)

    def update(self, definition: FieldDef, force: bool = False) -> None:
        """Show a new document value (and target); never posts a commit.

        The field being typed in keeps its text: a refresh (after a value is applied,
        or a cursor move) must never overwrite what the user is typing. ``force`` (undo,
        redo, reload: the document changed under the user) shows the new value anyway.
        """
        self.definition = definition
        self.current = definition.value
        editor = self.editor
        if isinstance(editor, Input):
            if editor.placeholder != definition.placeholder:
                editor.placeholder = definition.placeholder
            if isinstance(editor.suggester, NameSuggester):
                editor.suggester.names = list(definition.suggestions)
            if force or not editor.has_focus:
                self._stop_timer()
                text = self._text(self.current)
                if editor.value != text:
                    # Without its suggester meanwhile: Textual starts a worker to find a completion
                    # for every value set, typed or not (two per cursor move, each with messages).
                    suggester, editor.suggester = editor.suggester, None
                    try:
                        with editor.prevent(Input.Changed):
                            editor.value = text
                    finally:
                        editor.suggester = suggester
        elif isinstance(editor, Switch):
            value = self.current if isinstance(self.current, bool) else bool(definition.spec.default)
            if editor.value != value:
                with editor.prevent(Switch.Changed):
                    editor.value = value
        elif isinstance(editor, Select):
            value = value_text(self.current) if self.current is not UNSET else Select.NULL
            if editor.value != value:
                with editor.prevent(Select.Changed):
                    editor.value = value

    @staticmethod
    def _same(a: Any, b: Any) -> bool:
        if a is UNSET or b is UNSET:
            return a is b
        try:
            return canonical(a) == canonical(b)
        except (TypeError, ValueError):
            return False

    def set_error(self, message: str | None) -> None:
        """Mark the field invalid with a message, or clear the mark."""
        if (message or "") == self._error_text:
            return  # restyling a field costs milliseconds: a form has dozens
        self._error_text = message or ""
        self._error.update(self._error_text)
        self._fit_height()
        # Before the mount the styles are applied anyway: restyling now would be wasted.
        self.set_class(bool(message), "-invalid", update=self.is_mounted)

    def focus_editor(self, *, from_table: bool = False) -> None:
        """Focus the field's editor; ``from_table``: a one-field table command opened it, so
        Enter applies the value and gives the focus back to the table (``r abc ⏎ ↓ r def ⏎``
        renames two layers)."""
        editor = self.editor
        self._opened_from_table = from_table
        editor.focus()
        if isinstance(editor, Input):
            editor.select_all()

    # -- committing ----------------------------------------------------------------

    def commit(self) -> None:
        """Apply what the user typed now (pending typing included)."""
        message = self.take()
        if message is not None:
            self.post_message(message)

    def take(self) -> "FormField.Committed | None":
        """The commit for what was typed, if it differs from the document (not posted)."""
        self._stop_timer()
        editor = self.editor
        if isinstance(editor, Input):
            try:
                value = self._parse(editor.value)
            except ValueError as exc:
                self.set_error(str(exc))
                return None
        elif isinstance(editor, Switch):
            # Switching back to the Keras default removes the key instead of spelling it out.
            value = UNSET if editor.value == self.definition.spec.default else editor.value
        else:
            value = UNSET if editor.value is Select.NULL else parse_text(str(editor.value))
        if self._same(value, self.current):
            return None
        return self.Committed(self, self.target, value)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    @property
    def pending(self) -> bool:
        return self._timer is not None

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self.definition.editor in ("json", "text") and self.definition.target.kind in ("field", "arg"):
            self._stop_timer()
            self._timer = self.set_timer(TYPING_PAUSE, self.commit)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.commit()
        if self._opened_from_table:
            self._opened_from_table = False
            self.post_message(self.Finished(self))  # after the commit: the app applies it first

    @on(Switch.Changed)
    @on(Select.Changed)
    def _chosen(self, event) -> None:
        event.stop()
        self.commit()

    def on_descendant_blur(self) -> None:
        self._opened_from_table = False  # Tab or a click moved on: the form is being browsed
        if isinstance(self.editor, Input):
            self.commit()

    def revert(self) -> None:
        """Forget what was typed and show the document value again."""
        self.update(self.definition, force=True)
        self.set_error(None)
