"""A question with a few answers (buttons); Escape answers "cancel", which also has the focus."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[str]):
    """Ask ``question``; dismisses with the id of the chosen answer."""

    BINDINGS = [Binding("escape", "answer('cancel')", "Cancel"),
                Binding("left", "app.focus_previous", show=False),
                Binding("right", "app.focus_next", show=False)]

    def __init__(self, question: str, answers: list[tuple[str, str, str]], detail: str = ""):
        """``answers``: (id, label, variant) — variant is Textual's button variant."""
        super().__init__(classes="modal")
        self.question, self.answers, self.detail = question, answers, detail

    def compose(self):
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-title")
            if self.detail:
                yield Static(self.detail, classes="dialog-detail")
            keys = " · ".join(f"{label[0].upper()} {label.lower()}" for _, label, _ in self.answers)
            yield Static(f"{keys} · or Tab/←→ and Enter", classes="dialog-detail")
            with Horizontal(classes="dialog-buttons"):
                for answer_id, label, variant in self.answers:
                    yield Button(label, id=f"answer-{answer_id}", variant=variant)

    def on_mount(self) -> None:
        # Enter right away must not destroy anything: the safe answer (Cancel) has the focus.
        safe = [b for b in self.query(Button) if b.id == "answer-cancel"]
        (safe or [self.query(Button).first()])[0].focus()

    def on_key(self, event) -> None:
        """The first letter of an answer chooses it (S for Save, D for Discard…)."""
        for answer_id, label, _ in self.answers:
            if event.character and event.character.lower() == label[0].lower():
                event.stop()
                self.dismiss(answer_id)
                return

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id.removeprefix("answer-"))

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)
