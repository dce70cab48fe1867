"""Output: choosing the format, finding Graphviz's ``dot``, writing files atomically.

DOT output needs nothing but Python. PNG, SVG and PDF are made by the ``dot``
program (found on PATH, or named by ``LAYERGRAPH_DOT``); when it is missing the
error says how to install it. Files are written through
:func:`layergraph.fileio.atomic_path`, so a failed render never leaves a
half-written picture or destroys the previous one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ..fileio import OutputError, atomic_write_bytes
from .options import FORMATS, OptionError

EXTENSIONS = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".dot": "dot", ".gv": "dot", ".tex": "tex"}

INSTALL_HINT = (
    "Install Graphviz: Debian/Ubuntu `sudo apt-get install graphviz`, macOS `brew install "
    "graphviz`, conda `conda install -c conda-forge graphviz` (or set LAYERGRAPH_DOT to the "
    "`dot` program). DOT output (-o diagram.dot) works without it.")


class GraphvizNotFoundError(OutputError):
    """PNG, SVG or PDF was asked for but Graphviz's ``dot`` program is not installed."""


class GraphvizFailedError(OutputError):
    """``dot`` ran but failed (or took too long); the message quotes its error."""


def output_format(path: str | Path | None, requested: str | None) -> str:
    """The format to write: ``requested`` if given, else from the file extension.

    Raises OptionError when they disagree or neither names a known format.
    """
    suffix = Path(str(path)).suffix.lower() if path not in (None, "-") else ""
    from_suffix = EXTENSIONS.get(suffix)
    if requested is not None:
        if from_suffix is not None and from_suffix != requested:
            raise OptionError(f"the file name {str(path)!r} ends in {suffix} but --format is "
                              f"{requested}; use a matching extension")
        return requested
    if from_suffix is None:
        what = f"extension {suffix!r}" if suffix else "no extension"
        raise OptionError(f"cannot tell the format of {str(path)!r} ({what}): use one of "
                          f"{', '.join(sorted(EXTENSIONS))} or --format {'|'.join(FORMATS)}")
    return from_suffix


def find_dot() -> str:
    """The path of Graphviz's ``dot`` program, or GraphvizNotFoundError."""
    configured = os.environ.get("LAYERGRAPH_DOT")
    if configured:
        found = shutil.which(configured)
        if found is None:
            raise GraphvizNotFoundError(
                f"LAYERGRAPH_DOT is set to {configured!r}, which is not an executable program. "
                + INSTALL_HINT)
        return found
    found = shutil.which("dot")
    if found is None:
        raise GraphvizNotFoundError(
            "PNG, SVG, PDF and TikZ output of the graph and blocks styles need Graphviz's `dot` "
            "program, which was not found on PATH. "
            + INSTALL_HINT)
    return found


def run_dot(source: str, fmt: str, dpi: int, timeout: float) -> bytes:
    """Render DOT ``source`` to ``fmt`` bytes with the ``dot`` program."""
    command = [find_dot(), f"-T{fmt}"]
    if fmt == "png":
        command.append(f"-Gdpi={dpi}")
    try:
        done = subprocess.run(command, input=source.encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise GraphvizFailedError(
            f"Graphviz took longer than {timeout:g} s; draw fewer nodes with --collapse") from None
    except OSError as exc:
        raise GraphvizFailedError(f"cannot run {command[0]}: {exc.strerror or exc}") from None
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = "; ".join(message[:3]) or f"exit status {done.returncode}"
        raise GraphvizFailedError(f"Graphviz could not render the diagram: {detail}")
    return done.stdout


def render_bytes(source: str, fmt: str, dpi: int, timeout: float) -> bytes:
    """The diagram in ``fmt``: the DOT text itself, or what ``dot`` makes of it."""
    if fmt == "dot":
        return source.encode("utf-8")
    return run_dot(source, fmt, dpi, timeout)


def write_output(data: bytes, path: str | Path, overwrite: bool) -> Path:
    """Write ``data`` to ``path`` atomically (after creating missing parent folders)."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create {path.parent}: {exc.strerror or exc}") from None
    return atomic_write_bytes(path, data, overwrite=overwrite)
