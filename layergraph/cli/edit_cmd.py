"""`layergraph edit`: the interactive editor. Textual is imported only when the command runs."""

from __future__ import annotations

import shlex
import signal
from pathlib import Path
from typing import Annotated, Optional

import typer

from .base import app
from .output import fail
from .serve import DEFAULT_HOST, DEFAULT_PORT, serve_editor


@app.command()
def edit(
    spec: Annotated[Path, typer.Argument(help="The spec to edit; a new file is created on the first save.",
                                         show_default=False)],
    template: Annotated[Optional[str], typer.Option(
        "--template", "-t", help="Start a new spec from a template: blank, alexnet, mnist_cnn, vgg16, …")] = None,
    serve: Annotated[bool, typer.Option(
        "--serve", help="Serve the editor in a web browser (textual-serve) instead of this terminal.")] = False,
    port: Annotated[Optional[int], typer.Option(
        "--port", help=f"With --serve: the port to serve on [default: {DEFAULT_PORT}]")] = None,
    host: Annotated[Optional[str], typer.Option(
        "--host", help=f"With --serve: the address to serve on [default: {DEFAULT_HOST}, this machine only]; "
                       "0.0.0.0 lets other machines connect")] = None,
) -> None:
    """Edit a layer graph in a full-screen editor with live shape checking."""
    from ..editing.document import Document, DocumentError
    from ..editing.templates import template_text

    if spec.is_dir():
        fail(_folder_message(spec), code=2)
    if serve:
        _check_servable(spec, template)
        serve_editor(spec, host=host or DEFAULT_HOST, port=DEFAULT_PORT if port is None else port)
        return
    if port is not None or host is not None:
        fail("--port and --host only apply with --serve", code=2)
    if spec.exists():
        if template is not None:
            fail(f"{spec} exists; --template only starts new files (leave it out to edit {spec})", code=2)
        try:
            document = Document.open(spec)
        except DocumentError as exc:
            fail(f"cannot edit {spec}: {exc}")
    else:
        if not spec.parent.is_dir():
            fail(f"cannot create {spec}: the folder {spec.parent} does not exist", code=2)
        try:
            text = template_text(template or "blank", graph_name=spec.stem, target=spec)
        except ValueError as exc:
            fail(str(exc), code=2)
        document = Document.from_text(text, spec)
    try:
        from ..tui.app import EditorApp
        from ..tui.inline_images import image_widget_class
    except ImportError:
        fail("the editor needs Textual: pip install 'layergraph[tui]'")
    editor = EditorApp(document)
    editor.image_widget_class = image_widget_class()  # asks the terminal: only before it starts
    editor.run()
    _ignore_ctrl_c_while_exiting()


def _ignore_ctrl_c_while_exiting() -> None:
    """The editor has closed: a Ctrl+C from now on has nothing to interrupt.

    Textual's event loop hands SIGINT back to Python's KeyboardInterrupt when it closes, so a
    Ctrl+C that lands while the interpreter winds down (as when `edit --serve` is stopped
    while a browser's editor is quitting: the signal reaches the whole process group) would
    print a traceback from threading's shutdown, relayed into the server's output.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _check_servable(spec: Path, template: Optional[str]) -> None:
    """Refuse to serve what each browser session could not open the same way."""
    from ..editing.document import Document, DocumentError

    if template is not None:
        fail("--serve edits an existing spec; create it first: "
             f"layergraph edit {shlex.quote(str(spec))} --template {shlex.quote(template)}", code=2)
    if not spec.exists():
        # Each session would start its own unsaved new file: make the file first.
        fail(f"{spec} does not exist; --serve edits an existing spec "
             f"(create one with: layergraph edit {shlex.quote(str(spec))})", code=2)
    try:
        Document.open(spec)  # an unreadable file fails here once, not in every browser tab
    except DocumentError as exc:
        fail(f"cannot edit {spec}: {exc}")


def _folder_message(folder: Path) -> str:
    """What to say for ``edit FOLDER``: the specs in it, to pick one."""
    specs = sorted(p.name for p in folder.glob("*.json") if p.is_file())
    if not specs:
        return f"{folder} is a folder with no .json specs; give a spec file (a new name creates one)"
    shown = "\n  ".join(f"layergraph edit {folder / name}" for name in specs[:30])
    more = f"\n  … and {len(specs) - 30} more" if len(specs) > 30 else ""
    return f"{folder} is a folder; edit one of its {len(specs)} specs:\n  {shown}{more}"
