"""Widgets whose content size changing does not ask for another layout.

After every layout Textual gives each widget its new virtual (content) size,
and a widget whose virtual size changed asks for a layout of the whole screen
again, a frame later (15–25 ms on a ResNet50). For a widget that does not
scroll, the virtual size is only a record of the layout just done: nothing is
placed by it, so the second layout changes nothing. These widgets take it
without asking for one, nor for a repaint (their look does not depend on it).

Scrolling widgets (ScrollView: the layer table, the problems list) have the twin
problem: on every layout Textual's ScrollView compares the compositor's virtual
size for it (its container's, as it has no children) with its own, which always
differ, and repaints its scrollbars, a frame after the one showing the change.
"""

from __future__ import annotations

from textual.containers import Vertical
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Static


class SteadyVertical(Vertical):
    """A non-scrolling Vertical that does not relayout when its content size changes."""

    virtual_size = Reactive(Size(0, 0), layout=False, repaint=False)


class SteadyStatic(Static):
    """A Static that does not relayout when its content size changes (its updates still do)."""

    virtual_size = Reactive(Size(0, 0), layout=False, repaint=False)


class SteadyScrollbars:
    """For a ScrollView subclass: a layout that changes neither its size nor its own virtual
    size leaves the scrollbars as they are (see the module docs)."""

    _scrollbars_for: tuple | None = None  # (size, virtual size, container size) last shown

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        seen = (size, self.virtual_size, container_size)
        if seen == self._scrollbars_for:
            return False
        self._scrollbars_for = seen
        return super()._size_updated(size, virtual_size, container_size, layout)
