"""What the editor exports, and how: the same writers as ``layergraph export``, ``summary
--format markdown`` and ``render``, written the same safe way as a save.

Every write is atomic (:mod:`layergraph.fileio`), goes through a symbolic link to the file
it points to, and refuses a read-only file. The ``.keras`` model is built in the compile
job's child process (:mod:`layergraph.tui.compile_job`), never here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..compiler.analysis import Analysis
from ..fileio import atomic_write_bytes, replaceable_target
from ..render.options import RenderOptions


@dataclass(frozen=True)
class ExportFormat:
    key: str
    suffix: str
    title: str


FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("keras", ".keras", "Keras model (.keras), built in the background"),
    ExportFormat("py", ".py", "Python script, Keras functional API (.py)"),
    ExportFormat("md", ".md", "Markdown summary: shapes, parameters, MACs (.md)"),
    ExportFormat("png", ".png", "Diagram as PNG, in the preview's style and theme"),
    ExportFormat("svg", ".svg", "Diagram as SVG, in the preview's style and theme"),
    ExportFormat("pdf", ".pdf", "Diagram as PDF, in the preview's style and theme"),
)
BY_KEY = {f.key: f for f in FORMATS}
BY_SUFFIX = {f.suffix: f for f in FORMATS}


def default_path(spec: Path | None, fmt: ExportFormat) -> Path:
    """Beside the spec, with its stem: ``specs/alexnet.json`` → ``specs/alexnet.py``."""
    return (spec or Path("untitled.json")).with_suffix(fmt.suffix)


def format_of(path: str | Path) -> ExportFormat | None:
    """The format a file name asks for, by its extension."""
    return BY_SUFFIX.get(Path(path).suffix.lower())


def export_bytes(fmt: ExportFormat, analysis: Analysis, options: RenderOptions, source_name: str) -> bytes:
    """The file's content (every format but ``.keras``); raises what the writers raise
    (SpecError for a script of a broken graph, GraphvizNotFoundError, …)."""
    if fmt.key == "py":
        from ..emit.source import export_python

        return export_python(analysis, source_name=source_name).encode("utf-8")
    if fmt.key == "md":
        from ..summary import to_markdown

        return (to_markdown(analysis) + "\n").encode("utf-8")
    from ..render.api import get_analysis, picture_bytes

    # As `layergraph render` does: a broken graph is drawn with its errors marked.
    return picture_bytes(get_analysis(analysis, options), fmt.key, replace(options, format=fmt.key))


def write_export(target: Path, data: bytes) -> Path:
    """Write ``data`` atomically; through a link into the file it points to; never over a
    read-only file (ReadOnlyOutputError). Returns the file written."""
    return atomic_write_bytes(replaceable_target(target), data)
