"""The layer table: one DataTable row per layer, with the DAG drawn in the first column.

Updating after an edit touches only the cells that changed when the rows are
the same (and only those are rendered again, see cell_cache); when rows were
added, removed or moved the table is refilled and the cursor stays on the same
layer.
"""

from __future__ import annotations

from typing import Callable

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets.data_table import CellDoesNotExist, ColumnKey, RowKey

from ...editing.rows import Row
from ..commands import bindings
from ..lanes import graph_lanes
from ..present import params_text, row_cells
from .cell_cache import CellRenderCache
from .steady import SteadyScrollbars

MARKED = Style(bgcolor="#264f78")  # rows selected to become a block (V)
COLUMNS = (("graph", ""), ("name", "Name"), ("type", "Type"), ("shape", "Output shape"),
           ("params", "Params".rjust(6)), ("status", ""))


class LayerTable(SteadyScrollbars, CellRenderCache):
    """The layers of the graph (see the module docs)."""

    BINDINGS = [*bindings("table"), Binding("q", "app.quit", "Quit", show=False),
                Binding("home,g", "first_row", "First layer", show=False),
                Binding("end,G", "last_row", "Last layer", show=False)]

    def __init__(self, **kwargs):
        super().__init__(cursor_type="row", zebra_stripes=False, cell_padding=0, **kwargs)
        self.row_keys: list[str] = []
        self._signatures: list[tuple] = []
        self._cell_cache: dict[str, tuple] = {}  # row key → (what it shows, cells, signature)
        # Called as soon as the cursor moves, before the next frame (RowHighlighted arrives
        # a frame later): the inspector then follows the cursor in the same screen update.
        self.on_cursor_moved: Callable[[], None] | None = None
        self.marked: set[str] = set()  # keys of the rows selected with V
        self._lanes_for: tuple | None = None  # (keys, inputs) the gutter in _lanes was drawn for
        self._lanes: list[str] = []

    def on_mount(self) -> None:
        for key, label in COLUMNS:
            self.add_column(Text(label + " " if label else label), key=key)

    @property
    def current_key(self) -> str | None:
        """Key of the row under the cursor."""
        if not self.row_keys:
            return None
        return self.row_keys[min(self.cursor_row, len(self.row_keys) - 1)]

    def show_rows(self, rows: list[Row], select: str | None = None) -> None:
        """Display ``rows``; keep the cursor on ``select`` (default: the current row's key)."""
        keys = [r.key for r in rows]
        lanes = self._graph_lanes(keys, rows)
        width = max([len(params_text(r)) for r in rows] + [6])  # counts align on the right
        cells, signatures, widths = [], [], []
        for row, line in zip(rows, lanes):
            row_cells_, signature, row_widths = self._cells(row, line, width)
            cells.append(row_cells_)
            signatures.append(signature)
            widths.append(row_widths)
        target = select or self.current_key
        if keys == self.row_keys:
            self._update_changed(keys, cells, signatures, widths)
        else:
            self._refill(keys, cells)
        self._signatures = signatures
        for gone in set(self._cell_cache) - set(keys):
            del self._cell_cache[gone]
        if target in keys:
            self.select_key(target)

    def _graph_lanes(self, keys: list[str], rows: list[Row]) -> list[str]:
        """The gutter, drawn again only when the connections changed (not for a parameter)."""
        connections = (tuple(keys), tuple(tuple(r.inputs) for r in rows))
        if connections != self._lanes_for:
            self._lanes_for, self._lanes = connections, graph_lanes(keys, connections[1])
        return self._lanes

    def _cells(self, row: Row, line: str, width: int) -> tuple[tuple, tuple, tuple]:
        """The cells of ``row``, their signature and widths, rebuilt only when what they show
        changed: after an edit most rows show the same (building 700 rows of Rich text costs
        30 ms)."""
        result = row.result
        what = (row.key, row.name, row.type, row.block, line, width, row.status,
                tuple(d.code for d in row.errors[:1]),
                (result.output_shape, result.param_count) if result is not None else None)
        cached = self._cell_cache.get(row.key)
        if cached is not None and cached[0] == what:
            return cached[1:]
        cells = row_cells(row, line, width)
        signature = tuple((c.plain, str(c.style)) for c in cells)
        widths = tuple(c.cell_len for c in cells)
        self._cell_cache[row.key] = (what, cells, signature, widths)
        return cells, signature, widths

    def _update_changed(self, keys, cells, signatures, widths) -> None:
        changed_rows = []
        for i, (key, row, signature) in enumerate(zip(keys, cells, signatures)):
            if signature == self._signatures[i]:
                continue
            for (column, _), old, new, cell in zip(COLUMNS, self._signatures[i], signature, row):
                if old != new:
                    self._set_cell(key, column, cell)
            changed_rows.append(i)
        if not changed_rows:
            return
        self._update_count += 1  # Textual 8.2.8 keys its rendered lines on this counter
        if self._fit_columns(widths):
            return  # new column widths: the whole table is laid out and drawn again anyway
        if len(changed_rows) > self.size.height:
            self.refresh()
        else:
            for i in changed_rows:
                self.refresh_row(i)  # only these lines are drawn again

    def _set_cell(self, key: str, column: str, cell) -> None:
        """Put ``cell`` in the table without drawing the whole table again.

        DataTable.update_cell repaints the whole table after each cell (every visible line
        composed again: most of an edit's screen update on ResNet50); the caller repaints
        the rows it changed. No update_width: Textual re-measures a whole column for every
        cell that shrinks (quadratic when an error blanks 1,000 shapes); see _fit_columns.
        """
        row_key, column_key = RowKey(key), ColumnKey(column)
        if row_key not in self._row_locations or column_key not in self._column_locations:
            raise CellDoesNotExist(f"No cell for row {key!r}, column {column!r}.")
        self._data[row_key][column_key] = cell  # Textual 8.2.8: update_cell's store, unchanged

    def _fit_columns(self, widths: list[tuple[int, ...]]) -> bool:
        """Set each column's width to its widest cell (``widths``: each row's cell widths);
        True if one changed (the table is then laid out again)."""
        resized = False
        for index, (key, _) in enumerate(COLUMNS):
            column = self.columns[ColumnKey(key)]
            width = max([cell_len(column.label.plain)] + [row[index] for row in widths])
            if width != column.content_width:
                column.content_width = width
                resized = True
        if resized:
            self._require_update_dimensions = True  # Textual 8.2.8: recompute the virtual size
            self.refresh(layout=True)
        return resized

    def _refill(self, keys, cells) -> None:
        scroll_y = self.scroll_y
        self.clear()
        for key, row in zip(keys, cells):
            self.add_row(*row, key=key)
        self.row_keys = keys
        self.scroll_to(y=scroll_y, animate=False, immediate=True)

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        if old != new and self.on_cursor_moved is not None:
            self.on_cursor_moved()

    def action_first_row(self) -> None:
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        self.move_cursor(row=max(0, self.row_count - 1))

    def select_key(self, key: str) -> None:
        """Move the cursor to the row of ``key`` (and scroll it into view)."""
        if key in self.row_keys:
            index = self.row_keys.index(key)
            if index != self.cursor_row:
                self.move_cursor(row=index, animate=False)

    def mark_rows(self, keys: set[str]) -> None:
        """Show the rows of ``keys`` as selected (a run of layers about to become a block)."""
        if keys == self.marked:
            return
        self.marked = keys
        self._clear_caches()  # DataTable caches rendered lines: the marks change their style
        self.refresh()

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        style = super()._get_row_style(row_index, base_style)
        if self.marked and 0 <= row_index < len(self.row_keys) and self.row_keys[row_index] in self.marked:
            return style + MARKED
        return style
