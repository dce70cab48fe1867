"""DataTable cells rendered once per content, not once per table update.

Textual's DataTable keys its rendered cells on a counter that every
``update_cell`` bumps, so one changed cell makes every visible cell render
again through Rich (about 60 ms for the 40 rows on screen after an edit of a
ResNet50). This mixin keeps each cell's rendering for as long as the cell holds
the same object: the layer table replaces a cell's object when what it shows
changes, and never mutates one in place.
"""

from __future__ import annotations

from rich.style import Style
from textual.widgets import DataTable

# The component styles of cells that are not under the cursor or the mouse.
_COMPONENTS = ("datatable--even-row", "datatable--odd-row", "datatable--fixed")
MAX_CELLS = 20_000  # cells kept (a 700-layer graph has 4,200); beyond that all are forgotten


class CellRenderCache(DataTable):
    """A DataTable whose cell renderings survive updates of other cells."""

    def __init__(self, *args, **kwargs):
        # (row key, column key) → (the cell object rendered, {how it was rendered: lines});
        # set first: DataTable's constructor already clears caches.
        self._rendered: dict[tuple, tuple[object, dict]] = {}
        self._looked: tuple | None = None  # what the kept renderings were made with (_look)
        super().__init__(*args, **kwargs)

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False):
        if row_index < 0 or column_index < 0:  # the header and row labels: rarely drawn
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        cell = self._data[row_key][column_key]
        # Everything else Textual's own cache key holds, except its update counter; the row
        # index because the cell's style carries it (as meta for mouse clicks). The focus
        # state (pseudo-classes) only for the cursor and hover cells: only their component
        # styles depend on it (DataTable's CSS), the others' look is all in base_style.
        focus = self._pseudo_class_state if cursor or hover else None
        how = (row_index, base_style, width, cursor, hover, self._show_hover_cursor, self.show_cursor,
               focus, self.rows[row_key].height)
        kept = self._rendered.get((row_key, column_key))
        if kept is None or kept[0] is not cell:
            if len(self._rendered) >= MAX_CELLS:
                self._rendered.clear()
            kept = (cell, {})
            self._rendered[row_key, column_key] = kept
        lines = kept[1].get(how)
        if lines is None:
            lines = kept[1][how] = super()._render_cell(row_index, column_index, base_style, width,
                                                        cursor, hover)
        return lines

    def _clear_caches(self) -> None:
        super()._clear_caches()  # styles, padding, stripes, a cleared table: render anew
        self._rendered.clear()

    def notify_style_update(self) -> None:
        # Textual calls this after every restyle, a focus change included; only a new theme
        # or stylesheet changes how the cells look (the focus shows in the cursor cells,
        # whose keys hold it). Forgetting them all at each focus change cost ~70 ms.
        signature = self._look()
        if signature != self._looked:
            self._looked = signature
            self._rendered.clear()
        super().notify_style_update()

    def _look(self) -> tuple:
        """What the cells' rendering depends on besides their own key: theme and styles."""
        try:
            return (self.app.theme, id(self.app.stylesheet), self.rich_style,
                    *(self.get_component_rich_style(name, partial=True) for name in _COMPONENTS))
        except (KeyError, LookupError):  # not mounted yet (no app, no component styles)
            return (object(),)  # equal to nothing: the cells are forgotten, as before
