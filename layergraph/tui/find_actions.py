"""Finding layers in the table: ``/`` asks for a name or type, ``n``/``N`` go to the next/previous
match (a mixin of EditorApp). Matching is by part of the name or the type, in any case."""

from __future__ import annotations

from ..editing.rows import Row
from .screens.prompt import PromptScreen


def matches(row: Row, query: str) -> bool:
    """True when ``query`` is part of the row's name or type (case ignored)."""
    needle = query.lower()
    return needle in row.name.lower() or needle in row.type.lower()


class FindActions:
    """``/``, ``n`` and ``N`` (see the module docs)."""

    find_query: str = ""

    def action_find(self) -> None:
        def chosen(text: str | None) -> None:
            if text and text.strip():
                self.find_query = text.strip()
                self._find_step(1, include_current=True)
        self.push_screen(PromptScreen("Find a layer (name or type)", self.find_query), chosen)

    def action_find_next(self) -> None:
        self._find_step(1)

    def action_find_previous(self) -> None:
        self._find_step(-1)

    def _find_step(self, direction: int, include_current: bool = False) -> None:
        if not self.find_query:
            self.notify("Press / to search first.", severity="warning")
            return
        rows = self.rows
        current = self.table.cursor_row if rows else 0
        start = 0 if include_current else 1
        for offset in range(start, len(rows) + start):
            index = (current + direction * offset) % len(rows)
            if matches(rows[index], self.find_query):
                self.table.focus()
                self.table.select_key(rows[index].key)
                found = [r for r in rows if matches(r, self.find_query)]
                self.notify(f"'{self.find_query}': {found.index(rows[index]) + 1} of {len(found)}",
                            timeout=2)
                return
        self.notify(f"No layer matches '{self.find_query}'.", severity="warning")
