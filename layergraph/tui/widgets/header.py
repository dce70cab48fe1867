"""The header line: graph name, file, modified marker, totals and problem count."""

from __future__ import annotations

from rich.text import Text
from textual.containers import Horizontal
from textual.widgets import Static

from ...editing.document import Document
from ..present import problems_text, totals_text


class GraphHeader(Horizontal):
    """``AlexNet  alexnet.json ● modified      62.38 M params · 1.14 GMAC · ✓ no problems``"""

    def compose(self):
        yield Static(id="header-left")
        yield Static(id="header-right")

    def show(self, doc: Document) -> None:
        analysis = doc.analysis
        left = Text(" " + (analysis.name or "model"), style="bold")
        left.append(f"  {doc.display_name}", style="dim")
        if doc.modified:
            left.append("  ● modified", style="bold yellow")
        right = Text(totals_text(analysis) + "  ")
        right.append_text(problems_text(analysis))
        right.append(" ")
        self.query_one("#header-left", Static).update(left)
        self.query_one("#header-right", Static).update(right)
