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


class FormField(Vertical):
    """A label and an editor for one value, and a line for its problem."""

    class Committed(Message):
        def __init__(self, field: "FormField", target: Target, value: Any):
            super().__init__()
            self.field, self.target, self.value = field, target, value

    def __init__(self, definition: FieldDef):
        super().__init__(classes="form-field")
        self.definition = definition
        self.current = definition.value
        self.initial_error: str | None = None
        self._timer: Timer | None = None
        self._sent: str | None = None  # the text of the last commit posted

    def on_mount(self) -> None:
        if self.initial_error:
            self.set_error(self.initial_error)

    @property
    def target(self) -> Target:
        return self.definition.target

    def compose(self):
        d = self.definition
        with Horizontal(classes="field-row"):
            yield Label(d.spec.key if d.editor != "list" else "inputs", classes="field-label")
            yield self._make_editor()
        yield Static("", classes="field-error")

    def _make_editor(self):
        d = self.definition
        tooltip = d.spec.type_text and f"{d.spec.type_text} · default {d.spec.default_text()}"
        if d.spec.description:
            tooltip = f"{d.spec.description}\n{tooltip}" if tooltip else d.spec.description
        if d.editor == "bool":
            value = self.current if isinstance(self.current, bool) else bool(d.spec.default)
            editor = Switch(value=value, classes="field-editor")
        elif d.editor == "choice":
            options = [(value_text(c), value_text(c)) for c in d.spec.choices]
            selected = value_text(self.current) if self.current is not UNSET else Select.NULL
            editor = Select(options, prompt=f"{d.spec.default_text()} (default)", allow_blank=True,
                            value=selected, compact=True, classes="field-editor")
        else:
            suggester = NameSuggester(d.suggestions, last_token=d.editor == "list") if d.suggestions else None
            editor = Input(self._text(self.current), placeholder=d.placeholder, compact=True,
                           suggester=suggester, classes="field-editor", type=d.input_type)
        editor.tooltip = tooltip or None
        return editor

    @property
    def editor(self):
        return self.query_one(".field-editor")

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

    def update(self, definition: FieldDef) -> None:
        """Show a new document value (and target); never posts a commit."""
        self.definition = definition
        self.current = definition.value
        editor = self.editor
        if isinstance(editor, Input):
            editor.placeholder = definition.placeholder
            if isinstance(editor.suggester, NameSuggester):
                editor.suggester.names = list(definition.suggestions)
            # Keys typed after a commit was sent may reach the input before the app applies
            # that commit: the newer text must win (it is committed after the next pause).
            typed_since = editor.has_focus and self._sent is not None and editor.value != self._sent
            shows_it = editor.has_focus and self._same(self._safe_parse(editor.value), self.current)
            if not (typed_since or shows_it):
                with editor.prevent(Input.Changed):
                    editor.value = self._text(self.current)
        elif isinstance(editor, Switch):
            with editor.prevent(Switch.Changed):
                editor.value = self.current if isinstance(self.current, bool) else bool(definition.spec.default)
        elif isinstance(editor, Select):
            with editor.prevent(Select.Changed):
                editor.value = value_text(self.current) if self.current is not UNSET else Select.NULL

    def _safe_parse(self, text: str) -> Any:
        try:
            return self._parse(text)
        except ValueError:
            return object()

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
        error = self.query_one(".field-error", Static)
        error.update(message or "")
        self.set_class(bool(message), "-invalid")

    def focus_editor(self) -> None:
        editor = self.editor
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
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
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
        self._sent = editor.value if isinstance(editor, Input) else None
        return self.Committed(self, self.target, value)

    @property
    def pending(self) -> bool:
        return self._timer is not None

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self.definition.editor in ("json", "text") and self.definition.target.kind in ("field", "arg"):
            if self._timer is not None:
                self._timer.stop()
            self._timer = self.set_timer(TYPING_PAUSE, self.commit)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.commit()

    @on(Switch.Changed)
    @on(Select.Changed)
    def _chosen(self, event) -> None:
        event.stop()
        self.commit()

    def on_descendant_blur(self) -> None:
        if isinstance(self.editor, Input):
            self.commit()
            self._sent = None

    def revert(self) -> None:
        """Forget what was typed and show the document value again."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.update(self.definition)
        self.set_error(None)
