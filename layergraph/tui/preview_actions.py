"""The diagram preview and the exports (a mixin of EditorApp).

Exports never change the document. Each asks before replacing an existing file (the
dialog starts on Cancel), refuses read-only files and the spec itself, and reports
every failure in the editor: nothing is raised, nothing is lost.
"""

from __future__ import annotations

import json
from pathlib import Path

from textual import work

from ..fileio import OutputError, ReadOnlyOutputError, replaceable_target
from .exports import ExportFormat, export_bytes, write_export
from .screens.compile_log import CompileScreen
from .screens.confirm import ConfirmScreen
from .screens.export import ExportScreen
from .widgets.preview import PreviewPane

# Below this width the table and the preview share the screen and the inspector steps aside.
WIDTH_FOR_THREE_PANES = 200


class PreviewActions:
    """Preview (show, style, theme) and export."""

    image_widget_class = None  # textual-image's widget when the terminal shows images (edit_cmd sets it)
    _inspector_shown = True  # what the inspector was before the preview pushed it aside

    @property
    def preview(self) -> PreviewPane:
        return self.query_one(PreviewPane)

    def action_preview(self) -> None:
        pane = self.preview
        pane.image_widget_class = self.image_widget_class
        self.query_one("#main").set_class(not pane.display, "-previewing")
        if pane.display:
            pane.display = False
            self.inspector.display = self._inspector_shown
            self.table.focus()
            return
        self._inspector_shown = self.inspector.display
        if self.size.width < WIDTH_FOR_THREE_PANES:
            self.inspector.display = False
        pane.display = True  # it draws the document as it shows (PreviewPane.on_show)
        pane.focus()

    def action_preview_style(self) -> None:
        self.preview.next_style()

    def action_preview_theme(self) -> None:
        self.preview.next_theme()

    # -- export ---------------------------------------------------------------------------

    def action_export(self) -> None:
        self.flush_typing()

        def chosen(answer: tuple[ExportFormat, Path] | None) -> None:
            if answer is not None:
                self.export_to(*answer)
        self.push_screen(ExportScreen(self.doc.path), chosen)

    def export_to(self, fmt: ExportFormat, path: Path, overwrite: bool = False) -> None:
        """Export the document as ``fmt`` into ``path`` (asking before replacing a file)."""
        problem = self._export_problem(fmt, path)
        if problem:
            self.notify(problem, title="Not exported", severity="error")
            return
        if path.exists() and not overwrite:
            def answered(answer: str) -> None:
                if answer == "overwrite":
                    self.export_to(fmt, path, overwrite=True)
            self.push_screen(ConfirmScreen(f"{path} exists. Replace it?",
                                           [("overwrite", "Replace", "error"), ("cancel", "Cancel", "default")]),
                             answered)
            return
        if fmt.key == "keras":
            self._export_keras(path)
            return
        self.notify(f"Exporting {path.name}…")
        name = self.doc.path.name if self.doc.path else "untitled.json"
        self._export_worker(fmt, self.doc.analysis, self.preview.options, path, name)

    def _export_problem(self, fmt: ExportFormat, path: Path) -> str | None:
        """Why ``path`` cannot be written as ``fmt`` now, or None."""
        if self.doc.path is not None and path.exists() and path.resolve() == self.doc.path.resolve():
            return f"{path} is the spec itself: choose another file name."
        if path.is_dir():
            return f"{path} is a folder: give a file name."
        if not path.parent.is_dir():
            return f"The folder {path.parent} does not exist."
        try:
            replaceable_target(path)
        except ReadOnlyOutputError as exc:
            return f"{exc}. Choose another file name."
        analysis = self.doc.analysis
        if fmt.key in ("keras", "py") and not analysis.ok:
            return (f"A {fmt.suffix} file needs a graph without errors: fix the {len(analysis.errors)} "
                    "error(s) in Problems first (diagrams and the summary show them).")
        return None

    @work(thread=True, group="export")
    def _export_worker(self, fmt: ExportFormat, analysis, options, path: Path, source_name: str) -> None:
        try:
            written = write_export(path, export_bytes(fmt, analysis, options, source_name))
        except Exception as exc:  # Graphviz missing, disk full, …: said in the editor
            message = str(exc) if isinstance(exc, OutputError) else f"{type(exc).__name__}: {exc}"
            self.call_from_thread(self.notify, message, title="Not exported", severity="error")
            return
        marked = f" ({len(analysis.errors)} error(s) marked)" if analysis.errors and fmt.key not in ("py",) else ""
        self.call_from_thread(self.notify, f"Wrote {written}{marked}", title="Exported")

    def _export_keras(self, path: Path) -> None:
        """Build and save the Keras model in the compile job (TensorFlow stays out of the editor)."""
        screen = CompileScreen(f"Exporting {self.doc.analysis.name} to {path.name} with Keras…")
        self.push_screen(screen)
        request = json.dumps({"spec": self.doc.data, "expected_params": self.doc.analysis.total_params,
                              "save_to": str(path.absolute())})
        self._compile_worker(request, screen)
