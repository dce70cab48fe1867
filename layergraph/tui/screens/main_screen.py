"""The editor's main screen: a focus change repaints the widgets it concerns, not the screen.

Textual's Screen keeps the focused widget in a reactive that repaints the whole screen
when it changes: every focus move (``e`` into the form, Escape back to the table, Tab
between fields) composed all of the screen again, 30–80 ms on a ResNet50. Nothing
drawn depends on the screen's repaint there: the widgets that gain and lose the focus
restyle and repaint themselves (their ``:focus`` styles), the inspector redraws its
accent edge (Inspector.mark_focus) and the footer its keys.
"""

from __future__ import annotations

from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget


class MainScreen(Screen):
    """The default screen of the editor (see the module docs)."""

    # Textual 8.2.8: Screen.focused = Reactive(None); the same without the repaint (its
    # watcher, which refreshes the bindings, still runs).
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
