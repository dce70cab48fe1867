"""The problems panel: every diagnostic of the graph; Enter jumps to its layer."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...compiler.analysis import Analysis
from ...editing.rows import Row, row_for, sorted_problems
from ..present import problem_line
from .steady import SteadyScrollbars


class ProblemsPanel(SteadyScrollbars, OptionList):
    """Errors first, then warnings."""

    class Jump(Message):
        """Go to the row with this key."""

        def __init__(self, key: str):
            super().__init__()
            self.key = key

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.keys: list[str | None] = []
        self._shown: list[str] | None = None

    def show(self, analysis: Analysis, rows: list[Row]) -> None:
        problems = sorted_problems(analysis)
        lines = [problem_line(d) for d in problems]
        plain = [line.plain for line in lines]
        self.border_title = f"Problems ({len(problems)})" if problems else "Problems"
        if plain == self._shown:
            return
        self._shown = plain
        self.keys = [(row.key if (row := row_for(d, rows)) else None) for d in problems]
        highlighted = self.highlighted
        self.clear_options()
        if not problems:
            self.add_option(Option(Text("✓ No problems: every shape and count is known.", style="green"),
                                   disabled=True))
            return
        self.add_options([Option(line) for line in lines])
        self.highlighted = min(highlighted or 0, len(lines) - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = self.keys[event.option_index] if event.option_index < len(self.keys) else None
        if key is not None:
            self.post_message(self.Jump(key))
        else:
            self.app.notify("This problem is about the whole spec, not one layer.")
